// libFuzzer target: LineReader over arbitrary bytes given as a file (plain,
// or what claims to be gzip or zstd), checking the invariants its contract
// states.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "logs/line_reader.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

// A small bound, so that cut lines are common.
constexpr size_t kMaxLine = 256;
// Decompression bombs must not stall the fuzzer.
constexpr uint64_t kMaxBytes = 16 << 20;

// The input as a file, at its first byte.
irk::Fd FileOf(const uint8_t* data, size_t size) {
  irk::Fd fd(memfd_create("line_reader_fuzz", MFD_CLOEXEC));
  Require(fd.get() >= 0);
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd.get(), data + written, size - written);
    Require(n > 0);
    written += static_cast<size_t>(n);
  }
  Require(lseek(fd.get(), 0, SEEK_SET) == 0);
  return fd;
}

// AppendLines into blocks of `capacity` bytes gives the lines Next gives,
// numbered alike, and ends the same way (an error or the end).
void CheckBlocks(const uint8_t* data, size_t size, size_t capacity,
                 const std::vector<std::string>& lines, bool failed) {
  auto reader = irk::logs::LineReader::Open(FileOf(data, size), "fuzz", kMaxLine, kMaxBytes);
  Require(reader.ok());
  std::string text;
  std::vector<uint32_t> ends;
  size_t next = 0;  // the index in `lines` of the block's first line
  while (true) {
    Require(reader->lines_read() == next);
    text.clear();
    ends.clear();
    auto added = reader->AppendLines(text, ends, capacity);
    Require(text.size() <= capacity);
    Require(ends.size() == (added.ok() ? *added : 0));
    if (!added.ok()) {
      Require(failed);
      Require(next == lines.size());
      return;
    }
    if (*added == 0) {
      Require(!failed && next == lines.size());
      return;
    }
    uint32_t start = 0;
    for (const uint32_t end : ends) {
      Require(next < lines.size() && text.substr(start, end - start) == lines[next]);
      ++next;
      start = end;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = irk::logs::LineReader::Open(FileOf(data, size), "fuzz", kMaxLine, kMaxBytes);
  if (!reader.ok()) return 0;
  const size_t buffer = reader->buffer_size();
  const bool plain = reader->compression() == irk::logs::Compression::kNone;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string rebuilt;  // a plain file's lines joined again
  bool cut = false;
  bool clean_end = false;
  uint64_t number = 0;
  uint64_t bytes = 0;
  std::vector<std::string> lines;
  bool failed = false;
  while (true) {
    auto line = reader->Next();
    Require(reader->bytes_read() <= size);
    if (!line.ok()) {
      Require(!line.error().message.empty());
      Require(!reader->Next().ok());  // errors stay
      failed = true;
      break;
    }
    if (!*line) {
      auto again = reader->Next();
      Require(again.ok() && !*again);  // so does the end
      clean_end = true;
      break;
    }
    const irk::logs::Line& l = **line;
    Require(l.number == ++number);
    Require(l.text.size() <= kMaxLine);
    Require(!l.truncated || l.text.size() == kMaxLine);
    bytes += l.text.size();
    Require(bytes <= kMaxBytes);
    Require(l.text.find('\n') == std::string_view::npos);
    Require(reader->buffer_size() == buffer);
    cut = cut || l.truncated;
    lines.emplace_back(l.text);
    if (plain) {
      if (l.number > 1) rebuilt += '\n';
      rebuilt += l.text;
    }
  }
  // Blocks with room for one longest line and a little more, so that they
  // fill and end in every way.
  CheckBlocks(data, size, kMaxLine + size % 97, lines, failed);
  if (plain && clean_end) {
    Require(reader->bytes_read() == size);
    // A plain file's lines are its bytes, in order, none lost or added.
    if (!cut) {
      if (input.ends_with('\n')) rebuilt += '\n';
      Require(rebuilt == input);
    }
  }
  return 0;
}
