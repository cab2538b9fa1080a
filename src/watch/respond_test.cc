#include "watch/respond.h"

#include <gtest/gtest.h>

namespace irk::watch {
namespace {

Alert LoginAlert(std::string user, std::string addr, int64_t pid) {
  Alert alert;
  alert.rule = "locked-user";
  alert.user = std::move(user);
  alert.addr = std::move(addr);
  alert.pid = pid;
  alert.kill_session = true;
  alert.block_address = true;
  return alert;
}

// Only kills are planned here: no firewall, so no blocks.
TEST(Responder, KillsTheSessionOnceAndNeverTheOperators) {
  ResponseGuard guard;
  guard.operator_user = "admin";
  guard.operator_lineage = {1, 500, 600};
  Responder responder(nullptr, guard);
  std::vector<std::string> refused;
  auto plans = responder.Plans(LoginAlert("alice", "192.0.2.9", 4242), refused);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].action, "kill");
  EXPECT_EQ(plans[0].target, "4242");
  EXPECT_TRUE(responder.Plans(LoginAlert("alice", "192.0.2.9", 4242), refused).empty());
  EXPECT_TRUE(refused.empty());

  EXPECT_TRUE(responder.Plans(LoginAlert("admin", "192.0.2.9", 4300), refused).empty());
  EXPECT_TRUE(responder.Plans(LoginAlert("bob", "192.0.2.9", 500), refused).empty());
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_NE(refused[0].find("admin is the operator"), std::string::npos);
  EXPECT_NE(refused[1].find("the operator's own"), std::string::npos);
}

// Plans are only built here, never applied: the firewall is never run.
class UnusedFirewall : public contain::Firewall {
 public:
  Result<std::string> Run(std::string_view, bool) override { return Fail("not in a unit test"); }
};

TEST(Responder, BlocksEachAddressOnceButNeverTheOperators) {
  ResponseGuard guard;
  guard.addresses.operator_addresses = {*IpAddress::Parse("198.51.100.7")};
  Responder responder(std::make_shared<UnusedFirewall>(), guard);
  Alert alert;
  alert.rule = "burst";
  alert.block_address = true;
  std::vector<std::string> refused;
  alert.addr = "198.51.100.7";
  EXPECT_TRUE(responder.Plans(alert, refused).empty());
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("not blocking 198.51.100.7"), std::string::npos);

  alert.addr = "203.0.113.9";
  auto plans = responder.Plans(alert, refused);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].action, "block");
  EXPECT_EQ(plans[0].target, "203.0.113.9");
  EXPECT_TRUE(responder.Plans(alert, refused).empty());
}

}  // namespace
}  // namespace irk::watch
