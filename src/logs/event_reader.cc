#include "logs/event_reader.h"

#include <sys/stat.h>

#include <algorithm>
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

// Lines and the events parsed from them. The reading thread fills a chunk
// with lines, a parsing thread (or the emitting one) frames and parses them,
// and the emitting thread passes its events on in file order and hands it
// back empty, so the same few chunks (and their memory) serve a whole file.
struct Chunk {
  // Larger than any line the reader hands out (LineReader::kDefaultMaxLine),
  // small enough that the chunks in flight stay a few megabytes.
  static constexpr size_t kBytes = size_t{256} << 10;
  Chunk() { text.reserve(kBytes); }

  void Clear() {
    text.clear();
    ends.clear();
    events.clear();
    keys.clear();
    counts = FileStats();
    parsed = false;
  }

  std::string text;            // the lines, back to back; never grows past kBytes
  std::vector<uint32_t> ends;  // where each line of `text` ends
  uint64_t first_line = 0;     // the number of its first line in the file
  std::vector<Event> events;   // views into `text`
  std::vector<uint64_t> keys;  // each event's PeerMemory::Key, 0 without a pid
  FileStats counts;            // what its lines gave: events, unrecognized, unframed
  bool parsed = false;         // under the pipeline's lock
};

// The chunks of one file on their way between the threads: waiting to be
// parsed, in flight in file order, and free. One lock; the threads wait on
// one condition for any change.
class ChunkPipeline {
 public:
  explicit ChunkPipeline(size_t chunks) {
    for (size_t i = 0; i < chunks; ++i) free_.push_back(std::make_unique<Chunk>());
  }

  // For the reader: an empty chunk, once one is free.
  std::unique_ptr<Chunk> TakeFree() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !free_.empty(); });
    std::unique_ptr<Chunk> chunk = std::move(free_.back());
    free_.pop_back();
    return chunk;
  }
  // For the reader: a filled chunk, to be parsed and then emitted in this order.
  void Submit(std::unique_ptr<Chunk> chunk) {
    std::lock_guard lock(mutex_);
    to_parse_.push_back(chunk.get());
    in_flight_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  // For the reader: no more chunks.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  // For a parser: the next chunk to parse, or nullptr once closed and all taken.
  Chunk* NextToParse() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !to_parse_.empty() || closed_; });
    if (to_parse_.empty()) return nullptr;
    Chunk* chunk = to_parse_.front();
    to_parse_.pop_front();
    return chunk;
  }
  void Parsed(Chunk* chunk) {
    std::lock_guard lock(mutex_);
    chunk->parsed = true;
    changed_.notify_all();
  }
  // For the emitter: the oldest chunk, once parsed (`to_emit`); while that
  // one is still being parsed, a chunk no parser has taken yet (`to_parse`),
  // for the emitter to parse rather than wait. Neither once closed and
  // drained.
  struct EmitterWork {
    std::unique_ptr<Chunk> to_emit;
    Chunk* to_parse = nullptr;
  };
  EmitterWork NextForEmitter() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] {
      return (!in_flight_.empty() && in_flight_.front()->parsed) || !to_parse_.empty() ||
             (closed_ && in_flight_.empty());
    });
    EmitterWork work;
    if (!in_flight_.empty() && in_flight_.front()->parsed) {
      work.to_emit = std::move(in_flight_.front());
      in_flight_.pop_front();
    } else if (!to_parse_.empty()) {
      work.to_parse = to_parse_.front();
      to_parse_.pop_front();
    }
    return work;
  }
  // For the emitter: a chunk passed on, to be filled again.
  void Return(std::unique_ptr<Chunk> chunk) {
    chunk->Clear();
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(chunk));
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<Chunk>> free_;
  std::deque<Chunk*> to_parse_;
  std::deque<std::unique_ptr<Chunk>> in_flight_;
  bool closed_ = false;
};

