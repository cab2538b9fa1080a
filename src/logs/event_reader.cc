#include "logs/event_reader.h"

#include <sys/stat.h>

#include <condition_variable>
#include <ctime>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "logs/dispatch.h"
#include "logs/journal.h"
#include "logs/line_reader.h"
#include "logs/login_records.h"
#include "logs/syslog_line.h"

namespace irk::logs {
namespace {

// Enough for every live sshd connection on a busy host; past it the memory
// starts over, losing at worst the address of a few addressless lines.
constexpr size_t kMaxRememberedPeers = 65536;

uint64_t PeerKey(std::string_view service, int64_t pid) {
  return std::hash<std::string_view>()(service) * 1000003ULL ^ static_cast<uint64_t>(pid);
}

// The year and month a year-less stamp in a file probably belongs to: those
// of the file's last change, on the examined system's local calendar.
StampContext ContextFor(int fd, const TimeZone& zone) {
  struct stat st {};
  const time_t mtime = fstat(fd, &st) == 0 ? st.st_mtim.tv_sec : std::time(nullptr);
  const time_t local = mtime + zone.OffsetAt(mtime);
  struct tm tm {};
  gmtime_r(&local, &tm);
  return StampContext{tm.tm_year + 1900, tm.tm_mon + 1, &zone};
}

// Lines and the events parsed from them, handed from the parsing thread to
// the emitting one and back again empty, so the same few chunks (and their
// memory) serve a whole file.
struct Chunk {
  // Larger than any line the reader hands out (LineReader::kDefaultMaxLine),
  // small enough that the chunks in flight stay a few megabytes.
  static constexpr size_t kBytes = size_t{256} << 10;
  // The chunks of one file: one being filled, one being emitted, the rest
  // waiting in between.
  static constexpr size_t kCount = 4;
  Chunk() { text.reserve(kBytes); }

  void Clear() {
    text.clear();
    events.clear();
  }

