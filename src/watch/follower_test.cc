#include "watch/follower.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "core/testing/temp_dir.h"

namespace irk::watch {
namespace {

namespace fs = std::filesystem;

void Append(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

// Polls and returns the lines handed out.
std::vector<std::string> PollLines(FileFollower& follower) {
  std::vector<std::string> lines;
  const Status status =
      follower.Poll([&lines](std::string_view text, uint64_t) { lines.emplace_back(text); });
  EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
  return lines;
}

using Lines = std::vector<std::string>;

// Compresses `path` into `path`.gz and removes it, as logrotate's compress does.
void GzipAway(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gzFile out = gzopen((path.string() + ".gz").c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(gzwrite(out, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(out), Z_OK);
  fs::remove(path);
}

// Writes "one\n" to `log`, reads it with a follower, and returns its cursor.
FileCursor CursorAfterOneLine(const fs::path& log) {
  Append(log, "one\n");
  FileFollower follower(log.string(), std::nullopt, true);
  EXPECT_EQ(PollLines(follower), Lines{"one"});
  return follower.cursor();
}

TEST(FileFollower, StartsAtTheEndAndHandsOutAppendedLines) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "old 1\nold 2\n");
  FileFollower follower(log.string(), std::nullopt, /*from_start=*/false);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "new 1\nnew 2\n");
  EXPECT_EQ(PollLines(follower), (Lines{"new 1", "new 2"}));
  EXPECT_EQ(follower.cursor().line, 4u);
}

TEST(FileFollower, TakesTheEndWhenAnchoredNotAtTheFirstPoll) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "old\n");
  FileFollower follower(log.string(), std::nullopt, false);
  ASSERT_TRUE(follower.Anchor().ok());
  Append(log, "written before the first poll\n");
  EXPECT_EQ(PollLines(follower), Lines{"written before the first poll"});
}

TEST(FileFollower, HoldsAPartialLineUntilItsNewlineComes) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "half a li");
  EXPECT_EQ(PollLines(follower), Lines{});
  EXPECT_EQ(follower.cursor().offset, 0u);
  Append(log, "ne\nnext");
  EXPECT_EQ(PollLines(follower), Lines{"half a line"});
  EXPECT_EQ(follower.cursor().offset, 12u);
}

TEST(FileFollower, CutsAnOverlongLineAndSkipsItsRest) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false, /*max_line=*/8);
  EXPECT_EQ(PollLines(follower), Lines{});  // opened at its end
  Append(log, std::string(5, 'a'));
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, std::string(100000, 'b') + "\nshort\n");
  EXPECT_EQ(PollLines(follower), (Lines{"aaaaabbb", "short"}));
}

TEST(FileFollower, FollowsRenameAndCreate) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "before\nlast without newline");
  fs::rename(log, dir.path() / "auth.log.1");
  Append(dir.path() / "auth.log.1", "\nwritten late\n");  // the writer had not reopened yet
  Append(log, "after 1\n");
  EXPECT_EQ(PollLines(follower),
            (Lines{"before", "last without newline", "written late", "after 1"}));
  EXPECT_EQ(follower.rotations(), 1u);
  Append(log, "after 2\n");
  EXPECT_EQ(PollLines(follower), Lines{"after 2"});
  EXPECT_EQ(follower.cursor().line, 2u);
}

TEST(FileFollower, KeepsReadingARenamedFileUntilTheNewOneAppears) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});  // opened at its end
  fs::rename(log, dir.path() / "auth.log.1");
  Append(dir.path() / "auth.log.1", "still the old one\n");
  EXPECT_EQ(PollLines(follower), Lines{"still the old one"});
  Append(log, "the new one\n");
  EXPECT_EQ(PollLines(follower), Lines{"the new one"});
}

TEST(FileFollower, FollowsCopytruncate) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});  // opened at its end
  Append(log, "one\ntwo\n");
  EXPECT_EQ(PollLines(follower), (Lines{"one", "two"}));
  fs::copy_file(log, dir.path() / "auth.log.1");
  fs::resize_file(log, 0);
  Append(log, "three\n");
  EXPECT_EQ(PollLines(follower), Lines{"three"});
  EXPECT_EQ(follower.rotations(), 1u);
  EXPECT_EQ(follower.cursor().offset, 6u);
}

TEST(FileFollower, TakesLinesWrittenJustBeforeACopytruncateFromTheCopy) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "one\ntwo\n");
  EXPECT_EQ(PollLines(follower), (Lines{"one", "two"}));
  Append(log, "written before the copy\n");
  fs::copy_file(log, dir.path() / "auth.log.1");
  fs::resize_file(log, 0);
  Append(log, "three\n");
  EXPECT_EQ(PollLines(follower), (Lines{"written before the copy", "three"}));
}

TEST(FileFollower, FollowsDeleteAndRecreate) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  Append(log, "");
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});  // opened at its end
  Append(log, "one\n");
  EXPECT_EQ(PollLines(follower), Lines{"one"});
  fs::remove(log);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "two\n");
  EXPECT_EQ(PollLines(follower), Lines{"two"});
}

TEST(FileFollower, ReadsAFileThatAppearsLaterFromItsStart) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  FileFollower follower(log.string(), std::nullopt, false);
  EXPECT_EQ(PollLines(follower), Lines{});
  Append(log, "first\n");
  EXPECT_EQ(PollLines(follower), Lines{"first"});
}

TEST(FileFollower, ResumesRightAfterItsCursor) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  Append(log, "two\nthree\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), (Lines{"two", "three"}));
  EXPECT_EQ(resumed.cursor().line, 3u);
}

TEST(FileFollower, ResumesInTheRotatedFileThenReadsTheNewOne) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  Append(log, "two\n");
  fs::rename(log, dir.path() / "auth.log.1");
  Append(log, "three\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), (Lines{"two", "three"}));
}

TEST(FileFollower, ResumesInTheCompressedRotatedFileThenReadsTheNewOne) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  Append(log, "two\n");
  fs::rename(log, dir.path() / "auth.log.1");
  GzipAway(dir.path() / "auth.log.1");
  Append(log, "three\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), (Lines{"two", "three"}));
  EXPECT_EQ(resumed.rotations(), 1u);
}

TEST(FileFollower, ResumesInTheCopyOfACopytruncate) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  Append(log, "two\n");
  fs::copy_file(log, dir.path() / "auth.log-20261127");
  fs::resize_file(log, 0);
  Append(log, "three\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), (Lines{"two", "three"}));
}

TEST(FileFollower, SkipsACopyWhoseLineAtTheCursorDiffers) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  Append(dir.path() / "auth.log.2", "older\nlines\n");
  GzipAway(dir.path() / "auth.log.2");
  fs::remove(log);
  Append(log, "new\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), Lines{"new"});
}

TEST(FileFollower, ReadsFromTheStartWhenTheCursorsLineChanged) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  // Truncated and rewritten in place (same inode, same length).
  fs::resize_file(log, 0);
  Append(log, "uno\nmore\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), (Lines{"uno", "more"}));
}

TEST(FileFollower, ResumesAtTheStartOfANewFileWhenTheOldIsGone) {
  testing::TempDir dir;
  const fs::path log = dir.path() / "auth.log";
  const FileCursor saved = CursorAfterOneLine(log);
  fs::remove(log);
  Append(log, "two\n");
  FileFollower resumed(log.string(), saved, false);
  EXPECT_EQ(PollLines(resumed), Lines{"two"});
}

}  // namespace
}  // namespace irk::watch
