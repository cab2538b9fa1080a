#include "hunt/network.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/testing/loopback.h"

namespace irk::hunt {
namespace {

TEST(ParseProcNetPacket, ReadsProtocolInterfaceUserAndInode) {
  const auto sockets = ParseProcNetPacket(
      "sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n"
      "ffff888003c4d800 3      3    0003   2     1 0      0      41234\n"
      "ffff888003c4e000 3      2    0800   0     1 0      101    41235\n"
      "garbage line\n");
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(sockets[0].protocol, kEthAllProtocols);
  EXPECT_EQ(sockets[0].ifindex, 2);
  EXPECT_EQ(sockets[0].inode, 41234u);
  EXPECT_EQ(sockets[1].protocol, 0x0800);
  EXPECT_EQ(sockets[1].uid, 101u);
}

TEST(ParseInterfaceFlags, ReadsTheHexFlags) {
  EXPECT_EQ(ParseInterfaceFlags("0x1103\n"), 0x1103u);
  EXPECT_EQ(ParseInterfaceFlags("1103"), std::nullopt);
  EXPECT_EQ(ParseInterfaceFlags("0xzz"), std::nullopt);
}

// A child in a network namespace of its own opens a capture socket for every
// protocol, as tcpdump does; the hunt, from the root namespace, finds it and
// names the child.
TEST(HuntNetwork, FindsACaptureInAnotherNetworkNamespaceWithItsProcess) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: a network namespace and a packet socket";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  if (child == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(1);
    const int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (s < 0) _exit(2);
    const char byte = 'x';
    if (write(ready[1], &byte, 1) != 1) _exit(3);
    pause();
    _exit(0);
  }
  char byte = 0;
  close(ready[1]);
  ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the child could not open its socket";
  const std::vector<Finding> found = HuntNetwork("/proc", "/sys", ReadProcesses("/proc"));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  bool seen = false;
  for (const Finding& f : found) {
    if (f.kind == "sniffer" && f.pid == child) {
      seen = true;
      EXPECT_EQ(f.severity, Severity::kHigh) << f.summary;
    }
  }
  EXPECT_TRUE(seen) << "no sniffer finding for pid " << child;
}

TEST(HuntNetwork, ListsALoopbackListenerWithThisProcess) {
  std::vector<Finding> found;
  {
    testing::LoopbackListener listener;
    found = HuntNetwork("/proc", "/sys", ReadProcesses("/proc"));
  }
  bool seen = false;
  for (const Finding& f : found) seen |= f.kind == "listener" && f.pid == getpid();
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace irk::hunt
