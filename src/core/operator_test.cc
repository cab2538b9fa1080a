#include "core/operator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace irk {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n";

TEST(DescribeOperator, NamesTheLoginUserBehindSudo) {
  OperatorFacts facts;
  facts.euid = 0;
  facts.loginuid = 1000;
  facts.passwd = kPasswd;
  facts.sudo_user = "mallory";  // loginuid wins: the kernel's word over the environment's
  facts.tty_path = "/dev/pts/3";
  facts.ssh_connection = "198.51.100.4 50022 192.0.2.1 22";
  Operator op = DescribeOperator(facts);
  EXPECT_EQ(op.user, "root");
  EXPECT_EQ(op.login_user, "alice");
  EXPECT_EQ(op.terminal, "pts/3");
  EXPECT_EQ(op.ssh_source, "198.51.100.4");
}

TEST(DescribeOperator, FallsBackToSudoUserThenToTheEffectiveUser) {
  OperatorFacts facts;
  facts.passwd = kPasswd;
  facts.sudo_user = "alice";
  EXPECT_EQ(DescribeOperator(facts).login_user, "alice");
  facts.sudo_user.clear();
  EXPECT_EQ(DescribeOperator(facts).login_user, "root");
}

TEST(DescribeOperator, ShowsUnknownUidsAsNumbers) {
  OperatorFacts facts;
  facts.euid = 4242;
  EXPECT_EQ(DescribeOperator(facts).user, "4242");
}

TEST(Operator, ToJsonLeavesOutWhatIsUnknown) {
  OperatorFacts facts;
  facts.passwd = kPasswd;
  auto json = nlohmann::json::parse(DescribeOperator(facts).ToJson());
  EXPECT_EQ(json["user"], "root");
  EXPECT_FALSE(json.contains("terminal"));
  EXPECT_FALSE(json.contains("ssh_source"));
  EXPECT_FALSE(json.contains("loginuid"));
}

}  // namespace
}  // namespace irk
