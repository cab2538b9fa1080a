#include "contain/sockets.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace irk::contain {

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

}  // namespace irk::contain
