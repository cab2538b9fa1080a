// The writing side of the filesystem seam: files of the system being
// contained (the running host, or an image under --root) replaced atomically
// and moved into the case, never deleted. Paths are as that system names
// them; parent folders are resolved inside its root.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/root.h"

namespace irk::contain {

// A regular file as it was found: its bytes and who owns it.
struct FileState {
  std::string bytes;
  mode_t mode = 0;  // permission bits only (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  // Extended attributes set by Replace after the owner and mode (a file
  // capability survives only that order); Read leaves it empty.
  std::vector<std::pair<std::string, std::string>> xattrs;
};

// The most irk reads of a file it edits (shadow, passwd, ftpusers).
inline constexpr size_t kMaxEditedFileBytes = 16 << 20;

class HostFiles {
 public:
  // `root` is "/" for the running host or the folder of an image.
  static Result<HostFiles> Open(const std::filesystem::path& root);

  // Every path below takes `trusted` as its first part: the folders up to
  // and including `trusted` may hold symbolic links (resolved inside the
  // root), the rest may not (a link there is refused). A user's home is
  // trusted, what lies in it is not: ~/.ssh as a link to /root/.ssh must
  // never make irk move root's keys.

  // The file at `path`, or nullopt when there is none. A link, a folder or
  // a device in its place is an error; so is a file above kMaxEditedFileBytes.
  Result<std::optional<FileState>> Read(std::string_view path,
                                        std::string_view trusted = "/") const;

  // Replaces the file at `path` with `state` (bytes, mode and owner) through
  // a temporary file in the same folder and an atomic rename, both synced.
  Status Replace(std::string_view path, const FileState& state,
                 std::string_view trusted = "/") const;

  // Moves the file or folder at `path` to `destination` (a path of the
  // examining host, normally inside the case), keeping mode and owner. A
  // regular file is copied and then unlinked when the two are on different
  // filesystems; a folder must be on the same one. Returns false when there
  // was nothing at `path`. A symbolic link at `path` is moved as a link.
  Result<bool> MoveOut(std::string_view path, const std::filesystem::path& destination,
                       std::string_view trusted = "/") const;

  // The reverse of MoveOut: `source` (on the examining host) back to `path`,
  // which must not exist. Mode and owner are kept.
  Status MoveIn(const std::filesystem::path& source, std::string_view path,
                std::string_view trusted = "/") const;

  // True when something (of any type) is at `path`; an error when its
  // folder cannot be reached.
  Result<bool> Exists(std::string_view path, std::string_view trusted = "/") const;

  // The owner uid of what is at `path` (not following a final link), or
  // nullopt when nothing is there.
  Result<std::optional<uint32_t>> Owner(std::string_view path,
                                        std::string_view trusted = "/") const;

  // `path` as the examining host sees it, for messages.
  std::string HostPath(std::string_view path) const;
  bool live() const { return live_; }

 private:
  HostFiles(std::filesystem::path root, Fd fd, bool live)
      : root_(std::move(root)), fd_(std::move(fd)), live_(live) {}

  // The folder holding `path`, opened for reading, and the last component's
  // name; nullopt when a folder on the way does not exist.
  struct Parent {
    Fd dir;
    std::string name;
  };
  Result<std::optional<Parent>> OpenParent(std::string_view path, std::string_view trusted) const;

  std::filesystem::path root_;
  Fd fd_;  // O_PATH descriptor of root_
  bool live_;
};

}  // namespace irk::contain
