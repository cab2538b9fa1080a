#include "integrity/package_check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "core/passwd.h"
#include "integrity/deb_archive.h"
#include "integrity/dpkg_database.h"
#include "integrity/file_reader.h"

namespace irk::integrity {
namespace {

constexpr std::string_view kInfo = "/var/lib/dpkg/info/";
constexpr size_t kChunk = 64;  // files a worker takes at once

// Folders where packages put everything: an entry here that no package,
// alternative or diversion owns was put there by hand.
constexpr std::string_view kPackageFolders[] = {
    "/usr/bin",
    "/usr/sbin",
    "/etc/cron.d",
    "/etc/cron.hourly",
    "/etc/cron.daily",
    "/etc/cron.weekly",
    "/etc/cron.monthly",
    "/etc/sudoers.d",
    "/etc/pam.d",
    "/etc/init.d",
    "/usr/lib/systemd/system",
    "/usr/lib/x86_64-linux-gnu/security",
    "/usr/lib/aarch64-linux-gnu/security",
    "/usr/lib64/security",
};

// Files that maintainer scripts write rather than ship (pam-auth-update):
// owned by no package on every Debian system.
constexpr std::string_view kGenerated[] = {
    "/etc/pam.d/common-account",
    "/etc/pam.d/common-auth",
    "/etc/pam.d/common-password",
    "/etc/pam.d/common-session",
    "/etc/pam.d/common-session-noninteractive",
};

// One file to hash and what the package database says it should be.
struct Job {
  std::string path;  // on disk (after diversions)
  std::string listed_path;
  const DpkgPackage* package;
  std::string md5;
  bool conffile;
};

// Maps the paths of a merged-/usr system to one spelling: with /bin a link
// to usr/bin, "/bin/ls" and "/usr/bin/ls" are the same file.
class Canonical {
 public:
  explicit Canonical(const Root& root) {
    for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
      auto target = root.ReadLink(top);
      if (!target.ok()) continue;
      std::string to = *target;
      if (!to.starts_with('/')) to = "/" + to;
      while (to.size() > 1 && to.back() == '/') to.pop_back();
      links_.emplace_back(std::string(top), to);
    }
  }

  std::string operator()(std::string_view path) const {
    for (const auto& [from, to] : links_) {
      if (path.starts_with(from) && (path.size() == from.size() || path[from.size()] == '/')) {
        return to + std::string(path.substr(from.size()));
      }
    }
    return std::string(path);
  }

 private:
  std::vector<std::pair<std::string, std::string>> links_;
};

// Reads an info file of a package, trying "name:arch" (Multi-Arch: same)
// before "name"; nullopt when neither is among `names` (the info folder's files).
Result<std::optional<std::string>> ReadInfo(const Root& root,
                                            const std::unordered_set<std::string>& names,
                                            const DpkgPackage& package, std::string_view suffix) {
  for (const std::string& name : {package.name + ":" + package.architecture, package.name}) {
    const std::string file = name + std::string(suffix);
    if (!names.contains(file)) continue;
    auto text = root.ReadFile(std::string(kInfo) + file, kMaxDpkgFileBytes);
    if (!text.ok()) return text.error();
    return std::optional<std::string>(std::move(*text));
  }
  return std::optional<std::string>();
}

// A file of /var/lib/dpkg that may be absent; nullopt then.
Result<std::optional<std::string>> ReadOptional(const Root& root, std::string_view name) {
  auto names = root.ListFiles("/var/lib/dpkg");
  if (!names.ok()) return names.error();
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    return std::optional<std::string>();
  }
  auto text = root.ReadFile("/var/lib/dpkg/" + std::string(name), kMaxDpkgFileBytes);
  if (!text.ok()) return text.error();
  return std::optional<std::string>(std::move(*text));
}

