#include "core/passwd.h"

#include <gtest/gtest.h>

namespace irk {
namespace {

TEST(ParsePasswd, ReadsEveryField) {
  auto entries = ParsePasswd(
      "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/sh\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].name, "alice");
  EXPECT_EQ(entries[1].uid, 1000u);
  EXPECT_EQ(entries[1].gecos, "Alice,,,");
  EXPECT_EQ(entries[1].home, "/home/alice");
  EXPECT_EQ(entries[1].shell, "/bin/sh");
}

TEST(ParsePasswd, KeepsAnEmptyShellAndALastLineWithoutNewline) {
  auto entries = ParsePasswd("a:x:1:1:::");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].shell, "");
}

TEST(ParsePasswd, SkipsMalformedLines) {
  auto entries = ParsePasswd(
      "\n+::::::\nshort:x:1:1\nextra:x:1:1:g:/h:/s:more\nbad:x:uid:1:g:/h:/s\n"
      "neg:x:-1:1:g:/h:/s\nok:x:2:2:g:/h:/s\n");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "ok");
}

TEST(ParsePasswd, KeepsASecondUidZeroAccount) {
  auto entries = ParsePasswd("root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(FindByUid(entries, 0)->name, "root");
  EXPECT_EQ(FindByName(entries, "toor")->uid, 0u);
  EXPECT_FALSE(FindByName(entries, "nobody"));
}

}  // namespace
}  // namespace irk
