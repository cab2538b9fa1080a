#include "logs/line_reader.h"

#include <fcntl.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

std::string Gzip(std::string_view text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

class LineReaderTest : public ::testing::Test {
 protected:
  // A reader over a file holding `bytes`.
  Result<LineReader> Reader(std::string_view bytes, size_t max_line = LineReader::kDefaultMaxLine,
                            uint64_t max_bytes = LineReader::kNoByteLimit) {
    const auto path = tmp_.path() / ("f" + std::to_string(files_++));
    std::ofstream(path, std::ios::binary) << bytes;
    return LineReader::Open(Fd(open(path.c_str(), O_RDONLY | O_CLOEXEC)), "/var/log/auth.log",
                            max_line, max_bytes);
  }

  // Every line of a file holding `bytes`, which must read without error.
  std::vector<std::string> Lines(std::string_view bytes) {
    auto reader = Reader(bytes);
    EXPECT_TRUE(reader.ok()) << reader.error().message;
    std::vector<std::string> lines;
    while (reader.ok()) {
      auto line = reader->Next();
      EXPECT_TRUE(line.ok()) << line.error().message;
      if (!line.ok() || !*line) break;
      EXPECT_EQ((*line)->number, lines.size() + 1);
      lines.emplace_back((*line)->text);
    }
    return lines;
  }

  testing::TempDir tmp_;
  int files_ = 0;
};

using Strings = std::vector<std::string>;

constexpr std::string_view kLog =
    "Nov 26 13:02:11 web1 sshd[812]: Failed password for root from 192.0.2.7 port 52144 ssh2\n"
    "Nov 26 13:02:13 web1 sshd[812]: Accepted password for alice from 192.0.2.7 port 52144 ssh2\n";

TEST_F(LineReaderTest, ReadsPlainLinesNumberedFromOne) {
  auto reader = Reader(kLog);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->compression(), Compression::kNone);
  auto first = reader->Next();
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->number, 1u);
  EXPECT_FALSE((*first)->truncated);
  EXPECT_EQ((*first)->text, kLog.substr(0, kLog.find('\n')));
  auto second = reader->Next();
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ((*second)->number, 2u);
  auto end = reader->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
  EXPECT_EQ(reader->bytes_read(), kLog.size());
}

TEST_F(LineReaderTest, ReturnsTheLastLineWithoutANewline) {
  EXPECT_EQ(Lines("one\ntwo"), (Strings{"one", "two"}));
}

TEST_F(LineReaderTest, GivesNoLinesForAnEmptyFile) { EXPECT_EQ(Lines(""), Strings{}); }

TEST_F(LineReaderTest, KeepsEmptyLines) { EXPECT_EQ(Lines("\n\nx\n"), (Strings{"", "", "x"})); }

TEST_F(LineReaderTest, KeepsTheCarriageReturnOfCrlfLines) {
  EXPECT_EQ(Lines("one\r\ntwo\r\n"), (Strings{"one\r", "two\r"}));
}

TEST_F(LineReaderTest, KeepsNulBytes) {
  using std::string_literals::operator""s;
  EXPECT_EQ(Lines("a\0b\n\0\n"s), (Strings{"a\0b"s, "\0"s}));
}

TEST_F(LineReaderTest, KeepsALineOfExactlyTheBoundWhole) {
  auto reader = Reader(std::string(100, 'x') + "\nnext\n", 100);
  auto line = reader->Next();
  ASSERT_TRUE(line.ok() && *line);
  EXPECT_EQ((*line)->text.size(), 100u);
  EXPECT_FALSE((*line)->truncated);
}

TEST_F(LineReaderTest, CutsAnOverlongLineAndGoesOnWithTheNext) {
  auto reader = Reader(std::string(150, 'x') + "\nnext\n", 100);
  auto line = reader->Next();
  ASSERT_TRUE(line.ok() && *line);
  EXPECT_EQ((*line)->text, std::string(100, 'x'));
  EXPECT_TRUE((*line)->truncated);
  auto next = reader->Next();
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ((*next)->text, "next");
  EXPECT_EQ((*next)->number, 2u);
  EXPECT_FALSE((*next)->truncated);
}

