#include "logs/message_text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace irk::logs {
namespace {

TEST(ConsumePrefix, RemovesOnlyAWholePrefix) {
  std::string_view s = "Failed password";
  EXPECT_FALSE(ConsumePrefix(s, "Failed passwords"));
  EXPECT_FALSE(ConsumePrefix(s, "failed"));
  EXPECT_FALSE(ConsumePrefix(s, "Fail "));
  EXPECT_EQ(s, "Failed password");
  EXPECT_TRUE(ConsumePrefix(s, ""));
  EXPECT_TRUE(ConsumePrefix(s, "Failed "));
  EXPECT_EQ(s, "password");
  EXPECT_TRUE(ConsumePrefix(s, "password"));
  EXPECT_EQ(s, "");
  EXPECT_FALSE(ConsumePrefix(s, "p"));
}

TEST(ConsumeSuffix, RemovesOnlyAWholeSuffix) {
  std::string_view s = "port 22 [preauth]";
  EXPECT_FALSE(ConsumeSuffix(s, "x [preauth]"));
  EXPECT_FALSE(ConsumeSuffix(s, "[Preauth]"));
  EXPECT_FALSE(ConsumeSuffix(s, "2 preauth]"));
  EXPECT_EQ(s, "port 22 [preauth]");
  EXPECT_TRUE(ConsumeSuffix(s, ""));
  EXPECT_TRUE(ConsumeSuffix(s, " [preauth]"));
  EXPECT_EQ(s, "port 22");
  EXPECT_TRUE(ConsumeSuffix(s, "port 22"));
  EXPECT_EQ(s, "");
  EXPECT_FALSE(ConsumeSuffix(s, "2"));
}

TEST(FindLast, AnswersAsRfindDoesForEveryTextAndPosition) {
  // Every text of up to seven bytes over an alphabet that makes near misses,
  // every needle of two to four bytes over it, every position.
  const std::string alphabet = " fr";
  std::vector<std::string> texts = {""};
  for (size_t i = 0; i < texts.size() && texts[i].size() < 7; ++i) {
    for (char c : alphabet) texts.push_back(texts[i] + c);
  }
  for (std::string_view needle : {" f", "f ", " fr", "  ", " fr ", "rr r"}) {
    for (const std::string& text : texts) {
      for (size_t pos = 0; pos <= text.size() + 1; ++pos) {
        ASSERT_EQ(FindLast(text, needle, pos), std::string_view(text).rfind(needle, pos))
            << '"' << text << "\" for \"" << needle << "\" at " << pos;
      }
      ASSERT_EQ(FindLast(text, needle), std::string_view(text).rfind(needle));
    }
  }
  EXPECT_EQ(FindLast("user from x from 192.0.2.1 port 22", " from "), 11u);
  EXPECT_EQ(FindLast("user from x from 192.0.2.1 port 22", " from ", 10), 4u);
}

}  // namespace
}  // namespace irk::logs
