#include "contain/block.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contain/file_steps.h"
#include "contain/isolate.h"
#include "contain/kill.h"
#include "contain/sockets.h"
#include "core/json.h"
#include "core/proc.h"
#include "core/time.h"

namespace irk::contain {
namespace {

StepResult Failed(std::string detail) {
  return StepResult{StepOutcome::kFailed, std::move(detail)};
}

std::string ElementCommand(std::string_view verb, const Network& network,
                           std::string_view element) {
  return fmt::format("{} element {} {} {{ {} }}", verb, kIrkTable, BlockSet(network), element);
}

Step EnsureTableStep(std::shared_ptr<Firewall> firewall) {
  return Step{
      "create irk's own nftables table (inet irk): a set per family, dropped on "
      "prerouting and output at priority -300; other tables untouched",
      [firewall](StepContext& context) -> StepResult {
        if (firewall->Run(fmt::format("list table {}", kIrkTable)).ok()) {
          return StepResult{StepOutcome::kAlreadyDone, "the table exists"};
        }
        if (auto status = context.Record(JsonObject().Add("kind", "nft_table").str());
            !status.ok()) {
          return Failed(status.error().message);
        }
        auto created = firewall->Run(TableDefinition());
        if (!created.ok()) return Failed(created.error().message);
        return StepResult{StepOutcome::kApplied, ""};
      }};
}

Step AddElementStep(std::shared_ptr<Firewall> firewall, const Network& network,
                    std::optional<int64_t> seconds, std::string reason) {
  const std::string how_long =
      seconds ? fmt::format("for {}", FormatDuration(*seconds)) : "until unblocked";
  return Step{
      fmt::format("drop everything from and to {} ({}), silently", NetworkText(network), how_long),
      [firewall, network, seconds, reason](StepContext& context) -> StepResult {
        const std::string text = NetworkText(network);
        if (firewall->Run(ElementCommand("get", network, text)).ok()) {
          return StepResult{StepOutcome::kAlreadyDone, "already blocked"};
        }
        if (auto status = context.Record(JsonObject()
                                             .Add("kind", "nft_element")
                                             .Add("set", BlockSet(network))
                                             .Add("element", text)
                                             .Add("reason", reason)
                                             .str());
            !status.ok()) {
          return Failed(status.error().message);
        }
        auto added =
            firewall->Run(ElementCommand("add", network, ElementText(network, seconds, reason)));
        if (!added.ok()) return Failed(added.error().message);
        return StepResult{StepOutcome::kApplied, ""};
      }};
}

// The TCP connections of this namespace with any of `networks`, and who holds each.
struct Connection {
  TcpSocket socket;
  std::vector<std::string> holders;  // "sshd[812]"
};

std::vector<Connection> ConnectionsWith(const std::vector<Network>& networks) {
  std::map<uint64_t, Connection> by_inode;
  for (const auto& socket : ReadTcpSockets("/proc", getpid())) {
    if (socket.state == kTcpListen) continue;
    for (const auto& network : networks) {
      if (network.Contains(socket.remote)) by_inode[socket.inode] = Connection{socket, {}};
    }
  }
  if (by_inode.empty()) return {};
  for (const auto& p : ReadProcesses("/proc")) {
    for (const uint64_t inode : ReadSocketInodes("/proc", p.pid)) {
      const auto found = by_inode.find(inode);
      if (found != by_inode.end()) {
        found->second.holders.push_back(fmt::format("{}[{}]", p.comm, p.pid));
      }
    }
  }
  std::vector<Connection> connections;
  for (auto& [inode, connection] : by_inode) connections.push_back(std::move(connection));
  return connections;
}

Step CutConnectionsStep(std::vector<Network> networks) {
  return Step{
      "cut the established TCP connections with them (sock_diag SOCK_DESTROY, as ss -K) and "
      "name the processes that served them",
      [networks](StepContext& context) -> StepResult {
        const auto connections = ConnectionsWith(networks);
        if (connections.empty()) return StepResult{StepOutcome::kAlreadyDone, "no connections"};
        JsonArray list;
        for (const auto& c : connections) {
          JsonArray holders;
          for (const auto& h : c.holders) holders.Add(h);
          list.Add(JsonObject()
                       .Add("local",
                            fmt::format("{}:{}", c.socket.local.ToString(), c.socket.local_port))
                       .Add("remote",
                            fmt::format("{}:{}", c.socket.remote.ToString(), c.socket.remote_port))
                       .Add("processes", holders));
        }
        if (auto status = context.Record(JsonObject()
                                             .Add("kind", "irreversible")
                                             .Add("what", "cut connections cannot be restored")
                                             .Add("connections", list)
                                             .str());
            !status.ok()) {
          return Failed(status.error().message);
        }
        std::string detail;
        size_t cut = 0;
        std::string errors;
        for (const auto& c : connections) {
          if (auto status = DestroySocket(c.socket); !status.ok()) {
            errors += "; " + status.error().message;
            continue;
          }
          ++cut;
          detail += fmt::format("{}{}:{} served by", detail.empty() ? "" : "; ",
                                c.socket.remote.ToString(), c.socket.remote_port);
          for (const auto& h : c.holders) detail += " " + h;
          if (c.holders.empty()) detail += " no process (kernel or gone)";
        }
        if (!errors.empty())
          return Failed(fmt::format("{} of {} cut{}", cut, connections.size(), errors));
        return StepResult{StepOutcome::kApplied, detail};
      }};
}

}  // namespace

std::optional<std::string> RefuseBlock(const Network& network, const Protected& guard, bool force) {
  if (network.prefix() == 0) {
    return fmt::format("{} is a whole address family; irk never blocks one", NetworkText(network));
  }
  for (const auto& address : guard.host_addresses) {
    if (network.Contains(address)) {
      return fmt::format("{} holds {}, an address of this host; irk never blocks the host itself",
                         NetworkText(network), address.ToString());
    }
  }
  if (!force) {
    for (const auto& address : guard.operator_addresses) {
      if (network.Contains(address)) {
        return fmt::format(
            "{} holds {}, the address you (the operator) came from; add --force if you really "
            "mean to cut yourself off",
            NetworkText(network), address.ToString());
      }
    }
  }
  return std::nullopt;
}

std::vector<IpAddress> OperatorAddresses(std::string_view ssh_source) {
  std::vector<IpAddress> addresses;
  if (auto address = IpAddress::Parse(ssh_source)) addresses.push_back(*address);
  const auto processes = ReadProcesses("/proc");
  std::vector<uint64_t> inodes;
  for (const int pid : Lineage(processes, getpid())) {
    const auto held = ReadSocketInodes("/proc", pid);
    inodes.insert(inodes.end(), held.begin(), held.end());
  }
  const auto loopback4 = *Network::Parse("127.0.0.0/8");
  const auto loopback6 = *Network::Parse("::1");
  for (const auto& socket : ReadTcpSockets("/proc", getpid())) {
    if (socket.state != kTcpEstablished ||
        std::find(inodes.begin(), inodes.end(), socket.inode) == inodes.end() ||
        loopback4.Contains(socket.remote) || loopback6.Contains(socket.remote) ||
        std::find(addresses.begin(), addresses.end(), socket.remote) != addresses.end()) {
      continue;
    }
    addresses.push_back(socket.remote);
  }
  return addresses;
}

std::vector<IpAddress> HostAddresses() {
  std::vector<IpAddress> addresses;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return addresses;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (entry->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(entry->ifa_addr)->sin_addr, text,
                sizeof(text));
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr)->sin6_addr, text,
                sizeof(text));
    } else {
      continue;
    }
    if (auto address = IpAddress::Parse(text)) addresses.push_back(*address);
  }
  freeifaddrs(list);
  // Loopback, whether or not "lo" is up in this namespace.
  addresses.push_back(*IpAddress::Parse("127.0.0.1"));
  addresses.push_back(*IpAddress::Parse("::1"));
  return addresses;
}

