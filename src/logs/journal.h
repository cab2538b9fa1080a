// The systemd journal as a source of log lines, read through sd-journal:
// the running host's own journal, or the journal files of a mounted image.
// Each entry's fields are bounded copies, and an entry gives the same
// LineHeader a syslog line does, so the service parsers see no difference.
// A build without libsystemd (IRK_WITH_SYSTEMD off, the static irk) has the
// same interface in journal_absent.cc: Open fails, saying what to do, when
// the root has journal files, and reads as empty when it has none.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"
#include "logs/syslog_line.h"

struct sd_journal;

namespace irk::logs {

// Bounds on the fields copied out of an entry: longer values are cut.
inline constexpr size_t kMaxJournalMessage = 64 * 1024;
inline constexpr size_t kMaxJournalName = 255;  // host and program
// Bounds on what Open accepts.
inline constexpr size_t kMaxJournalFiles = 1000;
inline constexpr size_t kMaxJournalIdentifiers = 64;
inline constexpr size_t kMaxJournalCursor = 1024;

// One journal entry. The text fields are the entry's bytes: hostile, escape
// them on output.
struct JournalEntry {
  Timestamp time;              // __REALTIME_TIMESTAMP, in microseconds
  std::string time_text;       // `time` as RFC 3339 with microseconds, in UTC
  std::string host;            // _HOSTNAME; "" when absent; at most kMaxJournalName bytes
  std::string program;         // SYSLOG_IDENTIFIER, else _COMM; "" when neither
  std::optional<int64_t> pid;  // SYSLOG_PID when it is a number, else _PID
  std::string message;         // MESSAGE as bytes (NUL and escapes kept), cut at kMaxJournalMessage
  std::string cursor;          // where the entry is, for JournalReader::SeekCursor
};

// The entry as a LineHeader: views into `entry` (valid while it lives and is
// unchanged), zone "UTC", time_text the entry's RFC 3339 stamp.
inline LineHeader JournalLineHeader(const JournalEntry& entry) {
  LineHeader header;
  header.time = entry.time;
  header.time_text = entry.time_text;
  header.zone = "UTC";
  header.host = entry.host;
  header.program = entry.program;
  header.pid = entry.pid;
  header.message = entry.message;
  return header;
}

struct JournalOptions {
  std::optional<Timestamp> since;  // entries before it are skipped
  std::optional<Timestamp> until;  // reading stops at the first entry after it
  // SYSLOG_IDENTIFIER values to keep ("sshd", "sudo", …); empty keeps all.
  // Each is non-empty and at most kMaxJournalName bytes; at most
  // kMaxJournalIdentifiers of them.
  std::vector<std::string> identifiers;
};

class JournalReader {
 public:
  // Opens the journal of `root`. On the running host ("/") that is the local
  // machine's journal (sd_journal_open, SD_JOURNAL_LOCAL_ONLY). On an image,
  // the files named *.journal or *.journal~ in var/log/journal and
  // run/log/journal under the root, and in their subfolders one level down
  // (the machine-id folders); each opened by irk first and handed to
  // sd-journal as that open file, so no symbolic link in the image can lead
  // out of it: a link for either folder is an error, a linked file is
  // skipped. An image without journal files reads as empty. A file that
  // sd-journal refuses (corrupt, not a journal) is left out and named in
  // problems(). Fails for bad options or more than kMaxJournalFiles files.
  static Result<JournalReader> Open(const Root& root, const JournalOptions& options);

  JournalReader(JournalReader&&) noexcept;
  JournalReader& operator=(JournalReader&&) noexcept;
  ~JournalReader();

  // The next entry in the journal's order (by time within a boot), nullopt
  // at the end, or after `until` was passed. After an end of the journal,
  // a later call returns entries written since.
  Result<std::optional<JournalEntry>> Next();

  // Moves to the entry that `cursor` (a JournalEntry::cursor) names, so that
  // Next returns the entries after it; when that entry is gone (rotated
  // away), Next starts at the nearest one. Fails for a malformed cursor.
  Status SeekCursor(std::string_view cursor);

  // For following the live journal: a descriptor that poll(2) finds
  // readable when the journal changed (sd_journal_get_fd), or -1 when there
  // is no journal. After it woke, call Acknowledge, then Next.
  int WaitFd();
  void Acknowledge();

  // The journal files of an image left out, one line each:
  // "/mnt/img/var/log/journal/m/system@x.journal~: Bad message".
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  struct Closer {
    void operator()(sd_journal* journal) const;
  };

  JournalReader() = default;

  std::unique_ptr<sd_journal, Closer> journal_;  // null when there is nothing to read
  std::optional<Timestamp> since_;
  std::optional<Timestamp> until_;
  std::vector<std::string> problems_;
  std::string skip_cursor_;  // the entry SeekCursor moved to, skipped by Next
  bool past_until_ = false;
};

}  // namespace irk::logs
