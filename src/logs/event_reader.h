// The event engine: reads a system's log sources line by line, frames each
// line, hands its message to the service's parser, completes the event
// (time, host, service, pid, and an address remembered from earlier lines
// of the same process), filters it, and passes it on. Streaming: memory
// does not grow with the logs. Text files are read in three stages: one
// thread reads lines into chunks, parsing threads (one for each core but
// one) parse a chunk at a time, and one thread completes, filters and passes
// on the events: the sink is called from that one, one event at a time and
// in file order.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"
#include "core/root.h"
#include "logs/event.h"
#include "logs/journal.h"
#include "logs/log_sources.h"
#include "logs/syslog_line.h"
#include "logs/timezone.h"

namespace irk::logs {

// Which events to pass on; an empty field matches everything.
struct EventFilter {
  std::optional<Timestamp> since;  // at or after
  std::optional<Timestamp> until;  // before
  std::string user;
  std::optional<Network> network;  // events whose address lies in it
  std::string host_name;           // or whose address is this host name
  std::optional<EventKind> kind;

  bool Matches(const Event& event) const;
  // True when no field is set: every event matches. A new field belongs
  // here too.
  bool Empty() const {
    return !since && !until && user.empty() && !network && host_name.empty() && !kind;
  }
};

// What one file gave, for `irk events --stats`.
struct FileStats {
  std::string file;
  uint64_t lines = 0;
  uint64_t events = 0;        // events parsed (before filtering)
  uint64_t unrecognized = 0;  // lines of known services that no parser recognized
  uint64_t unframed = 0;      // lines in no log line format irk knows
  bool skipped = false;       // left unread: its time span lies outside --since/--until
};

using EventSink = std::function<void(const Event&)>;

// The last address and port each process (a service's pid) named, for its
// later lines that name none. The addresses go into a ring in the order they
// come, so writing one touches memory next to the last; a fixed table of sets
// of four finds a process's newest entry. A set that is full gives up its
// least recently written entry, and an entry is gone once the ring has come
// round to it: the processes seen last are kept and pids long gone make way.
// A lookup that misses finds nothing, never another process's address.
class PeerMemory {
 public:
  using Peer = std::pair<EventAddress, std::optional<uint16_t>>;

  // A process's key: Key(service, pid) names it in the calls below.
  static uint64_t Key(std::string_view service, int64_t pid);

  void Remember(uint64_t key, const EventAddress& addr, std::optional<uint16_t> port);
  // What the process last named, or nullptr.
  const Peer* Find(uint64_t key) const;
  // Starts loading the memory a Remember or Find of `key` reads, for a call
  // soon after: the table is out of the cache by the time a stream of
  // records has gone through it.
  void Prefetch(uint64_t key) const;

 private:
  static constexpr size_t kWays = 4;
  static constexpr size_t kSetBits = 11;              // 2,048 sets
  static constexpr size_t kRing = kWays << kSetBits;  // 8,192 processes
  // A set's keys and the numbers of their entries in one cache line.
  struct alignas(64) Set {
    std::array<uint64_t, kWays> keys{};
    std::array<uint64_t, kWays> entry{};  // 1 for the first entry written; 0 for a free way
  };
  static size_t SetOf(uint64_t key);

  // Allocated by the first Remember; entry n is ring_[(n - 1) % kRing].
  std::vector<Set> sets_;
  std::vector<Peer> ring_;
  uint64_t written_ = 0;
};

class EventReader {
 public:
  EventReader(const Root& root, TimeZone zone, EventFilter filter);

  // Reads the files of `source`, oldest first, as one stream. A file that
  // cannot be read, or breaks off (a corrupt gzip), is an error naming it;
  // the events before the break have been passed on.
  Status ReadSource(const LogSource& source, const EventSink& sink);

  // Reads the systemd journal of the root (the local one on the live host),
  // only the entries of the services irk parses.
  Status ReadJournal(const EventSink& sink);