std::string ElementText(const Network& network, std::optional<int64_t> seconds,
                        std::string_view comment) {
  std::string text = NetworkText(network);
  if (seconds) text += fmt::format(" timeout {}s", *seconds);
  std::string safe;
  for (const char c : comment) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == ' ' || c == '.' || c == ',' || c == ':' || c == '_' || c == '-' ||
                      c == '/';
    if (keep && safe.size() < 120) safe += c;
  }
  if (!safe.empty()) text += fmt::format(" comment \"{}\"", safe);
  return text;
}

Plan PlanBlock(std::shared_ptr<Firewall> firewall, const BlockRequest& request) {
  Plan plan;
  plan.action = "block";
  for (const auto& network : request.networks) {
    plan.target += (plan.target.empty() ? "" : " ") + NetworkText(network);
  }
  plan.steps.push_back(EnsureTableStep(firewall));
  for (const auto& network : request.networks) {
    plan.steps.push_back(AddElementStep(firewall, network, request.seconds, request.reason));
  }
  plan.steps.push_back(CutConnectionsStep(request.networks));
  plan.notes.push_back(
      "a block stops the network path only: lock the accounts they used (irk lock) and kill "
      "their processes (irk kill); they may come back from another address");
  return plan;
}

Plan PlanUnblock(std::shared_ptr<Firewall> firewall, const std::vector<Network>& networks) {
  Plan plan;
  plan.action = "unblock";
  for (const auto& network : networks) {
    plan.target += (plan.target.empty() ? "" : " ") + NetworkText(network);
    plan.steps.push_back(
        Step{fmt::format("remove {} from irk's blocked set", NetworkText(network)),
             [firewall, network](StepContext& context) -> StepResult {
               const std::string text = NetworkText(network);
               if (!firewall->Run(ElementCommand("get", network, text)).ok()) {
                 return StepResult{StepOutcome::kAlreadyDone, "not blocked"};
               }
               if (auto status = context.Record(JsonObject()
                                                    .Add("kind", "nft_readd")
                                                    .Add("set", BlockSet(network))
                                                    .Add("element", text)
                                                    .str());
                   !status.ok()) {
                 return Failed(status.error().message);
               }
               auto deleted = firewall->Run(ElementCommand("delete", network, text));
               if (!deleted.ok()) {
                 return Failed(deleted.error().message +
                               " (a single address inside a blocked network is unblocked by "
                               "unblocking that network)");
               }
               return StepResult{StepOutcome::kApplied, ""};
             }});
  }
  return plan;
}

