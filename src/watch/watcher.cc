#include "watch/watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "contain/plan.h"
#include "core/proc.h"
#include "core/sockets.h"
#include "logs/dispatch.h"
#include "logs/log_sources.h"

namespace irk::watch {
namespace {

// Each host file is read whole up to this; sudoers and key files are small.
constexpr size_t kMaxHostFile = 1 << 20;
constexpr size_t kMaxProcNet = 16 << 20;
// inotify watches at most (folders of logs, /etc, homes and their .ssh).
constexpr size_t kMaxWatches = 8192;
// The host files are read again at least this often, for what inotify
// cannot see (a home that did not exist when watching began).
constexpr int64_t kHostRereadSeconds = 5;

constexpr uint32_t kFolderEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE |
                                   IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR;

std::string Folder(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos || slash == 0 ? "/" : std::string(path.substr(0, slash));
}

HostFiles ReadHostFiles(const Root& root) {
  HostFiles files;
  if (auto passwd = root.ReadFile("/etc/passwd", kMaxHostFile); passwd.ok()) {
    files.accounts = ParsePasswd(*passwd);
  }
  std::vector<std::string> paths = WatchedFilePaths(files.accounts);
  for (const char* dir : {"/etc/sudoers.d", "/etc/ssh/sshd_config.d"}) {
    auto names = root.ListFiles(dir);
    if (!names.ok()) continue;
    for (const auto& name : *names) paths.push_back(std::string(dir) + "/" + name);
  }
  for (const auto& path : paths) {
    if (auto content = root.ReadFile(path, kMaxHostFile); content.ok()) {
      files.contents[path] = std::move(*content);
    }
  }
  return files;
}

std::set<std::string> ReadListeners() {
  std::vector<TcpSocket> sockets;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    if (auto text = ReadProcFile(file, kMaxProcNet)) {
      for (auto& socket : ParseProcNetTcp(*text)) sockets.push_back(socket);
    }
  }
  return Listeners(sockets);
}

logs::StampContext ContextNow(const logs::TimeZone& zone) {
  const int64_t now = Now().seconds;
  const time_t local = static_cast<time_t>(now + zone.OffsetAt(now));
  struct tm tm {};
  gmtime_r(&local, &tm);
  return logs::StampContext{tm.tm_year + 1900, tm.tm_mon + 1, &zone};
}

// The blocked networks and locked users from the case's journal.
Result<Knowledge> ReadKnowledge(CaseStore& store, const WatchSettings& settings) {
  auto records = store.Records();
  if (!records.ok()) return records.error();
  return KnowledgeFromActions(contain::ReadActions(*records), settings);
}

}  // namespace

Watcher::Watcher(Key, CaseStore& store, const Root& root)
    : store_(store), root_(root), zone_(logs::TimeZone::Utc()) {}

Watcher::~Watcher() = default;