TEST_F(LineReaderTest, SkipsTheRestOfALineLongerThanTheWholeBuffer) {
  // 5 MiB without a newline: more than the buffer holds, so it arrives in
  // several reads that are all dropped.
  auto reader = Reader("first\n" + std::string(5 << 20, 'A') + "\nlast", 1000);
  ASSERT_TRUE(reader.ok());
  const size_t buffer = reader->buffer_size();
  auto first = reader->Next();
  auto cut = reader->Next();
  ASSERT_TRUE(cut.ok() && *cut);
  EXPECT_TRUE((*cut)->truncated);
  EXPECT_EQ((*cut)->text, std::string(1000, 'A'));
  auto last = reader->Next();
  ASSERT_TRUE(last.ok() && *last);
  EXPECT_EQ((*last)->text, "last");
  EXPECT_EQ((*last)->number, 3u);
  EXPECT_EQ(reader->buffer_size(), buffer);
}

TEST_F(LineReaderTest, CutsAnOverlongLineAtTheEndOfTheFile) {
  auto reader = Reader(std::string(3 << 20, 'A'), 1000);
  auto cut = reader->Next();
  ASSERT_TRUE(cut.ok() && *cut);
  EXPECT_TRUE((*cut)->truncated);
  auto end = reader->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

// Lines in blocks of `capacity` bytes, as AppendLines gives them; each
// block's first line is the one after lines_read() before it.
Strings LinesInBlocks(LineReader& reader, size_t capacity, size_t& blocks) {
  Strings lines;
  blocks = 0;
  while (true) {
    EXPECT_EQ(reader.lines_read(), lines.size());
    std::string text;
    std::vector<uint32_t> ends;
    auto added = reader.AppendLines(text, ends, capacity);
    EXPECT_TRUE(added.ok());
    if (!added.ok() || *added == 0) return lines;
    ++blocks;
    EXPECT_EQ(ends.size(), *added);
    EXPECT_LE(text.size(), capacity);
    uint32_t start = 0;
    for (const uint32_t end : ends) {
      lines.push_back(text.substr(start, end - start));
      start = end;
    }
  }
}

TEST_F(LineReaderTest, AppendsInBlocksTheLinesNextGives) {
  // Long and cut lines, empty ones, many more than one read's worth, and a
  // last line without its newline.
  std::string bytes;
  for (int i = 0; i < 40000; ++i) {
    bytes += std::string(static_cast<size_t>(i % 7 == 0 ? i % 300 : i % 50), 'a' + i % 26);
    bytes += '\n';
  }
  bytes += "last";
  const std::string gz = Gzip(bytes);
  for (const std::string& file : {bytes, gz}) {
    auto reference = Reader(file, 200);
    ASSERT_TRUE(reference.ok());
    Strings expected;
    while (true) {
      auto line = reference->Next();
      ASSERT_TRUE(line.ok());
      if (!*line) break;
      expected.emplace_back((*line)->text);
    }
    for (const size_t capacity : {size_t{200}, size_t{257}, size_t{64} << 10}) {
      auto reader = Reader(file, 200);
      ASSERT_TRUE(reader.ok());
      size_t blocks = 0;
      EXPECT_EQ(LinesInBlocks(*reader, capacity, blocks), expected) << capacity;
      // Full blocks: each holds more than the capacity less one longest line.
      EXPECT_LE(blocks, bytes.size() / (capacity - 200 + 1) + 2) << capacity;
    }
  }
}

TEST_F(LineReaderTest, AppendsTheLinesBeforeAnErrorThenTheError) {
  std::string text;
  for (int i = 1; i <= 20000; ++i) text += "line " + std::to_string(i) + " of a log\n";
  std::string gz = Gzip(text);
  gz.resize(gz.size() / 2);  // cut off
  auto reader = Reader(gz);
  ASSERT_TRUE(reader.ok());
  std::string block;
  std::vector<uint32_t> ends;
  uint64_t lines = 0;
  while (true) {
    block.clear();
    ends.clear();
    auto added = reader->AppendLines(block, ends, 256 << 10);
    if (!added.ok()) {
      EXPECT_NE(added.error().message.find("cut off"), std::string::npos) << added.error().message;
      break;
    }
    ASSERT_GT(*added, 0u);
    lines += *added;
  }
  EXPECT_GT(lines, 5000u);
  EXPECT_EQ(reader->lines_read(), lines);
  EXPECT_FALSE(reader->AppendLines(block, ends, 256 << 10).ok());  // the error stays
}

TEST_F(LineReaderTest, ReadsGzip) {
  auto reader = Reader(Gzip(kLog));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->compression(), Compression::kGzip);
  EXPECT_EQ(Lines(Gzip(kLog)), Lines(kLog));
  EXPECT_EQ(Lines(Gzip(kLog)).size(), 2u);
}

