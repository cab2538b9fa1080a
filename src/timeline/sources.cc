#include "timeline/sources.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "core/passwd.h"
#include "logs/line_reader.h"
#include "logs/log_sources.h"
#include "timeline/access_log.h"
#include "timeline/dpkg_log.h"
#include "timeline/reader_stream.h"

namespace irk::timeline {
namespace {

// Tells `check` when `path` under `root` last changed; a file that cannot be
// opened is left to its reader to report.
void RecordFileTime(const Root& root, const std::string& path, ClockCheck& check) {
  auto fd = root.OpenFile(path);
  struct stat st {};
  if (!fd.ok() || fstat(fd->get(), &st) != 0) return;
  check.SetFileTime(root.HostPath(path),
                    Timestamp{st.st_mtim.tv_sec, static_cast<int32_t>(st.st_mtim.tv_nsec / 1000)});
}

// A stream whose reader is made on its thread: an EventReader holds the
// memory of one source and is read by one thread at a time. The streams of
// all sources read at once, so each keeps few chunks waiting.
std::unique_ptr<ItemStream> StreamOf(
    std::string name, const Root& root, const logs::TimeZone& zone, const logs::EventFilter& filter,
    std::function<Status(logs::EventReader&, const logs::EventSink&)> read) {
  return std::make_unique<ReaderStream>(
      std::move(name), [&root, &zone, filter, read = std::move(read)](const logs::EventSink& sink) {
        logs::EventReader reader(root, zone, filter);
        reader.set_waiting_chunks(1);
        return read(reader, sink);
      });
}

// Calls `each` for every line of the log `base` in `dir` and its rotations,
// oldest first, with the file's name as the examining host sees it. A file
// that cannot be read goes to `problem`, and the next is read.
void ForEachLine(const Root& root, const std::string& dir, std::string_view base,
                 const std::function<void(const Error&)>& problem,
                 const std::function<void(std::string_view file, const logs::Line&)>& each) {
  auto names = root.ListFiles(dir);
  if (!names.ok()) {
    problem(names.error());
    return;
  }
  for (const std::string& path : logs::RotationsOf(dir, base, *names)) {
    const std::string file = root.HostPath(path);
    auto fd = root.OpenFile(path);
    if (!fd.ok()) {
      problem(fd.error());
      continue;
    }
    auto reader = logs::LineReader::Open(std::move(fd).value(), file);
    if (!reader.ok()) {
      problem(reader.error());
      continue;
    }
    while (true) {
      auto line = reader->Next();
      if (!line.ok()) {
        problem(line.error());
        break;
      }
      if (!*line) break;
      each(file, **line);
    }
  }
}

}  // namespace

std::vector<std::unique_ptr<ItemStream>> OpenLogStreams(
    const Root& root, const Root& host, const logs::TimeZone& zone, const SourceOptions& options,
    ClockCheck& check, const std::function<void(const Error&)>& problem) {
  std::vector<std::unique_ptr<ItemStream>> streams;
  auto sources = logs::FindLogSources(root);
  if (!sources.ok()) {
    problem(sources.error());
    sources = std::vector<logs::LogSource>();
  }
  // As ReadDefaultSources: the journal only where no text auth log holds
  // rsyslog's copy of it, unless asked for.
  bool text_auth_log = false;
  for (const logs::LogSource& source : *sources) {
    text_auth_log |= source.name.ends_with("/auth.log") || source.name.ends_with("/secure");
    for (const std::string& file : source.files) RecordFileTime(root, file, check);
    streams.push_back(StreamOf(root.HostPath(source.name), root, zone, options.filter,
                               [source](logs::EventReader& reader, const logs::EventSink& sink) {
                                 return reader.ReadSource(source, sink);
                               }));
  }
  if (options.journal || !text_auth_log) {
    streams.push_back(StreamOf("journal", root, zone, options.filter,
                               [](logs::EventReader& reader, const logs::EventSink& sink) {
                                 return reader.ReadJournal(sink);
                               }));
  }
  for (const bool failures : {false, true}) {
    const std::string path = failures ? "/var/log/btmp" : "/var/log/wtmp";
    RecordFileTime(root, path, check);
    streams.push_back(
        StreamOf(root.HostPath(path), root, zone, options.filter,
                 [path, failures](logs::EventReader& reader, const logs::EventSink& sink) {
                   return reader.ReadLoginRecordFile(path, failures, sink);
                 }));
  }
  for (const std::string& file : options.files) {
    RecordFileTime(host, file, check);
    streams.push_back(StreamOf(file, host, zone, options.filter,
                               [file](logs::EventReader& reader, const logs::EventSink& sink) {
                                 return reader.ReadNamedFile(file, sink);
                               }));
  }
  return streams;
}

Result<std::unique_ptr<ItemStream>> OpenCaseStream(CaseStore& store,
                                                   const logs::EventFilter& filter) {
  auto records = store.Records();
  if (!records.ok()) return records.error();
  std::vector<Item> items;
  for (JournalRecord& record : *records) {
    const auto time = ParseRfc3339(record.time);
    if (!time) continue;  // Verify() reports a damaged journal; the timeline shows what it can
    if (filter.since && *time < *filter.since) continue;
    if (filter.until && !(*time < *filter.until)) continue;
    items.push_back(
        Item{*time, Action{record.seq, std::move(record.kind), std::move(record.details_json)}});
  }
  return std::unique_ptr<ItemStream>(
      std::make_unique<VectorStream>("case journal", std::move(items)));
}

std::vector<FileTimes> ChangedKeyFiles(const Root& root, Timestamp since, Timestamp until,
                                       const std::function<void(const Error&)>& problem) {
  constexpr size_t kMaxPasswd = 16 << 20;
  auto passwd = root.ReadFile("/etc/passwd", kMaxPasswd);
  if (!passwd.ok()) {
    problem(passwd.error());
    return {};
  }
  const auto inside = [&](const std::optional<Timestamp>& t) {
    return t && since <= *t && *t < until;
  };
  std::set<std::string> seen;  // homes shared by several users are read once
  std::vector<FileTimes> changed;
  for (const PasswdEntry& user : ParsePasswd(*passwd)) {
    if (!user.home.starts_with('/') || !seen.insert(user.home).second) continue;
    for (const char* name : {"/.ssh/authorized_keys", "/.ssh/authorized_keys2"}) {
      const std::string path = (user.home == "/" ? "" : user.home) + name;
      auto times = StatFile(root, path);
      if (!times.ok()) {
        // Most users have no key file: only other failures are worth a warning.
        if (!times.error().message.ends_with(std::strerror(ENOENT))) problem(times.error());
        continue;
      }
      if (inside(times->mtime) || inside(times->ctime)) changed.push_back(std::move(times).value());
    }
  }
  return changed;
}

void ReadAccessLogs(const Root& root, Timestamp since, Timestamp until, const logs::EventSink& sink,
                    const std::function<void(const Error&)>& problem) {
  for (const std::string_view service : {"apache2", "nginx"}) {
    ForEachLine(root, "/var/log/" + std::string(service), "access.log", problem,
                [&](std::string_view file, const logs::Line& line) {
                  const auto access = ParseAccessLine(line.text);
                  if (!access || access->time < since || !(access->time < until)) return;
                  logs::Event event = AccessEvent(*access, service);
                  event.file = file;
                  event.line = line.number;
                  event.raw = line.text;
                  sink(event);
                });
  }
}

void ReadPackageChanges(const Root& root, const logs::TimeZone& zone, Timestamp since,
                        Timestamp until, const std::function<void(std::string line)>& sink,
                        const std::function<void(const Error&)>& problem) {
  ForEachLine(root, "/var/log", "dpkg.log", problem,
              [&](std::string_view file, const logs::Line& line) {
                const auto change = ParseDpkgLine(line.text, zone);
                if (!change || change->time < since || !(change->time < until)) return;
                sink(fmt::format("{}:{}: {}", file, line.number, line.text));
              });
}

}  // namespace irk::timeline
