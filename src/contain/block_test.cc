#include "contain/block.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "contain/undo.h"
#include "core/testing/temp_dir.h"

namespace irk::contain {
namespace {

Network Net(const char* text) { return *Network::Parse(text); }
IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(RefuseBlock, NeverAWholeFamilyOrTheHostItself) {
  Protected guard{{Ip("198.51.100.9")}, {Ip("192.0.2.10"), Ip("127.0.0.1"), Ip("::1")}};
  EXPECT_TRUE(RefuseBlock(Net("0.0.0.0/0"), guard, /*force=*/true));
  EXPECT_TRUE(RefuseBlock(Net("::/0"), guard, true));
  EXPECT_TRUE(RefuseBlock(Net("192.0.2.0/24"), guard, true));
  EXPECT_TRUE(RefuseBlock(Net("127.0.0.0/8"), guard, true));
  EXPECT_FALSE(RefuseBlock(Net("203.0.113.0/24"), guard, false));
  EXPECT_FALSE(RefuseBlock(Net("2001:db8::/32"), guard, false));
}

TEST(RefuseBlock, TheOperatorsAddressOnlyWithForce) {
  Protected guard{{Ip("198.51.100.9")}, {}};
  const auto refusal = RefuseBlock(Net("198.51.100.0/24"), guard, false);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("operator"), std::string::npos);
  EXPECT_FALSE(RefuseBlock(Net("198.51.100.0/24"), guard, true));
}

TEST(ElementText, KeepsTheCommentInsideItsQuotes) {
  EXPECT_EQ(ElementText(Net("203.0.113.7"), 3600, "brute force, case 12"),
            "203.0.113.7 timeout 3600s comment \"brute force, case 12\"");
  EXPECT_EQ(ElementText(Net("2001:db8::/32"), std::nullopt, "\"; flush ruleset; \""),
            "2001:db8::/32 comment \" flush ruleset \"");
  EXPECT_EQ(ElementText(Net("203.0.113.7"), std::nullopt, ""), "203.0.113.7");
}

TEST(ParseBlockedNetworks, ReadsPlainPrefixAndTimedElements) {
  const std::string json =
      R"({"nftables": [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "inet", "name": "irk"}},)"
      R"( {"set": {"family": "inet", "name": "block4", "table": "irk", "elem": ["198.51.100.7",)"
      R"( {"elem": {"val": {"prefix": {"addr": "203.0.113.0", "len": 24}}, "timeout": 3600,)"
      R"( "expires": 3599, "comment": "x y"}}]}}, {"set": {"family": "inet", "name": "block6",)"
      R"( "table": "irk", "elem": [{"elem": {"val": {"prefix": {"addr": "2001:db8::", "len": 32}},)"
      R"( "timeout": 1800, "expires": 1799}}]}}]})";
  const auto blocked = ParseBlockedNetworks(json);
  ASSERT_EQ(blocked.size(), 3u);
  EXPECT_EQ(blocked[0].network, "198.51.100.7");
  EXPECT_FALSE(blocked[0].expires_in);
  EXPECT_EQ(blocked[1].network, "203.0.113.0/24");
  EXPECT_EQ(blocked[1].expires_in, 3599);
  EXPECT_EQ(blocked[1].comment, "x y");
  EXPECT_EQ(blocked[2].network, "2001:db8::/32");
  EXPECT_TRUE(ParseBlockedNetworks("not json").empty());
}

TEST(ParseDroppedSources, ReadsTheCountersOfEachDroppedSourceOnly) {
  const std::string json =
      R"({"nftables": [{"metainfo": {"version": "1.0.6"}}, {"set": {"family": "inet",)"
      R"( "name": "block4", "table": "irk", "elem": ["10.9.0.0/30"]}}, {"set": {"family": "inet",)"
      R"( "name": "dropped4", "table": "irk", "elem": [{"elem": {"val": "10.9.0.2", "expires": 86398,)"
      R"( "counter": {"packets": 3, "bytes": 180}}}, {"elem": {"val": "10.9.0.1", "counter":)"
      R"( {"packets": 1, "bytes": 60}}}, {"elem": {"val": "10.9.0.3"}}, "10.9.0.4"]}},)"
      R"( {"set": {"family": "inet", "name": "dropped6", "table": "irk", "elem": [{"elem":)"
      R"( {"val": "2001:db8::9", "counter": {"packets": 7, "bytes": -1}}}]}}]})";
  const auto dropped = ParseDroppedSources(json);
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].address, "10.9.0.1");
  EXPECT_EQ(dropped[1].address, "10.9.0.2");
  EXPECT_EQ(dropped[1].packets, 3u);
  EXPECT_EQ(dropped[1].bytes, 180u);
  // The dropped sources are not blocked networks.
  const auto blocked = ParseBlockedNetworks(json);
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(blocked[0].network, "10.9.0.0/30");
  EXPECT_TRUE(ParseDroppedSources("[]").empty());
}

