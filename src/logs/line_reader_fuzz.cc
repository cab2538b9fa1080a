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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  irk::Fd fd(memfd_create("line_reader_fuzz", MFD_CLOEXEC));
  Require(fd.get() >= 0);
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd.get(), data + written, size - written);
    Require(n > 0);
    written += static_cast<size_t>(n);
  }
  Require(lseek(fd.get(), 0, SEEK_SET) == 0);

  auto reader = irk::logs::LineReader::Open(std::move(fd), "fuzz", kMaxLine, kMaxBytes);
  if (!reader.ok()) return 0;
  const size_t buffer = reader->buffer_size();
  const bool plain = reader->compression() == irk::logs::Compression::kNone;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string rebuilt;  // a plain file's lines joined again
  bool cut = false;
  bool clean_end = false;
  uint64_t number = 0;
  uint64_t bytes = 0;
  while (true) {
    auto line = reader->Next();
    Require(reader->bytes_read() <= size);
    if (!line.ok()) {
      Require(!line.error().message.empty());
      Require(!reader->Next().ok());  // errors stay
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
    if (plain) {
      if (l.number > 1) rebuilt += '\n';
      rebuilt += l.text;
    }
  }
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
