#include "logs/journal.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <systemd/sd-journal.h>

#include "logs/journal_files.h"

namespace irk::logs {
namespace {

// The value of `field` in the current entry ("MESSAGE" gives what follows
// "MESSAGE="), nullopt when the entry has none. The view points into
// sd-journal's mapping, valid until the next call on `journal`.
std::optional<std::string_view> Field(sd_journal* journal, const char* field) {
  const void* data = nullptr;
  size_t size = 0;
  if (sd_journal_get_data(journal, field, &data, &size) < 0 || data == nullptr) {
    return std::nullopt;
  }
  const std::string_view all(static_cast<const char*>(data), size);
  const size_t name_size = std::strlen(field);
  if (all.size() <= name_size || all.substr(0, name_size) != field || all[name_size] != '=') {
    return std::nullopt;
  }
  return all.substr(name_size + 1);
}

std::string Bounded(std::optional<std::string_view> value, size_t max) {
  if (!value) return {};
  return std::string(value->substr(0, max));
}

// A pid as journald writes one: 1 to 10 digits, at most INT32_MAX.
std::optional<int64_t> ParsePid(std::optional<std::string_view> text) {
  if (!text || text->empty() || text->size() > 10) return std::nullopt;
  int64_t value = 0;
  for (const char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return value;
}

uint64_t ToMicros(Timestamp t) {
  if (t.seconds < 0) return 0;
  const auto seconds = static_cast<uint64_t>(t.seconds);
  if (seconds > std::numeric_limits<uint64_t>::max() / 1000000 - 1) {
    return std::numeric_limits<uint64_t>::max();
  }
  return seconds * 1000000 + static_cast<uint64_t>(std::max(t.micros, 0));
}

Timestamp FromMicros(uint64_t micros) {
  return Timestamp{static_cast<int64_t>(micros / 1000000), static_cast<int32_t>(micros % 1000000)};
}

std::string SdError(int negative_errno) { return std::strerror(-negative_errno); }

// Opens `files` in one sd_journal. sd-journal reopens each through its
// /proc/self/fd link, so it gets the very file irk opened and owns its own
// descriptor (sd_journal_open_files_fd would do without /proc, but whether
// it closes the caller's descriptors differs between libsystemd versions).
int OpenFiles(const std::vector<const JournalFile*>& files, sd_journal** journal) {
  std::vector<std::string> paths;
  for (const JournalFile* file : files) {
    paths.push_back(fmt::format("/proc/self/fd/{}", file->fd.get()));
  }
  std::vector<const char*> argv;
  for (const std::string& path : paths) argv.push_back(path.c_str());
  argv.push_back(nullptr);
  return sd_journal_open_files(journal, argv.data(), 0);
}

}  // namespace

void JournalReader::Closer::operator()(sd_journal* journal) const { sd_journal_close(journal); }

JournalReader::JournalReader(JournalReader&&) noexcept = default;
JournalReader& JournalReader::operator=(JournalReader&&) noexcept = default;
JournalReader::~JournalReader() = default;

Result<JournalReader> JournalReader::Open(const Root& root, const JournalOptions& options) {
  if (options.identifiers.size() > kMaxJournalIdentifiers) {
    return Fail(fmt::format("journal: more than {} identifiers", kMaxJournalIdentifiers));
  }
  for (const std::string& identifier : options.identifiers) {
    if (identifier.empty() || identifier.size() > kMaxJournalName) {
      return Fail(fmt::format("journal: an identifier must have 1 to {} bytes", kMaxJournalName));
    }
  }

  JournalReader reader;
  reader.since_ = options.since;
  reader.until_ = options.until;
  sd_journal* raw = nullptr;
  if (root.live()) {
    if (const int r = sd_journal_open(&raw, SD_JOURNAL_LOCAL_ONLY); r < 0) {
      return Fail("open the journal: " + SdError(r));
    }
  } else {
    auto files = ImageJournalFiles(root);
    if (!files.ok()) return files.error();
    std::vector<const JournalFile*> usable;
    for (const JournalFile& file : *files) usable.push_back(&file);
    if (usable.empty()) return reader;
    if (OpenFiles(usable, &raw) < 0) {
      // One bad file fails them all: find which, and open the rest.
      usable.clear();
      for (const JournalFile& file : *files) {
        sd_journal* probe = nullptr;
        if (const int r = OpenFiles({&file}, &probe); r < 0) {
          reader.problems_.push_back(fmt::format("{}: {}", file.name, SdError(r)));
        } else {
          sd_journal_close(probe);
          usable.push_back(&file);
        }
      }
      if (usable.empty()) return reader;
      if (const int r = OpenFiles(usable, &raw); r < 0) {
        return Fail(
            fmt::format("open the journal files under {}: {}", root.dir().string(), SdError(r)));
      }
    }
  }
  reader.journal_.reset(raw);
  sd_journal* journal = reader.journal_.get();

  // Compressed fields are decompressed no further than the longest message
  // kept (with its "MESSAGE=").
  sd_journal_set_data_threshold(journal, kMaxJournalMessage + 8);
  for (const std::string& identifier : options.identifiers) {
    const std::string match = "SYSLOG_IDENTIFIER=" + identifier;
    if (const int r = sd_journal_add_match(journal, match.data(), match.size()); r < 0) {
      return Fail("journal: match " + identifier + ": " + SdError(r));
    }
  }
  const int r = options.since ? sd_journal_seek_realtime_usec(journal, ToMicros(*options.since))
                              : sd_journal_seek_head(journal);
  if (r < 0) return Fail("journal: seek: " + SdError(r));
  return reader;
}

Result<std::optional<JournalEntry>> JournalReader::Next() {
  sd_journal* journal = journal_.get();
  while (journal != nullptr && !past_until_) {
    const int r = sd_journal_next(journal);
    if (r < 0) return Fail("read the journal: " + SdError(r));
    if (r == 0) return std::optional<JournalEntry>();
    if (!skip_cursor_.empty()) {
      const bool same = sd_journal_test_cursor(journal, skip_cursor_.c_str()) > 0;
      skip_cursor_.clear();
      if (same) continue;
    }
    uint64_t micros = 0;
    if (const int t = sd_journal_get_realtime_usec(journal, &micros); t < 0) {
      return Fail("read the journal: entry time: " + SdError(t));
    }
    const Timestamp time = FromMicros(micros);
    if (since_ && time < *since_) continue;
    if (until_ && time > *until_) {
      past_until_ = true;
      break;
    }

    JournalEntry entry;
    entry.time = time;
    entry.time_text = FormatRfc3339(time, /*with_micros=*/true);
    entry.host = Bounded(Field(journal, "_HOSTNAME"), kMaxJournalName);
    entry.program = Bounded(Field(journal, "SYSLOG_IDENTIFIER"), kMaxJournalName);
    if (entry.program.empty()) entry.program = Bounded(Field(journal, "_COMM"), kMaxJournalName);
    entry.pid = ParsePid(Field(journal, "SYSLOG_PID"));
    if (!entry.pid) entry.pid = ParsePid(Field(journal, "_PID"));
    entry.message = Bounded(Field(journal, "MESSAGE"), kMaxJournalMessage);
    char* cursor = nullptr;
    if (sd_journal_get_cursor(journal, &cursor) >= 0 && cursor != nullptr) {
      entry.cursor = cursor;
      std::free(cursor);
    }
    return std::optional<JournalEntry>(std::move(entry));
  }
  return std::optional<JournalEntry>();
}

Status JournalReader::SeekCursor(std::string_view cursor) {
  const bool printable =
      std::all_of(cursor.begin(), cursor.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (cursor.empty() || cursor.size() > kMaxJournalCursor || !printable) {
    return Fail("journal: malformed cursor");
  }
  if (journal_ == nullptr) return Ok();
  const std::string text(cursor);
  if (const int r = sd_journal_seek_cursor(journal_.get(), text.c_str()); r < 0) {
    return Fail("journal: cursor: " + SdError(r));
  }
  skip_cursor_ = text;
  past_until_ = false;
  return Ok();
}

int JournalReader::WaitFd() {
  if (journal_ == nullptr) return -1;
  const int fd = sd_journal_get_fd(journal_.get());
  return fd < 0 ? -1 : fd;
}

void JournalReader::Acknowledge() {
  if (journal_ != nullptr) (void)sd_journal_process(journal_.get());
}

}  // namespace irk::logs