TEST(HostsDenyPattern, PutsIpv6InBrackets) {
  EXPECT_EQ(HostsDenyPattern(Net("203.0.113.0/24")), "203.0.113.0/24");
  EXPECT_EQ(HostsDenyPattern(Net("203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(HostsDenyPattern(Net("2001:db8::/32")), "[2001:db8::]/32");
  EXPECT_EQ(HostsDenyPattern(Net("2001:db8::7")), "[2001:db8::7]");
}

TEST(PlanHostsDeny, AddsLinesNamesTheWrappedDaemonsAndUndoes) {
  testing::TempDir dir;
  const auto img = dir.path() / "img";
  std::filesystem::create_directories(img / "etc");
  std::filesystem::create_directories(img / "usr/sbin");
  const std::string deny = "# /etc/hosts.deny\nALL: 192.0.2.1";  // no final newline
  std::ofstream(img / "etc/hosts.deny") << deny;
  std::ofstream(img / "usr/sbin/sshd") << std::string(
      "\x7f"
      "ELF....libwrap.so.0\0libc.so.6",
      27);
  std::ofstream(img / "usr/sbin/vsftpd") << "\x7f"
                                            "ELF....libc.so.6";
  auto files = std::make_shared<const HostFiles>(std::move(HostFiles::Open(img)).value());
  const auto plan =
      PlanHostsDeny(files, *Root::Open(img), {Net("203.0.113.7"), Net("2001:db8::/32")});
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("here /usr/sbin/sshd"), std::string::npos) << plan.notes[0];
  EXPECT_NE(plan.notes[0].find("NOT by /usr/sbin/vsftpd"), std::string::npos) << plan.notes[0];

  auto store = CaseStore::Open(dir.path() / "case", Actor{"{}", "test"});
  auto action = ApplyPlan(*store, plan, nullptr);
  ASSERT_TRUE(action.ok());
  std::ifstream in(img / "etc/hosts.deny");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}),
            deny + "\nALL: 203.0.113.7\nALL: [2001:db8::]/32\n");
  auto again = ApplyPlan(*store, plan, nullptr);
  EXPECT_EQ(again->steps[0].outcome, "already");

  auto undone = UndoAction(
      *store, *action, [&](std::string_view recipe) { return Revert(*files, nullptr, recipe); },
      nullptr);
  ASSERT_TRUE(undone.ok());
  EXPECT_TRUE(undone->undone);
  std::ifstream back(img / "etc/hosts.deny");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(back), {}), deny);
}

// Runs `scenario` in a child process inside a network namespace of its own
// (nothing of it reaches the host's firewall) and returns what it wrote.
std::string InPrivateNetns(std::string (*scenario)(const std::filesystem::path&),
                           const std::filesystem::path& dir) {
  const auto out = dir / "result";
  const pid_t child = fork();
  if (child == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(2);
    // Bring up loopback in the new namespace.
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    request.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &request) != 0) _exit(3);
    close(fd);
    std::ofstream(out) << scenario(dir);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "child failed";
  std::ifstream in(out);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class BlockInNamespace : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: a network namespace with its own nftables";
  }
  testing::TempDir dir_;
};

