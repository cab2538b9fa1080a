// Streaming of the lines of one log file, plain or compressed (gzip, zstd),
// in memory that is bounded whatever the file holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"

namespace irk::logs {

// How a file's bytes are stored, told by its first bytes, never its name.
enum class Compression { kNone, kGzip, kZstd };

// "plain", "gzip", "zstd".
std::string_view CompressionName(Compression compression);

// One line of a file.
struct Line {
  // The line without its '\n'; a '\r' before it and NUL bytes are kept.
  // Points into the reader's buffer: valid until the reader's next call.
  std::string_view text;
  uint64_t number = 0;     // 1-based line number in the (decompressed) file
  bool truncated = false;  // longer than the bound: `text` is its first bytes, the rest skipped
};

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 64 * 1024;
  static constexpr uint64_t kNoByteLimit = UINT64_MAX;

  // Reads `fd` (open for reading at offset 0, e.g. from Root::OpenFile) from
  // its first bytes: gzip (1f 8b; concatenated members read as one stream),
  // zstd (28 b5 2f fd, or a skippable frame; any number of frames), else
  // plain text. An xz, bzip2, lz4 or compress(1) file is an error ("… is
  // xz-compressed; irk reads plain, gzip and zstd logs"). `name` names the
  // file in messages. Lines longer than `max_line` (> 0) bytes are cut to
  // it. A file that gives more than `max_bytes` (decompressed) bytes is an
  // error once they are handed out: a guard against decompression bombs
  // where one is wanted, since a cut line's rest is decompressed inside one
  // call of Next. Memory: about 1.3 MiB plus `max_line`, and for zstd the
  // frame's window (a frame asking for more than 128 MiB is refused;
  // ordinary levels use 8 MiB or less).
  static Result<LineReader> Open(Fd fd, std::string name, size_t max_line = kDefaultMaxLine,
                                 uint64_t max_bytes = kNoByteLimit);

  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&& other) noexcept;
  ~LineReader();

  // The next line, or nullopt at the end of the file. The last line is
  // returned even without a final '\n'; an empty file has no lines. A read
  // error or a corrupt or cut-off compressed stream is an error naming the
  // file, the compressed byte offset and the last line handed out; every
  // complete line before the damage has been handed out first, and the
  // unfinished line at the damage is dropped. After an error or the end,
  // every call returns the same again.
  Result<std::optional<Line>> Next();

  // The lines Next would give next, appended to `text` back to back (each
  // without its '\n'), with the end of each in `text` appended to `ends`,
  // while `text` stays within `capacity` bytes; for a reader that hands
  // lines on in blocks, one call for thousands of lines. Stops early when
  // fewer than max_line bytes of room are left and the next line needs
  // another read. Returns how many lines it appended: 0 at the end of the
  // file, or when even a line of max_line bytes would not fit. An error is
  // Next's, after the lines before it are appended.
  Result<size_t> AppendLines(std::string& text, std::vector<uint32_t>& ends, size_t capacity);

  // Lines handed out so far: the number of the last one.
  uint64_t lines_read() const { return number_; }
  // Bytes of the file consumed so far (compressed bytes for gzip and zstd),
  // for progress and error offsets.
  uint64_t bytes_read() const;
  Compression compression() const { return compression_; }
  const std::string& name() const { return name_; }
  // Size of the line buffer, which never grows: max_line plus one block.
  size_t buffer_size() const { return capacity_; }

  class Decoder;  // a decompressor that fills the line buffer

 private:
  LineReader(Fd fd, std::string name, size_t max_line, uint64_t max_bytes, Compression compression);
  // Appends more bytes to the buffer; false at the end of the file.
  Result<bool> Fill();
  Error Damaged(const Error& cause) const;

  Fd fd_;
  std::string name_;
  size_t max_line_;
  uint64_t max_bytes_;
  Compression compression_;
  std::unique_ptr<Decoder> decoder_;  // null for plain files
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0;             // first byte of the unread part of the buffer
  size_t end_ = 0;               // one past the last byte read into the buffer
  uint64_t plain_bytes_ = 0;     // bytes read from a plain file
  uint64_t bytes_out_ = 0;       // (decompressed) bytes put into the buffer
  uint64_t number_ = 0;          // number of the last line handed out
  bool skipping_ = false;        // inside a cut line: drop bytes up to the next '\n'
  bool at_end_ = false;          // the file has no more bytes
  std::optional<Error> failed_;  // the error returned, again, by every later call
};

}  // namespace irk::logs