Result<std::unique_ptr<Watcher>> Watcher::Start(CaseStore& store, const Root& root,
                                                const Config& config, WatchOptions options,
                                                const std::function<void(const Error&)>& problem) {
  auto watcher = std::make_unique<Watcher>(Key{}, store, root);
  Watcher& w = *watcher;
  w.options_ = std::move(options);
  auto settings = LoadWatchSettings(config);
  if (!settings.ok()) return settings.error();
  w.settings_ = *settings;
  auto habits = logins::LoadHabitSettings(config);
  if (!habits.ok()) return habits.error();
  auto zone = logs::TimeZone::Load(root);
  if (!zone.ok()) return zone.error();
  w.zone_ = *zone;
  auto knowledge = ReadKnowledge(store, w.settings_);
  if (!knowledge.ok()) return knowledge.error();

  // The history before now: what "never seen for this user" is judged
  // against, and where the attack's keys and users are learned.
  {
    logs::EventReader history_reader(root, w.zone_, {});
    ClientVersions clients;
    const auto learn = [&w, &knowledge, &clients](const logs::Event& event) {
      w.history_.Add(event);
      clients.Note(event);
      Learn(*knowledge, event, clients);
    };
    if (w.options_.files.empty()) {
      history_reader.ReadDefaultSources(w.options_.journal, learn, problem);
    } else {
      for (const auto& file : w.options_.files) {
        if (auto status = history_reader.ReadNamedFile(file, learn); !status.ok()) {
          problem(status.error());
        }
      }
    }
    w.history_.Finish();
  }
  w.rules_ = std::make_unique<EventRules>(std::move(*knowledge), w.history_, w.settings_, *habits,
                                          w.zone_);
  logs::EventFilter filter;
  filter.since = w.options_.since;
  w.reader_ = std::make_unique<logs::EventReader>(root, w.zone_, filter);

  // The sources to follow, and where each stands.
  auto cursors = LoadCursors(store.database());
  if (!cursors.ok()) return cursors.error();
  std::vector<std::string> files;
  bool text_auth_log = false;
  if (w.options_.files.empty()) {
    auto sources = logs::FindLogSources(root);
    if (!sources.ok()) return sources.error();
    for (const auto& source : *sources) {
      text_auth_log |= source.name.ends_with("/auth.log") || source.name.ends_with("/secure");
      files.push_back(root.HostPath(source.name));
    }
  } else {
    for (const auto& file : w.options_.files) files.push_back(root.HostPath(file));
    text_auth_log = true;
  }
  const bool from_start = w.options_.since.has_value();
  for (const auto& file : files) {
    std::optional<FileCursor> cursor;
    if (!from_start) {
      if (auto it = cursors->files.find(file); it != cursors->files.end()) cursor = it->second;
    }
    w.followers_.emplace_back(file, cursor, from_start);
    if (auto status = w.followers_.back().Anchor(); !status.ok()) problem(status.error());
  }
  if (w.options_.journal || !text_auth_log) {
    logs::JournalOptions journal_options;
    journal_options.identifiers = logs::KnownServices();
    const bool resume = !from_start && !cursors->journal.empty();
    if (!resume) journal_options.since = from_start ? *w.options_.since : Now();
    auto journal = logs::JournalReader::Open(root, journal_options);
    if (journal.ok()) {
      w.journal_ = std::make_unique<logs::JournalReader>(std::move(*journal));
      if (resume) {
        if (auto status = w.journal_->SeekCursor(cursors->journal); !status.ok()) {
          problem(status.error());
        }
      }
    } else {
      problem(journal.error());
    }
  }

  w.inotify_ = Fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (w.inotify_.get() < 0) return Fail(fmt::format("watch: inotify: {}", std::strerror(errno)));
  for (const auto& file : files) w.WatchFolder(Folder(file), /*host=*/false);
  if (w.options_.host) {
    w.host_files_ = ReadHostFiles(root);
    if (root.live()) {
      w.listeners_ = ReadListeners();
      // Processes of locked users already there are the kill's business;
      // from now on each new one is an alert. Those already there are
      // neither shown nor counted.
      w.CheckHost(false, [](const Alert&) {});
      w.counts_.alerts = 0;
      // Packets dropped before watching began are the block's business too.
      if (auto firewall = contain::OpenNftables(); firewall.ok()) {
        w.firewall_ = std::move(*firewall);
        w.drops_.Baseline(w.ReadDropped());
      } else if (!w.rules_->knowledge().blocked.empty()) {
        problem(Fail(fmt::format("watch: packets dropped by the block are not counted: {}",
                                 firewall.error().message)));
      }
    }
  }
  w.last_save_ = Now().seconds;
  return watcher;
}

void Watcher::WatchFolder(const std::string& folder, bool host) {
  if (watches_.size() >= kMaxWatches) return;
  const std::string path = root_.HostPath(folder);
  const int wd = inotify_add_watch(inotify_.get(), (host ? path : folder).c_str(), kFolderEvents);
  if (wd < 0) return;  // a folder that is not there (yet) is read on the periodic pass
  auto [it, added] = watches_.emplace(wd, host);
  if (!added) it->second = it->second || host;
}

std::vector<std::string> Watcher::FollowedFiles() const {
  std::vector<std::string> files;
  for (const auto& follower : followers_) files.push_back(follower.path());
  return files;
}

void Watcher::HandleEvent(const logs::Event& event, const AlertSink& sink) {
  ++counts_.events;
  for (const Alert& alert : rules_->Judge(event)) {
    ++counts_.alerts;
    sink(alert);
  }
}

void Watcher::CheckHost(bool files_changed, const AlertSink& sink) {
  if (!options_.host) return;
  const Timestamp now = Now();
  const auto emit = [this, &sink](const std::vector<Alert>& alerts) {
    for (const Alert& alert : alerts) {
      ++counts_.alerts;
      sink(alert);
    }
  };
  if (files_changed || now.seconds - last_host_read_ >= kHostRereadSeconds) {
    last_host_read_ = now.seconds;
    HostFiles after = ReadHostFiles(root_);
    emit(CompareHostFiles(host_files_, after, now));
    host_files_ = std::move(after);
    for (const char* folder : {"/etc", "/etc/sudoers.d", "/etc/ssh", "/etc/ssh/sshd_config.d"}) {
      WatchFolder(folder, true);
    }
    for (const auto& account : host_files_.accounts) {
      for (const auto& path : WatchedFilePaths({account})) {
        if (path.ends_with("/authorized_keys")) {
          WatchFolder(Folder(path), true);
          WatchFolder(Folder(Folder(path)), true);
        }
      }
    }
  }
  if (!root_.live() || now.seconds == last_proc_check_) return;
  last_proc_check_ = now.seconds;
  std::set<std::string> listeners = ReadListeners();
  emit(NewListeners(listeners_, listeners, now));
  listeners_ = std::move(listeners);
  std::map<uint32_t, std::string> locked;
  for (const auto& account : host_files_.accounts) {
    if (rules_->knowledge().locked_users.contains(account.name) && account.uid != 0) {
      locked.emplace(account.uid, account.name);
    }
  }
  if (!locked.empty()) {
    emit(LockedUserProcesses(ReadProcesses("/proc"), locked, reported_processes_, now));
  }
  if (firewall_ && !rules_->knowledge().blocked.empty()) {
    emit(drops_.Judge(ReadDropped(), rules_->knowledge(), now));
  }
}

