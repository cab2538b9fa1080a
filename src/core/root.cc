#include "core/root.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace irk {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

namespace {

// `path` as the examined system names it, made relative to the root: no
// leading slashes, "." for the root itself.
std::string RelativeToRoot(std::string_view path) {
  const size_t start = path.find_first_not_of('/');
  return start == std::string_view::npos ? "." : std::string(path.substr(start));
}

}  // namespace

long Root::OpenInRoot(const std::string& relative, uint64_t flags) const {
  struct open_how how {};
  how.flags = flags;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = syscall(SYS_openat2, fd_.get(), relative.c_str(), &how, sizeof(how));
  // Kernels before 5.6 and some sandboxes (seccomp filters, valgrind) lack
  // openat2. On the running host's own root, plain openat resolves exactly
  // as the host does; an image cannot be read safely without it.
  if (fd < 0 && errno == ENOSYS && live_) {
    fd = openat(fd_.get(), relative.c_str(), static_cast<int>(flags));
  }
  return fd;
}

Result<Root> Root::Open(const std::filesystem::path& dir) {
  const int fd = open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(fmt::format("root {}: {}", dir.string(), std::strerror(errno)));
  Fd root_fd(fd);
  struct stat root_st {};
  struct stat host_st {};
  const bool live = fstat(fd, &root_st) == 0 && stat("/", &host_st) == 0 &&
                    root_st.st_dev == host_st.st_dev && root_st.st_ino == host_st.st_ino;
  return Root(dir, std::move(root_fd), live);
}

std::string Root::HostPath(std::string_view path) const {
  if (live_) return std::string(path);
  std::string joined = dir_.string();
  while (!joined.empty() && joined.back() == '/') joined.pop_back();
  if (!path.starts_with('/')) joined += '/';
  joined += path;
  return joined;
}

Result<Fd> Root::OpenFile(std::string_view path) const {
  const long fd =
      OpenInRoot(RelativeToRoot(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) {
      if (auto target = ReadLink(path); target.ok()) {
        return Fail(
            fmt::format("{} is a symbolic link to {}; not followed", HostPath(path), *target));
      }
    }
    if (error == ENOSYS) {
      return Fail(
          fmt::format("open {}: this kernel lacks openat2 (Linux 5.6 or later), which "
                      "reading an image safely needs",
                      HostPath(path)));
    }
    return Fail(fmt::format("open {}: {}", HostPath(path), std::strerror(error)));
  }
  Fd file(static_cast<int>(fd));
  struct stat st {};
  if (fstat(file.get(), &st) != 0) {
    return Fail(fmt::format("stat {}: {}", HostPath(path), std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(fmt::format("{} is not a regular file; not read", HostPath(path)));
  }
  return file;
}

Result<std::vector<Root::Entry>> Root::List(std::string_view dir) const {
  const long fd = OpenInRoot(RelativeToRoot(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::vector<Entry>();
    return Fail(fmt::format("list {}: {}", HostPath(dir), std::strerror(errno)));
  }
  // fdopendir takes the descriptor over; closedir closes it.
  DIR* const stream = fdopendir(static_cast<int>(fd));
  if (stream == nullptr) {
    const int error = errno;
    close(static_cast<int>(fd));
    return Fail(fmt::format("list {}: {}", HostPath(dir), std::strerror(error)));
  }
  std::vector<Entry> entries;
  while (true) {
    errno = 0;
    const dirent* entry = readdir(stream);
    if (entry == nullptr) break;
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    Entry e{std::string(name), {}};
    if (fstatat(dirfd(stream), entry->d_name, &e.st, AT_SYMLINK_NOFOLLOW) == 0) {
      entries.push_back(std::move(e));
    }
  }
  const int error = errno;
  closedir(stream);
  if (error != 0) return Fail(fmt::format("list {}: {}", HostPath(dir), std::strerror(error)));
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return entries;
}

Result<std::vector<std::string>> Root::ListFiles(std::string_view dir) const {
  auto entries = List(dir);
  if (!entries.ok()) return entries.error();
  std::vector<std::string> names;
  for (Entry& entry : *entries) {
    if (S_ISREG(entry.st.st_mode)) names.push_back(std::move(entry.name));
  }
  return names;
}

Result<struct stat> Root::Stat(std::string_view path) const {
  const std::string relative = RelativeToRoot(path);
  const size_t slash = relative.rfind('/');
  const std::string parent = slash == std::string::npos ? "." : relative.substr(0, slash);
  const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
  const long fd = OpenInRoot(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(fmt::format("stat {}: {}", HostPath(path), std::strerror(errno)));
  const Fd dir(static_cast<int>(fd));
  struct stat st {};
  if (fstatat(dir.get(), name.empty() ? "." : name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return Fail(fmt::format("stat {}: {}", HostPath(path), std::strerror(errno)));
  }
  return st;
}

Result<Fd> Root::OpenDirectory(std::string_view dir) const {
  const long fd = OpenInRoot(RelativeToRoot(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(fmt::format("open {}: {}", HostPath(dir), std::strerror(errno)));
  return Fd(static_cast<int>(fd));
}

Result<std::string> Root::ReadFile(std::string_view path, size_t max_bytes) const {
  auto fd = OpenFile(path);
  if (!fd.ok()) return fd.error();
  std::string data;
  std::array<char, 65536> buffer{};
  while (true) {
    const ssize_t n = read(fd->get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(fmt::format("read {}: {}", HostPath(path), std::strerror(errno)));
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      return Fail(
          fmt::format("read {}: larger than {} bytes; not read", HostPath(path), max_bytes));
    }
    data.append(buffer.data(), static_cast<size_t>(n));
  }
  return data;
}

Result<std::string> Root::ReadLink(std::string_view path) const {
  const size_t start = path.find_first_not_of('/');
  const std::string_view relative =
      start == std::string_view::npos ? std::string_view() : path.substr(start);
  const size_t slash = relative.rfind('/');
  const std::string parent(slash == std::string_view::npos ? "." : relative.substr(0, slash));
  const std::string name(slash == std::string_view::npos ? relative : relative.substr(slash + 1));
  if (name.empty() || name == "." || name == "..") {
    return Fail(fmt::format("readlink {}: not a symbolic link", HostPath(path)));
  }
  // Only the parent is opened, inside the root; the link itself is read, not followed.
  const long fd = OpenInRoot(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(fmt::format("readlink {}: {}", HostPath(path), std::strerror(errno)));
  const Fd dir(static_cast<int>(fd));
  std::array<char, 4096> target{};
  const ssize_t n = readlinkat(dir.get(), name.c_str(), target.data(), target.size());
  if (n < 0) {
    if (errno == EINVAL) {
      return Fail(fmt::format("readlink {}: not a symbolic link", HostPath(path)));
    }
    return Fail(fmt::format("readlink {}: {}", HostPath(path), std::strerror(errno)));
  }
  if (static_cast<size_t>(n) == target.size()) {
    return Fail(
        fmt::format("readlink {}: target longer than {} bytes", HostPath(path), target.size() - 1));
  }
  return std::string(target.data(), static_cast<size_t>(n));
}

}  // namespace irk
