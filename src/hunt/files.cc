#include "hunt/files.h"

#include <sys/xattr.h>

#include <unistd.h>

#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "core/passwd.h"
#include "core/proc.h"

namespace irk::hunt {
namespace {

constexpr int64_t kRecentSeconds = 7 * 86400;
constexpr int kMaxDepth = 64;
constexpr size_t kMaxPasswdBytes = 16u << 20;

// Kernel and runtime trees: no files an intruder installs, and reading them
// costs much.
bool IsVirtual(std::string_view path) {
  for (const std::string_view dir : {"/proc", "/sys", "/dev", "/run"}) {
    if (path == dir) return true;
  }
  return false;
}

std::string Join(std::string_view dir, std::string_view name) {
  return dir == "/" ? "/" + std::string(name) : std::string(dir) + "/" + std::string(name);
}

// Calls `visit` for every entry below `dir`, depth first, in name order;
// directories are entered (never through a link) unless `enter` says no.
void Walk(const Root& root, const std::string& dir, int depth,
          const std::function<bool(const std::string& path)>& enter,
          const std::function<void(const std::string& path, const struct stat& st)>& visit) {
  if (depth > kMaxDepth) return;
  auto entries = root.List(dir);
  if (!entries.ok()) return;
  for (const Root::Entry& entry : *entries) {
    const std::string path = Join(dir, entry.name);
    visit(path, entry.st);
    if (S_ISDIR(entry.st.st_mode) && enter(path)) Walk(root, path, depth + 1, enter, visit);
  }
}

std::string Mode(const struct stat& st) { return fmt::format("{:04o}", st.st_mode & 07777); }

std::string Owner(const std::vector<PasswdEntry>& users, uid_t uid) {
  const auto user = FindByUid(users, uid);
  return user ? user->name : std::to_string(uid);
}

bool Recent(const struct stat& st, Timestamp now) {
  return now.seconds - std::max(st.st_mtim.tv_sec, st.st_ctim.tv_sec) < kRecentSeconds;
}

bool InScratch(std::string_view path) {
  for (const std::string_view dir : {"/tmp/", "/var/tmp/", "/dev/shm/", "/home/", "/root/"}) {
    if (path.starts_with(dir)) return true;
  }
  return false;
}

// An executable ELF file (a program or shared object, not an object file)
// or a file with an execute bit.
bool IsProgram(const Root& root, const std::string& path, const struct stat& st) {
  if ((st.st_mode & 0111) != 0) return true;
  auto fd = root.OpenFile(path);
  if (!fd.ok()) return false;
  unsigned char header[18] = {};
  if (pread(fd->get(), header, sizeof header, 0) != sizeof header) return false;
  if (std::string_view(reinterpret_cast<const char*>(header), 4) !=
      "\x7f"
      "ELF")
    return false;
  // e_type: 2 executable, 3 shared object or PIE, in the file's byte order.
  const int type = header[5] == 2 ? header[16] << 8 | header[17] : header[17] << 8 | header[16];
  return type == 2 || type == 3;
}

// Files Debian's maintainer scripts write, so no package's file list holds
// them: pam-auth-update's common-* and base-files' /etc/profile. Only a
// recent change is worth a look.
bool WrittenByMaintainerScripts(std::string_view path) {
  for (const std::string_view generated :
       {"/etc/pam.d/common-auth", "/etc/pam.d/common-account", "/etc/pam.d/common-password",
        "/etc/pam.d/common-session", "/etc/pam.d/common-session-noninteractive", "/etc/profile"}) {
    if (path == generated) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> ParseProcModules(std::string_view text) {
  std::vector<std::string> names;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    const std::string_view name = line.substr(0, line.find(' '));
    if (!name.empty() && name.size() <= 64) names.emplace_back(name);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return names;
}

std::string ModuleName(std::string_view file_name) {
  for (const std::string_view suffix : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
    if (file_name.size() > suffix.size() && file_name.ends_with(suffix)) {
      std::string name(file_name.substr(0, file_name.size() - suffix.size()));
      for (char& c : name) c = c == '-' ? '_' : c;
      return name;
    }
  }
  return "";
}

std::vector<Finding> HuntSetuid(const Root& root, const PackageFiles& packages) {
  std::vector<Finding> out;
  std::vector<PasswdEntry> users;
  if (auto text = root.ReadFile("/etc/passwd", kMaxPasswdBytes); text.ok())
    users = ParsePasswd(*text);
  const auto enter = [&root](const std::string& path) { return !(root.live() && IsVirtual(path)); };
  const auto visit = [&](const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) return;
    const bool special = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
    bool capabilities = false;
    if (!special && (st.st_mode & 0111) != 0) {
      capabilities = lgetxattr(root.HostPath(path).c_str(), "security.capability", nullptr, 0) > 0;
    }
    if (!special && !capabilities) return;
    if (packages.Owns(path)) return;
    Finding f;
    f.kind = "setuid";
    f.severity = InScratch(path) || !packages.known() ? Severity::kHigh : Severity::kMedium;
    const std::string what = capabilities             ? "has file capabilities"
                             : (st.st_mode & S_ISUID) ? "is setuid " + Owner(users, st.st_uid)
                                                      : "is setgid";
    f.summary =
        fmt::format("{} {}{}", path, what, packages.known() ? " and no package installed it" : "");
    f.path = path;
    f.user = Owner(users, st.st_uid);
    f.evidence = {{"mode", Mode(st)},
                  {"uid", std::to_string(st.st_uid)},
                  {"gid", std::to_string(st.st_gid)},
                  {"size", std::to_string(st.st_size)},
                  {"mtime", FormatRfc3339(Timestamp{st.st_mtim.tv_sec, 0})}};
    out.push_back(std::move(f));
  };
  Walk(root, "/", 0, enter, visit);
  return out;
}

std::vector<Finding> HuntPersistence(const Root& root, const PackageFiles& packages,
                                     Timestamp now) {
  std::vector<Finding> out;
  const auto report = [&](const std::string& path, const struct stat& st, Severity unowned,
                          std::string_view what) {
    const bool generated = WrittenByMaintainerScripts(path);
    const bool owned = packages.Owns(path) || generated;
    const bool recent = Recent(st, now);
    if (owned && !recent) return;
    if (!owned && !packages.known() && !recent) return;  // no package list to judge by
    Finding f;
    f.kind = "persistence";
    f.severity = owned ? Severity::kLow : unowned;
    f.summary = fmt::format("{} {}: {}", what, path,
                            owned ? (generated ? "written by a package's scripts, changed in "
                                                 "the last 7 days"
                                               : "a package's file, changed in the last 7 days")
                                  : (recent ? "no package installed it, changed in the last 7 days"
                                            : "no package installed it"));
    f.path = path;
    f.evidence = {{"mode", Mode(st)},
                  {"uid", std::to_string(st.st_uid)},
                  {"mtime", FormatRfc3339(Timestamp{st.st_mtim.tv_sec, 0})},
                  {"ctime", FormatRfc3339(Timestamp{st.st_ctim.tv_sec, 0})}};
    out.push_back(std::move(f));
  };
  const auto files_in = [&](const std::string& dir, int depth, Severity unowned,
                            std::string_view what) {
    Walk(
        root, dir, 0, [depth](const std::string&) { return depth > 0; },
        [&](const std::string& path, const struct stat& st) {
          if (S_ISREG(st.st_mode)) report(path, st, unowned, what);
        });
  };
  const auto file = [&](const std::string& path, Severity unowned, std::string_view what) {
    if (auto st = root.Stat(path); st.ok() && S_ISREG(st->st_mode))
      report(path, *st, unowned, what);
  };

  file("/etc/crontab", Severity::kMedium, "cron table");
  for (const char* dir : {"/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
                          "/etc/cron.monthly"}) {
    files_in(dir, 0, Severity::kMedium, "cron job");
  }
  // A user's crontab or at job is never a package's: each is listed.
  for (const char* dir :
       {"/var/spool/cron/crontabs", "/var/spool/cron/atjobs", "/var/spool/cron", "/var/spool/at"}) {
    auto entries = root.List(dir);
    if (!entries.ok()) continue;
    for (const Root::Entry& entry : *entries) {
      if (!S_ISREG(entry.st.st_mode) || entry.name.starts_with('.')) continue;
      Finding f;
      f.kind = "persistence";
      f.severity = Severity::kMedium;
      f.path = Join(dir, entry.name);
      f.summary = fmt::format("scheduled job {}", f.path);
      f.evidence = {{"mtime", FormatRfc3339(Timestamp{entry.st.st_mtim.tv_sec, 0})},
                    {"uid", std::to_string(entry.st.st_uid)}};
      out.push_back(std::move(f));
    }
  }
  file("/etc/rc.local", Severity::kMedium, "boot script");
  files_in("/etc/systemd/system", 4, Severity::kMedium, "systemd unit");
  files_in("/etc/systemd/user", 4, Severity::kMedium, "systemd user unit");
  files_in("/etc/profile.d", 0, Severity::kMedium, "login script");
  file("/etc/profile", Severity::kMedium, "login script");
  file("/etc/bash.bashrc", Severity::kMedium, "shell start-up file");
  files_in("/etc/update-motd.d", 0, Severity::kMedium, "motd script (run as root at login)");
  files_in("/etc/udev/rules.d", 0, Severity::kMedium, "udev rule");
  files_in("/etc/pam.d", 0, Severity::kMedium, "PAM configuration");
  for (const char* dir : {"/lib/x86_64-linux-gnu/security", "/usr/lib/x86_64-linux-gnu/security",
                          "/lib64/security", "/usr/lib64/security", "/lib/security"}) {
    files_in(dir, 0, Severity::kHigh, "PAM module");
  }
  std::vector<PasswdEntry> users;
  if (auto text = root.ReadFile("/etc/passwd", kMaxPasswdBytes); text.ok())
    users = ParsePasswd(*text);
  std::set<std::string> homes;
  for (const PasswdEntry& user : users) {
    if (!user.home.starts_with('/') || user.home == "/" || !homes.insert(user.home).second)
      continue;
    files_in(user.home + "/.config/systemd/user", 2, Severity::kMedium, "systemd user unit");
    for (const char* name : {"/.bashrc", "/.profile", "/.bash_profile", "/.bash_login"}) {
      // A user's own start-up files belong to no package: only recent changes count.
      if (auto st = root.Stat(user.home + name);
          st.ok() && S_ISREG(st->st_mode) && Recent(*st, now)) {
        Finding f;
        f.kind = "persistence";
        f.severity = Severity::kLow;
        f.path = user.home + name;
        f.user = user.name;
        f.summary = fmt::format("shell start-up file {} changed in the last 7 days", f.path);
        f.evidence = {{"mtime", FormatRfc3339(Timestamp{st->st_mtim.tv_sec, 0})}};
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}

std::vector<Finding> HuntTmpExecutables(const Root& root) {
  std::vector<Finding> out;
  for (const std::string dir : {"/tmp", "/var/tmp", "/dev/shm"}) {
    auto top = root.List(dir);
    if (!top.ok()) continue;
    // One finding per entry of the folder: a dropped tool is one line, and a
    // build tree someone keeps in /tmp is one line too, not a thousand.
    for (const Root::Entry& entry : *top) {
      const std::string item = Join(dir, entry.name);
      std::vector<std::pair<std::string, struct stat>> programs;
      const auto visit = [&](const std::string& path, const struct stat& st) {
        if (S_ISREG(st.st_mode) && IsProgram(root, path, st)) programs.emplace_back(path, st);
      };
      visit(item, entry.st);
      if (S_ISDIR(entry.st.st_mode)) {
        Walk(
            root, item, 1, [](const std::string&) { return true; }, visit);
      }
      if (programs.empty()) continue;
      const bool setuid = std::any_of(programs.begin(), programs.end(), [](const auto& p) {
        return (p.second.st_mode & (S_ISUID | S_ISGID)) != 0;
      });
      const auto& [first, st] = programs.front();
      Finding f;
      f.kind = "tmp_executable";
      f.severity = setuid ? Severity::kHigh : Severity::kMedium;
      f.summary = programs.size() == 1
                      ? fmt::format("program {} in a world-writable folder{}", first,
                                    setuid ? ", setuid" : "")
                      : fmt::format("{} programs under {} (first {}){}", programs.size(), item,
                                    first, setuid ? ", some setuid" : "");
      f.path = programs.size() == 1 ? first : item;
      f.evidence = {{"programs", std::to_string(programs.size())},
                    {"first", first},
                    {"mode", Mode(st)},
                    {"uid", std::to_string(st.st_uid)},
                    {"size", std::to_string(st.st_size)},
                    {"mtime", FormatRfc3339(Timestamp{st.st_mtim.tv_sec, 0})}};
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<Finding> HuntKernelModules(const Root& root, const std::filesystem::path& proc_dir) {
  std::vector<Finding> out;
  const auto release = ReadProcFile(proc_dir / "sys/kernel/osrelease", 256);
  const auto loaded = ReadProcFile(proc_dir / "modules", 1u << 20);
  if (!release || !loaded) return out;
  const std::string modules_dir =
      "/lib/modules/" + release->substr(0, release->find_first_of("\n "));
  std::set<std::string> on_disk;
  Walk(
      root, modules_dir, 0, [](const std::string&) { return true; },
      [&](const std::string& path, const struct stat& st) {
        if (S_ISREG(st.st_mode)) {
          const std::string name = ModuleName(path.substr(path.rfind('/') + 1));
          if (!name.empty()) on_disk.insert(name);
        }
      });
  if (on_disk.empty()) return out;  // no module tree to compare with
  for (const std::string& name : ParseProcModules(*loaded)) {
    if (on_disk.contains(name)) continue;
    Finding f;
    f.kind = "kernel_module";
    f.severity = Severity::kHigh;
    f.summary = fmt::format("loaded kernel module {} is not in {}: loaded from elsewhere", name,
                            modules_dir);
    f.path = modules_dir;
    f.evidence = {{"module", name}};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace irk::hunt
