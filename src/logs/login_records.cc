#include "logs/login_records.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "core/root.h"

namespace irk::logs {
namespace {

// Offsets shared by all three layouts.
constexpr size_t kTypeOffset = 0;
constexpr size_t kPidOffset = 4;
constexpr size_t kLineOffset = 8, kLineSize = 32;
constexpr size_t kIdOffset = 40, kIdSize = 4;
constexpr size_t kUserOffset = 44, kUserSize = 32;
constexpr size_t kHostOffset = 76, kHostSize = 256;
constexpr size_t kAddrSize = 16;

constexpr size_t kDetectRecords = 64;
constexpr size_t kChunkRecords = 1024;
constexpr size_t kMaxRecordSize = 400;
constexpr size_t kMaxProblems = 1000;
constexpr int64_t kLastPlausibleSecond = 4102444799;  // 2099-12-31T23:59:59Z
constexpr int64_t kMicrosPerSecond = 1000000;

// Where the fields that differ between layouts sit.
struct Shape {
  size_t size;
  size_t session_offset;
  size_t sec_offset;
  size_t usec_offset;
  size_t int_width;  // of session, sec and usec
  size_t addr_offset;
  bool big_endian;
};

Shape ShapeOf(LoginRecordLayout layout) {
  switch (layout) {
    case LoginRecordLayout::kX86_64:
      return {384, 336, 340, 344, 4, 348, false};
    case LoginRecordLayout::kAarch64:
      return {400, 336, 344, 352, 8, 360, false};
    case LoginRecordLayout::kBigEndian64:
      return {400, 336, 344, 352, 8, 360, true};
  }
  return {384, 336, 340, 344, 4, 348, false};
}

// A signed integer of `width` bytes (2, 4 or 8) at `offset`.
int64_t ReadInt(std::string_view rec, size_t offset, size_t width, bool big_endian) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    const auto byte = static_cast<uint8_t>(rec[offset + (big_endian ? i : width - 1 - i)]);
    value = (value << 8) | byte;
  }
  switch (width) {
    case 2:
      return static_cast<int16_t>(value);
    case 4:
      return static_cast<int32_t>(value);
    default:
      return static_cast<int64_t>(value);
  }
}