std::vector<contain::DroppedSource> Watcher::ReadDropped() const {
  std::vector<contain::DroppedSource> dropped;
  for (const char* set : {"dropped4", "dropped6"}) {
    auto listed = firewall_->Run(fmt::format("list set {} {}", contain::kIrkTable, set), true);
    if (!listed.ok()) continue;  // no table: nothing is blocked in this namespace
    auto sources = contain::ParseDroppedSources(*listed);
    dropped.insert(dropped.end(), sources.begin(), sources.end());
  }
  return dropped;
}

Result<bool> Watcher::Step(int wake_fd, int timeout_ms, const AlertSink& sink,
                           const std::function<void(const Error&)>& problem) {
  pollfd fds[3] = {};
  nfds_t count = 0;
  fds[count++] = pollfd{inotify_.get(), POLLIN, 0};
  const int journal_fd = journal_ ? journal_->WaitFd() : -1;
  if (journal_fd >= 0) fds[count++] = pollfd{journal_fd, POLLIN, 0};
  const nfds_t wake_index = count;
  if (wake_fd >= 0) fds[count++] = pollfd{wake_fd, POLLIN, 0};
  if (poll(fds, count, std::min(timeout_ms, 1000)) < 0 && errno != EINTR) {
    return Fail(fmt::format("watch: poll: {}", std::strerror(errno)));
  }

  bool host_changed = false;
  alignas(inotify_event) char buffer[16384];
  while (true) {
    const ssize_t n = read(inotify_.get(), buffer, sizeof(buffer));
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      if (event->mask & IN_Q_OVERFLOW) host_changed = true;
      if (auto it = watches_.find(event->wd); it != watches_.end() && it->second) {
        host_changed = true;
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }

  const logs::StampContext context = ContextNow(zone_);
  const auto handle = [this, &sink](const logs::Event& event) { HandleEvent(event, sink); };
  counts_.rotations = 0;
  for (auto& follower : followers_) {
    const std::string& path = follower.path();
    const Status status = follower.Poll([&](std::string_view text, uint64_t number) {
      ++counts_.lines;
      unsaved_ = true;
      reader_->ReadLine(text, path, number, context, handle);
    });
    if (!status.ok()) problem(status.error());
    counts_.rotations += follower.rotations();
  }
  if (journal_) {
    journal_->Acknowledge();
    while (true) {
      auto entry = journal_->Next();
      if (!entry.ok()) {
        problem(entry.error());
        break;
      }
      if (!*entry) break;
      ++counts_.lines;
      unsaved_ = true;
      journal_cursor_ = (*entry)->cursor;
      reader_->ReadJournalEntry(**entry, handle);
    }
  }
  CheckHost(host_changed, sink);

  if (unsaved_ && Now().seconds != last_save_) {
    if (auto status = SaveCursors(); !status.ok()) problem(status.error());
  }
  return wake_fd >= 0 && (fds[wake_index].revents & POLLIN) != 0;
}

Cursors Watcher::CurrentCursors() const {
  Cursors cursors;
  for (const auto& follower : followers_) {
    FileCursor cursor = follower.cursor();
    if (cursor.inode != 0) cursors.files[follower.path()] = std::move(cursor);
  }
  cursors.journal = journal_cursor_;
  return cursors;
}

Status Watcher::SaveCursors() {
  last_save_ = Now().seconds;
  unsaved_ = false;
  return watch::SaveCursors(store_.database(), CurrentCursors());
}

Status Watcher::Reload() {
  auto knowledge = ReadKnowledge(store_, settings_);
  if (!knowledge.ok()) return knowledge.error();
  // What the attack's lines taught stays; the history is not read again.
  knowledge->keys = rules_->knowledge().keys;
  knowledge->users = rules_->knowledge().users;
  knowledge->clients = rules_->knowledge().clients;
  rules_->Reload(std::move(*knowledge));
  return Ok();
}

}  // namespace irk::watch
