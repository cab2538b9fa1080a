#include "hunt/network.h"

#include <unistd.h>

#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/sockets.h"

namespace irk::hunt {
namespace {

constexpr size_t kMaxTableBytes = 64u << 20;

std::optional<uint64_t> ParseNumber(std::string_view text, int base) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return std::nullopt;
    if (value > (UINT64_MAX - static_cast<uint64_t>(digit)) / static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  return value;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  while (true) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const size_t end = std::min(line.find(' '), line.size());
    words.push_back(line.substr(0, end));
    line.remove_prefix(end);
  }
  return words;
}

std::string Describe(const Process& p) {
  return fmt::format("pid {} ({})", p.pid, p.cmdline.empty() ? "[" + p.comm + "]" : p.cmdline);
}

std::string InterfaceName(const std::filesystem::path& sys_dir, int ifindex) {
  if (ifindex == 0) return "any interface";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sys_dir / "class/net", ec)) {
    const auto text = ReadProcFile(entry.path() / "ifindex", 32);
    if (text && ParseNumber(std::string_view(*text).substr(0, text->find('\n')), 10) ==
                    static_cast<uint64_t>(ifindex)) {
      return entry.path().filename().string();
    }
  }
  return fmt::format("interface #{}", ifindex);
}

}  // namespace

std::vector<PacketSocket> ParseProcNetPacket(std::string_view text) {
  // sk RefCnt Type Proto Iface R Rmem User Inode
  std::vector<PacketSocket> sockets;
  while (!text.empty() && sockets.size() < kMaxTcpSockets) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::vector<std::string_view> w = Words(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
    if (w.size() < 9) continue;
    const auto protocol = ParseNumber(w[3], 16);
    const auto ifindex = ParseNumber(w[4], 10);
    const auto uid = ParseNumber(w[7], 10);
    const auto inode = ParseNumber(w[8], 10);
    if (!protocol || *protocol > 0xffff || !ifindex || *ifindex > INT32_MAX || !uid ||
        *uid > UINT32_MAX || !inode) {
      continue;
    }
    sockets.push_back({static_cast<uint16_t>(*protocol), static_cast<int>(*ifindex),
                       static_cast<uint32_t>(*uid), *inode});
  }
  return sockets;
}

std::optional<uint32_t> ParseInterfaceFlags(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (!text.starts_with("0x")) return std::nullopt;
  const auto value = ParseNumber(text.substr(2), 16);
  if (!value || *value > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

std::vector<Finding> HuntNetwork(const std::filesystem::path& proc_dir,
                                 const std::filesystem::path& sys_dir,
                                 const std::vector<Process>& processes) {
  std::vector<Finding> out;
  // Which processes hold each socket, and one process per network namespace
  // to read that namespace's tables through.
  std::map<uint64_t, std::vector<const Process*>> holders;
  std::map<std::string, int> namespaces;
  for (const Process& p : processes) {
    for (const uint64_t inode : ReadSocketInodes(proc_dir, p.pid)) holders[inode].push_back(&p);
    const std::string ns = ReadNamespace(proc_dir, std::to_string(p.pid), "net");
    if (!ns.empty()) namespaces.try_emplace(ns, p.pid);
  }
  const auto held_by = [&holders](uint64_t inode) {
    std::string text;
    const auto it = holders.find(inode);
    if (it == holders.end()) return std::string("no process (held by none we can see)");
    for (const Process* p : it->second) {
      if (!text.empty()) text += ", ";
      text += Describe(*p);
    }
    return text;
  };
  const auto first_pid = [&holders](uint64_t inode) -> std::optional<int> {
    const auto it = holders.find(inode);
    if (it == holders.end()) return std::nullopt;
    return it->second.front()->pid;
  };

  for (const auto& [ns, pid] : namespaces) {
    const std::filesystem::path net = proc_dir / std::to_string(pid) / "net";
    for (const PacketSocket& s :
         ParseProcNetPacket(ReadProcFile(net / "packet", kMaxTableBytes).value_or(""))) {
      const bool all = s.protocol == kEthAllProtocols;
      Finding f;
      f.kind = "sniffer";
      // DHCP clients and EAPOL supplicants hold packet sockets for one protocol.
      f.severity = all ? Severity::kHigh : Severity::kLow;
      f.summary = fmt::format("{} packet socket ({}) on {} held by {}",
                              all ? "a capture of every protocol:" : "a",
                              all ? "ETH_P_ALL" : fmt::format("ethertype 0x{:04x}", s.protocol),
                              InterfaceName(sys_dir, s.ifindex), held_by(s.inode));
      f.pid = first_pid(s.inode);
      f.evidence = {{"protocol", fmt::format("0x{:04x}", s.protocol)},
                    {"ifindex", std::to_string(s.ifindex)},
                    {"inode", std::to_string(s.inode)},
                    {"uid", std::to_string(s.uid)},
                    {"net_namespace", ns}};
      out.push_back(std::move(f));
    }
    for (const char* table : {"tcp", "tcp6", "udp", "udp6"}) {
      const bool tcp = std::string_view(table).starts_with("tcp");
      for (const TcpSocket& s :
           ParseProcNetTcp(ReadProcFile(net / table, kMaxTableBytes).value_or(""))) {
        // UDP has no listen state: a bound socket with no peer is listening.
        const bool listening =
            tcp ? s.state == kTcpListen : s.remote_port == 0 && s.local_port != 0;
        if (!listening || s.inode == 0) continue;
        Finding f;
        f.kind = "listener";
        const bool orphan = !holders.contains(s.inode);
        f.severity = orphan ? Severity::kMedium : Severity::kInfo;
        f.summary = fmt::format("{} {}:{} listening, held by {}", tcp ? "TCP" : "UDP",
                                s.local.ToString(), s.local_port, held_by(s.inode));
        f.pid = first_pid(s.inode);
        f.evidence = {{"protocol", table},
                      {"address", s.local.ToString()},
                      {"port", std::to_string(s.local_port)},
                      {"inode", std::to_string(s.inode)},
                      {"uid", std::to_string(s.uid)},
                      {"net_namespace", ns}};
        out.push_back(std::move(f));
      }
    }
  }

  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sys_dir / "class/net", ec)) {
    const auto flags = ParseInterfaceFlags(ReadProcFile(entry.path() / "flags", 32).value_or(""));
    if (!flags || (*flags & kIffPromisc) == 0) continue;
    // A bridge sets its ports promiscuous to forward: expected, not a capture.
    const bool bridge_port = std::filesystem::exists(entry.path() / "brport", ec);
    Finding f;
    f.kind = "sniffer";
    f.severity = bridge_port ? Severity::kLow : Severity::kHigh;
    f.summary =
        bridge_port
            ? fmt::format("interface {} is promiscuous as a bridge port",
                          entry.path().filename().string())
            : fmt::format("interface {} is in promiscuous mode: something captures all its traffic",
                          entry.path().filename().string());
    f.path = (entry.path() / "flags").string();
    f.evidence = {{"flags", fmt::format("0x{:x}", *flags)}};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace irk::hunt