TEST_F(LineReaderTest, ReadsConcatenatedGzipMembersAsOneStream) {
  // `cat a.gz b.gz`, with a line split across the two members.
  EXPECT_EQ(Lines(Gzip("one\ntw") + Gzip("o\nthree\n")), (Strings{"one", "two", "three"}));
}

TEST_F(LineReaderTest, ReadsAnEmptyGzipMember) { EXPECT_EQ(Lines(Gzip("")), Strings{}); }

TEST_F(LineReaderTest, ReadsZstd) {
  auto reader = Reader(Zstd("a\nb\n"));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->compression(), Compression::kZstd);
  EXPECT_EQ(Lines(Zstd("a\nb\n")), (Strings{"a", "b"}));
}

TEST_F(LineReaderTest, ReadsMultipleZstdFramesAsOneStream) {
  EXPECT_EQ(Lines(Zstd("one\ntw") + Zstd("o\nthree")), (Strings{"one", "two", "three"}));
}

TEST_F(LineReaderTest, ReadsZstdThatStartsWithASkippableFrame) {
  using std::string_literals::operator""s;
  const std::string skippable = "\x50\x2a\x4d\x18\x04\0\0\0irk!"s;
  EXPECT_EQ(Lines(skippable + Zstd("a\nb\n")), (Strings{"a", "b"}));
}

TEST_F(LineReaderTest, TellsTheCompressionByContentNotByName) {
  // The reader never sees a file name suffix; a plain file called .gz
  // reads as text.
  EXPECT_EQ(Lines("plain text in auth.log.2.gz\n"), (Strings{"plain text in auth.log.2.gz"}));
}

TEST_F(LineReaderTest, RefusesXzNamingTheFormat) {
  using std::string_literals::operator""s;
  auto reader = Reader(
      "\xfd"
      "7zXZ\0\0\x04\xe6\xd6\xb4\x46"s);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message,
            "/var/log/auth.log is xz-compressed; irk reads plain, gzip and zstd logs");
}

TEST_F(LineReaderTest, RefusesBzip2NamingTheFormat) {
  auto reader = Reader("BZh91AY&SY\x12\x34");
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("is bzip2-compressed"), std::string::npos);
}

TEST_F(LineReaderTest, ReadsTextThatMerelyStartsLikeBzip2) {
  EXPECT_EQ(Lines("BZh9 is not a log line\n"), (Strings{"BZh9 is not a log line"}));
}

TEST_F(LineReaderTest, ReportsCorruptGzipAfterHandingOutTheLinesBeforeIt) {
  std::string text;
  for (int i = 1; i <= 20000; ++i) text += "line " + std::to_string(i) + " of a log\n";
  std::string gz = Gzip(text);
  // Damage the deflate data past its middle.
  const size_t damage = gz.size() * 3 / 4;
  for (size_t i = damage; i < damage + 64; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x55);
  auto reader = Reader(gz);
  ASSERT_TRUE(reader.ok());
  // Deflate cannot always tell damage where it starts (the CRC at the end
  // catches the rest), so lines near it may be garbled; those well before
  // it come out whole.
  uint64_t last = 0;
  uint64_t whole = 0;
  Result<std::optional<Line>> line = std::optional<Line>();
  while ((line = reader->Next()).ok() && *line) {
    ASSERT_EQ((*line)->number, last + 1);
    last = (*line)->number;
    if (whole + 1 == last && (*line)->text == "line " + std::to_string(last) + " of a log") {
      whole = last;
    }
  }
  ASSERT_FALSE(line.ok());
  EXPECT_GT(whole, 10000u);
  const std::string& message = line.error().message;
  EXPECT_NE(message.find("/var/log/auth.log"), std::string::npos) << message;
  EXPECT_NE(message.find("corrupt gzip data at compressed byte"), std::string::npos) << message;
  EXPECT_NE(message.find("(after line " + std::to_string(last) + ")"), std::string::npos)
      << message;
  // The error stays.
  EXPECT_FALSE(reader->Next().ok());
}

TEST_F(LineReaderTest, ReportsGzipCutOff) {
  const std::string gz = Gzip(kLog);
  auto reader = Reader(gz.substr(0, gz.size() - 6));
  ASSERT_TRUE(reader.ok());
  Result<std::optional<Line>> line = std::optional<Line>();
  while ((line = reader->Next()).ok() && *line) {
  }
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("gzip data cut off at byte"), std::string::npos)
      << line.error().message;
}

TEST_F(LineReaderTest, ReportsDataAfterTheLastGzipMember) {
  auto reader = Reader(Gzip(kLog) + "junk");
  Result<std::optional<Line>> line = std::optional<Line>();
  int lines = 0;
  while ((line = reader->Next()).ok() && *line) ++lines;
  EXPECT_EQ(lines, 2);
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("corrupt gzip data"), std::string::npos);
}

