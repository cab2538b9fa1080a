#include "logs/line_reader.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace irk::logs {
namespace {

// Large blocks keep system calls and decompressor calls rare: the plain path
// is one read(2) and one memchr per line's worth of bytes, nothing more.
constexpr size_t kOutBlock = 1 << 20;
constexpr size_t kInBlock = 256 << 10;
// Largest zstd window accepted (2^27 = 128 MiB, zstd's own default limit),
// so a hostile frame cannot ask for more memory than that.
constexpr int kZstdWindowLogMax = 27;

// Reads up to `size` bytes, retrying on EINTR; 0 at the end of the file.
Result<size_t> ReadSome(int fd, char* data, size_t size) {
  while (true) {
    const ssize_t n = read(fd, data, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Fail(std::strerror(errno));
  }
}

// The first bytes of a file: all of them up to `size`, fewer only at its end.
Result<size_t> ReadHead(int fd, char* data, size_t size) {
  size_t got = 0;
  while (got < size) {
    auto n = ReadSome(fd, data + got, size - got);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    got += *n;
  }
  return got;
}

bool StartsWith(std::string_view head, std::string_view magic) { return head.starts_with(magic); }

// A format irk recognizes but does not read, by its magic bytes; empty if none.
std::string_view ForeignFormat(std::string_view head) {
  using std::string_view_literals::operator""sv;
  if (StartsWith(head,
                 "\xfd"
                 "7zXZ\0"sv))
    return "xz";
  // "BZh" and a block size digit, then a block or end-of-stream magic: text
  // that merely begins with "BZh9" is not taken for bzip2.
  if (head.size() >= 10 && StartsWith(head, "BZh") && head[3] >= '1' && head[3] <= '9' &&
      (head.substr(4, 6) == "1AY&SY" || head.substr(4, 6) == "\x17rE8P\x90"sv)) {
    return "bzip2";
  }
  if (StartsWith(head, "\x04\x22\x4d\x18"sv)) return "lz4";
  if (StartsWith(head, "\x1f\x9d"sv)) return "compress(1)";
  return {};
}

}  // namespace

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "plain";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "plain";
}

// Reads compressed bytes from the file in kInBlock pieces and decompresses
// them into the caller's buffer. An error is held back while decompressed
// bytes are still to be delivered, so the lines before damage come out.
class LineReader::Decoder {
 public:
  Decoder(int fd, std::string_view head) : fd_(fd), in_(std::make_unique<char[]>(kInBlock)) {
    std::memcpy(in_.get(), head.data(), head.size());
    in_size_ = head.size();
    file_bytes_ = head.size();
  }
  virtual ~Decoder() = default;
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Decompresses up to `size` bytes into `out`; 0 at the clean end of the
  // stream.
  Result<size_t> Read(char* out, size_t size) {
    if (error_) return *error_;
    size_t produced = 0;
    auto status = Decode(out, size, produced);
    if (!status.ok()) {
      error_ = status.error();
      if (produced == 0) return *error_;
    }
    return produced;
  }

  // Compressed bytes consumed by the decompressor.
  uint64_t consumed() const { return file_bytes_ - (in_size_ - in_pos_); }

 protected:
  // Decompresses into `out` until it is full or the stream ends, counting
  // what it wrote in `produced` even when it fails.
  virtual Status Decode(char* out, size_t size, size_t& produced) = 0;

  // Makes sure unconsumed input is there; false when the file has no more.
  Result<bool> Refill() {
    if (in_pos_ < in_size_) return true;
    if (eof_) return false;
    auto n = ReadSome(fd_, in_.get(), kInBlock);
    if (!n.ok()) return n.error().Wrap(fmt::format("read at byte {}", file_bytes_));
    in_pos_ = 0;
    in_size_ = *n;
    file_bytes_ += *n;
    if (*n == 0) eof_ = true;
    return *n > 0;
  }

  int fd_;
  std::unique_ptr<char[]> in_;
  size_t in_pos_ = 0;
  size_t in_size_ = 0;
  uint64_t file_bytes_ = 0;  // bytes read from the file
  bool eof_ = false;
  std::optional<Error> error_;
};

namespace {

class GzipDecoder final : public LineReader::Decoder {
 public:
  GzipDecoder(int fd, std::string_view head) : Decoder(fd, head) {
    // 16 + MAX_WBITS: gzip framing only, with its CRC and length checked.
    ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
  }
  ~GzipDecoder() override { inflateEnd(&z_); }

