// Lines to stdout through one large buffer: a million events must not cost a
// million write calls. A command either hands over a line's text
// (WriteLine), or writes it in place: at Reserve(n), then EndLine(end), so
// the hottest records are written once, straight into the buffer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

namespace irk::cli {

class LineOutput {
 public:
  explicit LineOutput(std::FILE* to = stdout)
      : to_(to), data_(new char[kFlushAt + kSlack]), capacity_(kFlushAt + kSlack) {}
  ~LineOutput() { Flush(); }
  LineOutput(const LineOutput&) = delete;
  LineOutput& operator=(const LineOutput&) = delete;

  // Room for a line of up to `bytes` bytes at the end of the buffer, which
  // is written out first when they would not fit (and grows for a line
  // larger than the whole buffer).
  char* Reserve(size_t bytes) {
    const size_t needed = bytes + 1;  // and its '\n'
    if (size_ + needed > capacity_) {
      Flush();
      if (needed > capacity_) {
        data_.reset(new char[needed]);
        capacity_ = needed;
      }
    }
    return data_.get() + size_;
  }
  // Ends the line written from the last Reserve up to `end`, and writes the
  // buffer out once it is large.
  void EndLine(char* end) {
    *end++ = '\n';
    size_ = static_cast<size_t>(end - data_.get());
    ++count_;
    if (size_ >= kFlushAt) Flush();
  }
  void WriteLine(std::string_view line) {
    char* at = Reserve(line.size());
    std::memcpy(at, line.data(), line.size());
    EndLine(at + line.size());
  }
  // Writes the buffer out, through stdio's own buffer too: what follows on
  // stderr (--stats, a warning) must not land in the middle of a line when
  // both go to one pipe.
  void Flush() {
    if (size_ > 0) std::fwrite(data_.get(), 1, size_, to_);
    size_ = 0;
    std::fflush(to_);
  }
  uint64_t count() const { return count_; }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  static constexpr size_t kSlack = 64 << 10;  // for the line that crosses kFlushAt
  std::FILE* to_;
  // Not a std::string: growing one fills the new bytes with zeros, and
  // records are written here in place.
  std::unique_ptr<char[]> data_;
  size_t capacity_;
  size_t size_ = 0;
  uint64_t count_ = 0;
};

}  // namespace irk::cli
