#include "cli/line_output.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace irk::cli {
namespace {

// What a LineOutput wrote, through a FILE* on memory.
class Captured {
 public:
  Captured() : file_(open_memstream(&data_, &size_)) {}
  ~Captured() {
    std::fclose(file_);
    std::free(data_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return size_ == 0 ? std::string() : std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(LineOutput, WritesLinesHandedOverAndWrittenInPlaceInTheirOrder) {
  Captured captured;
  std::string expected;
  {
    LineOutput out(captured.file());
    out.WriteLine("first");
    char* at = out.Reserve(100);
    std::memcpy(at, "second", 6);
    out.EndLine(at + 6);
    out.WriteLine("");
    expected = "first\nsecond\n\n";
    EXPECT_EQ(out.count(), 3u);
    EXPECT_EQ(captured.text(), "") << "nothing is written before the buffer fills";
    out.Flush();
    EXPECT_EQ(captured.text(), expected);
  }
}

TEST(LineOutput, KeepsEveryByteAcrossFlushesAndALineLargerThanTheBuffer) {
  Captured captured;
  std::string expected;
  {
    LineOutput out(captured.file());
    // Lines of every length up to a few KiB, many times the buffer in all,
    // some reserving far more room than they use.
    for (size_t i = 0; i < 3000; ++i) {
      const std::string line(i, static_cast<char>('a' + i % 26));
      if (i % 2 == 0) {
        out.WriteLine(line);
      } else {
        char* at = out.Reserve(line.size() * 6);
        std::memcpy(at, line.data(), line.size());
        out.EndLine(at + line.size());
      }
      expected += line + "\n";
    }
    // A line three times the buffer: the buffer grows for it.
    const std::string huge(3 << 20, 'h');
    out.WriteLine(huge);
    expected += huge + "\n";
    out.WriteLine("after");
    expected += "after\n";
  }
  EXPECT_EQ(captured.text(), expected);
}

TEST(LineOutput, FlushPutsTheLinesIntoTheFileNotStdiosBuffer) {
  // stdout's own buffer would hold them back, and what the command then
  // writes to stderr (--stats) would come first in a pipe that has both.
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  LineOutput out(file);
  out.WriteLine("an event");
  out.Flush();
  char read[64] = {};
  EXPECT_EQ(pread(fileno(file), read, sizeof(read), 0), 9);
  EXPECT_STREQ(read, "an event\n");
  std::fclose(file);
}

}  // namespace
}  // namespace irk::cli
