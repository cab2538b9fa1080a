// The journal files of a root, found and opened by irk itself: shared by
// the sd-journal reader (journal.cc) and the build without libsystemd
// (journal_absent.cc), which names them.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/root.h"

namespace irk::logs {

// A journal file opened by irk, and its name for messages.
struct JournalFile {
  std::string name;
  Fd fd;
};

// The files named *.journal or *.journal~ in var/log/journal and
// run/log/journal under `root` (the running host's too, for "/"), and in
// their subfolders one level down, sorted by name within each folder.
// Opened without following symbolic links: a link for either folder is an
// error, a linked file is skipped. Fails for more than kMaxJournalFiles.
Result<std::vector<JournalFile>> ImageJournalFiles(const Root& root);

}  // namespace irk::logs
