#include "contain/sockets.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

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
    socket.v6 = fields[1].size() > 16;
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

Status DestroySocket(const TcpSocket& socket) {
  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return Fail(fmt::format("sock_diag: {}", std::strerror(errno)));
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof(message);
  message.header.nlmsg_type = SOCK_DESTROY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  auto& request = message.request;
  request.sdiag_family = socket.v6 ? AF_INET6 : AF_INET;
  request.sdiag_protocol = IPPROTO_TCP;
  request.idiag_states = ~0u;
  request.id.idiag_sport = htons(socket.local_port);
  request.id.idiag_dport = htons(socket.remote_port);
  request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  // The kernel wants the address as the socket holds it: 4 bytes for IPv4,
  // 16 for IPv6, an IPv4-mapped one as ::ffff:a.b.c.d.
  auto put = [&socket](const IpAddress& address, uint32_t* out) {
    std::array<uint8_t, 16> bytes = address.bytes();
    if (!socket.v6) {
      std::memcpy(out, bytes.data() + 12, 4);
      return;
    }
    if (address.is_v4()) bytes[10] = bytes[11] = 0xff;
    std::memcpy(out, bytes.data(), 16);
  };
  put(socket.local, request.id.idiag_src);
  put(socket.remote, request.id.idiag_dst);
  Status status;
  if (send(fd, &message, sizeof(message), 0) < 0) {
    status = Fail(fmt::format("sock_diag: {}", std::strerror(errno)));
  } else {
    char reply[512];
    const ssize_t n = recv(fd, reply, sizeof(reply), 0);
    const auto* header = reinterpret_cast<const nlmsghdr*>(reply);
    if (n < static_cast<ssize_t>(sizeof(nlmsghdr) + sizeof(nlmsgerr))) {
      status = Fail("sock_diag: short answer");
    } else if (header->nlmsg_type == NLMSG_ERROR) {
      const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(header));
      if (error->error != 0) {
        status = Fail(fmt::format("destroy the socket {}:{} <- {}:{}: {}", socket.local.ToString(),
                                  socket.local_port, socket.remote.ToString(), socket.remote_port,
                                  std::strerror(-error->error)));
      }
    }
  }
  close(fd);
  return status;
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
