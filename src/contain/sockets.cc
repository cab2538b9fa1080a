#include "contain/sockets.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace irk::contain {
namespace {

constexpr size_t kMaxProcNetBytes = 64 << 20;
constexpr size_t kMaxFds = 1 << 16;

template <typename T>
bool Hex(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// "0100007F:1F90" (or 32 hex digits for IPv6) into an address and port.
bool ParseEndpoint(std::string_view text, IpAddress& address, uint16_t& port) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || !Hex(text.substr(colon + 1), port)) return false;
  const std::string_view hex = text.substr(0, colon);
  if (hex.size() != 8 && hex.size() != 32) return false;
  unsigned char bytes[16];
  for (size_t word = 0; word < hex.size() / 8; ++word) {
    uint32_t value = 0;
    if (!Hex(hex.substr(word * 8, 8), value)) return false;
    std::memcpy(bytes + word * 4, &value, 4);  // the kernel wrote each word in host order
  }
  char buffer[INET6_ADDRSTRLEN];
  if (inet_ntop(hex.size() == 8 ? AF_INET : AF_INET6, bytes, buffer, sizeof(buffer)) == nullptr) {
    return false;
  }
  const auto parsed = IpAddress::Parse(buffer);
  if (!parsed) return false;
  address = *parsed;
  return true;
}

std::string ReadBounded(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buffer[1 << 16];
  while (in && text.size() < kMaxProcNetBytes) {
    in.read(buffer, sizeof(buffer));
    text.append(buffer, static_cast<size_t>(in.gcount()));
  }
  return text;
}

}  // namespace

std::vector<TcpSocket> ParseProcNetTcp(std::string_view text) {
  std::vector<TcpSocket> sockets;
  while (!text.empty()) {
    std::string_view line = TakeLine(text);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    std::string_view fields[10];
    size_t count = 0;
    while (count < 10) {
      const size_t start = line.find_first_not_of(' ');
      if (start == std::string_view::npos) break;
      line = line.substr(start);
      const size_t end = line.find(' ');
      fields[count++] = line.substr(0, end);
      line = end == std::string_view::npos ? std::string_view() : line.substr(end);
    }
    if (count < 10 || !fields[0].ends_with(':')) continue;
    TcpSocket socket;
    unsigned state = 0;
    const auto [end, ec] =
        std::from_chars(fields[9].data(), fields[9].data() + fields[9].size(), socket.inode);
    if (!ParseEndpoint(fields[1], socket.local, socket.local_port) ||
        !ParseEndpoint(fields[2], socket.remote, socket.remote_port) || !Hex(fields[3], state) ||
        ec != std::errc() || end != fields[9].data() + fields[9].size()) {
      continue;
    }
    socket.state = static_cast<int>(state);
    sockets.push_back(socket);
  }
  return sockets;
}

std::vector<TcpSocket> ReadTcpSockets(const std::filesystem::path& proc_dir) {
  auto sockets = ParseProcNetTcp(ReadBounded(proc_dir / "net/tcp"));
  auto v6 = ParseProcNetTcp(ReadBounded(proc_dir / "net/tcp6"));
  sockets.insert(sockets.end(), v6.begin(), v6.end());
  return sockets;
}

std::vector<uint64_t> SocketInodes(const std::filesystem::path& proc_dir, int pid) {
  std::vector<uint64_t> inodes;
  std::error_code ec;
  std::filesystem::directory_iterator it(proc_dir / std::to_string(pid) / "fd", ec);
  size_t seen = 0;
  for (; !ec && it != std::filesystem::directory_iterator() && seen < kMaxFds;
       it.increment(ec), ++seen) {
    char target[64];
    const ssize_t n = readlink(it->path().c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    const std::string_view link(target, static_cast<size_t>(n));
    if (!link.starts_with("socket:[") || !link.ends_with(']')) continue;
    uint64_t inode = 0;
    const std::string_view digits = link.substr(8, link.size() - 9);
    const auto [end, parse_ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), inode);
    if (parse_ec == std::errc() && end == digits.data() + digits.size()) inodes.push_back(inode);
  }
  std::sort(inodes.begin(), inodes.end());
  return inodes;
}

}  // namespace irk::contain
