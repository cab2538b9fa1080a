#include "integrity/scanner.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "integrity/bounded_queue.h"
#include "integrity/file_reader.h"

namespace irk::integrity {
namespace {

constexpr int kMaxDepth = 256;
constexpr size_t kJobEntries = 64;        // files handed to a worker at once
constexpr uint64_t kJobBytes = 16 << 20;  // … or fewer when they are this large together
constexpr size_t kRecordBatch = 512;      // records the walker hands on at once
constexpr auto kProgressEvery = std::chrono::milliseconds(250);

using SharedFd = std::shared_ptr<Fd>;
using Batch = std::vector<FileRecord>;

// Regular files of one folder for one worker, their metadata from lstat.
struct Job {
  SharedFd dir;
  const Rule* rule = nullptr;
  std::vector<std::string> names;
  Batch records;
  uint64_t bytes = 0;
};

// A rule's path with its wildcards expanded.
struct Target {
  std::string path;
  const Rule* rule;
};

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (path != "/") path += '/';
  path += name;
  return path;
}

bool HasWildcard(std::string_view text) { return text.find_first_of("*?[") != text.npos; }

ReadState StateForErrno(int error) {
  if (error == ENOENT || error == ENOTDIR) return ReadState::kVanished;
  if (error == EACCES || error == EPERM) return ReadState::kDenied;
  if (error == ELOOP) return ReadState::kUnstable;
  return ReadState::kError;
}

// The entries of the open folder `fd` (not consumed) as (inode, name),
// sorted by inode so the disk is read in its own order.
Result<std::vector<std::pair<ino_t, std::string>>> ListEntries(int fd) {
  const int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return Fail(std::strerror(errno));
  DIR* stream = fdopendir(copy);
  if (stream == nullptr) {
    const int error = errno;
    close(copy);
    return Fail(std::strerror(error));
  }
  std::vector<std::pair<ino_t, std::string>> entries;
  while (true) {
    errno = 0;
    const dirent* entry = readdir(stream);
    if (entry == nullptr) break;
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    entries.emplace_back(entry->d_ino, std::string(name));
  }
  const int error = errno;
  closedir(stream);
  if (error != 0) return Fail(std::strerror(error));
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Expands the components of `rest` below `prefix` into `out`; components
// with wildcards are matched against the folder's names (sorted).
void Expand(const Root& root, const std::string& prefix, std::string_view rest, const Rule& rule,
            std::vector<Target>& out) {
  while (rest.starts_with('/')) rest.remove_prefix(1);
  if (rest.empty()) {
    out.push_back(Target{prefix, &rule});
    return;
  }
  const size_t slash = rest.find('/');
  const std::string component(rest.substr(0, slash));
  const std::string_view remainder = slash == rest.npos ? std::string_view() : rest.substr(slash);
  if (!HasWildcard(component)) {
    Expand(root, JoinPath(prefix, component), remainder, rule, out);
    return;
  }
  auto dir = root.OpenDirectory(prefix);
  if (!dir.ok()) return;
  auto entries = ListEntries(dir->get());
  if (!entries.ok()) return;
  std::vector<std::string> names;
  for (auto& [inode, name] : *entries) {
    if (fnmatch(component.c_str(), name.c_str(), FNM_PERIOD) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) Expand(root, JoinPath(prefix, name), remainder, rule, out);
}

class Walker {
 public:
  Walker(const Root& root, const Policy& policy, BoundedQueue<Job>& jobs,
         BoundedQueue<Batch>& results, const std::atomic<bool>& stop)
      : root_(root), policy_(policy), jobs_(jobs), results_(results), stop_(stop) {}

  void Run() {
    std::vector<Target> targets;
    for (const Rule& rule : policy_.rules) Expand(root_, "/", rule.path, rule, targets);
    for (const Target& target : targets) roots_.insert(target.path);
    std::unordered_set<std::string> done;
    for (const Target& target : targets) {
      if (!done.insert(target.path).second) continue;
      WalkTarget(target);
      while (!stack_.empty() && !stop_) {
        Pending next = std::move(stack_.back());
        stack_.pop_back();
        Directory(next);
      }
      stack_.clear();
    }
    SubmitJob();
    Flush();
  }

  uint64_t bytes_listed() const { return bytes_listed_; }

 private:
  // A folder found but not yet opened; its parent stays open while it waits.
  struct Pending {
    SharedFd parent;
    std::string path;
    std::string name;
    struct stat seen;
    const Rule* rule;
    dev_t device;  // the rule's file system
    int depth;
  };

  void WalkTarget(const Target& target) {
    if (MatchesAny(policy_.exclude, target.path)) return;
    const Rule& rule = *target.rule;
    if (target.path == "/") {
      auto dir = root_.OpenDirectory("/");
      struct stat st {};
      if (!dir.ok() || fstat(dir->get(), &st) != 0) return;
      stack_.push_back(
          Pending{std::make_shared<Fd>(std::move(*dir)), "/", ".", st, &rule, st.st_dev, 0});
      return;
    }
    const size_t slash = target.path.rfind('/');
    const std::string parent = slash == 0 ? "/" : target.path.substr(0, slash);
    const std::string name = target.path.substr(slash + 1);
    auto dir = root_.OpenDirectory(parent);
    if (!dir.ok()) {
      const int error = errno;
      if (error != ENOENT && error != ENOTDIR) Problem(target.path, rule, error);
      return;
    }
    const auto shared = std::make_shared<Fd>(std::move(*dir));
    struct stat st {};
    if (fstatat(shared->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) Problem(target.path, rule, errno);
      return;
    }
    Entry(shared, target.path, name, st, rule, st.st_dev, 0);
  }

  void Problem(const std::string& path, const Rule& rule, int error) {
    FileRecord record;
    record.path = path;
    record.attributes = rule.attributes;
    record.state = StateForErrno(error);
    record.problem = std::strerror(error);
    Emit(std::move(record));
  }

  void Entry(const SharedFd& dir, std::string path, const std::string& name, const struct stat& st,
             const Rule& rule, dev_t device, int depth) {
    if (S_ISDIR(st.st_mode)) {
      stack_.push_back(Pending{dir, std::move(path), name, st, &rule, device, depth});
      return;
    }
    FileRecord record;
    record.path = std::move(path);
    record.attributes = rule.attributes;
    FillFromStat(st, record);
    if (S_ISREG(st.st_mode)) {
      if (job_.dir != dir || job_.rule != &rule || job_.names.size() >= kJobEntries ||
          job_.bytes >= kJobBytes) {
        SubmitJob();
        job_.dir = dir;
        job_.rule = &rule;
      }
      job_.names.push_back(name);
      job_.records.push_back(std::move(record));
      job_.bytes += static_cast<uint64_t>(st.st_size);
      bytes_listed_ += static_cast<uint64_t>(st.st_size);
      return;
    }
    if (S_ISLNK(st.st_mode) && (rule.attributes & kTarget) != 0) {
      std::string target(4096, '\0');
      const ssize_t n = readlinkat(dir->get(), name.c_str(), target.data(), target.size());
      if (n >= 0) record.target = target.substr(0, static_cast<size_t>(n));
    }
    // FIFOs, sockets and devices: their metadata only; never opened.
    Emit(std::move(record));
  }

  void Directory(const Pending& pending) {
    const Rule& rule = *pending.rule;
    FileRecord record;
    record.path = pending.path;
    record.attributes = rule.attributes;
    FillFromStat(pending.seen, record);
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    int fd = openat(pending.parent->get(), pending.name.c_str(), kFlags | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = openat(pending.parent->get(), pending.name.c_str(), kFlags);
    if (fd < 0) {
      const int error = errno;
      record.state = StateForErrno(error);
      record.problem = error == ELOOP || error == ENOTDIR
                           ? "replaced while scanned"
                           : fmt::format("open: {}", std::strerror(error));
      Emit(std::move(record));
      return;
    }
    auto dir = std::make_shared<Fd>(fd);
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_dev != pending.seen.st_dev ||
        st.st_ino != pending.seen.st_ino) {
      record.state = ReadState::kUnstable;
      record.problem = "replaced while scanned";
      Emit(std::move(record));
      return;
    }
    FillFromStat(st, record);
    record.xattrs = ReadXattrs(fd, rule.attributes);
    const bool other_filesystem = policy_.one_filesystem && st.st_dev != pending.device;
    if (pending.depth >= kMaxDepth) {
      record.state = ReadState::kError;
      record.problem = fmt::format("deeper than {} levels; not descended", kMaxDepth);
    }
    auto entries = other_filesystem || pending.depth >= kMaxDepth
                       ? Result<std::vector<std::pair<ino_t, std::string>>>(
                             std::vector<std::pair<ino_t, std::string>>())
                       : ListEntries(fd);
    if (!entries.ok()) {
      record.state = ReadState::kError;
      record.problem = "list: " + entries.error().message;
    }
    Emit(std::move(record));
    if (!entries.ok()) return;

    const size_t first_subdir = stack_.size();
    for (const auto& [inode, name] : *entries) {
      std::string path = JoinPath(pending.path, name);
      // Another rule's folder is walked under that rule; excluded paths not at all.
      if (roots_.contains(path) || MatchesAny(policy_.exclude, path) ||
          MatchesAny(rule.exclude, path)) {
        continue;
      }
      struct stat child {};
      if (fstatat(fd, name.c_str(), &child, AT_SYMLINK_NOFOLLOW) != 0) {
        Problem(path, rule, errno);
        continue;
      }
      Entry(dir, std::move(path), name, child, rule, pending.device, pending.depth + 1);
    }
    // The stack pops from the back: reverse so folders are walked in inode order.
    std::reverse(stack_.begin() + static_cast<std::ptrdiff_t>(first_subdir), stack_.end());
    SubmitJob();
  }

  void SubmitJob() {
    if (!job_.names.empty()) jobs_.Push(std::move(job_));
    job_ = Job{};
  }

  void Emit(FileRecord record) {
    pending_.push_back(std::move(record));
    if (pending_.size() >= kRecordBatch) Flush();
  }

  void Flush() {
    if (!pending_.empty()) results_.Push(std::move(pending_));
    pending_ = Batch{};
  }

  const Root& root_;
  const Policy& policy_;
  BoundedQueue<Job>& jobs_;
  BoundedQueue<Batch>& results_;
  const std::atomic<bool>& stop_;
  std::unordered_set<std::string> roots_;  // every rule's expanded path
  std::vector<Pending> stack_;
  Job job_;
  Batch pending_;
  std::atomic<uint64_t> bytes_listed_ = 0;
};

void DrawProgress(const ScanTotals& totals, uint64_t listed, bool walk_done, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(totals.bytes) / seconds : 0;
  std::string eta = "listing";
  if (walk_done && rate > 0) {
    const auto left = static_cast<int64_t>(static_cast<double>(listed - totals.bytes) / rate);
    eta = fmt::format("ETA {}:{:02d}", left / 60, left % 60);
  }
  std::fprintf(stderr, "\r\033[K%llu entries, %s hashed, %s/s, %s",
               static_cast<unsigned long long>(totals.entries), FormatBytes(totals.bytes).c_str(),
               FormatBytes(static_cast<uint64_t>(rate)).c_str(), eta.c_str());
  std::fflush(stderr);
}

}  // namespace

std::string FormatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

Result<ScanTotals> Scan(const Root& root, const Policy& policy, const ScanOptions& options,
                        const RecordSink& sink) {
  const unsigned workers =
      options.workers > 0 ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  BoundedQueue<Job> jobs(workers * 4);
  BoundedQueue<Batch> results(workers * 4 + 16);
  std::atomic<bool> stop = false;
  std::atomic<bool> walk_done = false;
  std::atomic<unsigned> producers = workers + 1;  // the last one to finish closes `results`
  const auto finish = [&] {
    if (--producers == 0) results.Close();
  };

  Walker walker(root, policy, jobs, results, stop);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    walker.Run();
    walk_done = true;
    jobs.Close();
    finish();
  });
  for (unsigned i = 0; i < workers; ++i) {
    threads.emplace_back([&] {
      FileReader reader;
      while (auto job = jobs.Pop()) {
        if (!stop) {
          for (size_t j = 0; j < job->names.size(); ++j) {
            reader.Read(job->dir->get(), job->names[j].c_str(), job->rule->hash, job->records[j]);
          }
        }
        results.Push(std::move(job->records));
      }
      finish();
    });
  }

  ScanTotals totals;
  Status status = Ok();
  const auto start = std::chrono::steady_clock::now();
  auto last_draw = start;
  while (true) {
    auto batch = results.Pop(options.progress ? kProgressEvery : std::chrono::milliseconds::max());
    if (batch) {
      for (const FileRecord& record : *batch) {
        ++totals.entries;
        if (!record.hash.empty()) totals.bytes += record.size;
        if (record.state != ReadState::kOk) ++totals.problems;
      }
      if (status.ok()) {
        status = sink(*batch);
        if (!status.ok()) stop = true;
      }
    } else if (results.closed()) {
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (options.progress && now - last_draw >= kProgressEvery) {
      last_draw = now;
      DrawProgress(totals, walker.bytes_listed(), walk_done,
                   std::chrono::duration<double>(now - start).count());
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (options.progress) std::fputs("\r\033[K", stderr);
  if (!status.ok()) return status.error();
  return totals;
}

}  // namespace irk::integrity
