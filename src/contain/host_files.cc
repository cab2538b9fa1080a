#include "contain/host_files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace irk::contain {
namespace {

// The components of an absolute path; nullopt for a relative path or one
// with "..", which irk never builds and must not follow.
std::optional<std::vector<std::string>> Components(std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  std::vector<std::string> parts;
  while (!path.empty()) {
    const size_t start = path.find_first_not_of('/');
    if (start == std::string_view::npos) break;
    path = path.substr(start);
    const size_t end = path.find('/');
    const std::string_view part = path.substr(0, end);
    if (part == "..") return std::nullopt;
    if (part != ".") parts.emplace_back(part);
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string joined;
  for (size_t i = from; i < to; ++i) {
    if (!joined.empty()) joined += '/';
    joined += parts[i];
  }
  return joined.empty() ? "." : joined;
}

long OpenAt2(int dir, const std::string& relative, uint64_t flags, uint64_t resolve) {
  struct open_how how {};
  how.flags = flags;
  how.resolve = resolve;
  return syscall(SYS_openat2, dir, relative.c_str(), &how, sizeof(how));
}

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Copies the regular file open as `from` (with `st` from its fstat) to a new
// file `to_name` in `to_dir`, with the same mode and owner, synced.
Status CopyRegular(int from, const struct stat& st, int to_dir, const std::string& to_name) {
  Fd to(
      openat(to_dir, to_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (to.get() < 0) return Fail(std::strerror(errno));
  std::vector<char> buffer(1 << 16);
  while (true) {
    const ssize_t n = read(from, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(std::strerror(errno));
    }
    if (n == 0) break;
    if (auto status = WriteAll(to.get(), std::string_view(buffer.data(), static_cast<size_t>(n)));
        !status.ok()) {
      return status;
    }
  }
  if (fchown(to.get(), st.st_uid, st.st_gid) != 0 || fchmod(to.get(), st.st_mode & 07777) != 0 ||
      fsync(to.get()) != 0) {
    return Fail(std::strerror(errno));
  }
  return Ok();
}

// Moves `from_name` in `from_dir` to `to_name` in `to_dir`: a rename, or on
// different filesystems a copy (regular files and links only) and an unlink.
Status MoveEntry(int from_dir, const std::string& from_name, int to_dir,
                 const std::string& to_name) {
  if (renameat2(from_dir, from_name.c_str(), to_dir, to_name.c_str(), RENAME_NOREPLACE) == 0) {
    return Ok();
  }
  if (errno != EXDEV) return Fail(std::strerror(errno));
  struct stat st {};
  if (fstatat(from_dir, from_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return Fail(std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> target(4096);
    const ssize_t n = readlinkat(from_dir, from_name.c_str(), target.data(), target.size() - 1);
    if (n < 0) return Fail(std::strerror(errno));
    target[static_cast<size_t>(n)] = '\0';
    if (symlinkat(target.data(), to_dir, to_name.c_str()) != 0 ||
        fchownat(to_dir, to_name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return Fail(std::strerror(errno));
    }
  } else if (S_ISREG(st.st_mode)) {
    Fd from(openat(from_dir, from_name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (from.get() < 0) return Fail(std::strerror(errno));
    if (auto status = CopyRegular(from.get(), st, to_dir, to_name); !status.ok()) return status;
  } else {
    return Fail("a folder cannot be moved across filesystems");
  }
  if (unlinkat(from_dir, from_name.c_str(), 0) != 0) return Fail(std::strerror(errno));
  return Ok();
}

}  // namespace

Result<HostFiles> HostFiles::Open(const std::filesystem::path& root) {
  auto opened = Root::Open(root);
  if (!opened.ok()) return opened.error();
  Fd fd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Fail(fmt::format("root {}: {}", root.string(), std::strerror(errno)));
  return HostFiles(root, std::move(fd), opened->live());
}

std::string HostFiles::HostPath(std::string_view path) const {
  if (live_) return std::string(path);
  std::string joined = root_.string();
  while (!joined.empty() && joined.back() == '/') joined.pop_back();
  return joined + std::string(path);
}

Result<std::optional<HostFiles::Parent>> HostFiles::OpenParent(std::string_view path,
                                                               std::string_view trusted) const {
  const auto parts = Components(path);
  auto trusted_parts = Components(trusted);
  if (!parts || parts->empty()) return Fail(fmt::format("{}: not a usable absolute path", path));
  // A trusted prefix that is not a prefix of `path` trusts nothing but "/".
  if (!trusted_parts || trusted_parts->size() >= parts->size() ||
      !std::equal(trusted_parts->begin(), trusted_parts->end(), parts->begin())) {
    trusted_parts = std::vector<std::string>();
  }
  const size_t trusted_count = trusted_parts->size();
  const auto error = [&](std::string_view what) {
    return Fail(fmt::format("{}: {}", HostPath(path), what));
  };

  Fd trusted_dir(static_cast<int>(OpenAt2(fd_.get(), Join(*parts, 0, trusted_count),
                                          O_RDONLY | O_DIRECTORY | O_CLOEXEC,
                                          RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)));
  if (trusted_dir.get() < 0) {
    if (errno == ENOENT) return std::optional<Parent>();
    return error(std::strerror(errno));
  }
  Parent parent;
  parent.name = parts->back();
  if (trusted_count + 1 == parts->size()) {
    parent.dir = std::move(trusted_dir);
    return std::optional<Parent>(std::move(parent));
  }
  parent.dir = Fd(static_cast<int>(
      OpenAt2(trusted_dir.get(), Join(*parts, trusted_count, parts->size() - 1),
              O_RDONLY | O_DIRECTORY | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)));
  if (parent.dir.get() < 0) {
    if (errno == ENOENT) return std::optional<Parent>();
    if (errno == ELOOP) return error("a folder on the way is a symbolic link; not following it");
    return error(std::strerror(errno));
  }
  return std::optional<Parent>(std::move(parent));
}

Result<std::optional<FileState>> HostFiles::Read(std::string_view path,
                                                 std::string_view trusted) const {
  auto found = OpenParent(path, trusted);
  if (!found.ok()) return found.error();
  if (!*found) return std::optional<FileState>();
  const Parent* parent = &**found;
  Fd fd(openat(parent->dir.get(), parent->name.c_str(),
               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<FileState>();
    if (errno == ELOOP) return Fail(fmt::format("{}: is a symbolic link", HostPath(path)));
    return Fail(fmt::format("{}: {}", HostPath(path), std::strerror(errno)));
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) {
    return Fail(fmt::format("{}: {}", HostPath(path), std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return Fail(fmt::format("{}: not a regular file", HostPath(path)));
  if (static_cast<uint64_t>(st.st_size) > kMaxEditedFileBytes) {
    return Fail(fmt::format("{}: larger than {} bytes", HostPath(path), kMaxEditedFileBytes));
  }
  FileState state{std::string(), static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid, {}};
  std::vector<char> buffer(1 << 16);
  while (true) {
    const ssize_t n = read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(fmt::format("read {}: {}", HostPath(path), std::strerror(errno)));
    }
    if (n == 0) break;
    state.bytes.append(buffer.data(), static_cast<size_t>(n));
    if (state.bytes.size() > kMaxEditedFileBytes) {
      return Fail(fmt::format("{}: larger than {} bytes", HostPath(path), kMaxEditedFileBytes));
    }
  }
  return std::optional<FileState>(std::move(state));
}

Status HostFiles::Replace(std::string_view path, const FileState& state,
                          std::string_view trusted) const {
  auto found = OpenParent(path, trusted);
  if (!found.ok()) return found.error();
  if (!*found) return Fail(fmt::format("replace {}: its folder is missing", HostPath(path)));
  const Parent* parent = &**found;
  const std::string temp = fmt::format(".{}.irk-{}", parent->name, getpid());
  const auto error = [&](std::string_view what) {
    (void)unlinkat(parent->dir.get(), temp.c_str(), 0);
    return Fail(fmt::format("replace {}: {}", HostPath(path), what));
  };
  Fd fd(openat(parent->dir.get(), temp.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0)
    return Fail(fmt::format("replace {}: {}", HostPath(path), std::strerror(errno)));
  if (auto status = WriteAll(fd.get(), state.bytes); !status.ok()) {
    return error(status.error().message);
  }
  // The owner first: chown clears the set-id bits that fchmod then sets.
  if (fchown(fd.get(), state.uid, state.gid) != 0 || fchmod(fd.get(), state.mode) != 0) {
    return error(std::strerror(errno));
  }
  for (const auto& [name, value] : state.xattrs) {
    if (fsetxattr(fd.get(), name.c_str(), value.data(), value.size(), 0) != 0) {
      return error(fmt::format("set {}: {}", name, std::strerror(errno)));
    }
  }
  if (fsync(fd.get()) != 0) return error(std::strerror(errno));
  if (renameat(parent->dir.get(), temp.c_str(), parent->dir.get(), parent->name.c_str()) != 0) {
    return error(std::strerror(errno));
  }
  (void)fsync(parent->dir.get());
  return Ok();
}

Result<bool> HostFiles::MoveOut(std::string_view path, const std::filesystem::path& destination,
                                std::string_view trusted) const {
  auto found = OpenParent(path, trusted);
  if (!found.ok()) return found.error();
  if (!*found) return false;
  const Parent* parent = &**found;
  struct stat st {};
  if (fstatat(parent->dir.get(), parent->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    return Fail(fmt::format("{}: {}", HostPath(path), std::strerror(errno)));
  }
  Fd to_dir(open(destination.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (to_dir.get() < 0) {
    return Fail(fmt::format("{}: {}", destination.parent_path().string(), std::strerror(errno)));
  }
  if (auto status =
          MoveEntry(parent->dir.get(), parent->name, to_dir.get(), destination.filename().string());
      !status.ok()) {
    return status.error().Wrap(fmt::format("move {} to {}", HostPath(path), destination.string()));
  }
  (void)fsync(to_dir.get());
  (void)fsync(parent->dir.get());
  return true;
}

Status HostFiles::MoveIn(const std::filesystem::path& source, std::string_view path,
                         std::string_view trusted) const {
  auto found = OpenParent(path, trusted);
  if (!found.ok()) return found.error();
  if (!*found) return Fail(fmt::format("move back to {}: its folder is missing", HostPath(path)));
  const Parent* parent = &**found;
  Fd from_dir(open(source.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (from_dir.get() < 0) {
    return Fail(fmt::format("{}: {}", source.parent_path().string(), std::strerror(errno)));
  }
  if (auto status =
          MoveEntry(from_dir.get(), source.filename().string(), parent->dir.get(), parent->name);
      !status.ok()) {
    return status.error().Wrap(fmt::format("move {} back to {}", source.string(), HostPath(path)));
  }
  (void)fsync(parent->dir.get());
  return Ok();
}

Result<std::optional<uint32_t>> HostFiles::Owner(std::string_view path,
                                                 std::string_view trusted) const {
  auto found = OpenParent(path, trusted);
  if (!found.ok()) return found.error();
  if (!*found) return std::optional<uint32_t>();
  const Parent* parent = &**found;
  struct stat st {};
  if (fstatat(parent->dir.get(), parent->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return std::optional<uint32_t>();
    return Fail(fmt::format("{}: {}", HostPath(path), std::strerror(errno)));
  }
  return std::optional<uint32_t>(st.st_uid);
}

Result<bool> HostFiles::Exists(std::string_view path, std::string_view trusted) const {
  auto owner = Owner(path, trusted);
  if (!owner.ok()) return owner.error();
  return owner->has_value();
}

}  // namespace irk::contain
