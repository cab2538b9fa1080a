// The filesystem seam: files of the system under examination, read either on
// the running host ("/") or on a mounted image of a compromised disk
// (--root DIR). Symbolic links are resolved inside the root, so an image's
// absolute link can never lead to the examining host's own files.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace irk {

// An open file descriptor, closed when the object goes.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class Root {
 public:
  // `dir` is "/" for the running host or the mount point of an image.
  static Result<Root> Open(const std::filesystem::path& dir);

  // Opens `path` (absolute, as the examined system names it) for reading.
  // Every symbolic link on the way is resolved inside the root (openat2's
  // RESOLVE_IN_ROOT); a link as the last component is refused, naming its
  // target (log cleaners link wtmp to /dev/null); so is anything but a
  // regular file, and a FIFO is never waited on.
  Result<Fd> OpenFile(std::string_view path) const;

  // Reads a whole regular file of at most `max_bytes`; a larger file is an
  // error rather than a silent cut.
  Result<std::string> ReadFile(std::string_view path, size_t max_bytes) const;

  // The target of the symbolic link `path`, as written in the link
  // ("../usr/share/zoneinfo/Europe/Berlin"); the directories on the way are
  // resolved inside the root. An error when `path` is no link.
  Result<std::string> ReadLink(std::string_view path) const;

  // Names of the regular files directly in the directory `dir` (absolute, as
  // the examined system names it; links on the way resolved inside the
  // root), sorted. Links, directories, FIFOs, sockets and devices are left
  // out without being opened. A missing directory has no files; one that
  // cannot be read is an error.
  Result<std::vector<std::string>> ListFiles(std::string_view dir) const;

  // One entry of a directory with its lstat (a link is described, never
  // followed).
  struct Entry {
    std::string name;
    struct stat st;
  };
  // Every entry directly in `dir` (links on the way resolved inside the
  // root), sorted by name; nothing is opened but the directory. A missing
  // directory has no entries; one that cannot be read is an error. An entry
  // that vanishes between listing and lstat is left out.
  Result<std::vector<Entry>> List(std::string_view dir) const;

  // The lstat of `path` (its last component not followed); the directories
  // on the way resolved inside the root.
  Result<struct stat> Stat(std::string_view path) const;

  // Opens the directory `dir` (absolute, as the examined system names it;
  // every link on the way, the last component too, resolved inside the root)
  // for reading and for openat/fstatat relative to it.
  Result<Fd> OpenDirectory(std::string_view dir) const;

  // `path` as the examining host sees it, for messages: "/mnt/img/var/log/wtmp".
  std::string HostPath(std::string_view path) const;

  const std::filesystem::path& dir() const { return dir_; }
  // True when the root is the running host's own "/".
  bool live() const { return live_; }

 private:
  // openat2 of `relative` inside the root with `flags`; the descriptor, or
  // -1 with errno set.
  long OpenInRoot(const std::string& relative, uint64_t flags) const;

  Root(std::filesystem::path dir, Fd fd, bool live)
      : dir_(std::move(dir)), fd_(std::move(fd)), live_(live) {}

  std::filesystem::path dir_;
  Fd fd_;  // O_PATH descriptor of dir_
  bool live_;
};

}  // namespace irk