  std::string text;           // the lines, back to back; never grows past kBytes
  std::vector<Event> events;  // views into `text`
};

// A queue between the two threads. It never holds more than the chunks of
// one file, so Push never waits; Pop waits for a chunk.
class ChunkQueue {
 public:
  void Push(std::unique_ptr<Chunk> chunk) {
    std::lock_guard lock(mutex_);
    chunks_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  // The next chunk, or nullptr once closed and drained.
  std::unique_ptr<Chunk> Pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) return nullptr;
    std::unique_ptr<Chunk> chunk = std::move(chunks_.front());
    chunks_.pop_front();
    return chunk;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Chunk>> chunks_;
  bool closed_ = false;
};

}  // namespace

bool EventFilter::Matches(const Event& event) const {
  if (since && event.time < *since) return false;
  if (until && !(event.time < *until)) return false;
  if (kind && event.kind != *kind) return false;
  if (!user.empty() && event.user != user) return false;
  if (network || !host_name.empty()) {
    if (!event.addr) return false;
    if (network) {
      auto ip = IpAddress::Parse(event.addr->view());
      if (!ip || !network->Contains(*ip)) return false;
    } else if (event.addr->view() != host_name) {
      return false;
    }
  }
  return true;
}

EventReader::EventReader(const Root& root, TimeZone zone, EventFilter filter)
    : root_(root), zone_(std::move(zone)), filter_(std::move(filter)) {}

void EventReader::Emit(Event& event, const EventSink& sink) {
  if (event.pid) {
    const uint64_t key = PeerKey(event.service, *event.pid);
    if (event.addr) {
      if (peers_.size() >= kMaxRememberedPeers) peers_.clear();
      peers_.insert_or_assign(key, std::make_pair(*event.addr, event.port));
    } else if (auto it = peers_.find(key); it != peers_.end()) {
      event.addr = it->second.first;
      if (!event.port) event.port = it->second.second;
    }
  }
  if (filter_.Matches(event)) sink(event);
}

Status EventReader::ReadSource(const LogSource& source, const EventSink& sink) {
  for (const auto& file : source.files) {
    if (auto status = ReadFile(file, sink); !status.ok()) return status;
  }
  return Ok();
}

std::optional<EventReader::Completed> EventReader::Complete(const LineHeader& header,
                                                            std::string_view file,
                                                            uint64_t line_number,
                                                            std::string_view raw,
                                                            FileStats& counts) const {
  std::string_view message = header.message;
  int repeat = 1;
  if (const auto repeated = UnwrapRepeated(message)) {
    message = repeated->message;
    repeat = repeated->count;
  }
  Parsed parsed = ParseMessage(header.program, message);
  if (parsed.what != Parsed::What::kEvent) {
    if (parsed.what == Parsed::What::kUnrecognized && IsKnownService(header.program)) {
      ++counts.unrecognized;
    }
    return std::nullopt;
  }
  Event& event = parsed.event;
  event.time = header.time;
  event.time_text = header.time_text;
  event.zone = header.zone;
  event.file = file;
  event.line = line_number;
  event.host = header.host;
  event.service = header.program;
  event.pid = header.pid;
  event.raw = raw;
  counts.events += static_cast<uint64_t>(repeat);
  return Completed{std::move(event), repeat};
}

Status EventReader::ReadFile(std::string_view path, const EventSink& sink) {
  stats_.push_back(FileStats{root_.HostPath(path)});
  auto fd = root_.OpenFile(path);
  if (!fd.ok()) return fd.error();
  const StampContext context = ContextFor(fd->get(), zone_);
  if (filter_.since || filter_.until) {
    auto span = ReadFileSpan(
        root_, path, [&context](std::string_view line) { return ParseLineStamp(line, context); });
    if (span.ok() && span->Outside(filter_.since, filter_.until)) {
      stats_.back().skipped = true;
      return Ok();
    }
  }
  auto reader = LineReader::Open(std::move(fd).value(), stats_.back().file);
  if (!reader.ok()) return reader.error();

  // Two stages on two cores: this thread reads, frames and parses lines into
  // chunks; a second one completes each event from the process memory,
  // filters it and passes it on, in order, and hands the chunk back empty.
  // A chunk owns a copy of its lines, which its events' views point into, so
  // the reader's buffer can move on.
  ChunkQueue full;
  ChunkQueue empty;
  for (size_t i = 1; i < Chunk::kCount; ++i) empty.Push(std::make_unique<Chunk>());
  std::thread consumer([this, &full, &empty, &sink] {
    while (std::unique_ptr<Chunk> chunk = full.Pop()) {
      for (Event& event : chunk->events) Emit(event, sink);
      chunk->Clear();
      empty.Push(std::move(chunk));
    }
  });

  // Counted locally and stored at the end: stats_ may not move while events
  // point at its file name.
  FileStats counts;
  const std::string_view file = stats_.back().file;
  Status result = Ok();
  auto chunk = std::make_unique<Chunk>();
  while (true) {
    auto line = reader->Next();
    if (!line.ok()) {
      result = line.error();
      break;
    }
    if (!*line) break;
    ++counts.lines;
    const std::string_view read = (*line)->text;
    if (chunk->text.size() + read.size() > Chunk::kBytes) {
      full.Push(std::move(chunk));
      chunk = empty.Pop();
    }
    const size_t at = chunk->text.size();
    chunk->text.append(read);  // within the reserved size: earlier views stay valid
    const std::string_view text(chunk->text.data() + at, read.size());
    const auto header = ParseLogLine(text, context);
    if (!header) {
      ++counts.unframed;
      continue;
    }
    if (auto completed = Complete(*header, file, (*line)->number, text, counts)) {
      for (int i = 1; i < completed->repeat; ++i) chunk->events.push_back(completed->event);
      chunk->events.push_back(std::move(completed->event));
    }
  }
  full.Push(std::move(chunk));
  full.Close();
  consumer.join();

  FileStats& stats = stats_.back();
  stats.lines = counts.lines;
  stats.events = counts.events;
  stats.unrecognized = counts.unrecognized;
  stats.unframed = counts.unframed;
  return result;
}

Status EventReader::ReadJournal(const EventSink& sink) {
  stats_.push_back(FileStats{"journal"});
  JournalOptions options;
  options.since = filter_.since;
  options.until = filter_.until;
  options.identifiers = KnownServices();
  auto reader = JournalReader::Open(root_, options);
  if (!reader.ok()) return reader.error();
  FileStats counts;
  const std::string_view file = stats_.back().file;
  std::string raw;
  Status result = Ok();
  while (true) {
    auto entry = reader->Next();
    if (!entry.ok()) {
      result = entry.error();
      break;
    }
    if (!*entry) break;
    ++counts.lines;
    ReadJournalEntry(**entry, file, counts, raw, sink);
  }
  FileStats& stats = stats_.back();
  stats.lines = counts.lines;
  stats.events = counts.events;
  stats.unrecognized = counts.unrecognized;
  return result;
}

void EventReader::ReadJournalEntry(const JournalEntry& entry, std::string_view file,
                                   FileStats& counts, std::string& raw, const EventSink& sink) {
  // An entry has no line of text: the syslog rendering of it stands in.
  raw = entry.time_text + " " + entry.host + " " + entry.program;
  if (entry.pid) raw += "[" + std::to_string(*entry.pid) + "]";
  raw += ": " + entry.message;
  if (auto completed = Complete(JournalLineHeader(entry), file, 0, raw, counts)) {
    for (int i = 0; i < completed->repeat; ++i) Emit(completed->event, sink);
  }
}

void EventReader::ReadJournalEntry(const JournalEntry& entry, const EventSink& sink) {
  FileStats counts;
  std::string raw;
  ReadJournalEntry(entry, "journal", counts, raw, sink);
}

void EventReader::ReadLine(std::string_view text, std::string_view file, uint64_t number,
                           const StampContext& context, const EventSink& sink) {
  const auto header = ParseLogLine(text, context);
  if (!header) return;
  FileStats counts;
  if (auto completed = Complete(*header, file, number, text, counts)) {
    for (int i = 0; i < completed->repeat; ++i) Emit(completed->event, sink);
  }
}

Status EventReader::ReadLoginRecordFile(std::string_view path, bool failures,
                                        const EventSink& sink) {
  stats_.push_back(FileStats{root_.HostPath(path)});
  auto fd = root_.OpenFile(path);
  if (!fd.ok()) return fd.error();
  auto records = ReadLoginRecords(fd->get(), stats_.back().file);
  if (!records.ok()) return records.error();
  const std::string_view file = stats_.back().file;
  const uint64_t record_size = LoginRecordSize(records->layout);
  std::string raw;
  uint64_t events = 0;
  for (const LoginRecord& r : records->records) {
    Event event;
    event.time = r.time;
    event.file = file;
    event.line = r.offset / record_size + 1;
    event.user = r.user;
    event.pid = r.pid;
    if (r.addr) event.addr = EventAddress::ParseIp(*r.addr);
    if (!event.addr && !r.host.empty()) event.addr = EventAddress::Parse(r.host);
    // "ssh:notty" is how sshd marks its records; everything else is login(1)
    // or a terminal program.
    event.service = r.line.starts_with("ssh") ? "sshd" : "login";
    if (failures) {
      if (r.type != LoginRecordType::kLoginProcess && r.type != LoginRecordType::kUserProcess) {
        continue;
      }
      event.kind = EventKind::kAuth;
      event.outcome = Outcome::kFailure;
    } else if (r.type == LoginRecordType::kUserProcess) {
      event.kind = EventKind::kSession;
      event.outcome = Outcome::kSuccess;
    } else if (r.type == LoginRecordType::kDeadProcess) {
      event.kind = EventKind::kSession;
      event.service = "login";
    } else if (r.type == LoginRecordType::kBootTime) {
      event.kind = EventKind::kService;
      event.service = "kernel";
      event.reason = "boot";
      event.user = {};
      event.pid.reset();
    } else {
      continue;
    }
    // Binary records have no line of text: a readable rendering stands in.
    raw = fmt::format("{} line={} user={} host={} pid={}", LoginRecordTypeName(r.type), r.line,
                      r.user, r.host, r.pid);
    event.raw = raw;
    ++events;
    if (filter_.Matches(event)) sink(event);
  }
  stats_.back().lines = records->records.size();
  stats_.back().events = events;
  return Ok();
}

void EventReader::ReadDefaultSources(bool journal, const EventSink& sink,
                                     const std::function<void(const Error&)>& problem) {
  const auto read = [&problem](Status status) {
    if (!status.ok()) problem(status.error());
  };
  auto sources = FindLogSources(root_);
  if (!sources.ok()) {
    problem(sources.error());
    sources = std::vector<LogSource>();
  }
  bool text_auth_log = false;
  for (const LogSource& source : *sources) {
    text_auth_log |= source.name.ends_with("/auth.log") || source.name.ends_with("/secure");
    read(ReadSource(source, sink));
  }
  if (journal || !text_auth_log) read(ReadJournal(sink));
  read(ReadLoginRecordFile("/var/log/wtmp", false, sink));
  read(ReadLoginRecordFile("/var/log/btmp", true, sink));
}

Status EventReader::ReadNamedFile(std::string_view path, const EventSink& sink) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.starts_with("wtmp") || name.starts_with("btmp") || name.starts_with("utmp")) {
    return ReadLoginRecordFile(path, name.starts_with("btmp"), sink);
  }
  return ReadSource(SourceForFile(std::string(path)), sink);
}

}  // namespace irk::logs
