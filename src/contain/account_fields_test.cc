#include "contain/account_fields.h"

#include <gtest/gtest.h>

namespace irk::contain {
namespace {

const std::string kShadow =
    "root:$y$j9T$root:19000:0:99999:7:::\n"
    "ali:$y$j9T$ali:19001:0:99999:7:::\n"
    "alice:$y$j9T$abc:19002:0:99999:7:::\n"
    "bob:*:19003:0:99999:7:::";  // no final newline

TEST(AccountField, FindsTheLineOfExactlyThatName) {
  EXPECT_EQ(AccountField(kShadow, "alice", 2), "$y$j9T$abc");
  EXPECT_EQ(AccountField(kShadow, "ali", 2), "$y$j9T$ali");
  EXPECT_EQ(AccountField(kShadow, "alice", 8), "");
  EXPECT_EQ(AccountField(kShadow, "bob", 9), "");
  EXPECT_EQ(AccountField(kShadow, "bob", 10), std::nullopt);
  EXPECT_EQ(AccountField(kShadow, "carol", 1), std::nullopt);
  EXPECT_EQ(AccountField(kShadow, "", 1), std::nullopt);
}

TEST(SetAccountField, ChangesOneFieldAndKeepsEveryOtherByte) {
  const auto edited = SetAccountField(kShadow, "alice", 8, "1");
  ASSERT_TRUE(edited);
  std::string expected = kShadow;
  const size_t at = expected.find("alice:$y$j9T$abc:19002:0:99999:7::") +
                    std::string("alice:$y$j9T$abc:19002:0:99999:7::").size();
  expected.insert(at, "1");
  EXPECT_EQ(*edited, expected);
  const auto last = SetAccountField(kShadow, "bob", 2, "!*");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->ends_with("bob:!*:19003:0:99999:7:::"));
}

TEST(SetAccountField, RefusesValuesThatWouldAddAFieldOrALine) {
  EXPECT_EQ(SetAccountField(kShadow, "alice", 7, "1:2"), std::nullopt);
  EXPECT_EQ(SetAccountField(kShadow, "alice", 7, "1\nroot::0:0::/:/bin/sh"), std::nullopt);
}

TEST(LockedPassword, PutsOneBangInFront) {
  EXPECT_EQ(LockedPassword("$y$abc"), "!$y$abc");
  EXPECT_EQ(LockedPassword("!$y$abc"), "!$y$abc");
  EXPECT_EQ(LockedPassword(""), "!");
}

}  // namespace
}  // namespace irk::contain