// Hashes every job's file with `algorithm` on `workers` threads; records in
// job order.
std::vector<FileRecord> HashAll(const Root& root, const std::vector<std::string>& paths,
                                HashAlgorithm algorithm, unsigned workers) {
  std::vector<FileRecord> records(paths.size());
  std::atomic<size_t> next = 0;
  auto work = [&] {
    FileReader reader;
    while (true) {
      const size_t first = next.fetch_add(kChunk);
      if (first >= paths.size()) return;
      std::string open_parent;
      Result<Fd> dir = Fail("");
      for (size_t i = first; i < std::min(first + kChunk, paths.size()); ++i) {
        const std::string& path = paths[i];
        const size_t slash = path.rfind('/');
        const std::string parent = slash == 0 ? "/" : path.substr(0, slash);
        if (parent != open_parent || !dir.ok()) {
          dir = root.OpenDirectory(parent);
          open_parent = parent;
        }
        FileRecord& record = records[i];
        record.path = path;
        record.attributes = kType | kMode | kUid | kGid | kSize | kHash;
        if (!dir.ok()) {
          record.state = errno == ENOENT ? ReadState::kVanished : ReadState::kError;
          record.problem = dir.error().message;
          continue;
        }
        reader.Read(dir->get(), path.c_str() + slash + 1, algorithm, record);
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < workers; ++i) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  return records;
}

// The entries of folder `dir` that are not folders, as absolute paths.
std::vector<std::string> FolderEntries(const Root& root, const std::string& dir) {
  std::vector<std::string> paths;
  auto fd = root.OpenDirectory(dir);
  if (!fd.ok()) return paths;
  DIR* stream = fdopendir(fd->release());
  if (stream == nullptr) return paths;
  while (const dirent* entry = readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (fstatat(dirfd(stream), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISDIR(st.st_mode)) paths.push_back(dir + "/" + std::string(name));
  }
  closedir(stream);
  return paths;
}

void CheckOverrides(const Root& root, std::vector<PackageFinding>& findings) {
  auto text = ReadOptional(root, "statoverride");
  if (!text.ok() || !*text) return;
  auto overrides = ParseStatOverrides(**text, root.HostPath("/var/lib/dpkg/statoverride"));
  if (!overrides.ok()) return;
  const auto passwd = ParsePasswd(root.ReadFile("/etc/passwd", 16 << 20).value_or(""));
  for (const StatOverride& o : *overrides) {
    const size_t slash = o.path.rfind('/');
    auto dir = root.OpenDirectory(slash == 0 ? "/" : o.path.substr(0, slash));
    struct stat st {};
    if (!dir.ok() || fstatat(dir->get(), o.path.c_str() + slash + 1, &st, AT_SYMLINK_NOFOLLOW)) {
      continue;  // an override for a file not installed
    }
    std::optional<uint32_t> uid;
    if (o.user.starts_with('#')) {
      uid = static_cast<uint32_t>(std::strtoul(o.user.c_str() + 1, nullptr, 10));
    } else if (auto entry = FindByName(passwd, o.user)) {
      uid = entry->uid;
    }
    const uint32_t mode = st.st_mode & 07777;
    if (mode != o.mode || (uid && *uid != st.st_uid)) {
      findings.push_back(PackageFinding{o.path, "", PackageProblem::kOverride,
                                        fmt::format("{} {:04o}", o.user, o.mode),
                                        fmt::format("uid {} {:04o}", st.st_uid, mode)});
    }
  }
}

using OnDisk = std::function<std::string(const std::string& path, const std::string& package)>;

// Compares installed files with the .deb archives in `dir` of the versions
// installed; returns how many archives matched an installed version.
Result<size_t> CompareWithDebs(const Root& root, const std::string& dir, bool in_root,
                               const std::vector<DpkgPackage>& packages, const OnDisk& on_disk,
                               unsigned workers, std::vector<PackageFinding>& findings) {
  std::vector<std::string> names;
  if (in_root) {
    auto listed = root.ListFiles(dir);
    if (!listed.ok()) return listed.error();
    names = std::move(*listed);
  } else {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.is_regular_file(error)) names.push_back(entry.path().filename().string());
    }
    if (error) return Fail(fmt::format("list {}: {}", dir, error.message()));
    std::sort(names.begin(), names.end());
  }
  std::map<std::string, const DpkgPackage*> installed;
  for (const DpkgPackage& package : packages) installed[package.name] = &package;

  std::vector<std::string> paths;
  std::vector<std::pair<const DpkgPackage*, std::string>> expected;  // package, sha256
  size_t matched = 0;
  for (const std::string& name : names) {
    if (!name.ends_with(".deb")) continue;
    const std::string path = dir + "/" + name;
    Fd fd;
    if (in_root) {
      auto opened = root.OpenFile(path);
      if (!opened.ok()) return opened.error();
      fd = std::move(*opened);
    } else {
      fd = Fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
      if (fd.get() < 0) return Fail(fmt::format("open {}: {}", path, std::strerror(errno)));
    }
    auto deb = ReadDeb(fd.get(), in_root ? root.HostPath(path) : path);
    if (!deb.ok()) return deb.error();
    const auto it = installed.find(deb->package);
    if (it == installed.end() || it->second->version != deb->version ||
        (deb->architecture != it->second->architecture && deb->architecture != "all")) {
      continue;  // not the version installed: its files say nothing
    }
    ++matched;
    const DpkgPackage& package = *it->second;
    for (DebFile& file : deb->files) {
      const bool conffile = std::any_of(package.conffiles.begin(), package.conffiles.end(),
                                        [&](const Conffile& c) { return c.path == file.path; });
      if (conffile) continue;  // edited conffiles are listed already
      paths.push_back(on_disk(file.path, package.name));
      expected.emplace_back(&package, std::move(file.sha256));
    }
  }
  const std::vector<FileRecord> records = HashAll(root, paths, HashAlgorithm::kSha256, workers);
  for (size_t i = 0; i < paths.size(); ++i) {
    const FileRecord& record = records[i];
    if (record.state != ReadState::kOk || record.hash == expected[i].second) continue;
    findings.push_back(PackageFinding{paths[i], expected[i].first->name,
                                      PackageProblem::kDiffersFromDeb, expected[i].second,
                                      record.hash});
  }
  return matched;
}

}  // namespace

