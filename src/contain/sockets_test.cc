#include "contain/sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace irk::contain {
namespace {

TEST(ParseProcNetTcp, ReadsAddressesPortsStateAndInode) {
  // As a little-endian kernel writes them.
  const std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
      "0 12345 1 0000000000000000 100 0 0 10 0\n"
      "   1: 0100007F:0016 077100CB:C822 01 00000000:00000000 02:0009F0BC 00000000     0        "
      "0 67890 2 0000000000000000 20 4 30 10 -1\n"
      "garbage line\n";
  const auto sockets = ParseProcNetTcp(text);
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(sockets[0].local.ToString(), "127.0.0.1");
  EXPECT_EQ(sockets[0].local_port, 22);
  EXPECT_EQ(sockets[0].state, kTcpListen);
  EXPECT_EQ(sockets[0].inode, 12345u);
  EXPECT_EQ(sockets[1].remote.ToString(), "203.0.113.7");
  EXPECT_EQ(sockets[1].remote_port, 51234);
  EXPECT_EQ(sockets[1].state, kTcpEstablished);
}

TEST(ReadTcpSockets, FindsThisProcesssListeningSocket) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t size = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  const uint16_t port = ntohs(address.sin_port);

  const auto inodes = SocketInodes("/proc", getpid());
  bool found = false;
  for (const auto& s : ReadTcpSockets("/proc")) {
    if (s.local_port == port && s.state == kTcpListen &&
        std::binary_search(inodes.begin(), inodes.end(), s.inode)) {
      found = true;
    }
  }
  close(fd);
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace irk::contain