// Threads that parse chunks: one per core but one, which the reading and
// the emitting threads share; at most four. On one core, none: the emitting
// thread parses every chunk itself. A count the system does not know is
// taken as two cores.
size_t DefaultParserCount() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp<size_t>(cores == 0 ? 2 : cores, 1, 5) - 1;
}

}  // namespace

uint64_t PeerMemory::Key(std::string_view service, int64_t pid) {
  // FNV-1a over the service's name, a few bytes: cheaper than std::hash's
  // general one, once for every event.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : service) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash * 1000003ULL ^ static_cast<uint64_t>(pid);
}

size_t PeerMemory::SetOf(uint64_t key) {
  // Fibonacci hashing: the key's high bits mixed into the set's number.
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - kSetBits));
}

void PeerMemory::Remember(uint64_t key, const EventAddress& addr, std::optional<uint16_t> port) {
  if (sets_.empty()) {
    sets_.resize(size_t{1} << kSetBits);
    ring_.resize(kRing);
  }
  Set& set = sets_[SetOf(key)];
  size_t way = 0;
  for (size_t i = 0; i < kWays; ++i) {
    if (set.entry[i] != 0 && set.keys[i] == key) {
      way = i;
      break;
    }
    if (set.entry[i] < set.entry[way]) way = i;
  }
  ring_[written_ % kRing] = {addr, port};
  set.keys[way] = key;
  set.entry[way] = ++written_;
}

const PeerMemory::Peer* PeerMemory::Find(uint64_t key) const {
  if (sets_.empty()) return nullptr;
  const Set& set = sets_[SetOf(key)];
  for (size_t i = 0; i < kWays; ++i) {
    const uint64_t entry = set.entry[i];
    if (entry != 0 && set.keys[i] == key) {
      return written_ - entry < kRing ? &ring_[(entry - 1) % kRing] : nullptr;
    }
  }
  return nullptr;
}

void PeerMemory::Prefetch(uint64_t key) const {
  if (!sets_.empty()) __builtin_prefetch(&sets_[SetOf(key)]);
}

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
    : root_(root),
      zone_(std::move(zone)),
      filter_(std::move(filter)),
      filtering_(!filter_.Empty()),
      parsers_(DefaultParserCount()) {}

void EventReader::Emit(Event& event, const EventSink& sink) {
  Emit(event, event.pid ? PeerMemory::Key(event.service, *event.pid) : 0, sink);
}

void EventReader::Emit(Event& event, uint64_t key, const EventSink& sink) {
  if (event.pid) {
    if (event.addr) {
      peers_.Remember(key, *event.addr, event.port);
    } else if (const auto* peer = peers_.Find(key)) {
      event.addr = peer->first;
      if (!event.port) event.port = peer->second;
    }
  }
  if (!filtering_ || filter_.Matches(event)) sink(event);
}

Status EventReader::ReadSource(const LogSource& source, const EventSink& sink) {
  for (const auto& file : source.files) {
    if (auto status = ReadFile(file, sink); !status.ok()) return status;
  }
  return Ok();
}

void EventReader::Complete(const LineHeader& header, std::string_view file, uint64_t line_number,
                           std::string_view raw, FileStats& counts,
                           std::vector<Event>& events) const {
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
    return;
  }
  Event& event = events.emplace_back(std::move(parsed.event));
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
  // Copies of `event` by index: each push_back may move the vector.
  const size_t at = events.size() - 1;
  for (int r = 1; r < repeat; ++r) events.push_back(events[at]);
}

