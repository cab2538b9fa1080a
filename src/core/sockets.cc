#include "core/sockets.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/proc.h"

namespace irk {
namespace {

// /proc/net/tcp6 of a busy host runs to megabytes; nothing sane is larger.
constexpr size_t kMaxTableBytes = 256u << 20;

std::optional<uint64_t> ParseHex(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  return value;
}

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// "0100007F:0016": the address as the kernel's 32-bit words printed in hex,
// each in host byte order, then the port.
bool ParseEndpoint(std::string_view text, IpAddress& address, uint16_t& port) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view hex = text.substr(0, colon);
  const auto port_value = ParseHex(text.substr(colon + 1), 4);
  if (!port_value || (hex.size() != 8 && hex.size() != 32)) return false;
  std::array<uint8_t, 16> bytes{};
  for (size_t word = 0; word < hex.size() / 8; ++word) {
    const auto value = ParseHex(hex.substr(word * 8, 8), 8);
    if (!value) return false;
    const auto host_order = static_cast<uint32_t>(*value);
    std::memcpy(bytes.data() + word * 4, &host_order, 4);
  }
  if (hex.size() == 8) {
    address = IpAddress::FromV4Bytes({bytes[0], bytes[1], bytes[2], bytes[3]});
  } else {
    address = IpAddress::FromBytes(bytes);
  }
  port = static_cast<uint16_t>(*port_value);
  return true;
}

// The next space-separated field of `line`, consumed.
std::string_view NextField(std::string_view& line) {
  const size_t start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  line.remove_prefix(start);
  const size_t end = std::min(line.find(' '), line.size());
  const std::string_view field = line.substr(0, end);
  line.remove_prefix(end);
  return field;
}

std::optional<TcpSocket> ParseLine(std::string_view line) {
  // sl local remote st tx:rx tr:when retrnsmt uid timeout inode ...
  std::array<std::string_view, 10> fields;
  for (auto& field : fields) {
    field = NextField(line);
    if (field.empty()) return std::nullopt;
  }
  TcpSocket socket;
  const auto state = ParseHex(fields[3], 2);
  const auto uid = ParseDecimal(fields[7]);
  const auto inode = ParseDecimal(fields[9]);
  if (!fields[0].ends_with(':') || !state || !uid || *uid > UINT32_MAX || !inode ||
      !ParseEndpoint(fields[1], socket.local, socket.local_port) ||
      !ParseEndpoint(fields[2], socket.remote, socket.remote_port)) {
    return std::nullopt;
  }
  socket.v6 = fields[1].find(':') > 8;
  socket.state = static_cast<uint8_t>(*state);
  socket.uid = static_cast<uint32_t>(*uid);
  socket.inode = *inode;
  return socket;
}

}  // namespace

std::vector<TcpSocket> ParseProcNetTcp(std::string_view text) {
  std::vector<TcpSocket> sockets;
  while (!text.empty() && sockets.size() < kMaxTcpSockets) {
    const size_t end = std::min(text.find('\n'), text.size());
    if (auto socket = ParseLine(text.substr(0, end))) sockets.push_back(*socket);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return sockets;
}

std::optional<uint64_t> ParseSocketLink(std::string_view link) {
  if (!link.starts_with("socket:[") || !link.ends_with(']')) return std::nullopt;
  return ParseDecimal(link.substr(8, link.size() - 9));
}

std::vector<uint64_t> ReadSocketInodes(const std::filesystem::path& proc_dir, int pid) {
  std::vector<uint64_t> inodes;
  const std::string fd_dir = (proc_dir / std::to_string(pid) / "fd").string();
  DIR* dir = opendir(fd_dir.c_str());
  if (dir == nullptr) return inodes;
  std::array<char, 64> target;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const ssize_t n = readlinkat(dirfd(dir), entry->d_name, target.data(), target.size());
    if (n <= 0 || static_cast<size_t>(n) >= target.size()) continue;
    if (auto inode = ParseSocketLink(std::string_view(target.data(), static_cast<size_t>(n)))) {
      inodes.push_back(*inode);
    }
  }
  closedir(dir);
  std::sort(inodes.begin(), inodes.end());
  inodes.erase(std::unique(inodes.begin(), inodes.end()), inodes.end());
  return inodes;
}

std::vector<TcpSocket> ReadTcpSockets(const std::filesystem::path& proc_dir, int pid) {
  const std::filesystem::path net = proc_dir / std::to_string(pid) / "net";
  std::vector<TcpSocket> sockets =
      ParseProcNetTcp(ReadProcFile(net / "tcp", kMaxTableBytes).value_or(""));
  std::vector<TcpSocket> v6 =
      ParseProcNetTcp(ReadProcFile(net / "tcp6", kMaxTableBytes).value_or(""));
  sockets.insert(sockets.end(), v6.begin(), v6.end());
  return sockets;
}

}  // namespace irk
