// Reading paths from a snapshot folder: every folder on the way opened
// beneath the snapshot with no symbolic link followed, the entry described
// by lstat, a regular file opened with O_NOFOLLOW|O_NONBLOCK and hashed once
// per inode.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "backups/readers.h"
#include "core/root.h"
#include "integrity/file_reader.h"

namespace irk::backups {
namespace {

long OpenBeneath(int dir, const std::string& relative, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return syscall(SYS_openat2, dir, relative.c_str(), &how, sizeof(how));
}

int64_t Nanoseconds(const timespec& t) { return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec; }

void Describe(const struct stat& st, Version& version) {
  version.present = true;
  version.type = integrity::FileTypeFromMode(st.st_mode);
  version.mode = st.st_mode & 07777;
  version.uid = st.st_uid;
  version.gid = st.st_gid;
  version.size = static_cast<uint64_t>(st.st_size);
  version.mtime_ns = Nanoseconds(st.st_mtim);
}

// Hashes the open regular file `fd` into `version`, keeping its bytes in
// `content` when asked.
Status HashFile(int fd, Hasher& hasher, Version& version, std::string* content) {
  std::string block(1 << 17, '\0');
  while (true) {
    const ssize_t got = read(fd, block.data(), block.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      return Fail(std::strerror(errno));
    }
    if (got == 0) break;
    const std::string_view bytes(block.data(), static_cast<size_t>(got));
    hasher.Update(bytes);
    if (content != nullptr) {
      if (content->size() + bytes.size() > kMaxRestoreBytes) return Fail("larger than 1 GiB");
      content->append(bytes);
    }
  }
  hasher.Finish(version);
  return Ok();
}

Version ReadOne(int base, const std::string& path, const ReadOptions& options, InodeCache& cache,
                Hasher& hasher, std::string* content) {
  Version version;
  const std::string relative = path.substr(1);
  const size_t slash = relative.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : relative.substr(0, slash);
  const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
  Fd dir(static_cast<int>(OpenBeneath(base, folder, O_RDONLY | O_DIRECTORY)));
  if (dir.get() < 0) {
    if (errno == ELOOP)
      version.problem = "a folder on the way is a symbolic link; not followed";
    else if (errno != ENOENT && errno != ENOTDIR)
      version.problem = std::strerror(errno);
    return version;
  }
  struct stat st {};
  if (fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT) version.problem = std::strerror(errno);
    return version;
  }
  Describe(st, version);
  if (S_ISLNK(st.st_mode)) {
    std::string target(4096, '\0');
    const ssize_t n = readlinkat(dir.get(), name.c_str(), target.data(), target.size());
    if (n >= 0) version.target = target.substr(0, static_cast<size_t>(n));
    return version;
  }
  if (!S_ISREG(st.st_mode)) return version;  // a device or FIFO is never opened
  const InodeCache::Key key{st.st_dev, st.st_ino, version.size, version.mtime_ns,
                            Nanoseconds(st.st_ctim)};
  if (content == nullptr) {
    if (const Version* known = cache.Find(key)) {
      version.sha256 = known->sha256;
      version.md5 = known->md5;
      version.other = known->other;
      return version;
    }
  }
  Fd fd(openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat opened {};
  if (fd.get() < 0 || fstat(fd.get(), &opened) != 0) {
    version.problem = fmt::format("unreadable: {}", std::strerror(errno));
    return version;
  }
  if (opened.st_ino != st.st_ino || opened.st_dev != st.st_dev || !S_ISREG(opened.st_mode)) {
    version.problem = "replaced while it was read";
    return version;
  }
  if (auto status = HashFile(fd.get(), hasher, version, content); !status.ok()) {
    version.problem = "unreadable: " + status.error().message;
    return version;
  }
  if (options.keep_content) {
    version.xattrs = integrity::ReadXattrs(fd.get(), integrity::kXattrAttributes);
  }
  cache.Put(key, version);
  return version;
}

}  // namespace

Result<std::vector<Version>> ReadFromTree(const Generation& generation,
                                          const std::vector<std::string>& paths,
                                          const ReadOptions& options, InodeCache& cache,
                                          std::vector<std::string>* contents) {
  Fd base(open(generation.location.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (base.get() < 0) {
    return Fail(fmt::format("{}: {}", generation.location.string(), std::strerror(errno)));
  }
  Hasher hasher(options.other);
  std::vector<Version> versions;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string* content = options.keep_content && contents != nullptr ? &(*contents)[i] : nullptr;
    versions.push_back(ReadOne(base.get(), paths[i], options, cache, hasher, content));
  }
  return versions;
}

}  // namespace irk::backups
