#include "core/text.h"

#include <string>

#include <gtest/gtest.h>

namespace irk {
namespace {

std::string Bytes(const char* s, size_t n) { return std::string(s, n); }

TEST(EscapeForTerminal, LeavesPlainAsciiAlone) {
  EXPECT_EQ(EscapeForTerminal(""), "");
  EXPECT_EQ(EscapeForTerminal("root from 192.0.2.7 port 22"), "root from 192.0.2.7 port 22");
}

TEST(EscapeForTerminal, LeavesValidMultiByteTextAlone) {
  EXPECT_EQ(EscapeForTerminal("café"), "café");
  EXPECT_EQ(EscapeForTerminal("日本語"), "日本語");
  EXPECT_EQ(EscapeForTerminal("\xf0\x9f\x94\x91 key"), "\xf0\x9f\x94\x91 key");
  EXPECT_EQ(EscapeForTerminal("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");  // U+10FFFF
}

TEST(EscapeForTerminal, ShowsAnsiEscapeAsHex) {
  EXPECT_EQ(EscapeForTerminal("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(EscapeForTerminal("a\x1b]0;pwned\x07"), "a\\x1b]0;pwned\\x07");
}

TEST(EscapeForTerminal, ShowsCarriageReturnTabAndNewline) {
  EXPECT_EQ(EscapeForTerminal("ok\rroot"), "ok\\x0droot");
  EXPECT_EQ(EscapeForTerminal("a\tb\nc"), "a\\x09b\\x0ac");
}

TEST(EscapeForTerminal, ShowsEmbeddedNul) {
  EXPECT_EQ(EscapeForTerminal(Bytes("ro\0ot", 5)), "ro\\x00ot");
}

TEST(EscapeForTerminal, ShowsDelete) { EXPECT_EQ(EscapeForTerminal("a\x7f"), "a\\x7f"); }

TEST(EscapeForTerminal, ShowsBothBytesOfC1Controls) {
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"
                              "2J"),
            "\\xc2\\x9b2J");  // U+009B is a one-character CSI
  EXPECT_EQ(EscapeForTerminal("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
  EXPECT_EQ(EscapeForTerminal("\xc2\xa0"), "\xc2\xa0");  // no-break space is printable
}

TEST(EscapeForTerminal, ShowsBidiControls) {
  EXPECT_EQ(EscapeForTerminal("evil\xe2\x80\xaetxt.exe"), "evil\\xe2\\x80\\xaetxt.exe");
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\x8e\xe2\x80\x8f"), "\\xe2\\x80\\x8e\\xe2\\x80\\x8f");
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xaa\xe2\x80\xac"), "\\xe2\\x80\\xaa\\xe2\\x80\\xac");
  EXPECT_EQ(EscapeForTerminal("\xe2\x81\xa6\xe2\x81\xa9"), "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
  EXPECT_EQ(EscapeForTerminal("\xd8\x9c"), "\\xd8\\x9c");  // U+061C arabic letter mark
}

TEST(EscapeForTerminal, ShowsLineAndParagraphSeparators) {
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xa8\xe2\x80\xa9"), "\\xe2\\x80\\xa8\\xe2\\x80\\xa9");
}

TEST(EscapeForTerminal, ShowsInvisibleCharactersThatHideInNames) {
  EXPECT_EQ(EscapeForTerminal("ro\xe2\x80\x8bot"), "ro\\xe2\\x80\\x8bot");   // zero-width space
  EXPECT_EQ(EscapeForTerminal("\xef\xbb\xbfroot"), "\\xef\\xbb\\xbfroot");   // U+FEFF
  EXPECT_EQ(EscapeForTerminal("ro\xc2\xadot"), "ro\\xc2\\xadot");            // soft hyphen
  EXPECT_EQ(EscapeForTerminal("\xf3\xa0\x80\x81"), "\\xf3\\xa0\\x80\\x81");  // tag U+E0001
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\x90"), "\xe2\x80\x90");  // hyphen U+2010 is visible
}

TEST(EscapeForTerminal, ShowsEveryByteOfOverlongEncodings) {
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf"), "\\xc0\\xaf");
  EXPECT_EQ(EscapeForTerminal("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
  EXPECT_EQ(EscapeForTerminal("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
  EXPECT_EQ(EscapeForTerminal("\xc1\xbf"), "\\xc1\\xbf");
}

TEST(EscapeForTerminal, ShowsEveryByteOfEncodedSurrogates) {
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(EscapeForTerminal("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
  EXPECT_EQ(EscapeForTerminal("\xed\x9f\xbf"), "\xed\x9f\xbf");  // U+D7FF is fine
}

TEST(EscapeForTerminal, ShowsCodePointsAboveTheUnicodeRange) {
  EXPECT_EQ(EscapeForTerminal("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
  EXPECT_EQ(EscapeForTerminal("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
  EXPECT_EQ(EscapeForTerminal("\xff\xfe"), "\\xff\\xfe");
}

TEST(EscapeForTerminal, ShowsSequencesTruncatedAtTheEnd) {
  EXPECT_EQ(EscapeForTerminal("ab\xe6\x97"), "ab\\xe6\\x97");
  EXPECT_EQ(EscapeForTerminal("ab\xf0\x9f\x94"), "ab\\xf0\\x9f\\x94");
  EXPECT_EQ(EscapeForTerminal("\xc3"), "\\xc3");
}

TEST(EscapeForTerminal, KeepsTheCharacterAfterABrokenSequence) {
  EXPECT_EQ(EscapeForTerminal("\xe6\x97x"), "\\xe6\\x97x");
  EXPECT_EQ(EscapeForTerminal("\xe6\xe6\x97\xa5"), "\\xe6\xe6\x97\xa5");
  EXPECT_EQ(EscapeForTerminal("\x80\xc3\xa9"), "\\x80\xc3\xa9");
}

TEST(EscapeForTerminal, ResultIsValidUtf8WithoutControlBytes) {
  const std::string hostile =
      Bytes("\x1b[31m\0\r\n\x7f\xc2\x9b\xe2\x80\xae\xc0\xaf\xed\xa0\x80\xff", 20);
  const std::string escaped = EscapeForTerminal(hostile);
  EXPECT_TRUE(IsValidUtf8(escaped));
  for (const char c : escaped) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 && byte != 0x7f) << static_cast<int>(byte);
  }
}

TEST(EscapeForTerminal, IsIdempotent) {
  const std::string once = EscapeForTerminal("\x1b[2J\xe2\x80\xae\xc0\xaf");
  EXPECT_EQ(EscapeForTerminal(once), once);
}

TEST(EscapeForTerminal, HandlesAMegabyteOfHostileBytes) {
  std::string big;
  for (int i = 0; i < (1 << 20) / 4; ++i) big += "\x1b\xc0\xe6\x97";
  const std::string escaped = EscapeForTerminal(big);
  EXPECT_EQ(escaped.size(), big.size() * 4);
  EXPECT_EQ(escaped.substr(0, 16), "\\x1b\\xc0\\xe6\\x97");
  EXPECT_TRUE(IsValidUtf8(escaped));
}

TEST(EscapeForTerminal, HandlesAMegabyteOfValidText) {
  std::string big;
  for (int i = 0; i < (1 << 20) / 8; ++i) big += "ab\xc3\xa9\xe6\x97\xa5.";
  EXPECT_EQ(EscapeForTerminal(big), big);
}

TEST(DecodeUtf8, ReadsEachLength) {
  auto c = DecodeUtf8("A", 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code_point, U'A');
  EXPECT_EQ(c->length, 1u);
  c = DecodeUtf8("\xc3\xa9", 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code_point, U'\u00e9');
  EXPECT_EQ(c->length, 2u);
  c = DecodeUtf8("x\xe6\x97\xa5", 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code_point, U'\u65e5');
  EXPECT_EQ(c->length, 3u);
  c = DecodeUtf8("\xf0\x9f\x94\x91", 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code_point, U'\U0001f511');
  EXPECT_EQ(c->length, 4u);
}

TEST(DecodeUtf8, RejectsMalformedSequences) {
  EXPECT_FALSE(DecodeUtf8("\x80", 0));
  EXPECT_FALSE(DecodeUtf8("\xc0\xaf", 0));
  EXPECT_FALSE(DecodeUtf8("\xe0\x80\xaf", 0));
  EXPECT_FALSE(DecodeUtf8("\xf0\x80\x80\xaf", 0));
  EXPECT_FALSE(DecodeUtf8("\xed\xa0\x80", 0));
  EXPECT_FALSE(DecodeUtf8("\xf4\x90\x80\x80", 0));
  EXPECT_FALSE(DecodeUtf8("\xe6\x97", 0));
  EXPECT_FALSE(DecodeUtf8("\xe6\x41\xa5", 0));
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8(Bytes("nul\0inside", 10)));
  EXPECT_TRUE(IsValidUtf8("café 日本 \xf0\x9f\x94\x91"));
  EXPECT_TRUE(IsValidUtf8("\xef\xbf\xbf\xf4\x8f\xbf\xbf"));
}

TEST(IsValidUtf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xed\xbf\xbf"));
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("ok\xe6\x97"));
  EXPECT_FALSE(IsValidUtf8("\xfe"));
}

TEST(DisplayWidth, CountsCodePointsNotBytes) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("root"), 4u);
  EXPECT_EQ(DisplayWidth("café"), 4u);
}

TEST(DisplayWidth, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("日本"), 4u);
  EXPECT_EQ(DisplayWidth("한국"), 4u);
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4u);              // fullwidth forms
  EXPECT_EQ(DisplayWidth("\xf0\x9f\x94\x91"), 2u);  // U+1F511 key emoji
}

TEST(DisplayWidth, CountsCombiningMarksAsNothing) {
  EXPECT_EQ(DisplayWidth("e\xcc\x81"), 1u);  // e + U+0301
}

TEST(DisplayWidth, CountsEscapesAsTheirFourCharacters) {
  EXPECT_EQ(DisplayWidth(EscapeForTerminal("\x1b[2J")), 7u);
}

TEST(TruncateToWidth, LeavesTextThatFits) {
  EXPECT_EQ(TruncateToWidth("abcde", 5), "abcde");
  EXPECT_EQ(TruncateToWidth("日本", 4), "日本");
}

TEST(TruncateToWidth, CutsWithAnEllipsis) {
  EXPECT_EQ(TruncateToWidth("abcdef", 5), "abcd…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("abcdef", 5)), 5u);
}

TEST(TruncateToWidth, NeverSplitsAnEscape) {
  EXPECT_EQ(TruncateToWidth("ab\\x1bcd", 5), "ab…");
  EXPECT_EQ(TruncateToWidth("ab\\x1bcd", 7), "ab\\x1b…");
}

TEST(TruncateToWidth, NeverSplitsAWideCharacter) {
  EXPECT_EQ(TruncateToWidth("a日本語", 5), "a日…");
  EXPECT_EQ(TruncateToWidth("a日本語", 3), "a…");
}

TEST(TruncateToWidth, KeepsACombiningMarkWithItsLetter) {
  EXPECT_EQ(TruncateToWidth("ae\xcc\x81xyz", 3), "ae\xcc\x81…");
}

TEST(TruncateToWidth, CutsAMegabyteQuickly) {
  const std::string big(1 << 20, 'a');
  const std::string cut = TruncateToWidth(big, 200);
  EXPECT_EQ(cut, std::string(199, 'a') + "…");
}

TEST(TakeLine, HandsOutEachLineWithoutItsNewline) {
  std::string_view text = "a\n\nlast";
  EXPECT_EQ(TakeLine(text), "a");
  EXPECT_EQ(TakeLine(text), "");
  EXPECT_EQ(TakeLine(text), "last");
  EXPECT_TRUE(text.empty());
  std::string_view one = "x\n";
  EXPECT_EQ(TakeLine(one), "x");
  EXPECT_TRUE(one.empty());
}

}  // namespace
}  // namespace irk
