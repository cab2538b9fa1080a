#include "core/sockets.h"

#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "core/testing/loopback.h"

namespace irk {
namespace {

constexpr std::string_view kHeader =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n";

TEST(ParseProcNetTcp, ReadsAnEstablishedIpv4Connection) {
  if (BYTE_ORDER != LITTLE_ENDIAN) GTEST_SKIP() << "sample written by a little-endian host";
  const std::string text = std::string(kHeader) +
                           "   3: 01004D0A:0016 02014D0A:DEB6 01 00000000:00000000 02:000AFB76 "
                           "00000000     0        0 3332439 2 0000000099fb6abd 20 4 14 20 -1\n";
  const auto sockets = ParseProcNetTcp(text);
  ASSERT_EQ(sockets.size(), 1u);
  EXPECT_EQ(sockets[0].local.ToString(), "10.77.0.1");
  EXPECT_EQ(sockets[0].local_port, 22);
  EXPECT_EQ(sockets[0].remote.ToString(), "10.77.1.2");
  EXPECT_EQ(sockets[0].remote_port, 0xDEB6);
  EXPECT_EQ(sockets[0].state, kTcpEstablished);
  EXPECT_EQ(sockets[0].inode, 3332439u);
  EXPECT_FALSE(sockets[0].v6);
}

TEST(ParseProcNetTcp, ReadsIpv6AndShowsAMappedAddressAsIpv4) {
  if (BYTE_ORDER != LITTLE_ENDIAN) GTEST_SKIP() << "sample written by a little-endian host";
  const std::string text =
      std::string(kHeader) +
      "   0: B80D0120000000000000000001000000:0016 00000000000000000000000000000000:0000 0A "
      "00000000:00000000 00:00000000 00000000     0        0 41 1 0 100 0 0 10 0\n"
      "   1: 0000000000000000FFFF00000100007F:0016 0000000000000000FFFF000002014D0A:C350 01 "
      "00000000:00000000 00:00000000 00000000  1001        0 42 1 0 100 0 0 10 0\n";
  const auto sockets = ParseProcNetTcp(text);
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(sockets[0].local.ToString(), "2001:db8::1");
  EXPECT_TRUE(sockets[0].v6);
  EXPECT_TRUE(sockets[1].v6);  // a mapped address, shown as IPv4, of an IPv6 socket
  EXPECT_EQ(sockets[0].state, kTcpListen);
  EXPECT_EQ(sockets[1].remote.ToString(), "10.77.1.2");
  EXPECT_TRUE(sockets[1].remote.is_v4());
  EXPECT_EQ(sockets[1].remote_port, 50000);
  EXPECT_EQ(sockets[1].uid, 1001u);
}

TEST(ParseProcNetTcp, SkipsMalformedLines) {
  const std::string text = std::string(kHeader) +
                           "   0: 0100007F:0016 nonsense 01 0:0 0:0 0 0 0 7\n"
                           "   1: 0100007F:0016 0100007F:1\n"
                           "   2: 0100007F:0016 0100007F:00001 01 0:0 0:0 0 0 0 7\n"
                           "   3: 0100007F0:0016 0100007F:0001 01 0:0 0:0 0 0 0 7\n";
  EXPECT_TRUE(ParseProcNetTcp(text).empty());
}

TEST(ParseSocketLink, TakesOnlySocketLinks) {
  EXPECT_EQ(ParseSocketLink("socket:[3332439]"), 3332439u);
  EXPECT_EQ(ParseSocketLink("pipe:[12]"), std::nullopt);
  EXPECT_EQ(ParseSocketLink("socket:[]"), std::nullopt);
  EXPECT_EQ(ParseSocketLink("socket:[12x]"), std::nullopt);
  EXPECT_EQ(ParseSocketLink("/tmp/socket:[12]"), std::nullopt);
}

// A loopback listener of this process appears in both reads, joined by inode.
TEST(ReadTcpSockets, FindsThisProcessListenerByItsInode) {
  std::vector<uint64_t> inodes;
  std::vector<TcpSocket> sockets;
  uint16_t port = 0;
  {
    testing::LoopbackListener listener;
    port = listener.port();
    inodes = ReadSocketInodes("/proc", getpid());
    sockets = ReadTcpSockets("/proc", getpid());
  }
  const auto mine = std::find_if(sockets.begin(), sockets.end(), [&](const TcpSocket& s) {
    return s.state == kTcpListen && s.local_port == port && s.local.ToString() == "127.0.0.1";
  });
  ASSERT_NE(mine, sockets.end());
  EXPECT_TRUE(std::binary_search(inodes.begin(), inodes.end(), mine->inode));
}

TEST(ReadSocketInodes, IsEmptyForAProcessThatDoesNotExist) {
  EXPECT_TRUE(ReadSocketInodes("/proc", -5).empty());
  EXPECT_TRUE(ReadTcpSockets("/nonexistent", 1).empty());
}

}  // namespace
}  // namespace irk