std::string_view PackageProblemName(PackageProblem problem) {
  switch (problem) {
    case PackageProblem::kChanged:
      return "changed";
    case PackageProblem::kMissing:
      return "missing";
    case PackageProblem::kUnreadable:
      return "unreadable";
    case PackageProblem::kConffileModified:
      return "conffile-modified";
    case PackageProblem::kConffileMissing:
      return "conffile-missing";
    case PackageProblem::kOverride:
      return "override-differs";
    case PackageProblem::kUnowned:
      return "unowned";
    case PackageProblem::kDiffersFromDeb:
      return "differs-from-deb";
  }
  return "changed";
}

Result<PackageReport> CheckPackages(const Root& root, const PackageCheckOptions& options) {
  const unsigned workers =
      options.workers > 0 ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  auto status_text = root.ReadFile("/var/lib/dpkg/status", kMaxDpkgFileBytes);
  if (!status_text.ok()) return status_text.error();
  auto packages = ParseDpkgStatus(*status_text, root.HostPath("/var/lib/dpkg/status"));
  if (!packages.ok()) return packages.error();

  std::vector<Diversion> diversions;
  auto diversions_text = ReadOptional(root, "diversions");
  if (!diversions_text.ok()) return diversions_text.error();
  if (*diversions_text) {
    auto parsed = ParseDiversions(**diversions_text, root.HostPath("/var/lib/dpkg/diversions"));
    if (!parsed.ok()) return parsed.error();
    diversions = std::move(*parsed);
  }
  // Where a package's file really is: another package's diversion moves it.
  auto on_disk = [&](const std::string& path, const std::string& package) {
    for (const Diversion& d : diversions) {
      if (d.from == path && d.package != package) return d.to;
    }
    return path;
  };

  auto info = root.ListFiles(kInfo);
  if (!info.ok()) return info.error();
  const std::unordered_set<std::string> info_names(info->begin(), info->end());
  const Canonical canonical(root);
  std::unordered_set<std::string> owned;
  PackageReport report;
  report.packages = packages->size();
  std::vector<Job> jobs;
  for (const DpkgPackage& package : *packages) {
    std::unordered_set<std::string> conffiles;
    for (const Conffile& c : package.conffiles) {
      conffiles.insert(c.path);
      if (c.obsolete || c.md5 == "newconffile") continue;
      jobs.push_back(Job{on_disk(c.path, package.name), c.path, &package, c.md5, true});
    }
    auto md5sums = ReadInfo(root, info_names, package, ".md5sums");
    if (!md5sums.ok()) return md5sums.error();
    if (!*md5sums) {
      report.without_md5sums.push_back(package.name);
    } else {
      auto entries =
          ParseMd5sums(**md5sums, root.HostPath(std::string(kInfo) + package.name + ".md5sums"));
      if (!entries.ok()) return entries.error();
      for (Md5Entry& entry : *entries) {
        if (conffiles.contains(entry.path)) continue;
        jobs.push_back(Job{on_disk(entry.path, package.name), entry.path, &package,
                           std::move(entry.md5), false});
      }
    }
    auto list = ReadInfo(root, info_names, package, ".list");
    if (!list.ok()) return list.error();
    if (*list) {
      auto paths =
          ParsePathList(**list, root.HostPath(std::string(kInfo) + package.name + ".list"));
      if (!paths.ok()) return paths.error();
      for (const std::string& path : *paths) owned.insert(canonical(on_disk(path, package.name)));
    }
  }

  std::vector<std::string> paths;
  paths.reserve(jobs.size());
  for (const Job& job : jobs) paths.push_back(job.path);
  const std::vector<FileRecord> records = HashAll(root, paths, HashAlgorithm::kMd5, workers);
  report.files_checked = jobs.size();
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = jobs[i];
    const FileRecord& record = records[i];
    PackageFinding finding{job.path, job.package->name, PackageProblem::kChanged, "md5:" + job.md5,
                           ""};
    if (record.state == ReadState::kVanished) {
      finding.problem = job.conffile ? PackageProblem::kConffileMissing : PackageProblem::kMissing;
    } else if (record.state != ReadState::kOk) {
      finding.problem = PackageProblem::kUnreadable;
      finding.actual = record.problem;
    } else if (record.type != FileType::kRegular) {
      finding.problem = PackageProblem::kUnreadable;
      finding.actual = std::string(FileTypeName(record.type));
    } else if (record.hash != "md5:" + job.md5) {
      finding.problem = job.conffile ? PackageProblem::kConffileModified : PackageProblem::kChanged;
      finding.actual = record.hash;
    } else {
      continue;
    }
    report.findings.push_back(std::move(finding));
  }

  // Unowned files: alternatives' links and diversions' targets are owned too.
  for (const std::string& name :
       root.ListFiles("/var/lib/dpkg/alternatives").value_or(std::vector<std::string>())) {
    const std::string path = "/var/lib/dpkg/alternatives/" + name;
    auto text = root.ReadFile(path, 1 << 20);
    if (!text.ok()) continue;
    auto links = ParseAlternativeLinks(*text, root.HostPath(path));
    if (!links.ok()) continue;
    for (const std::string& link : *links) owned.insert(canonical(link));
  }
  for (const Diversion& d : diversions) owned.insert(canonical(d.to));
  for (const std::string_view generated : kGenerated) owned.insert(std::string(generated));
  std::unordered_set<std::string> folders_done;
  for (const std::string_view folder : kPackageFolders) {
    const std::string dir = canonical(folder);
    if (!folders_done.insert(dir).second) continue;
    for (const std::string& path : FolderEntries(root, dir)) {
      if (!owned.contains(path)) {
        report.findings.push_back(PackageFinding{path, "", PackageProblem::kUnowned, "", ""});
      }
    }
  }
  CheckOverrides(root, report.findings);

  if (options.debs_dir) {
    auto compared = CompareWithDebs(root, *options.debs_dir, options.debs_in_root, *packages,
                                    on_disk, workers, report.findings);
    if (!compared.ok()) return compared.error();
    report.debs_read = *compared;
  }

  std::sort(report.findings.begin(), report.findings.end(),
            [](const PackageFinding& a, const PackageFinding& b) {
              return std::tie(a.path, a.problem) < std::tie(b.path, b.problem);
            });
  return report;
}

