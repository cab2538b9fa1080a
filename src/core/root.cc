#include "core/root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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
  const std::string relative(path.substr(path.find_first_not_of('/') == std::string_view::npos
                                             ? path.size()
                                             : path.find_first_not_of('/')));
  struct open_how how {};
  how.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const long fd =
      syscall(SYS_openat2, fd_.get(), relative.empty() ? "." : relative.c_str(), &how, sizeof(how));
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) {
      std::array<char, 4096> target{};
      const ssize_t n = readlinkat(fd_.get(), relative.c_str(), target.data(), target.size() - 1);
      if (n >= 0) {
        return Fail(fmt::format("{} is a symbolic link to {}; not followed", HostPath(path),
                                std::string_view(target.data(), static_cast<size_t>(n))));
      }
    }
    if (error == ENOSYS) {
      return Fail(fmt::format("open {}: this kernel lacks openat2 (Linux 5.6 or later needed)",
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

}  // namespace irk
