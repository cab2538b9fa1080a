#include "report/mime.h"

#include <gtest/gtest.h>

namespace irk::report {
namespace {

TEST(EncodeHeaderText, KeepsPlainAsciiAsItIs) {
  EXPECT_EQ(EncodeHeaderText("[abuse] Unauthorized access from 203.0.113.7"),
            "[abuse] Unauthorized access from 203.0.113.7");
}

TEST(EncodeHeaderText, ShowsLineBreaksAsTextSoNoHeaderCanBeInjected) {
  const std::string value = EncodeHeaderText("web1\r\nBcc: victim@example.org");
  EXPECT_EQ(value, "web1\\x0d\\x0aBcc: victim@example.org");
}

TEST(EncodeHeaderText, EncodesNonAsciiAsWords) {
  EXPECT_EQ(EncodeHeaderText("w\xc3\xa9"
                             "b1"),
            "=?UTF-8?B?d8OpYjE=?=");
}

TEST(EncodeHeaderText, SplitsLongUtf8IntoFoldedWordsOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xc3\xa9";  // é
  const std::string value = EncodeHeaderText(text);
  EXPECT_EQ(value.substr(0, 10), "=?UTF-8?B?");
  EXPECT_NE(value.find("?=\r\n =?UTF-8?B?"), std::string::npos) << value;
  size_t start = 0;
  while (start < value.size()) {
    size_t end = value.find("\r\n", start);
    if (end == std::string::npos) end = value.size();
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
}

TEST(EncodeHeaderText, EncodesTextThatLooksLikeAnEncodedWord) {
  EXPECT_EQ(EncodeHeaderText("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

TEST(QuotedPrintable, EncodesEqualsHighBytesAndTrailingBlanks) {
  EXPECT_EQ(QuotedPrintable("a=b \xc3\xa9 \nend\t\n"), "a=3Db =C3=A9=20\r\nend=09\r\n");
}

TEST(QuotedPrintable, BreaksLongLinesSoftly) {
  const std::string out = QuotedPrintable(std::string(200, 'x') + "\n");
  EXPECT_EQ(out.substr(0, 77), std::string(75, 'x') + "=\r");
  EXPECT_EQ(out.size(), 200u + 2 * 3 + 2);
}

TEST(Base64Lines, WrapsAt76) {
  EXPECT_EQ(Base64Lines("hello"), "aGVsbG8=\r\n");
  EXPECT_EQ(Base64Lines(std::string(60, 'a')).find("\r\n"), 76u);
}

TEST(MailDate, WritesRfc5322InUtc) {
  EXPECT_EQ(MailDate(1795701600), "Thu, 26 Nov 2026 14:00:00 +0000");
  EXPECT_EQ(MailDate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

}  // namespace
}  // namespace irk::report
