// Following one log file as it grows, through every rotation style
// (rename and create, copytruncate, delete and re-create), with a cursor that
// lets a restarted follower go on exactly after the last line it handed out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/root.h"

namespace irk::watch {

// Where a follower stands in one file.
struct FileCursor {
  uint64_t dev = 0;
  uint64_t inode = 0;
  uint64_t offset = 0;         // just past the last complete line handed out
  uint64_t line = 0;           // that line's number in the file; 0 before any
  std::string last_line_hash;  // SHA-256 hex of that line (without '\n'); "" before any

  friend bool operator==(const FileCursor&, const FileCursor&) = default;
};

// Hands out each complete line once: `text` without its '\n', cut to the
// follower's max_line (the rest of a longer line skipped), valid during the
// call; `number` counts lines in the current file from 1.
using LineSink = std::function<void(std::string_view text, uint64_t number)>;

class FileFollower {
 public:
  static constexpr size_t kDefaultMaxLine = 64 * 1024;

  // Follows `path` (a host path). With `cursor`, the first Poll goes on right
  // after it when the file is the same one (same device and inode, long
  // enough, and the line before the offset hashes to last_line_hash); when
  // the file was rotated away or truncated, the rest of the old lines is
  // read first from where they went: the same inode under another name in
  // the same folder, else a copy of the log beside it ("auth.log.1",
  // "auth.log.2.gz", "auth.log-20261127.zst": logrotate's compress and
  // copytruncate) whose line at the cursor's number hashes to
  // last_line_hash; then the new file from its start. Without a cursor, the
  // first Poll starts at the file's current end (`from_start` false) or at
  // its start. Memory: one read block plus max_line.
  FileFollower(std::string path, std::optional<FileCursor> cursor, bool from_start,
               size_t max_line = kDefaultMaxLine);
  FileFollower(FileFollower&&) noexcept = default;
  FileFollower& operator=(FileFollower&&) noexcept = default;

  // Without a cursor and from the end: opens the file now, so that every
  // line written from now on is read by the first Poll (otherwise the end
  // is taken at the first Poll). Does nothing in the other cases.
  Status Anchor();

  // Hands out every complete line appended since the last call. A last line
  // without its '\n' is held until the '\n' comes, or until the file is
  // rotated away (then it is complete). A missing file is no error: it is
  // opened once it appears. A read error names the file.
  Status Poll(const LineSink& sink);

  const std::string& path() const { return path_; }
  // The position after the last line handed out, for saving.
  FileCursor cursor() const;
  // Rotations and truncations seen, for tests and the summary.
  uint64_t rotations() const { return rotations_; }

 private:
  // Opens `path_` when no file is open; applies the starting cursor once.
  Status OpenCurrent(const LineSink& sink);
  // Reads `fd_` from `position_` to its end, handing out complete lines.
  Status Drain(const LineSink& sink);
  // Hands out the held partial line, as the last line of a file left behind.
  void FlushPartial(const LineSink& sink);
  void Emit(std::string_view text, const LineSink& sink);
  // Starts reading the open file at `offset` (line numbers from `line`).
  void StartAt(uint64_t offset, uint64_t line);
  // True when the line ending just before `cursor.offset` in `fd` hashes to
  // cursor.last_line_hash.
  static bool LineMatches(int fd, const FileCursor& cursor, size_t max_line);
  // The rest of the file with the cursor's inode, if it is still in the
  // folder under another name (rename rotation); read to its end. Else the
  // rest from a copy (ReadCopiedRest) other than the inode `skip`.
  Status ReadRotatedRest(const FileCursor& old, uint64_t skip, const LineSink& sink);
  // The lines after the cursor's from a copy of the log in its folder,
  // plain or compressed, other than the inode `skip`: the newest few copies
  // whose line number `old.line` hashes to old.last_line_hash. True when
  // one was found.
  Result<bool> ReadCopiedRest(const FileCursor& old, uint64_t skip, const LineSink& sink);

  std::string path_;
  std::optional<FileCursor> start_;  // the cursor to resume from, until first used
  bool from_start_;
  size_t max_line_;
  Fd fd_;
  FileCursor cursor_;      // last_line_hash is filled in by cursor()
  std::string last_line_;  // the last line handed out, hashed only when asked for
  bool emitted_ = false;   // a line was handed out since the cursor was set
  uint64_t position_ = 0;  // bytes of the open file read so far
  std::string partial_;    // bytes of an unfinished line (at most max_line_)
  bool skipping_ = false;  // the unfinished line passed max_line_: its rest is dropped
  uint64_t rotations_ = 0;
};

}  // namespace irk::watch