void EventReader::EmitLineEvents(const EventSink& sink) {
  for (Event& event : line_events_) Emit(event, sink);
  line_events_.clear();
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

  // This thread reads lines into chunks; parsers frame (stamp, host,
  // program) and parse a chunk's lines each; one more thread completes each
  // event from the process memory, filters it and passes it on, chunk after
  // chunk in file order, and parses chunks itself while the one it waits for
  // is not ready. Reading alone here, and parsing on whichever thread is
  // free, keeps both cores busy: the scheduler runs two of the three threads
  // on one core most of the time. A chunk owns a copy of its lines, which
  // its events' views point into, so the reader's buffer can move on.
  // Chunks: one for each parser, one being filled, one being emitted, and
  // those waiting between them.
  const size_t parsers = parsers_;
  ChunkPipeline pipeline(parsers + 2 + waiting_chunks_);
  const std::string_view file = stats_.back().file;
  const auto parse_chunk = [this, &pipeline, file, &context](Chunk* chunk) {
    size_t start = 0;
    LineHeader header;
    for (size_t i = 0; i < chunk->ends.size(); ++i) {
      const std::string_view text(chunk->text.data() + start, chunk->ends[i] - start);
      start = chunk->ends[i];
      if (!FrameLogLine(text, context, header)) {
        ++chunk->counts.unframed;
        continue;
      }
      const size_t before = chunk->events.size();
      Complete(header, file, chunk->first_line + i, text, chunk->counts, chunk->events);
      // Each new event's key while it is in this core's cache: the emitter
      // prefetches its memory's sets by them, without reading events ahead.
      for (size_t e = before; e < chunk->events.size(); ++e) {
        const Event& event = chunk->events[e];
        chunk->keys.push_back(event.pid ? PeerMemory::Key(event.service, *event.pid) : 0);
      }
    }
    pipeline.Parsed(chunk);
  };
  const auto parse = [&pipeline, &parse_chunk] {
    while (Chunk* chunk = pipeline.NextToParse()) parse_chunk(chunk);
  };
  // Counted per chunk and stored at the end: stats_ may not move while events
  // point at its file name.
  FileStats counts;
  // The emitter parses too while the chunk it waits for is being parsed:
  // the scheduler keeps two of the three threads on one core most of the
  // time, and whichever core has the emitter alone would otherwise idle.
  const auto emit = [this, &pipeline, &sink, &counts, &parse_chunk] {
    while (true) {
      ChunkPipeline::EmitterWork work = pipeline.NextForEmitter();
      if (work.to_parse) {
        parse_chunk(work.to_parse);
        continue;
      }
      if (!work.to_emit) break;
      Chunk& chunk = *work.to_emit;
      // A set's cache line arrives while the events before it go out.
      constexpr size_t kAhead = 8;
      const size_t count = chunk.events.size();
      for (size_t i = 0; i < count; ++i) {
        if (i + kAhead < count) peers_.Prefetch(chunk.keys[i + kAhead]);
        Emit(chunk.events[i], chunk.keys[i], sink);
      }
      counts.events += chunk.counts.events;
      counts.unrecognized += chunk.counts.unrecognized;
      counts.unframed += chunk.counts.unframed;
      pipeline.Return(std::move(work.to_emit));
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < parsers; ++i) threads.emplace_back(parse);
  threads.emplace_back(emit);

  Status result = Ok();
  std::unique_ptr<Chunk> chunk = pipeline.TakeFree();
  chunk->first_line = reader->lines_read() + 1;
  while (true) {
    // Within the reserved size: views into the text stay valid.
    auto added = reader->AppendLines(chunk->text, chunk->ends, Chunk::kBytes);
    if (!added.ok()) {
      result = added.error();
      break;
    }
    counts.lines += *added;
    if (*added > 0) continue;
    if (chunk->ends.empty()) break;  // the end of the file
    // Full, or the file ended: the next call says which.
    pipeline.Submit(std::move(chunk));
    chunk = pipeline.TakeFree();
    chunk->first_line = reader->lines_read() + 1;
  }
  pipeline.Submit(std::move(chunk));
  pipeline.Close();
  for (std::thread& thread : threads) thread.join();

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
  Complete(JournalLineHeader(entry), file, 0, raw, counts, line_events_);
  EmitLineEvents(sink);
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
  Complete(*header, file, number, text, counts, line_events_);
  EmitLineEvents(sink);
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
