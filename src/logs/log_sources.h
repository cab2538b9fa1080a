// Where a system's text logs are: the default sources (auth.log, secure,
// messages, syslog, the FTP daemons' logs), each with its rotations in
// reading order, and the first and last stamps of a file, so that
// --since/--until can skip whole files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"

namespace irk::logs {

// One log and its rotations, read as one stream.
struct LogSource {
  std::string name;                // the log as the system names it: "/var/log/auth.log"
  std::vector<std::string> files;  // absolute paths, oldest first; the live log last

  friend bool operator==(const LogSource&, const LogSource&) = default;
};

// The rotations of the log `base` (a file name, "auth.log") among the file
// names `names` of its directory `dir` ("/var/log"), as paths, oldest first:
// dateext rotations ("auth.log-20261120", by date), then numeric ones
// ("auth.log.4" before "auth.log.1"), then `base` itself. Any of them may
// end in ".gz" or ".zst" (for the same rotation, the plain file comes
// first). Names that are neither are not taken ("auth.log.old").
// A system that switched between the two naming schemes is read with its
// dateext files first: the order between the schemes is a guess.
std::vector<std::string> RotationsOf(std::string_view dir, std::string_view base,
                                     const std::vector<std::string>& names);

// The default text log sources under `root` that have at least one file,
// sorted by name: /var/log/{auth.log,secure,messages,syslog,vsftpd.log,
// xferlog} and /var/log/proftpd/{proftpd.log,auth.log,xferlog}, each with
// its rotations. Only regular files are taken: links, FIFOs and devices are
// skipped unopened. A missing directory is no error; one that cannot be
// listed is.
Result<std::vector<LogSource>> FindLogSources(const Root& root);

// The source for a file the user named (--source FILE): the file alone.
LogSource SourceForFile(std::string_view path);

// The source for a file the user named with its rotations: the rotations of
// its name in its directory, oldest first, and the file itself last (named
// even if it is missing, so reading it reports why).
Result<LogSource> SourceWithRotations(const Root& root, std::string_view path);

// The stamp of a line, or nullopt when it has none that can be read.
using StampOf = std::function<std::optional<Timestamp>(std::string_view line)>;

// The first and last stamps found in a file; nullopt when none was found at
// that end (the file cannot then be skipped).
struct FileSpan {
  std::optional<Timestamp> first;
  std::optional<Timestamp> last;

  // True when every stamp in the file lies before `since` or at or after
  // `until` (the bounds of EventFilter), so the file can be skipped. Assumes
  // stamps rise through the file. Each test needs its end: without a last
  // stamp a file is never taken to end before `since`, without a first one
  // never to start at or after `until`.
  bool Outside(std::optional<Timestamp> since, std::optional<Timestamp> until) const;
};

// Reads the span of the file `path` under `root`: the first stamp among its
// first 64 lines, and the last among its last 64 KiB (plain files: one seek)
// or its last 64 lines (gzip and zstd files, which cannot seek: the whole
// file is decompressed, about as costly as reading it, but not parsed).
Result<FileSpan> ReadFileSpan(const Root& root, std::string_view path, const StampOf& stamp_of);

}  // namespace irk::logs
