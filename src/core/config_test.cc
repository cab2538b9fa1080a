#include "core/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk {
namespace {

TEST(ParseConfig, ReadsNestedKeysWithTheirTypes) {
  auto config = ParseConfig(R"(
[logins]
usual_logins = 5
check_hours = false
name = "x"
keep = ["10.0.0.0/8", "192.0.2.1"]
[integrity.rule.etc]
path = "/etc"
)",
                            "irk.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(*config->Integer("logins.usual_logins", 3, 1, 100), 5);
  EXPECT_EQ(*config->Boolean("logins.check_hours", true), false);
  EXPECT_EQ(*config->String("logins.name", ""), "x");
  EXPECT_EQ(config->Strings("logins.keep", {})->size(), 2u);
  EXPECT_NE(config->Find("integrity.rule.etc.path"), nullptr);
}

TEST(ParseConfig, GivesTheDefaultForAnAbsentKey) {
  auto config = ParseConfig("[logins]\n", "irk.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(*config->Integer("logins.usual_logins", 3, 1, 100), 3);
  EXPECT_EQ(*config->Integer("other.deep.key", 7, 1, 100), 7);
  EXPECT_EQ(*Config().Boolean("a.b", true), true);
}

TEST(ParseConfig, NamesFileKeyAndProblemForAWrongType) {
  auto config = ParseConfig("[logins]\nusual_logins = \"three\"\n", "/etc/irk/irk.toml");
  ASSERT_TRUE(config.ok());
  auto value = config->Integer("logins.usual_logins", 3, 1, 100);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message,
            "/etc/irk/irk.toml: logins.usual_logins: expected an integer from 1 to 100, found a "
            "string");
}

TEST(ParseConfig, RefusesAValueOutOfRange) {
  auto config = ParseConfig("[logins]\nusual_logins = 0\n", "irk.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->Integer("logins.usual_logins", 3, 1, 100).ok());
}

TEST(ParseConfig, GivesLineAndColumnOfASyntaxError) {
  auto config = ParseConfig("[logins]\nusual_logins = = 3\n", "irk.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.rfind("irk.toml:2:", 0), 0u) << config.error().message;
}

TEST(ParseConfig, RefusesCharactersItsTomlLibraryCannotReadSayingHowToWriteThem) {
  // U+FEEF and U+00FC: toml++ 3.3 would reach undefined behaviour on them.
  auto bad = ParseConfig("[logins]\nx = 1\xef\xbb\xaf\n", "irk.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "irk.toml:2:6: character U+FEEF cannot be read by the TOML library irk uses; in a "
            "double-quoted string write it as \\uFEEF");
  EXPECT_FALSE(ParseConfig("name = \"J\xc3\xbcrgen\"\n", "irk.toml").ok());
  auto good = ParseConfig("name = \"J\\u00FCrgen \xe6\x97\xa5\" # \xe2\x9c\x93\n", "irk.toml");
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(*good->String("name", ""), "J\xc3\xbcrgen \xe6\x97\xa5");
}

TEST(LoadConfig, UsesDefaultsWhenNoFileIsNamedAndTheDefaultIsMissing) {
  if (access(std::string(kDefaultConfigPath).c_str(), F_OK) == 0) GTEST_SKIP() << "host has one";
  auto config = LoadConfig(std::nullopt);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->source().empty());
}

TEST(LoadConfig, FailsWhenANamedFileIsMissing) {
  testing::TempDir dir;
  auto config = LoadConfig((dir.path() / "absent.toml").string());
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("absent.toml"), std::string::npos);
}

TEST(LoadConfig, RefusesAFileOthersCanWrite) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "irk.toml").string();
  std::ofstream(path) << "[logins]\n";
  chmod(path.c_str(), 0666);
  auto config = LoadConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("writable by others"), std::string::npos);
  chmod(path.c_str(), 0644);
  EXPECT_TRUE(LoadConfig(path).ok());
}

}  // namespace
}  // namespace irk