void WriteInt(std::string& rec, size_t offset, size_t width, bool big_endian, int64_t value) {
  auto bits = static_cast<uint64_t>(value);
  for (size_t i = 0; i < width; ++i) {
    rec[offset + (big_endian ? width - 1 - i : i)] = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
}

// A fixed char field: up to the first NUL, or all of it.
std::string_view TextField(std::string_view rec, size_t offset, size_t size) {
  const std::string_view field = rec.substr(offset, size);
  return field.substr(0, std::min(field.find('\0'), field.size()));
}

void WriteText(std::string& rec, size_t offset, size_t size, std::string_view text) {
  std::memcpy(rec.data() + offset, text.data(), std::min(size, text.size()));
}

// RFC 5952 text: lower-case hex, the longest run of two or more zero groups
// (the first, on a tie) written as "::".
std::string FormatIpv6(const std::array<uint8_t, 16>& bytes) {
  std::array<unsigned, 8> groups{};
  for (size_t i = 0; i < 8; ++i) groups[i] = bytes[2 * i] << 8 | bytes[2 * i + 1];
  size_t best_start = 8, best_len = 0;
  for (size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best_start = 8;
  std::string text;
  for (size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_len - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    text += fmt::format("{:x}", groups[i]);
  }
  return text;
}

std::optional<std::string> FormatAddress(std::string_view field) {
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < kAddrSize; ++i) bytes[i] = static_cast<uint8_t>(field[i]);
  const auto zero_from = [&](size_t start, size_t end) {
    return std::all_of(bytes.begin() + start, bytes.begin() + end,
                       [](uint8_t b) { return b == 0; });
  };
  if (zero_from(0, 16)) return std::nullopt;
  if (zero_from(4, 16)) return fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
  // IPv4-mapped shows as IPv4, except ::ffff:0.0.0.0, whose IPv4 text would
  // read back as "no address".
  if (zero_from(0, 10) && bytes[10] == 0xff && bytes[11] == 0xff && !zero_from(12, 16)) {
    return fmt::format("{}.{}.{}.{}", bytes[12], bytes[13], bytes[14], bytes[15]);
  }
  return FormatIpv6(bytes);
}

// The numeric fields every check looks at.
struct Numbers {
  int64_t type;
  int64_t sec;
  int64_t usec;
};

Numbers ReadNumbers(std::string_view rec, const Shape& shape) {
  return {ReadInt(rec, kTypeOffset, 2, shape.big_endian),
          ReadInt(rec, shape.sec_offset, shape.int_width, shape.big_endian),
          ReadInt(rec, shape.usec_offset, shape.int_width, shape.big_endian)};
}

bool TimeInRange(const Numbers& n) {
  return n.sec >= 0 && n.sec <= kLastPlausibleSecond && n.usec >= 0 && n.usec < kMicrosPerSecond;
}

// A record that a real system could have written, with something in it.
bool IsPlausible(std::string_view rec, const Shape& shape) {
  const Numbers n = ReadNumbers(rec, shape);
  if (n.type < 1 || n.type > 9 || !TimeInRange(n) || n.sec == 0) return false;
  const std::string_view line = TextField(rec, kLineOffset, kLineSize);
  return std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool AllZero(std::string_view rec) {
  return std::all_of(rec.begin(), rec.end(), [](char c) { return c == '\0'; });
}

// The record-by-record state that both ParseLoginRecords and the chunked file
// reader drive, so the two give the same answer for the same bytes.
class Parser {
 public:
  explicit Parser(LoginRecordLayout layout) : shape_(ShapeOf(layout)) { out_.layout = layout; }

  // `bytes` holds whole records; `offset` is where the first one starts.
  void Feed(std::string_view bytes, uint64_t offset) {
    for (size_t pos = 0; pos + shape_.size <= bytes.size(); pos += shape_.size) {
      Record(bytes.substr(pos, shape_.size), offset + pos);
    }
  }

  // `trailing` bytes at `offset` were left over: less than one record.
  LoginRecords Finish(size_t trailing, uint64_t offset) && {
    FlushZeroRun(/*at_end=*/trailing == 0);
    if (trailing > 0) {
      AddProblem(offset, fmt::format("truncated record: {} of {} bytes", trailing, shape_.size));
    }
    if (dropped_problems_ > 0) {
      out_.problems.push_back(
          {first_dropped_offset_, fmt::format("{} more problems not listed", dropped_problems_)});
    }
    return std::move(out_);
  }

 private:
  void Record(std::string_view rec, uint64_t offset) {
    if (AllZero(rec)) {
      if (zero_run_ == 0) zero_run_start_ = offset;
      ++zero_run_;
      return;
    }
    FlushZeroRun(/*at_end=*/false);

    const Numbers n = ReadNumbers(rec, shape_);
    LoginRecord r;
    if (n.type >= 0 && n.type <= 9) {
      r.type = static_cast<LoginRecordType>(n.type);
    } else {
      r.type = LoginRecordType::kUnknown;
      AddProblem(offset, fmt::format("invalid record type {}", n.type));
    }
    r.pid = static_cast<int32_t>(ReadInt(rec, kPidOffset, 4, shape_.big_endian));
    r.line = TextField(rec, kLineOffset, kLineSize);
    r.id = TextField(rec, kIdOffset, kIdSize);
    r.user = TextField(rec, kUserOffset, kUserSize);
    r.host = TextField(rec, kHostOffset, kHostSize);
    r.session = ReadInt(rec, shape_.session_offset, shape_.int_width, shape_.big_endian);
    r.time.seconds = n.sec;
    if (n.usec >= 0 && n.usec < kMicrosPerSecond) r.time.micros = static_cast<int32_t>(n.usec);
    if (!TimeInRange(n)) {
      AddProblem(offset,
                 fmt::format("time out of range (seconds {}, microseconds {})", n.sec, n.usec));
    }
    r.addr = FormatAddress(rec.substr(shape_.addr_offset, kAddrSize));
    r.offset = offset;
    out_.records.push_back(std::move(r));
  }

  void FlushZeroRun(bool at_end) {
    if (zero_run_ == 0) return;
    const std::string count =
        zero_run_ == 1 ? "zeroed record" : fmt::format("{} zeroed records", zero_run_);
    AddProblem(zero_run_start_,
               at_end ? count +
                            " at the end of the file (a log cleaner, or a crash before the "
                            "data reached the disk)"
                      : count + " (the mark of a log cleaner that wipes entries)");
    zero_run_ = 0;
  }

  void AddProblem(uint64_t offset, std::string what) {
    if (out_.problems.size() < kMaxProblems) {
      out_.problems.push_back({offset, std::move(what)});
      return;
    }
    if (dropped_problems_ == 0) first_dropped_offset_ = offset;
    ++dropped_problems_;
  }

  Shape shape_;
  LoginRecords out_;
  uint64_t zero_run_ = 0;  // all-zero records seen since the last other record
  uint64_t zero_run_start_ = 0;
  uint64_t dropped_problems_ = 0;  // beyond kMaxProblems
  uint64_t first_dropped_offset_ = 0;
};

std::string ErrnoText(int error) {
  std::string text = std::generic_category().message(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

std::string_view FileKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

}  // namespace

std::string_view LoginRecordTypeName(LoginRecordType type) {
  switch (type) {
    case LoginRecordType::kEmpty:
      return "EMPTY";
    case LoginRecordType::kRunLevel:
      return "RUN_LVL";
    case LoginRecordType::kBootTime:
      return "BOOT_TIME";
    case LoginRecordType::kNewTime:
      return "NEW_TIME";
    case LoginRecordType::kOldTime:
      return "OLD_TIME";
    case LoginRecordType::kInitProcess:
      return "INIT_PROCESS";
    case LoginRecordType::kLoginProcess:
      return "LOGIN_PROCESS";
    case LoginRecordType::kUserProcess:
      return "USER_PROCESS";
    case LoginRecordType::kDeadProcess:
      return "DEAD_PROCESS";
    case LoginRecordType::kAccounting:
      return "ACCOUNTING";
    case LoginRecordType::kUnknown:
      break;
  }
  return "UNKNOWN";
}

size_t LoginRecordSize(LoginRecordLayout layout) { return ShapeOf(layout).size; }

LoginRecordLayout DetectLoginRecordLayout(std::string_view bytes) {
  // Read with the wrong record size, a file's later records start inside
  // earlier ones and mostly look empty or broken; only the right layout sees
  // a run of plausible non-empty ones. Counting broken ones would not help:
  // misaligned views of zeros look empty rather than broken.
  LoginRecordLayout best = LoginRecordLayout::kX86_64;
  size_t best_score = 0;
  for (const LoginRecordLayout layout :
       {LoginRecordLayout::kX86_64, LoginRecordLayout::kAarch64, LoginRecordLayout::kBigEndian64}) {
    const Shape shape = ShapeOf(layout);
    size_t score = 0;
    for (size_t i = 0; i < kDetectRecords && (i + 1) * shape.size <= bytes.size(); ++i) {
      if (IsPlausible(bytes.substr(i * shape.size, shape.size), shape)) ++score;
    }
    if (score > best_score) {
      best = layout;
      best_score = score;
    }
  }
  return best;
}

LoginRecords ParseLoginRecords(std::string_view bytes) {
  const LoginRecordLayout layout = DetectLoginRecordLayout(bytes);
  const size_t size = LoginRecordSize(layout);
  const size_t whole = bytes.size() - bytes.size() % size;
  Parser parser(layout);
  parser.Feed(bytes.substr(0, whole), 0);
  return std::move(parser).Finish(bytes.size() - whole, whole);
}

Result<LoginRecords> ReadLoginRecordFile(const std::filesystem::path& file) {
  const std::string name = file.string();
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const Fd fd(open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ELOOP) return Fail("read " + name + ": is a symbolic link (not followed)");
    return Fail("read " + name + ": " + ErrnoText(errno));
  }
  return ReadLoginRecords(fd.get(), name);
}

Result<LoginRecords> ReadLoginRecords(int fd, std::string_view name) {
  const std::string context = "read " + std::string(name);
  struct stat st {};
  if (fstat(fd, &st) != 0) return Fail(context + ": " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) {
    return Fail(context + ": not a regular file (" + std::string(FileKind(st.st_mode)) + ")");
  }

  // The first chunk holds at least kDetectRecords records of either size
  // (or the whole file), so detection sees what ParseLoginRecords would.
  std::string buffer(kChunkRecords * kMaxRecordSize, '\0');
  std::optional<Parser> parser;
  size_t record_size = 0;
  size_t filled = 0;
  uint64_t offset = 0;
  while (true) {
    bool eof = false;
    while (filled < buffer.size()) {
      const ssize_t n = read(fd, buffer.data() + filled, buffer.size() - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Fail(context + ": " + ErrnoText(errno));
      if (n == 0) {
        eof = true;
        break;
      }
      filled += static_cast<size_t>(n);
    }
    const std::string_view data(buffer.data(), filled);
    if (!parser) {
      const LoginRecordLayout layout = DetectLoginRecordLayout(data);
      parser.emplace(layout);
      record_size = LoginRecordSize(layout);
    }
    const size_t whole = filled - filled % record_size;
    parser->Feed(data.substr(0, whole), offset);
    offset += whole;
    const size_t rest = filled - whole;
    if (eof) return std::move(*parser).Finish(rest, offset);
    std::memmove(buffer.data(), buffer.data() + whole, rest);
    filled = rest;
  }
}

std::string EncodeLoginRecord(const LoginRecord& record, LoginRecordLayout layout) {
  const Shape shape = ShapeOf(layout);
  std::string rec(shape.size, '\0');
  const int64_t type =
      record.type == LoginRecordType::kUnknown ? -1 : static_cast<int64_t>(record.type);
  WriteInt(rec, kTypeOffset, 2, shape.big_endian, type);
  WriteInt(rec, kPidOffset, 4, shape.big_endian, record.pid);
  WriteText(rec, kLineOffset, kLineSize, record.line);
  WriteText(rec, kIdOffset, kIdSize, record.id);
  WriteText(rec, kUserOffset, kUserSize, record.user);
  WriteText(rec, kHostOffset, kHostSize, record.host);
  WriteInt(rec, shape.session_offset, shape.int_width, shape.big_endian, record.session);
  WriteInt(rec, shape.sec_offset, shape.int_width, shape.big_endian, record.time.seconds);
  WriteInt(rec, shape.usec_offset, shape.int_width, shape.big_endian, record.time.micros);
  if (record.addr) {
    std::array<uint8_t, 16> bytes{};
    if (inet_pton(AF_INET, record.addr->c_str(), bytes.data()) == 1 ||
        inet_pton(AF_INET6, record.addr->c_str(), bytes.data()) == 1) {
      std::memcpy(rec.data() + shape.addr_offset, bytes.data(), bytes.size());
    }
  }
  return rec;
}

}  // namespace irk::logs
