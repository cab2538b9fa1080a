#include "watch/follower.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/hash.h"
#include "logs/line_reader.h"

namespace irk::watch {
namespace {

constexpr size_t kBlock = 64 * 1024;
// A folder with more entries than this is not searched for a rotated file.
constexpr size_t kMaxFolderEntries = 10000;
// The newest copies of a log tried when resuming after a rotation.
constexpr size_t kMaxCopiesTried = 4;

std::string ErrnoText() { return std::strerror(errno); }

// The folder of `path` with its final '/', and the file's name.
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"./", path};
  return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

ssize_t ReadAt(int fd, char* buffer, size_t size, uint64_t offset) {
  ssize_t n;
  do {
    n = pread(fd, buffer, size, static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  return n;
}

Fd OpenForReading(const char* path) {
  return Fd(open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
}

// Lines in the first `size` bytes of `fd`: the number of the last complete one.
uint64_t CountLines(int fd, uint64_t size) {
  auto buffer = std::make_unique<char[]>(kBlock);
  uint64_t lines = 0;
  for (uint64_t at = 0; at < size;) {
    const ssize_t n = ReadAt(fd, buffer.get(), std::min<uint64_t>(kBlock, size - at), at);
    if (n <= 0) break;
    for (const char* p = buffer.get();
         (p = static_cast<const char*>(std::memchr(p, '\n', buffer.get() + n - p))) != nullptr;
         ++p) {
      ++lines;
    }
    at += static_cast<uint64_t>(n);
  }
  return lines;
}

}  // namespace

FileFollower::FileFollower(std::string path, std::optional<FileCursor> cursor, bool from_start,
                           size_t max_line)
    : path_(std::move(path)),
      start_(std::move(cursor)),
      from_start_(from_start),
      max_line_(max_line) {}

FileCursor FileFollower::cursor() const {
  FileCursor cursor = cursor_;
  if (emitted_) cursor.last_line_hash = Sha256Hex(last_line_);
  return cursor;
}

void FileFollower::StartAt(uint64_t offset, uint64_t line) {
  position_ = offset;
  cursor_.offset = offset;
  cursor_.line = line;
  partial_.clear();
  skipping_ = false;
}

void FileFollower::Emit(std::string_view text, const LineSink& sink) {
  ++cursor_.line;
  last_line_.assign(text);
  emitted_ = true;
  sink(text, cursor_.line);
}

void FileFollower::FlushPartial(const LineSink& sink) {
  if (partial_.empty() && !skipping_) return;
  Emit(partial_, sink);
  cursor_.offset = position_;
  partial_.clear();
  skipping_ = false;
}

bool FileFollower::LineMatches(int fd, const FileCursor& cursor, size_t max_line) {
  if (cursor.offset == 0) return cursor.last_line_hash.empty();
  const uint64_t size = std::min<uint64_t>(cursor.offset, max_line + 1);
  auto buffer = std::make_unique<char[]>(size);
  if (ReadAt(fd, buffer.get(), size, cursor.offset - size) != static_cast<ssize_t>(size)) {
    return false;
  }
  const std::string_view bytes(buffer.get(), size - 1);
  if (buffer[size - 1] != '\n') return false;
  const size_t newline = bytes.rfind('\n');
  if (newline == std::string_view::npos && size == max_line + 1) return false;  // a cut line
  const std::string_view line =
      newline == std::string_view::npos ? bytes : bytes.substr(newline + 1);
  return Sha256Hex(line) == cursor.last_line_hash;
}

Status FileFollower::ReadRotatedRest(const FileCursor& old, uint64_t skip, const LineSink& sink) {
  const std::string folder = SplitPath(path_).first;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(folder.c_str()), closedir);
  if (!dir) return Ok();  // nothing to search: the new file is read from its start
  size_t entries = 0;
  while (const dirent* entry = readdir(dir.get())) {
    if (++entries > kMaxFolderEntries) break;
    if (entry->d_ino != old.inode) continue;
    const std::string candidate = folder + entry->d_name;
    Fd fd = OpenForReading(candidate.c_str());
    struct stat st {};
    if (fd.get() < 0 || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != old.dev ||
        st.st_ino != old.inode || static_cast<uint64_t>(st.st_size) < old.offset ||
        !LineMatches(fd.get(), old, max_line_)) {
      continue;
    }
    fd_ = std::move(fd);
    cursor_ = FileCursor{old.dev, old.inode, 0, 0, ""};
    StartAt(old.offset, old.line);
    Status drained = Drain(sink);
    FlushPartial(sink);
    fd_ = Fd();
    ++rotations_;
    return drained;
  }
  auto copied = ReadCopiedRest(old, skip, sink);
  if (!copied.ok()) return copied.error();
  if (*copied) ++rotations_;
  return Ok();
}

Result<bool> FileFollower::ReadCopiedRest(const FileCursor& old, uint64_t skip,
                                          const LineSink& sink) {
  if (old.line == 0 || old.last_line_hash.empty()) return false;  // nothing was read before
  const auto [folder, name] = SplitPath(path_);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(folder.c_str()), closedir);
  if (!dir) return false;
  struct Copy {
    int64_t mtime_ns;
    std::string path;
  };
  std::vector<Copy> copies;
  size_t entries = 0;
  while (const dirent* entry = readdir(dir.get())) {
    if (++entries > kMaxFolderEntries) break;
    const std::string_view entry_name = entry->d_name;
    if (entry_name.size() <= name.size() + 1 || !entry_name.starts_with(name) ||
        (entry_name[name.size()] != '.' && entry_name[name.size()] != '-') ||
        entry->d_ino == skip || entry->d_ino == old.inode) {
      continue;
    }
    struct stat st {};
    const std::string path = folder + entry->d_name;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    copies.push_back(
        {static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, path});
  }
  std::sort(copies.begin(), copies.end(),
            [](const Copy& a, const Copy& b) { return a.mtime_ns > b.mtime_ns; });
  if (copies.size() > kMaxCopiesTried) copies.resize(kMaxCopiesTried);
  for (const auto& copy : copies) {
    Fd fd = OpenForReading(copy.path.c_str());
    if (fd.get() < 0) continue;
    auto reader = logs::LineReader::Open(std::move(fd), copy.path, max_line_);
    if (!reader.ok()) continue;  // a format irk does not read is not the copy
    bool found = false;
    while (true) {
      auto line = reader->Next();
      if (!line.ok()) {
        if (found) return line.error();  // lines after the cursor's were lost
        break;
      }
      if (!*line) break;
      const uint64_t number = (*line)->number;
      if (number < old.line) continue;
      if (number == old.line) {
        if (Sha256Hex((*line)->text) != old.last_line_hash) break;
        found = true;
        cursor_ = FileCursor{old.dev, old.inode, 0, old.line, ""};
        continue;
      }
      Emit((*line)->text, sink);
    }
    if (found) return true;
  }
  return false;
}

Status FileFollower::OpenCurrent(const LineSink& sink) {
  if (fd_.get() >= 0) return Ok();
  Fd fd = OpenForReading(path_.c_str());
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      from_start_ = true;  // when it appears, all of it is new
      return Ok();
    }
    return Fail(fmt::format("follow {}: {}", path_, ErrnoText()));
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return Fail(fmt::format("follow {}: {}", path_, ErrnoText()));
  if (!S_ISREG(st.st_mode)) return Fail(fmt::format("follow {}: not a regular file", path_));
  const auto size = static_cast<uint64_t>(st.st_size);
  // A file that appears later, or replaces this one, is new: read it whole.
  const bool from_start = std::exchange(from_start_, true);
  const FileCursor here{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), 0, 0,
                        ""};
  if (start_) {
    const FileCursor old = *start_;
    start_.reset();
    if (old.dev == here.dev && old.inode == here.inode) {
      fd_ = std::move(fd);
      cursor_ = here;
      if (size >= old.offset && LineMatches(fd_.get(), old, max_line_)) {
        StartAt(old.offset, old.line);
        cursor_.last_line_hash = old.last_line_hash;
      } else {
        // Truncated, or another file under the old inode: the lines after
        // the cursor's may be in a copy (copytruncate).
        ++rotations_;
        const auto copied = ReadCopiedRest(old, here.inode, sink);
        cursor_ = here;
        StartAt(0, 0);
        if (!copied.ok()) return copied.error();
      }
      return Ok();
    }
    if (auto status = ReadRotatedRest(old, here.inode, sink); !status.ok()) return status;
    fd_ = std::move(fd);
    cursor_ = here;
    StartAt(0, 0);
    return Ok();
  }
  fd_ = std::move(fd);
  cursor_ = here;
  if (from_start) {
    StartAt(0, 0);
  } else {
    StartAt(size, CountLines(fd_.get(), size));
  }
  return Ok();
}

