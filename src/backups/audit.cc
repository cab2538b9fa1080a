#include "backups/audit.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "backups/borg.h"
#include "backups/restic.h"
#include "core/root.h"
#include "integrity/file_record.h"

namespace irk::backups {
namespace {

// mountinfo escapes blanks in paths as \040 and the like.
std::string Unescape(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() + 0 && field[i + 1] >= '0' &&
        field[i + 1] <= '3') {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    const size_t end = line.find(' ');
    if (end != 0) fields.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end + 1);
  }
  return fields;
}

bool Below(std::string_view path, std::string_view point) {
  if (point == "/") return true;
  return path.starts_with(point) && (path.size() == point.size() || path[point.size()] == '/');
}

// The secrets a backup of a system must not leave readable to everyone.
constexpr const char* kSecrets[] = {
    "etc/shadow",
    "etc/gshadow",
    "etc/ssh/ssh_host_rsa_key",
    "etc/ssh/ssh_host_ecdsa_key",
    "etc/ssh/ssh_host_ed25519_key",
    "root/.ssh/id_rsa",
    "root/.ssh/id_ed25519",
    "etc/ssl/private",
};

// The lstat of `relative` beneath `base`, no link followed on the way.
std::optional<struct stat> StatBeneath(const std::filesystem::path& base,
                                       const std::string& relative) {
  Fd dir(open(base.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.get() < 0) return std::nullopt;
  open_how how{};
  how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
  Fd fd(static_cast<int>(syscall(SYS_openat2, dir.get(), relative.c_str(), &how, sizeof(how))));
  struct stat st {};
  if (fd.get() < 0 || fstat(fd.get(), &st) != 0) return std::nullopt;
  return st;
}

// Whether anyone but the owner can read `path`: through the world bits, or
// through every folder on the way down from the source being open.
bool OthersCanRead(const struct stat& st) { return (st.st_mode & S_IROTH) != 0; }

}  // namespace

std::string_view AuditLevelName(AuditLevel level) {
  switch (level) {
    case AuditLevel::kOk:
      return "ok";
    case AuditLevel::kInfo:
      return "info";
    case AuditLevel::kWarning:
      return "warning";
  }
  return "info";
}

std::optional<MountInfo> MountOf(std::string_view mountinfo, std::string_view path) {
  std::optional<MountInfo> best;
  while (!mountinfo.empty()) {
    const size_t end = mountinfo.find('\n');
    const std::string_view line = mountinfo.substr(0, end);
    mountinfo.remove_prefix(end == std::string_view::npos ? mountinfo.size() : end + 1);
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
    const auto fields = Fields(line);
    size_t dash = 0;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (fields.size() < 6 || dash + 1 >= fields.size()) continue;
    const std::string point = Unescape(fields[4]);
    if (!Below(path, point)) continue;
    if (best && best->point.size() > point.size()) continue;
    best = MountInfo{point, std::string(fields[dash + 1]), std::string(fields[5])};
  }
  return best;
}