 protected:
  Status Decode(char* out, size_t size, size_t& produced) override {
    if (!ok_) return Fail("zlib could not start");
    while (produced < size) {
      auto more = Refill();
      if (!more.ok()) return more.error();
      if (!*more && !in_member_) return Ok();  // the clean end: after a whole member
      z_.next_in = reinterpret_cast<Bytef*>(in_.get() + in_pos_);
      z_.avail_in = static_cast<uInt>(in_size_ - in_pos_);
      z_.next_out = reinterpret_cast<Bytef*>(out + produced);
      z_.avail_out = static_cast<uInt>(size - produced);
      in_member_ = true;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      const size_t used = (in_size_ - in_pos_) - z_.avail_in;
      const size_t made = (size - produced) - z_.avail_out;
      in_pos_ += used;
      produced += made;
      if (rc == Z_STREAM_END) {
        // `cat a.gz b.gz` is a valid gzip file: the next member follows.
        inflateReset(&z_);
        in_member_ = false;
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Fail(fmt::format("corrupt gzip data at compressed byte {}: {}", consumed(),
                                z_.msg != nullptr ? z_.msg : "inflate failed"));
      }
      if (used == 0 && made == 0) {
        // Without progress, more calls would loop forever: the input has run
        // out inside a member, or zlib is stuck on it.
        if (!*more) return Fail(fmt::format("gzip data cut off at byte {}", consumed()));
        return Fail(fmt::format("corrupt gzip data at compressed byte {}", consumed()));
      }
    }
    return Ok();
  }

 private:
  z_stream z_{};  // not movable (zlib keeps a pointer to it): the decoder lives on the heap
  bool ok_ = false;
  bool in_member_ = false;  // inside a gzip member that has not ended yet
};

struct ZstdFree {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

class ZstdDecoder final : public LineReader::Decoder {
 public:
  ZstdDecoder(int fd, std::string_view head) : Decoder(fd, head), context_(ZSTD_createDCtx()) {
    if (context_) ZSTD_DCtx_setParameter(context_.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax);
  }

 protected:
  Status Decode(char* out, size_t size, size_t& produced) override {
    if (!context_) return Fail("zstd could not start");
    while (produced < size) {
      auto more = Refill();
      if (!more.ok()) return more.error();
      if (!*more && !in_frame_) return Ok();
      ZSTD_inBuffer in{in_.get(), in_size_, in_pos_};
      ZSTD_outBuffer put{out, size, produced};
      const size_t rc = ZSTD_decompressStream(context_.get(), &put, &in);
      const bool progress = in.pos != in_pos_ || put.pos != produced;
      in_pos_ = in.pos;
      produced = put.pos;
      if (ZSTD_isError(rc)) {
        return Fail(fmt::format("corrupt zstd data at compressed byte {}: {}", consumed(),
                                ZSTD_getErrorName(rc)));
      }
      // 0: a frame ended and all of it was delivered; a next frame may follow.
      in_frame_ = rc != 0;
      if (!progress) {
        if (!*more) return Fail(fmt::format("zstd data cut off at byte {}", consumed()));
        return Fail(fmt::format("corrupt zstd data at compressed byte {}", consumed()));
      }
    }
    return Ok();
  }

