#include "integrity/file_record.h"

#include <gtest/gtest.h>

namespace irk::integrity {
namespace {

FileRecord Sample() {
  FileRecord record;
  record.path = "/usr/bin/ls";
  record.attributes = kAllAttributes;
  record.type = FileType::kRegular;
  record.mode = 0755;
  record.size = 1000;
  record.mtime_ns = 1700000000123456789;
  record.ctime_ns = 1700000000123456789;
  record.inode = 42;
  record.links = 1;
  record.hash = "sha256:aa";
  return record;
}

std::vector<std::string> Names(const std::vector<AttributeChange>& changes) {
  std::vector<std::string> names;
  for (const auto& change : changes) names.push_back(change.attribute);
  return names;
}

TEST(Compare, FindsNothingInEqualRecords) { EXPECT_TRUE(Compare(Sample(), Sample()).empty()); }

TEST(Compare, ReportsEachAttributeTamperedWithOldAndNewValue) {
  struct Case {
    std::string attribute;
    void (*tamper)(FileRecord&);
  };
  const Case cases[] = {
      {"type", [](FileRecord& r) { r.type = FileType::kSymlink; }},
      {"mode", [](FileRecord& r) { r.mode = 04755; }},
      {"uid", [](FileRecord& r) { r.uid = 1000; }},
      {"gid", [](FileRecord& r) { r.gid = 1000; }},
      {"size", [](FileRecord& r) { r.size = 999; }},
      {"mtime", [](FileRecord& r) { r.mtime_ns += 1; }},
      {"ctime", [](FileRecord& r) { r.ctime_ns += 1; }},
      {"inode", [](FileRecord& r) { r.inode = 43; }},
      {"links", [](FileRecord& r) { r.links = 2; }},
      {"target", [](FileRecord& r) { r.target = "/tmp/x"; }},
      {"acl system.posix_acl_access",
       [](FileRecord& r) {
         r.xattrs = {{"system.posix_acl_access", "\x02"}};
       }},
      {"caps security.capability",
       [](FileRecord& r) {
         r.xattrs = {{"security.capability", "\x01\x02"}};
       }},
      {"selinux security.selinux",
       [](FileRecord& r) {
         r.xattrs = {{"security.selinux", std::string("unconfined_u:object_r:bin_t:s0\0", 31)}};
       }},
      {"xattrs user.x",
       [](FileRecord& r) {
         r.xattrs = {{"user.x", "1"}};
       }},
      {"hash", [](FileRecord& r) { r.hash = "sha256:bb"; }},
  };
  for (const Case& c : cases) {
    FileRecord now = Sample();
    c.tamper(now);
    const auto changes = Compare(Sample(), now);
    ASSERT_EQ(changes.size(), 1u) << c.attribute;
    EXPECT_EQ(changes[0].attribute, c.attribute);
    EXPECT_NE(changes[0].old_value, changes[0].new_value);
  }
}

TEST(Compare, ShowsModesInOctalAndLabelsAsText) {
  FileRecord now = Sample();
  now.mode = 04755;
  now.xattrs = {{"security.selinux", std::string("system_u:object_r:bin_t:s0\0", 27)}};
  const auto changes = Compare(Sample(), now);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].old_value, "0755");
  EXPECT_EQ(changes[0].new_value, "4755");
  EXPECT_EQ(changes[1].old_value, "(none)");
  EXPECT_EQ(changes[1].new_value, "system_u:object_r:bin_t:s0");
}

TEST(Compare, IgnoresAttributesTheBaselineDidNotAskFor) {
  FileRecord then = Sample();
  then.attributes = kMode | kHash;
  FileRecord now = Sample();
  now.uid = 7;
  now.mtime_ns = 0;
  EXPECT_TRUE(Compare(then, now).empty());
  now.mode = 0777;
  EXPECT_EQ(Names(Compare(then, now)), std::vector<std::string>{"mode"});
}

TEST(Compare, LetsAGrowingLogGrowButNotShrink) {
  FileRecord then = Sample();
  then.attributes = kMode | kSize | kHash | kMtime | kGrowing;
  FileRecord now = then;
  now.size = 5000;
  now.mtime_ns += 100;
  now.hash = "sha256:cc";
  EXPECT_TRUE(Compare(then, now).empty());
  now.size = 10;
  EXPECT_EQ(Names(Compare(then, now)), std::vector<std::string>{"size"});
}

TEST(Compare, IgnoresADirectorysSizeTimesAndLinks) {
  FileRecord then = Sample();
  then.type = FileType::kDirectory;
  then.hash.clear();
  FileRecord now = then;
  now.size = 8192;
  now.mtime_ns += 5;
  now.ctime_ns += 5;
  now.links = 9;
  EXPECT_TRUE(Compare(then, now).empty());
}

TEST(Compare, ReportsAnUnstableReadWithoutComparingItsHash) {
  FileRecord now = Sample();
  now.state = ReadState::kUnstable;
  now.problem = "changed while read, twice; no hash taken";
  now.hash.clear();
  const auto changes = Compare(Sample(), now);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].attribute, "state");
  EXPECT_EQ(changes[0].new_value, "unstable: changed while read, twice; no hash taken");
}

TEST(Xattrs, RoundTripThroughTheirStoredForm) {
  const std::vector<std::pair<std::string, std::string>> xattrs = {
      {"security.capability", std::string("\x00\x01\xff\n", 4)}, {"user.a\nb", ""}};
  const std::string text = EncodeXattrs(xattrs);
  EXPECT_EQ(DecodeXattrs(text), xattrs);
  EXPECT_FALSE(DecodeXattrs(std::string_view("name\0zz\n", 8)).has_value());
  EXPECT_FALSE(DecodeXattrs(std::string_view("name\0ab", 7)).has_value());
}

TEST(FormatNanoseconds, KeepsEveryDigit) {
  EXPECT_EQ(FormatNanoseconds(1700000000123456789), "2023-11-14T22:13:20.123456789+00:00");
}

}  // namespace
}  // namespace irk::integrity