Status FileFollower::Anchor() {
  if (start_ || from_start_) return Ok();
  return OpenCurrent([](std::string_view, uint64_t) {});
}

Status FileFollower::Drain(const LineSink& sink) {
  char buffer[kBlock];
  while (true) {
    const ssize_t n = ReadAt(fd_.get(), buffer, sizeof(buffer), position_);
    if (n < 0) return Fail(fmt::format("read {}: {}", path_, ErrnoText()));
    if (n == 0) return Ok();
    const std::string_view bytes(buffer, static_cast<size_t>(n));
    size_t start = 0;
    while (start < bytes.size()) {
      const size_t newline = bytes.find('\n', start);
      const size_t end = newline == std::string_view::npos ? bytes.size() : newline;
      const std::string_view piece = bytes.substr(start, end - start);
      if (newline != std::string_view::npos && partial_.empty() && !skipping_) {
        Emit(piece.substr(0, max_line_), sink);  // the common case: no copy
      } else {
        const size_t room = max_line_ - partial_.size();
        partial_.append(piece.substr(0, room));
        skipping_ |= piece.size() > room;
        if (newline != std::string_view::npos) {
          Emit(partial_, sink);
          partial_.clear();
          skipping_ = false;
        }
      }
      if (newline == std::string_view::npos) break;
      cursor_.offset = position_ + newline + 1;
      start = newline + 1;
    }
    position_ += static_cast<uint64_t>(n);
  }
}