std::string HostsDenyPattern(const Network& network) {
  if (network.base().is_v4()) return NetworkText(network);
  const std::string address = "[" + network.base().ToString() + "]";
  return network.prefix() == 128 ? address : fmt::format("{}/{}", address, network.prefix());
}

Plan PlanHostsDeny(std::shared_ptr<const HostFiles> files, const Root& root,
                   const std::vector<Network>& networks) {
  Plan plan;
  plan.action = "block";
  plan.root = files->HostPath("/");
  for (const auto& network : networks) {
    const std::string pattern = HostsDenyPattern(network);
    plan.target += (plan.target.empty() ? "" : " ") + NetworkText(network);
    plan.steps.push_back(AppendLineStep(
        files, "/etc/hosts.deny", "ALL: " + pattern,
        fmt::format("deny {} to every tcp_wrappers service in /etc/hosts.deny", pattern)));
  }
  // hosts.deny protects only daemons linked with libwrap.
  constexpr size_t kMaxBinaryBytes = 64 << 20;
  std::vector<std::string> guarded;
  std::vector<std::string> unguarded;
  for (const char* daemon : {"/usr/sbin/sshd", "/usr/sbin/vsftpd", "/usr/sbin/proftpd",
                             "/usr/sbin/in.telnetd", "/usr/sbin/xinetd", "/usr/sbin/rpcbind"}) {
    auto binary = root.ReadFile(daemon, kMaxBinaryBytes);
    if (!binary.ok()) continue;
    (binary->find("libwrap.so") != std::string::npos ? guarded : unguarded).push_back(daemon);
  }
  std::string guarded_text;
  for (const auto& d : guarded) guarded_text += " " + d;
  std::string unguarded_text;
  for (const auto& d : unguarded) unguarded_text += " " + d;
  plan.notes.push_back(
      fmt::format("hosts.deny is read only by daemons linked with libwrap: here{}{}; NOT by{}. "
                  "Established connections stay open: irk kill their sessions",
                  guarded.empty() ? " none" : guarded_text,
                  guarded.empty() ? "" : " (their binaries name libwrap.so)",
                  unguarded.empty() ? " anything else found" : unguarded_text));
  return plan;
}

UndoResult RevertFirewall(Firewall& firewall, const nlohmann::json& recipe) {
  const std::string kind = recipe.value("kind", std::string());
  if (kind == "nft_isolate") {
    if (!firewall.Run(fmt::format("list table {}", kIsolateTable)).ok()) {
      return UndoResult{"already", "not isolated any more"};
    }
    auto deleted = firewall.Run(fmt::format("delete table {}", kIsolateTable));
    if (!deleted.ok()) return UndoResult{"failed", deleted.error().message};
    return UndoResult{"reverted", "isolation lifted (table inet irk_isolate removed)"};
  }
  if (kind == "nft_table") {
    auto listed = firewall.Run(fmt::format("list table {}", kIrkTable), /*json=*/true);
    if (!listed.ok()) return UndoResult{"already", "irk's table is gone already"};
    if (!ParseBlockedNetworks(*listed).empty()) {
      return UndoResult{"failed",
                        "irk's table still holds blocked networks of other actions; "
                        "left in place"};
    }
    auto deleted = firewall.Run(fmt::format("delete table {}", kIrkTable));
    if (!deleted.ok()) return UndoResult{"failed", deleted.error().message};
    return UndoResult{"reverted", "irk's table removed"};
  }
  const std::string set = recipe.value("set", std::string());
  const std::string element = recipe.value("element", std::string());
  const auto network = Network::Parse(element);
  if (!network || (set != "block4" && set != "block6") || BlockSet(*network) != set) {
    return UndoResult{"failed", "undo recipe names no valid element"};
  }
  const bool present = firewall.Run(ElementCommand("get", *network, element)).ok();
  if (kind == "nft_element") {
    if (!present) return UndoResult{"already", element + " is not blocked (expired or removed)"};
    auto deleted = firewall.Run(ElementCommand("delete", *network, element));
    if (!deleted.ok()) return UndoResult{"failed", deleted.error().message};
    if (firewall.Run(ElementCommand("get", *network, element)).ok()) {
      return UndoResult{"failed", element + " is still blocked after the delete"};
    }
    return UndoResult{"reverted", element + " no longer blocked"};
  }
  if (present) return UndoResult{"already", element + " is blocked again already"};
  if (!firewall.Run(fmt::format("list table {}", kIrkTable)).ok()) {
    if (auto created = firewall.Run(TableDefinition()); !created.ok()) {
      return UndoResult{"failed", created.error().message};
    }
  }
  auto added = firewall.Run(ElementCommand("add", *network, element));
  if (!added.ok()) return UndoResult{"failed", added.error().message};
  return UndoResult{"reverted", element + " blocked again"};
}

}  // namespace irk::contain