std::vector<AuditFinding> AuditSource(const std::filesystem::path& source,
                                      const std::vector<Generation>& generations,
                                      const std::filesystem::path& host_root, Timestamp now) {
  const std::string name = source.string();
  std::vector<AuditFinding> findings;
  const auto add = [&](std::string check, AuditLevel level, std::string detail) {
    findings.push_back(AuditFinding{name, std::move(check), level, std::move(detail)});
  };
  struct stat st {};
  if (lstat(source.c_str(), &st) != 0) {
    add("access", AuditLevel::kWarning, fmt::format("cannot stat: {}", std::strerror(errno)));
    return findings;
  }
  const bool world_write = (st.st_mode & S_IWOTH) != 0;
  const bool group_write = (st.st_mode & S_IWGRP) != 0;
  const bool world_read = (st.st_mode & S_IROTH) != 0;
  const bool has_acl = lgetxattr(source.c_str(), "system.posix_acl_access", nullptr, 0) > 0 ||
                       lgetxattr(source.c_str(), "system.posix_acl_default", nullptr, 0) > 0;
  add("access",
      world_write || group_write || st.st_uid != 0 ? AuditLevel::kWarning
      : world_read || has_acl                      ? AuditLevel::kInfo
                                                   : AuditLevel::kOk,
      fmt::format("mode {}, owner {}:{}{}{}{}", integrity::FormatMode(st.st_mode & 07777),
                  st.st_uid, st.st_gid, has_acl ? ", with an ACL" : "",
                  world_write   ? "; anyone can write to it"
                  : group_write ? "; its group can write to it"
                                : "",
                  st.st_uid != 0 ? "; not owned by root" : ""));

  std::ifstream in("/proc/self/mountinfo");
  std::stringstream mountinfo;
  mountinfo << in.rdbuf();
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(source, ec);
  if (const auto mount = MountOf(mountinfo.str(), absolute.string())) {
    const bool writable = mount->options.starts_with("rw");
    add("mount", writable ? AuditLevel::kInfo : AuditLevel::kOk,
        fmt::format("on {} ({}, {}){}", mount->point, mount->type, mount->options,
                    writable ? "; mounted writable, so the intruder can change it" : ""));
  }
  struct stat root_st {};
  if (stat(host_root.c_str(), &root_st) == 0) {
    const bool same = root_st.st_dev == st.st_dev;
    add("same-disk", same ? AuditLevel::kWarning : AuditLevel::kOk,
        same ? fmt::format("on the same filesystem as the system ({}): an intruder with root "
                           "reached it too",
                           host_root.string())
             : "on another filesystem than the system");
  }

  if (!generations.empty()) {
    const Generation& newest = generations.back();
    const int64_t age = now.seconds - newest.time.seconds;
    add("age", age > 7 * 86400 ? AuditLevel::kWarning : AuditLevel::kInfo,
        fmt::format("{} generations; the newest, {}, is {} old ({})", generations.size(),
                    newest.name, FormatDuration(age), FormatRfc3339(newest.time)));
    std::vector<std::string> exposed;
    if (newest.kind == GenerationKind::kFolder) {
      for (const char* secret : kSecrets) {
        const auto secret_st = StatBeneath(newest.location, secret);
        if (secret_st && OthersCanRead(*secret_st)) exposed.push_back(std::string("/") + secret);
      }
    } else if (newest.kind == GenerationKind::kArchive) {
      struct stat archive_st {};
      if (lstat(newest.location.c_str(), &archive_st) == 0 && OthersCanRead(archive_st)) {
        exposed.push_back(newest.location.string() + " (the whole archive)");
      }
    } else if (newest.kind == GenerationKind::kBorg) {
      // borg keeps its files to their owner: a config others can read hands
      // them the repokey to guess offline, a data folder the segments.
      for (const char* part : {"config", "data"}) {
        const auto part_st = StatBeneath(newest.location, part);
        if (part_st && OthersCanRead(*part_st)) {
          exposed.push_back((newest.location / part).string() + " (of the borg repository)");
        }
      }
    }
    add("secrets", exposed.empty() ? AuditLevel::kOk : AuditLevel::kWarning,
        exposed.empty() ? "no shadow file, host key or private key readable by everyone"
                        : fmt::format("readable by everyone: {}", fmt::join(exposed, ", ")));
    if (newest.kind == GenerationKind::kRestic || newest.kind == GenerationKind::kBorg) {
      const bool borg = newest.kind == GenerationKind::kBorg;
      const Status check = borg ? BorgCheck(newest.location) : ResticCheck(newest.location);
      const std::string what = borg ? "borg check --archives-only --verify-data" : "restic check";
      add("tool-check", check.ok() ? AuditLevel::kOk : AuditLevel::kWarning,
          check.ok() ? what + " passed" : what + " failed: " + check.error().message);
    }
  }
  return findings;
}

}  // namespace irk::backups
