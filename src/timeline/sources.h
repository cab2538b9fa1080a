// The streams a timeline merges: one per log source of the examined system
// (each text log with its rotations, the journal, wtmp, btmp), one per file
// the operator added, the case journal, and the file times.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/case_store.h"
#include "core/result.h"
#include "core/root.h"
#include "logs/event_reader.h"
#include "logs/timezone.h"
#include "timeline/clock_check.h"
#include "timeline/file_times.h"
#include "timeline/merge.h"

namespace irk::timeline {

struct SourceOptions {
  bool journal = false;            // read the journal even where text auth logs exist
  std::vector<std::string> files;  // --source: more logs, paths on the examining host
  logs::EventFilter filter;        // window, user, address
};

// One stream per source that `EventReader::ReadDefaultSources` reads under
// `root`, in its order, then one per file of `options.files` read from `host`
// (a named file's format detected as `irk events FILE` does). Each stream
// reads on its own thread once pulled. The mtime of every file read goes to
// `check`. A source that cannot be listed goes to `problem`. `root`, `host`
// and `zone` must outlive the streams.
std::vector<std::unique_ptr<ItemStream>> OpenLogStreams(
    const Root& root, const Root& host, const logs::TimeZone& zone, const SourceOptions& options,
    ClockCheck& check, const std::function<void(const Error&)>& problem);

// The case journal's records whose times lie in the filter's window, as a
// stream named "case journal".
Result<std::unique_ptr<ItemStream>> OpenCaseStream(CaseStore& store,
                                                   const logs::EventFilter& filter);

// The authorized_keys and authorized_keys2 files under the home folder of
// every user in the root's /etc/passwd whose mtime or ctime lies in
// [since, until): a key planted before a login. A missing file is no problem;
// one that cannot be read goes to `problem`.
std::vector<FileTimes> ChangedKeyFiles(const Root& root, Timestamp since, Timestamp until,
                                       const std::function<void(const Error&)>& problem);

// Reads the web servers' access logs of the root, /var/log/apache2/access.log
// and /var/log/nginx/access.log with their rotations, passing each request in
// [since, until) as an event (AccessEvent; service "apache2" or "nginx"; file,
// line and raw filled) to `sink`. A file that cannot be read goes to
// `problem`; lines of other formats are skipped.
void ReadAccessLogs(const Root& root, Timestamp since, Timestamp until, const logs::EventSink& sink,
                    const std::function<void(const Error&)>& problem);

// Reads /var/log/dpkg.log and its rotations, passing each package installed,
// upgraded, removed or purged in [since, until) to `sink` as
// "file:line: the line". A file that cannot be read goes to `problem`.
void ReadPackageChanges(const Root& root, const logs::TimeZone& zone, Timestamp since,
                        Timestamp until, const std::function<void(std::string line)>& sink,
                        const std::function<void(const Error&)>& problem);

}  // namespace irk::timeline
