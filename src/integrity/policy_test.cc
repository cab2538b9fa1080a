#include "integrity/policy.h"

#include <gtest/gtest.h>

namespace irk::integrity {
namespace {

const Rule* FindRule(const Policy& policy, std::string_view path) {
  for (const Rule& rule : policy.rules) {
    if (rule.path == path) return &rule;
  }
  return nullptr;
}

TEST(DefaultPolicy, CoversBinariesLibrariesAndEtcWithEveryAttribute) {
  const Policy policy = DefaultPolicy();
  for (const char* path : {"/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/etc", "/boot",
                           "/root/.ssh", "/var/spool/cron"}) {
    const Rule* rule = FindRule(policy, path);
    ASSERT_NE(rule, nullptr) << path;
    EXPECT_EQ(rule->attributes, kAllAttributes) << path;
    EXPECT_EQ(rule->hash, HashAlgorithm::kSha256);
  }
  EXPECT_TRUE(policy.one_filesystem);
}

TEST(DefaultPolicy, TreatsLogsAsGrowing) {
  const Policy policy = DefaultPolicy();
  const Rule* logs = FindRule(policy, "/var/log");
  ASSERT_NE(logs, nullptr);
  EXPECT_NE(logs->attributes & kGrowing, 0u);
  EXPECT_EQ(logs->attributes & kHash, 0u);
}

TEST(PolicyFromConfig, WithoutRulesKeepsTheDefaultWithTheChosenHash) {
  auto config = ParseConfig("[integrity]\nhash = \"blake2b\"\n", "irk.toml");
  ASSERT_TRUE(config.ok());
  auto policy = PolicyFromConfig(*config);
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_EQ(FindRule(*policy, "/usr/bin")->hash, HashAlgorithm::kBlake2b);
}

TEST(PolicyFromConfig, ReadsRulesAttributesAndExcludes) {
  auto config = ParseConfig(R"(
[integrity]
exclude = ["*.tmp"]
one_filesystem = false
[[integrity.rule]]
path = "/srv/app/"
attributes = ["permissions", "hash"]
hash = "sha512"
exclude = ["/srv/app/cache"]
[[integrity.rule]]
path = "/opt"
)",
                            "irk.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto policy = PolicyFromConfig(*config);
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  ASSERT_EQ(policy->rules.size(), 2u);
  EXPECT_EQ(policy->rules[0].path, "/srv/app");
  EXPECT_EQ(policy->rules[0].attributes,
            AttributeSet{kType | kMode | kUid | kGid | kAcl | kCaps | kSelinux | kHash});
  EXPECT_EQ(policy->rules[0].hash, HashAlgorithm::kSha512);
  EXPECT_EQ(policy->rules[0].exclude, std::vector<std::string>{"/srv/app/cache"});
  EXPECT_EQ(policy->rules[1].attributes, kAllAttributes);
  EXPECT_EQ(policy->exclude, std::vector<std::string>{"*.tmp"});
  EXPECT_FALSE(policy->one_filesystem);
}

TEST(PolicyFromConfig, NamesTheFileAndKeyOfABadAttribute) {
  auto config =
      ParseConfig("[[integrity.rule]]\npath = \"/etc\"\nattributes = [\"colour\"]\n", "irk.toml");
  ASSERT_TRUE(config.ok());
  auto policy = PolicyFromConfig(*config);
  ASSERT_FALSE(policy.ok());
  EXPECT_NE(policy.error().message.find("irk.toml: integrity.rule[0].attributes: unknown "
                                        "attribute 'colour'"),
            std::string::npos)
      << policy.error().message;
}

TEST(PolicyFromConfig, RefusesARelativePathAndAnUnknownHash) {
  auto relative = ParseConfig("[[integrity.rule]]\npath = \"etc\"\n", "irk.toml");
  EXPECT_FALSE(PolicyFromConfig(*relative).ok());
  auto md5 = ParseConfig("[integrity]\nhash = \"md5\"\n", "irk.toml");
  auto policy = PolicyFromConfig(*md5);
  ASSERT_FALSE(policy.ok());
  EXPECT_NE(policy.error().message.find("sha256, sha512 or blake2b"), std::string::npos);
}

TEST(MatchesAny, MatchesPlainPathsSuffixesAndGlobs) {
  const std::vector<std::string> globs = {"/etc/mtab", "*.pyc", "/var/log/*.gz", "*/__pycache__"};
  EXPECT_TRUE(MatchesAny(globs, "/etc/mtab"));
  EXPECT_FALSE(MatchesAny(globs, "/etc/mtab2"));
  EXPECT_TRUE(MatchesAny(globs, "/usr/lib/python3/x.pyc"));
  EXPECT_TRUE(MatchesAny(globs, "/usr/lib/python3/__pycache__"));
  EXPECT_TRUE(MatchesAny(globs, "/var/log/syslog.2.gz"));
  EXPECT_FALSE(MatchesAny(globs, "/var/log/syslog"));
}

TEST(NarrowPolicy, GivesEachPathTheAttributesOfTheRuleAboveIt) {
  const Policy narrowed = NarrowPolicy(DefaultPolicy(), {"/var/log/auth.log", "/srv/"});
  ASSERT_EQ(narrowed.rules.size(), 2u);
  EXPECT_EQ(narrowed.rules[0].path, "/var/log/auth.log");
  EXPECT_NE(narrowed.rules[0].attributes & kGrowing, 0u);
  EXPECT_EQ(narrowed.rules[1].path, "/srv");
  EXPECT_EQ(narrowed.rules[1].attributes, kAllAttributes);
}

}  // namespace
}  // namespace irk::integrity