Result<std::vector<std::string>> SaveConfigs(const Root& root,
                                             const std::vector<PackageFinding>& findings,
                                             const std::filesystem::path& dir) {
  std::vector<std::string> saved;
  for (const PackageFinding& finding : findings) {
    if (finding.problem != PackageProblem::kConffileModified) continue;
    auto source = root.OpenFile(finding.path);
    if (!source.ok()) return source.error();
    struct stat st {};
    if (fstat(source->get(), &st) != 0) {
      return Fail(fmt::format("stat {}: {}", root.HostPath(finding.path), std::strerror(errno)));
    }
    const std::filesystem::path target = dir / std::filesystem::path(finding.path).relative_path();
    std::error_code error;
    std::filesystem::create_directories(target.parent_path(), error);
    if (error)
      return Fail(fmt::format("create {}: {}", target.parent_path().string(), error.message()));
    chmod(dir.c_str(), 0700);
    const Fd copy(open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (copy.get() < 0) {
      return Fail(fmt::format("save {}: {}", target.string(), std::strerror(errno)));
    }
    char buffer[65536];
    while (true) {
      const ssize_t n = read(source->get(), buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        return Fail(fmt::format("read {}: {}", root.HostPath(finding.path), std::strerror(errno)));
      if (n == 0) break;
      if (write(copy.get(), buffer, static_cast<size_t>(n)) != n) {
        return Fail(fmt::format("write {}: {}", target.string(), std::strerror(errno)));
      }
    }
    // The copy keeps what the original had: owner, mode and times.
    (void)fchown(copy.get(), st.st_uid, st.st_gid);
    fchmod(copy.get(), st.st_mode & 07777);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    futimens(copy.get(), times);
    saved.push_back(target.string());
  }
  return saved;
}

}  // namespace irk::integrity
