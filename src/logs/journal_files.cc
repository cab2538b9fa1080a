#include "logs/journal_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "logs/journal.h"

namespace irk::logs {
namespace {

constexpr std::string_view kJournalDirs[] = {"var/log/journal", "run/log/journal"};

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

bool IsJournalFileName(std::string_view name) {
  return name.ends_with(".journal") || name.ends_with(".journal~");
}

// Opens, below `dir_fd`, the journal files of the folder and, when `depth`
// is 0, of its subfolders; symbolic links are skipped, never followed.
Status CollectFiles(int dir_fd, const std::string& dir_name, int depth,
                    std::vector<JournalFile>& files) {
  const int listing_fd = dup(dir_fd);
  if (listing_fd < 0) return Fail(fmt::format("read {}: {}", dir_name, std::strerror(errno)));
  std::unique_ptr<DIR, DirCloser> dir(fdopendir(listing_fd));
  if (!dir) {
    close(listing_fd);
    return Fail(fmt::format("read {}: {}", dir_name, std::strerror(errno)));
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
    if (names.size() > kMaxJournalFiles * 4) {
      return Fail(fmt::format("read {}: more than {} entries", dir_name, kMaxJournalFiles * 4));
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    struct stat st {};
    if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode) && depth == 0) {
      const int sub = openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) continue;
      const Fd sub_fd(sub);
      if (auto status = CollectFiles(sub_fd.get(), dir_name + "/" + name, 1, files); !status) {
        return status;
      }
    } else if (S_ISREG(st.st_mode) && IsJournalFileName(name)) {
      const int fd =
          openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
      if (fd < 0) continue;
      Fd file(fd);
      if (fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      if (files.size() >= kMaxJournalFiles) {
        return Fail(fmt::format("read {}: more than {} journal files", dir_name, kMaxJournalFiles));
      }
      files.push_back({dir_name + "/" + name, std::move(file)});
    }
  }
  return Ok();
}

}  // namespace

Result<std::vector<JournalFile>> ImageJournalFiles(const Root& root) {
  const int root_fd = open(root.dir().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    return Fail(fmt::format("root {}: {}", root.dir().string(), std::strerror(errno)));
  }
  const Fd root_dir(root_fd);
  std::vector<JournalFile> files;
  for (const std::string_view relative : kJournalDirs) {
    const std::string name = root.HostPath("/" + std::string(relative));
    struct open_how how {};
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const std::string path(relative);
    const long fd = syscall(SYS_openat2, root_dir.get(), path.c_str(), &how, sizeof(how));
    if (fd < 0) {
      const int error = errno;
      if (error == ENOENT) continue;
      if (error == ELOOP) {
        return Fail(fmt::format("{} or a folder above it is a symbolic link; not followed", name));
      }
      return Fail(fmt::format("open {}: {}", name, std::strerror(error)));
    }
    const Fd dir(static_cast<int>(fd));
    if (auto status = CollectFiles(dir.get(), name, 0, files); !status) return status.error();
  }
  return files;
}

}  // namespace irk::logs
