#include "contain/isolate.h"

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "contain/undo.h"
#include "core/testing/temp_dir.h"

namespace irk::contain {
namespace {

TEST(IsolateTable, KeepsEachFamilyInItsSetAndTimesTheSwitch) {
  IsolateRequest request{{*Network::Parse("198.51.100.9"), *Network::Parse("2001:db8::/48")},
                         /*keep_dns=*/false,
                         120};
  const std::string table = IsolateTable(request);
  EXPECT_NE(
      table.find("set keep4 { type ipv4_addr; flags interval; elements = { 198.51.100.9 }; }"),
      std::string::npos)
      << table;
  EXPECT_NE(table.find("elements = { 2001:db8::/48 }"), std::string::npos);
  EXPECT_NE(table.find("ipv4 timeout 120s, ipv6 timeout 120s"), std::string::npos);
  EXPECT_EQ(table.find("dport 53"), std::string::npos);
  request.keep_dns = true;
  EXPECT_NE(IsolateTable(request).find("udp dport 53 accept"), std::string::npos);
}

// In a network namespace of the child's own: isolate for 2 s, check, let the
// switch fire; isolate again, confirm, undo.
std::string Scenario(const std::filesystem::path& dir) {
  auto opened = OpenNftables();
  if (!opened.ok()) return opened.error().message;
  std::shared_ptr<Firewall> firewall = std::move(*opened);
  auto store = CaseStore::Open(dir / "case", Actor{"{}", "test"});
  std::string seen;
  const IsolateRequest request{{*Network::Parse("10.77.1.2")}, false, 2};
  auto first = ApplyPlan(*store, PlanIsolate(firewall, request), nullptr);
  if (!first.ok()) return first.error().message;
  auto state = ReadIsolation(*firewall);
  seen += first->steps[0].outcome + (state.active && state.lifts_in ? " timed" : " not-timed");
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  seen += ReadIsolation(*firewall).active ? " still-active" : " lifted";
  auto late = ApplyPlan(*store, PlanConfirmIsolation(firewall), nullptr);
  seen += " confirm-late:" + late->steps[0].outcome;
  auto files = HostFiles::Open("/");
  const Reverter revert = [&](std::string_view recipe) {
    return Revert(*files, firewall.get(), recipe);
  };
  (void)UndoAction(*store, *first, revert, nullptr);

  auto second = ApplyPlan(*store, PlanIsolate(firewall, request), nullptr);
  auto confirmed = ApplyPlan(*store, PlanConfirmIsolation(firewall), nullptr);
  state = ReadIsolation(*firewall);
  seen += " confirm:" + confirmed->steps[0].outcome +
          (state.active && !state.lifts_in ? " permanent" : " not-permanent");
  auto undone = UndoAction(*store, *second, revert, nullptr);
  seen += undone->undone && !ReadIsolation(*firewall).active ? " undone" : " not-undone";
  return seen;
}

TEST(Isolate, LiftsItselfUnlessConfirmedAndUndoes) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: a network namespace with its own nftables";
  testing::TempDir dir;
  const pid_t child = fork();
  if (child == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(2);
    std::ofstream(dir.path() / "result") << Scenario(dir.path());
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::ifstream in(dir.path() / "result");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}),
            "applied timed lifted confirm-late:failed confirm:applied permanent undone");
}

}  // namespace
}  // namespace irk::contain