// Block, block again, list, undo; one line per observation.
std::string BlockTwiceAndUndo(const std::filesystem::path& dir) {
  std::string seen;
  auto opened = OpenNftables();
  if (!opened.ok()) return "no nftables: " + opened.error().message;
  std::shared_ptr<Firewall> firewall = std::move(*opened);
  auto store = CaseStore::Open(dir / "case", Actor{"{}", "test"});
  if (!store.ok()) return store.error().message;
  const BlockRequest request{{Net("203.0.113.0/24"), Net("2001:db8::7")}, 600, "test"};
  auto first = ApplyPlan(*store, PlanBlock(firewall, request), nullptr);
  if (!first.ok()) return first.error().message;
  for (const auto& step : first->steps) seen += step.outcome + " ";
  seen += "|";
  auto second = ApplyPlan(*store, PlanBlock(firewall, request), nullptr);
  for (const auto& step : second->steps) seen += step.outcome + " ";
  seen += "|";
  for (const auto& b : ParseBlockedNetworks(*firewall->Run("list table inet irk", true))) {
    seen += b.network + (b.expires_in ? " timed " : " ");
  }
  seen += "|";
  auto files = HostFiles::Open("/");
  auto undone = UndoAction(
      *store, *first,
      [&](std::string_view recipe) { return Revert(*files, firewall.get(), recipe); }, nullptr);
  seen += undone.ok() && undone->undone ? "undone" : "not undone";
  seen += firewall->Run("list table inet irk").ok() ? " table-left" : " table-gone";
  return seen;
}

TEST_F(BlockInNamespace, BlocksOnceListsAndUndoes) {
  EXPECT_EQ(InPrivateNetns(BlockTwiceAndUndo, dir_.path()),
            "applied applied applied already |already already already already |"
            "203.0.113.0/24 timed 2001:db8::7 timed |undone table-gone");
}

// A loopback connection in the private namespace, cut by blocking 127.0.0.1.
std::string CutAConnection(const std::filesystem::path& dir) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener, 1) != 0) {
    return "listen failed";
  }
  socklen_t size = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return "connect failed";
  }
  const int served = accept(listener, nullptr, nullptr);
  auto opened = OpenNftables();
  if (!opened.ok()) return opened.error().message;
  auto store = CaseStore::Open(dir / "case", Actor{"{}", "test"});
  auto action = ApplyPlan(
      *store,
      PlanBlock(std::shared_ptr<Firewall>(std::move(*opened)), {{Net("127.0.0.1")}, {}, ""}),
      nullptr);
  if (!action.ok()) return action.error().message;
  const auto& cut = action->steps.back();
  char byte = 0;
  const ssize_t got = recv(client, &byte, 1, 0);
  const bool reset = got < 0 || got == 0;
  close(served);
  close(client);
  close(listener);
  return cut.outcome + (reset ? " reset" : " still open") +
         (cut.detail.find("served by") != std::string::npos ? " named" : " unnamed");
}

TEST_F(BlockInNamespace, CutsEstablishedConnectionsAndNamesWhoServedThem) {
  EXPECT_EQ(InPrivateNetns(CutAConnection, dir_.path()), "applied reset named");
}

// 127.0.0.2 blocked, then a connection from it to 127.0.0.1: its SYN is
// dropped on the way in, and counted for 127.0.0.2.
std::string CountADroppedSource(const std::filesystem::path& dir) {
  auto opened = OpenNftables();
  if (!opened.ok()) return opened.error().message;
  std::shared_ptr<Firewall> firewall = std::move(*opened);
  auto store = CaseStore::Open(dir / "case", Actor{"{}", "test"});
  auto action = ApplyPlan(*store, PlanBlock(firewall, {{Net("127.0.0.2")}, {}, ""}), nullptr);
  if (!action.ok()) return action.error().message;
  const int client = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  from.sin_addr.s_addr = htonl(0x7f000002);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(client, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) return "bind failed";
  connect(client, reinterpret_cast<sockaddr*>(&to), sizeof(to));  // EINPROGRESS: the SYN is out
  usleep(100 * 1000);
  close(client);
  auto listed = firewall->Run("list set inet irk dropped4", /*json=*/true);
  if (!listed.ok()) return listed.error().message;
  std::string seen;
  for (const auto& source : ParseDroppedSources(*listed)) {
    seen += source.address + (source.packets > 0 && source.bytes > 0 ? " counted" : " zero");
  }
  return seen;
}

TEST_F(BlockInNamespace, CountsThePacketsItDropsPerSource) {
  EXPECT_EQ(InPrivateNetns(CountADroppedSource, dir_.path()), "127.0.0.2 counted");
}

}  // namespace
}  // namespace irk::contain