  // Reads utmp-format files: wtmp (logins as session events, logouts) or
  // btmp (failed logins as auth failures).
  Status ReadLoginRecordFile(std::string_view path, bool failures, const EventSink& sink);

  // Reads every default source of the root, as `irk events` does without
  // FILE arguments: the text logs of FindLogSources with their rotations;
  // the journal when no text auth log (auth.log, secure) exists or `journal`
  // is set (rsyslog copies the journal's auth messages there, so reading both
  // would count every attempt twice); wtmp and btmp. A source that cannot be
  // read goes to `problem`, and reading goes on.
  void ReadDefaultSources(bool journal, const EventSink& sink,
                          const std::function<void(const Error&)>& problem);

  // Reads one file the operator named: utmp-format by its name (wtmp*,
  // btmp* as failures, utmp*), anything else as text, each line's format
  // detected by itself.
  Status ReadNamedFile(std::string_view path, const EventSink& sink);

  // Frames, parses and completes one line of `file` (line `number`) as
  // ReadSource does each of its lines, and passes its events on: for readers
  // that find the lines themselves (`irk watch` follows files). Year-less
  // stamps take the year and month of `context`. Not counted in stats().
  void ReadLine(std::string_view text, std::string_view file, uint64_t number,
                const StampContext& context, const EventSink& sink);

  // The same for one journal entry.
  void ReadJournalEntry(const JournalEntry& entry, const EventSink& sink);

  // How many threads parse a text file's chunks besides the emitting
  // thread, which parses while the chunk it waits for is not ready yet; by
  // default one for each core but one, at most four; with none, the emitting
  // thread parses them all. Tests set none and several, so that these paths
  // run on machines with two cores too.
  void set_parsers(size_t parsers) { parsers_ = parsers; }

  // How many chunks of a text file (about 1.1 MB each, with their events)
  // may wait between the reading, parsing and emitting threads; by default
  // 4, which keeps two cores busy while the scheduler stops one of three
  // threads (with one, the cores idled half as long again; 13 did no
  // better). Readers that run side by side, one per source, keep one each:
  // their memory adds up.
  void set_waiting_chunks(size_t chunks) { waiting_chunks_ = std::max<size_t>(chunks, 1); }

  // The examined system's zone, for StampContext.
  const TimeZone& zone() const { return zone_; }

  const std::vector<FileStats>& stats() const { return stats_; }

 private:
  Status ReadFile(std::string_view path, const EventSink& sink);
  // Parses one framed message, completes its event from the header and
  // appends it to `events` as many times as the line counts it ("message
  // repeated N times"); appends nothing when the line records no event.
  // Counts into `counts`. Appending in place spares the hot path copies of
  // the event.
  void Complete(const LineHeader& header, std::string_view file, uint64_t line_number,
                std::string_view raw, FileStats& counts, std::vector<Event>& events) const;
  // Emits the events of one line, which Complete left in `line_events_`.
  void EmitLineEvents(const EventSink& sink);
  // Renders `entry` as a line into `raw`, completes its event and passes it on.
  void ReadJournalEntry(const JournalEntry& entry, std::string_view file, FileStats& counts,
                        std::string& raw, const EventSink& sink);
  // Completes `event` from the process memory, then filters and passes it on.
  void Emit(Event& event, const EventSink& sink);
  // The same for an event whose PeerMemory::Key is `key` (if it has a pid).
  void Emit(Event& event, uint64_t key, const EventSink& sink);

  const Root& root_;
  TimeZone zone_;
  EventFilter filter_;
  bool filtering_;  // filter_ is not empty: asked once, not for each event
  std::vector<FileStats> stats_;
  size_t parsers_;
  size_t waiting_chunks_ = 4;
  // The last address seen for each (service, pid): sshd names the address in
  // its first lines only.
  PeerMemory peers_;
  std::vector<Event> line_events_;  // one line's events, for ReadLine and the journal
};

}  // namespace irk::logs