 private:
  std::unique_ptr<ZSTD_DCtx, ZstdFree> context_;
  bool in_frame_ = false;  // inside a frame that has not ended yet
};

}  // namespace

LineReader::LineReader(Fd fd, std::string name, size_t max_line, uint64_t max_bytes,
                       Compression compression)
    : fd_(std::move(fd)),
      name_(std::move(name)),
      max_line_(max_line),
      max_bytes_(max_bytes),
      compression_(compression),
      buffer_(std::make_unique_for_overwrite<char[]>(max_line + kOutBlock)),
      capacity_(max_line + kOutBlock) {}

LineReader::LineReader(LineReader&& other) noexcept = default;
LineReader& LineReader::operator=(LineReader&& other) noexcept = default;
LineReader::~LineReader() = default;

Result<LineReader> LineReader::Open(Fd fd, std::string name, size_t max_line, uint64_t max_bytes) {
  if (max_line == 0) max_line = 1;
  std::array<char, 16> head_bytes{};
  auto got = ReadHead(fd.get(), head_bytes.data(), head_bytes.size());
  if (!got.ok()) return got.error().Wrap("read " + name);
  const std::string_view head(head_bytes.data(), *got);

  if (const std::string_view foreign = ForeignFormat(head); !foreign.empty()) {
    return Fail(
        fmt::format("{} is {}-compressed; irk reads plain, gzip and zstd logs", name, foreign));
  }
  Compression compression = Compression::kNone;
  if (head.starts_with("\x1f\x8b")) {
    compression = Compression::kGzip;
  } else if (head.starts_with("\x28\xb5\x2f\xfd") ||
             // A skippable frame first, as pzstd writes: 0x184d2a5? little-endian.
             (head.size() >= 4 && (head[0] & 0xf0) == 0x50 &&
              head.substr(1, 3) == "\x2a\x4d\x18")) {
    compression = Compression::kZstd;
  }
  const int raw_fd = fd.get();
  LineReader reader(std::move(fd), std::move(name), max_line, max_bytes, compression);
  switch (compression) {
    case Compression::kGzip:
      reader.decoder_ = std::make_unique<GzipDecoder>(raw_fd, head);
      break;
    case Compression::kZstd:
      reader.decoder_ = std::make_unique<ZstdDecoder>(raw_fd, head);
      break;
    case Compression::kNone:
      if (head.size() > max_bytes) {
        return Fail(fmt::format("read {}: more than {} bytes; stopped", reader.name_, max_bytes));
      }
      std::memcpy(reader.buffer_.get(), head.data(), head.size());
      reader.end_ = head.size();
      reader.plain_bytes_ = head.size();
      reader.bytes_out_ = head.size();
      break;
  }
  return reader;
}

uint64_t LineReader::bytes_read() const { return decoder_ ? decoder_->consumed() : plain_bytes_; }

Error LineReader::Damaged(const Error& cause) const {
  return Fail(fmt::format("read {}: {} (after line {})", name_, cause.message, number_));
}

Result<bool> LineReader::Fill() {
  // Keep the unfinished line (at most max_line_ bytes, see Next) and read
  // behind it: at least one block of room is always free.
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  char* const room = buffer_.get() + end_;
  // At the limit, one byte more is asked for only to learn whether the file
  // goes on.
  const uint64_t allowed = max_bytes_ - bytes_out_;
  const size_t room_size =
      static_cast<size_t>(std::min<uint64_t>(capacity_ - end_, std::max<uint64_t>(allowed, 1)));
  Result<size_t> got =
      decoder_ ? decoder_->Read(room, room_size) : ReadSome(fd_.get(), room, room_size);
  if (!got.ok()) return got.error();
  if (!decoder_) plain_bytes_ += *got;
  if (allowed == 0 && *got > 0) return Fail(fmt::format("more than {} bytes; stopped", max_bytes_));
  bytes_out_ += *got;
  end_ += *got;
  return *got > 0;
}

Result<std::optional<Line>> LineReader::Next() {
  if (failed_) return *failed_;
  while (true) {
    char* const data = buffer_.get();
    if (skipping_) {
      const void* newline = std::memchr(data + begin_, '\n', end_ - begin_);
      if (newline == nullptr) {
        begin_ = end_;
      } else {
        begin_ = static_cast<size_t>(static_cast<const char*>(newline) - data) + 1;
        skipping_ = false;
      }
    }
    if (!skipping_ && begin_ < end_) {
      const size_t pending = end_ - begin_;
      const void* newline = std::memchr(data + begin_, '\n', pending);
      if (newline != nullptr) {
        const size_t length =
            static_cast<size_t>(static_cast<const char*>(newline) - data) - begin_;
        Line line{std::string_view(data + begin_, std::min(length, max_line_)), ++number_,
                  length > max_line_};
        begin_ += length + 1;
        return std::optional<Line>(line);
      }
      if (pending > max_line_) {
        // Longer than the bound with no end in sight: hand out its start and
        // drop the rest as it arrives, so the buffer never grows.
        Line line{std::string_view(data + begin_, max_line_), ++number_, true};
        begin_ = end_;
        skipping_ = true;
        return std::optional<Line>(line);
      }
      if (at_end_) {
        Line line{std::string_view(data + begin_, pending), ++number_, false};
        begin_ = end_;
        return std::optional<Line>(line);
      }
    }
    if (at_end_) return std::optional<Line>();
    auto more = Fill();
    if (!more.ok()) {
      failed_ = Damaged(more.error());
      return *failed_;
    }
    if (!*more) at_end_ = true;
  }
}

Result<size_t> LineReader::AppendLines(std::string& text, std::vector<uint32_t>& ends,
                                       size_t capacity) {
  size_t appended = 0;
  while (true) {
    // The lines that are whole in the buffer, without Next's checks for
    // each: no cut line is being skipped and none is longer than the bound.
    if (!skipping_ && !failed_) {
      const char* const data = buffer_.get();
      while (begin_ < end_) {
        const void* newline = std::memchr(data + begin_, '\n', end_ - begin_);
        if (newline == nullptr) break;
        const size_t length =
            static_cast<size_t>(static_cast<const char*>(newline) - data) - begin_;
        if (length > max_line_) break;
        if (text.size() + length > capacity) return appended;
        text.append(data + begin_, length);
        ends.push_back(static_cast<uint32_t>(text.size()));
        ++number_;
        begin_ += length + 1;
        ++appended;
      }
    }
    // Anything else (a read, a cut line, the end, an error) as Next has it,
    // once there is room for its longest line.
    if (text.size() + max_line_ > capacity) return appended;
    auto line = Next();
    if (!line.ok()) {
      if (appended > 0) return appended;  // the error again on the next call
      return line.error();
    }
    if (!*line) return appended;
    text.append((*line)->text);
    ends.push_back(static_cast<uint32_t>(text.size()));
    ++appended;
  }
}

}  // namespace irk::logs