TEST_F(LineReaderTest, ReportsZstdCutOff) {
  const std::string zst = Zstd(kLog);
  auto reader = Reader(zst.substr(0, zst.size() - 3));
  Result<std::optional<Line>> line = std::optional<Line>();
  while ((line = reader->Next()).ok() && *line) {
  }
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("zstd data cut off"), std::string::npos)
      << line.error().message;
}

TEST_F(LineReaderTest, ReportsCorruptZstd) {
  std::string zst = Zstd(kLog);
  zst.replace(4, 4, "\xff\xff\xff\xff");  // a broken frame header
  auto reader = Reader(zst);
  ASSERT_TRUE(reader.ok());
  auto line = reader->Next();
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("corrupt zstd data at compressed byte"), std::string::npos)
      << line.error().message;
  EXPECT_NE(line.error().message.find("(after line 0)"), std::string::npos);
}

TEST_F(LineReaderTest, CountsCompressedBytesRead) {
  const std::string gz = Gzip(kLog);
  auto reader = Reader(gz);
  while (true) {
    auto line = reader->Next();
    ASSERT_TRUE(line.ok());
    if (!*line) break;
  }
  EXPECT_EQ(reader->bytes_read(), gz.size());
}

TEST_F(LineReaderTest, CutsOverlongLinesInCompressedFiles) {
  auto reader = Reader(Gzip(std::string(3 << 20, 'A') + "\nafter\n"), 4096);
  auto cut = reader->Next();
  ASSERT_TRUE(cut.ok() && *cut);
  EXPECT_TRUE((*cut)->truncated);
  EXPECT_EQ((*cut)->text.size(), 4096u);
  auto after = reader->Next();
  ASSERT_TRUE(after.ok() && *after);
  EXPECT_EQ((*after)->text, "after");
}

TEST_F(LineReaderTest, StopsAtTheByteLimitAfterHandingOutTheLinesWithinIt) {
  // 4 MiB of empty lines from 4 KiB of gzip.
  auto bomb = Reader(Gzip(std::string(4 << 20, '\n')), LineReader::kDefaultMaxLine, 1000);
  ASSERT_TRUE(bomb.ok());
  uint64_t lines = 0;
  Result<std::optional<Line>> line = std::optional<Line>();
  while ((line = bomb->Next()).ok() && *line) ++lines;
  EXPECT_EQ(lines, 1000u);
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().message,
            "read /var/log/auth.log: more than 1000 bytes; stopped (after line 1000)");
}

TEST_F(LineReaderTest, ReadsAFileOfExactlyTheByteLimit) {
  auto reader = Reader("abc\ndef\n", LineReader::kDefaultMaxLine, 8);
  ASSERT_TRUE(reader.ok());
  int lines = 0;
  Result<std::optional<Line>> line = std::optional<Line>();
  while ((line = reader->Next()).ok() && *line) ++lines;
  EXPECT_TRUE(line.ok());
  EXPECT_EQ(lines, 2);
}

TEST_F(LineReaderTest, StreamsALargeFileInAFixedBuffer) {
  // 50 MB of log lines, plain and gzip: the buffer is what Open made, and
  // every line comes out.
  const std::string line =
      "Nov 26 13:02:11 web1 sshd[812]: Failed password for invalid user admin from 203.0.113.9 "
      "port 52144 ssh2\n";
  std::string text;
  text.reserve(50'000'000 + line.size());
  uint64_t count = 0;
  while (text.size() < 50'000'000) {
    text += line;
    ++count;
  }
  for (const std::string& bytes : {text, Gzip(text)}) {
    auto reader = Reader(bytes);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader->buffer_size(), LineReader::kDefaultMaxLine + (1u << 20));
    uint64_t seen = 0;
    const auto start = std::chrono::steady_clock::now();
    while (true) {
      auto next = reader->Next();
      ASSERT_TRUE(next.ok());
      if (!*next) break;
      ++seen;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::printf("%s: %llu lines (%zu bytes) in %lld ms\n",
                std::string(CompressionName(reader->compression())).c_str(),
                static_cast<unsigned long long>(seen), bytes.size(), static_cast<long long>(ms));
    EXPECT_EQ(seen, count);
    EXPECT_EQ(reader->buffer_size(), LineReader::kDefaultMaxLine + (1u << 20));
  }
}

}  // namespace
}  // namespace irk::logs
