#include "logs/log_sources.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <tuple>

#include <fmt/format.h>

#include "logs/line_reader.h"

namespace irk::logs {
namespace {

// How far ReadFileSpan looks from each end of a file.
constexpr int kSpanLines = 64;
constexpr size_t kSpanTailBytes = 64 * 1024;

struct DefaultLogs {
  std::string_view dir;
  std::array<std::string_view, 6> bases;  // empty entries unused
};

constexpr std::array<DefaultLogs, 2> kDefaultLogs{{
    {"/var/log", {"auth.log", "secure", "messages", "syslog", "vsftpd.log", "xferlog"}},
    {"/var/log/proftpd", {"proftpd.log", "auth.log", "xferlog"}},
}};

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Where a file name stands among its log's rotations.
struct Rotation {
  int scheme = 0;       // 0 dateext, 1 numeric, 2 the live log
  std::string date;     // dateext: the date's digits ("20261120")
  uint64_t number = 0;  // numeric: the rotation's number
  int compressed = 0;   // 0 none, 1 ".gz", 2 ".zst"
  std::string_view name;

  // Oldest first: dates rise, numbers fall.
  bool operator<(const Rotation& other) const {
    const auto key = [](const Rotation& r) {
      return std::make_tuple(r.scheme, r.date.size(), std::string_view(r.date), ~r.number,
                             r.compressed, r.name);
    };
    return key(*this) < key(other);
  }
};

std::optional<Rotation> ParseRotation(std::string_view base, std::string_view name) {
  Rotation rotation;
  rotation.name = name;
  std::string_view stem = name;
  if (stem.ends_with(".gz")) {
    rotation.compressed = 1;
    stem.remove_suffix(3);
  } else if (stem.ends_with(".zst")) {
    rotation.compressed = 2;
    stem.remove_suffix(4);
  }
  if (!stem.starts_with(base)) return std::nullopt;
  const std::string_view rest = stem.substr(base.size());
  if (rest.empty()) {
    rotation.scheme = 2;
    return rotation;
  }
  const std::string_view tail = rest.substr(1);
  if (rest[0] == '.' && AllDigits(tail) && tail.size() <= 9) {
    rotation.scheme = 1;
    for (char c : tail) rotation.number = rotation.number * 10 + static_cast<uint64_t>(c - '0');
    return rotation;
  }
  // logrotate's dateext: "-%Y%m%d" by default; "-%Y-%m-%d", "-%Y%m%d%H" and
  // "-%s" (seconds) are common dateformats too.
  if (rest[0] == '-' && !tail.empty() && tail.size() <= 20 && tail.front() != '-' &&
      tail.back() != '-' && std::all_of(tail.begin(), tail.end(), [](char c) {
        return c == '-' || (c >= '0' && c <= '9');
      })) {
    rotation.scheme = 0;
    for (char c : tail) {
      if (c != '-') rotation.date += c;
    }
    return rotation;
  }
  return std::nullopt;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (path.empty() || path.back() != '/') path += '/';
  path += name;
  return path;
}

// Splits "/var/log/auth.log" into "/var/log" and "auth.log".
std::pair<std::string_view, std::string_view> SplitPath(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {".", path};
  return {slash == 0 ? std::string_view("/") : path.substr(0, slash), path.substr(slash + 1)};
}

// Reads up to `size` bytes at `offset`, fewer only at the end of the file.
Result<std::string> ReadAt(int fd, uint64_t offset, size_t size) {
  std::string data(size, '\0');
  size_t got = 0;
  while (got < size) {
    const ssize_t n = pread(fd, data.data() + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(std::strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

// The last stamp in the last kSpanTailBytes of the plain file `fd`.
Result<std::optional<Timestamp>> LastStampOfPlain(int fd, const StampOf& stamp_of) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return Fail(std::strerror(errno));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const uint64_t offset = size > kSpanTailBytes ? size - kSpanTailBytes : 0;
  auto tail = ReadAt(fd, offset, static_cast<size_t>(size - offset));
  if (!tail.ok()) return tail.error();
  std::string_view text = *tail;
  if (offset > 0) {
    // The first line is cut short by the seek: not a line.
    const size_t newline = text.find('\n');
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  }
  if (text.ends_with('\n')) text.remove_suffix(1);
  while (!text.empty()) {
    const size_t newline = text.rfind('\n');
    const std::string_view line =
        newline == std::string_view::npos ? text : text.substr(newline + 1);
    if (auto stamp = stamp_of(line)) return stamp;
    text = newline == std::string_view::npos ? std::string_view() : text.substr(0, newline);
  }
  return std::optional<Timestamp>();
}

}  // namespace

std::vector<std::string> RotationsOf(std::string_view dir, std::string_view base,
                                     const std::vector<std::string>& names) {
  std::vector<Rotation> rotations;
  for (const std::string& name : names) {
    if (auto rotation = ParseRotation(base, name)) rotations.push_back(std::move(*rotation));
  }
  std::sort(rotations.begin(), rotations.end());
  std::vector<std::string> paths;
  paths.reserve(rotations.size());
  for (const Rotation& rotation : rotations) paths.push_back(JoinPath(dir, rotation.name));
  return paths;
}

Result<std::vector<LogSource>> FindLogSources(const Root& root) {
  std::vector<LogSource> sources;
  for (const DefaultLogs& logs : kDefaultLogs) {
    auto names = root.ListFiles(logs.dir);
    if (!names.ok()) return names.error();
    for (std::string_view base : logs.bases) {
      if (base.empty()) continue;
      LogSource source{JoinPath(logs.dir, base), RotationsOf(logs.dir, base, *names)};
      if (!source.files.empty()) sources.push_back(std::move(source));
    }
  }
  std::sort(sources.begin(), sources.end(),
            [](const LogSource& a, const LogSource& b) { return a.name < b.name; });
  return sources;
}

LogSource SourceForFile(std::string_view path) {
  return LogSource{std::string(path), {std::string(path)}};
}

Result<LogSource> SourceWithRotations(const Root& root, std::string_view path) {
  const auto [dir, base] = SplitPath(path);
  auto names = root.ListFiles(dir);
  if (!names.ok()) return names.error();
  LogSource source{std::string(path), {}};
  for (std::string& file : RotationsOf(dir, base, *names)) {
    if (file != path) source.files.push_back(std::move(file));
  }
  source.files.emplace_back(path);
  return source;
}

bool FileSpan::Outside(std::optional<Timestamp> since, std::optional<Timestamp> until) const {
  if (since && last && *last < *since) return true;
  if (until && first && !(*first < *until)) return true;
  return false;
}

Result<FileSpan> ReadFileSpan(const Root& root, std::string_view path, const StampOf& stamp_of) {
  auto fd = root.OpenFile(path);
  if (!fd.ok()) return fd.error();
  auto reader = LineReader::Open(std::move(fd).value(), root.HostPath(path));
  if (!reader.ok()) return reader.error();
  const bool plain = reader->compression() == Compression::kNone;

  FileSpan span;
  // Compressed files are read to their end; their last lines are kept here
  // (the strings keep their capacity, so this does not allocate per line).
  std::array<std::string, kSpanLines> recent;
  uint64_t count = 0;
  while (true) {
    auto line = reader->Next();
    if (!line.ok()) return line.error();
    if (!*line) break;
    ++count;
    if (!span.first && count <= kSpanLines) span.first = stamp_of((*line)->text);
    if (plain) {
      if (span.first || count >= kSpanLines) break;
    } else {
      recent[count % kSpanLines].assign((*line)->text);
    }
  }
  if (plain) {
    auto tail_fd = root.OpenFile(path);
    if (!tail_fd.ok()) return tail_fd.error();
    auto last = LastStampOfPlain(tail_fd->get(), stamp_of);
    if (!last.ok()) return last.error().Wrap("read " + root.HostPath(path));
    span.last = *last;
    return span;
  }
  const uint64_t kept = std::min<uint64_t>(count, kSpanLines);
  for (uint64_t i = 0; i < kept && !span.last; ++i) {
    span.last = stamp_of(recent[(count - i) % kSpanLines]);
  }
  return span;
}

}  // namespace irk::logs
