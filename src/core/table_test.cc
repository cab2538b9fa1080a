#include "core/table.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.h"

namespace irk {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Paint, WrapsTextInSgrCodes) {
  EXPECT_EQ(Paint("fail", Color::kRed, true), "\x1b[31mfail\x1b[0m");
  EXPECT_EQ(Paint("warn", Color::kYellow, true), "\x1b[33mwarn\x1b[0m");
  EXPECT_EQ(Paint("ok", Color::kGreen, true), "\x1b[32mok\x1b[0m");
  EXPECT_EQ(Paint("USER", Color::kBold, true), "\x1b[1mUSER\x1b[0m");
  EXPECT_EQ(Paint("old", Color::kDim, true), "\x1b[2mold\x1b[0m");
}

TEST(Paint, LeavesTextAloneWhenDisabledOrPlain) {
  EXPECT_EQ(Paint("fail", Color::kRed, false), "fail");
  EXPECT_EQ(Paint("fail", Color::kNone, true), "fail");
  EXPECT_EQ(Paint("", Color::kRed, true), "");
}

TEST(Table, AlignsColumnsWithTwoSpaces) {
  Table table({"USER", "FROM", "WHEN"});
  table.AddRow({"root", "192.0.2.7", "2026-11-26 13:02"});
  table.AddRow({"alice", "2001:db8::1", "2026-11-26 13:05"});
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.Render(false),
            "USER   FROM         WHEN\n"
            "root   192.0.2.7    2026-11-26 13:02\n"
            "alice  2001:db8::1  2026-11-26 13:05\n");
}

TEST(Table, RendersOnlyTheHeaderWithoutRows) {
  Table table({"A", "B"});
  EXPECT_EQ(table.rows(), 0u);
  EXPECT_EQ(table.Render(false), "A  B\n");
}

TEST(Table, PadsShortRowsWithoutTrailingSpaces) {
  Table table({"USER", "FROM", "NOTE"});
  table.AddRow({"root"});
  table.AddRow({"bob", "", "x"});
  EXPECT_EQ(table.Render(false),
            "USER  FROM  NOTE\n"
            "root\n"
            "bob         x\n");
}

TEST(Table, NeverEndsALineInPadding) {
  Table table({"A", "LONGER"});
  table.AddRow({"wide cell", "z"});
  for (const std::string& line : Lines(table.Render(false))) {
    ASSERT_FALSE(line.empty());
    EXPECT_NE(line.back(), ' ') << line;
  }
}

TEST(Table, EscapesHostileCells) {
  Table table({"USER", "HOST"});
  table.AddRow({std::string("ro\0ot\x1b[2J", 9), "a\rb"});
  table.AddRow(
      {"evil\xe2\x80\xae"
       "exe",
       "\xc2\x9b"
       "31m"});
  const std::string out = table.Render(false);
  EXPECT_EQ(out,
            "USER                 HOST\n"
            "ro\\x00ot\\x1b[2J      a\\x0db\n"
            "evil\\xe2\\x80\\xaeexe  \\xc2\\x9b31m\n");
  EXPECT_TRUE(IsValidUtf8(out));
}

TEST(Table, EscapesHeadersToo) {
  Table table({"A\x1b", "B"});
  EXPECT_EQ(table.Render(false), "A\\x1b  B\n");
}

TEST(Table, AlignsWideCharacters) {
  Table table({"NAME", "X"});
  table.AddRow({"日本", "1"});
  table.AddRow({"abcdef", "2"});
  EXPECT_EQ(table.Render(false),
            "NAME    X\n"
            "日本    1\n"
            "abcdef  2\n");
}

TEST(Table, WritesNoEscapeCodesWithoutColor) {
  Table table({"STATE"});
  table.AddRow({Cell("failed", Color::kRed)});
  EXPECT_EQ(table.Render(false).find('\x1b'), std::string::npos);
}

TEST(Table, ColoursHeaderAndCellsWithColor) {
  Table table({"STATE", "N"});
  table.AddRow({Cell("failed", Color::kRed), "3"});
  EXPECT_EQ(table.Render(true),
            "\x1b[1mSTATE   N\x1b[0m\n"
            "\x1b[31mfailed\x1b[0m  3\n");
}

TEST(Table, ColoursOnlyTheEscapedTextOfAHostileCell) {
  Table table({"U"});
  table.AddRow({Cell("\x1b[0m", Color::kGreen)});
  EXPECT_EQ(table.Render(true), "\x1b[1mU\x1b[0m\n\x1b[32m\\x1b[0m\x1b[0m\n");
}

TEST(Table, CutsAMegabyteCellTo200Columns) {
  Table table({"USER", "UID"});
  table.AddRow({std::string(1 << 20, 'a'), "0"});
  const std::vector<std::string> lines = Lines(table.Render(false));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], std::string(199, 'a') + "…  0");
  EXPECT_EQ(DisplayWidth(lines[0]), 200u + 2 + 3);
}

TEST(Table, CutsHostileCellsWithoutSplittingEscapes) {
  std::string hostile = std::string(197, 'a') + "\x1b" + std::string(1000, '\x1b');
  Table table({"U"});
  table.AddRow({hostile});
  const std::vector<std::string> lines = Lines(table.Render(false));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], std::string(197, 'a') + "…");
  EXPECT_TRUE(IsValidUtf8(lines[1]));
}

TEST(Table, CutsHostileCellsWithoutSplittingUtf8) {
  std::string hostile;
  for (int i = 0; i < 150; ++i) hostile += "日";
  Table table({"U"});
  table.AddRow({hostile});
  const std::vector<std::string> lines = Lines(table.Render(false));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(IsValidUtf8(lines[1]));
  EXPECT_EQ(DisplayWidth(lines[1]), 199u);  // 99 wide characters and the ellipsis
}

TEST(TableDeathTest, RejectsRowsWiderThanTheHeader) {
#ifdef NDEBUG
  GTEST_SKIP() << "asserts are off in this build";
#else
  Table table({"A"});
  EXPECT_DEATH(table.AddRow({"1", "2"}), "");
#endif
}

}  // namespace
}  // namespace irk
