// The journal reader of a build without libsystemd (the static irk). Its
// files are a format only sd-journal reads here, so a root that has any is
// an error that says what to do instead; a root without them reads as empty,
// as with sd-journal. No reader ever holds a journal, so the rest of the
// interface is that of an empty journal.
#include <fmt/format.h>

#include "logs/journal.h"
#include "logs/journal_files.h"

namespace irk::logs {

// Never called with a journal: journal_ stays null in this build.
void JournalReader::Closer::operator()(sd_journal*) const {}

JournalReader::JournalReader(JournalReader&&) noexcept = default;
JournalReader& JournalReader::operator=(JournalReader&&) noexcept = default;
JournalReader::~JournalReader() = default;

Result<JournalReader> JournalReader::Open(const Root& root, const JournalOptions&) {
  auto files = ImageJournalFiles(root);
  if (!files.ok()) return files.error();
  if (files->empty()) return JournalReader();
  return Fail(fmt::format(
      "{} journal files under {} (first {}): this static irk cannot read the systemd journal; "
      "read the text logs (irk events /var/log/auth.log), or copy the journal files to a "
      "clean machine and run the full irk there with --root",
      files->size(), root.dir().string(), files->front().name));
}

Result<std::optional<JournalEntry>> JournalReader::Next() { return std::optional<JournalEntry>(); }

Status JournalReader::SeekCursor(std::string_view) { return Ok(); }

int JournalReader::WaitFd() { return -1; }

void JournalReader::Acknowledge() {}

}  // namespace irk::logs