Status FileFollower::Poll(const LineSink& sink) {
  if (auto status = OpenCurrent(sink); !status.ok()) return status;
  if (fd_.get() < 0) return Ok();
  if (auto status = Drain(sink); !status.ok()) return status;

  struct stat open_stat {};
  if (fstat(fd_.get(), &open_stat) != 0)
    return Fail(fmt::format("follow {}: {}", path_, ErrnoText()));
  if (static_cast<uint64_t>(open_stat.st_size) < position_) {
    // copytruncate: lines written after the last Drain and before the
    // truncation are in the copy only; then the file starts over.
    ++rotations_;
    const FileCursor before = cursor();
    const auto copied = ReadCopiedRest(before, open_stat.st_ino, sink);
    cursor_ = FileCursor{before.dev, before.inode, 0, 0, ""};
    StartAt(0, 0);
    if (!copied.ok()) return copied.error();
    if (auto status = Drain(sink); !status.ok()) return status;
  }
  struct stat path_stat {};
  if (stat(path_.c_str(), &path_stat) != 0) {
    // Renamed or deleted and not yet re-created: the writer may still be
    // writing to the file we hold, so keep reading it.
    return Ok();
  }
  if (path_stat.st_dev == open_stat.st_dev && path_stat.st_ino == open_stat.st_ino) return Ok();
  // Rotated away: what was written to the old file before the writer
  // reopened has been read; its unfinished last line is finished now.
  FlushPartial(sink);
  fd_ = Fd();
  ++rotations_;
  if (auto status = OpenCurrent(sink); !status.ok()) return status;
  return fd_.get() >= 0 ? Drain(sink) : Ok();
}

}  // namespace irk::watch
