#include "respond/decisions.h"

#include <gtest/gtest.h>

namespace irk::respond {
namespace {

Result<Decisions> Read(std::string_view toml) {
  auto config = ParseConfig(toml, "plan.toml");
  if (!config.ok()) return config.error();
  return ReadDecisions(*config);
}

TEST(ReadDecisions, DefaultsAskForNothingButExplainingTheSuspects) {
  auto decisions = Read("");
  ASSERT_TRUE(decisions.ok()) << decisions.error().message;
  EXPECT_TRUE(decisions->skip.empty());
  EXPECT_TRUE(decisions->block.empty());
  EXPECT_TRUE(decisions->lock.empty());
  EXPECT_FALSE(decisions->isolate);
  EXPECT_EQ(decisions->entry, std::vector<std::string>{"suspects"});
  EXPECT_EQ(decisions->failure_threshold, 10);
}

TEST(ReadDecisions, ReadsEveryTable) {
  auto decisions = Read(R"(skip = ["hunt"]
[triage]
failures = 4
[contain]
block = ["suspects", "198.51.100.0/24"]
block_for = "2h"
lock = ["alice"]
kill = ["suspects"]
hosts_deny = true
[assess]
key_file = "/media/usb/irk.key"
packages = true
[watch]
duration = "1m"
respond = true
[recover]
from = ["/backups/daily.0"]
paths = ["/usr/bin/ls"]
[report]
out = "/root/incident"
whois = true
contacts = "/root/whois.json"
)");
  ASSERT_TRUE(decisions.ok()) << decisions.error().message;
  EXPECT_EQ(decisions->skip, std::set<std::string>{"hunt"});
  EXPECT_EQ(decisions->failure_threshold, 4);
  EXPECT_EQ(decisions->block, (std::vector<std::string>{"suspects", "198.51.100.0/24"}));
  EXPECT_EQ(decisions->block_for, "2h");
  EXPECT_EQ(decisions->lock, std::vector<std::string>{"alice"});
  EXPECT_TRUE(decisions->hosts_deny);
  EXPECT_EQ(decisions->key_file, "/media/usb/irk.key");
  EXPECT_TRUE(decisions->packages);
  EXPECT_EQ(decisions->watch_duration, "1m");
  EXPECT_TRUE(decisions->watch_respond);
  EXPECT_EQ(decisions->recover_from, std::vector<std::string>{"/backups/daily.0"});
  EXPECT_EQ(decisions->recover_paths, std::vector<std::string>{"/usr/bin/ls"});
  EXPECT_EQ(decisions->report_out, "/root/incident");
  EXPECT_TRUE(decisions->report_whois);
  EXPECT_EQ(decisions->report_contacts, "/root/whois.json");
}

TEST(ReadDecisions, NamesTheKeyOfAnUnknownStepOrAWrongType) {
  auto unknown = Read(R"(skip = ["dance"])");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("skip"), std::string::npos) << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("dance"), std::string::npos);
  auto wrong = Read("[contain]\nblock = \"192.0.2.1\"\n");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("contain.block"), std::string::npos)
      << wrong.error().message;
}

TEST(ExpandSuspects, ReplacesTheWordInPlaceWithoutRepeats) {
  EXPECT_EQ(ExpandSuspects({"192.0.2.1", "suspects", "192.0.2.9"}, {"192.0.2.9", "192.0.2.5"}),
            (std::vector<std::string>{"192.0.2.1", "192.0.2.9", "192.0.2.5"}));
  EXPECT_TRUE(ExpandSuspects({"suspects"}, {}).empty());
}

}  // namespace
}  // namespace irk::respond
