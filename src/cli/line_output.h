// Lines to stdout through one large buffer: a million events must not cost a
// million write calls. Commands append a line's text to buffer(), then call
// EndLine().
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace irk::cli {

class LineOutput {
 public:
  LineOutput() { buffer_.reserve(kFlushAt + 65536); }
  ~LineOutput() { Flush(); }
  LineOutput(const LineOutput&) = delete;
  LineOutput& operator=(const LineOutput&) = delete;

  std::string& buffer() { return buffer_; }
  // Ends the line appended to buffer(), writing the buffer out once it is large.
  void EndLine() {
    buffer_ += '\n';
    ++count_;
    if (buffer_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    buffer_.clear();
  }
  uint64_t count() const { return count_; }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  std::string buffer_;
  uint64_t count_ = 0;
};

}  // namespace irk::cli
