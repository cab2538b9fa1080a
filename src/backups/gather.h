// Gathering histories: the generations of every source merged in time
// order, each asked path read from each generation once, the host's current
// content hashed, and the histories built.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backups/history.h"
#include "core/result.h"
#include "core/root.h"

namespace irk::backups {

// The generations of all `sources`, oldest first (ties in source order).
Result<std::vector<Generation>> FindAllGenerations(const std::vector<std::string>& sources);

struct HistoryRequest {
  std::vector<std::string> paths;                 // absolute, normalised (AskedPath)
  std::vector<Reference> references;              // one per path
  std::optional<Timestamp> since;                 // the compromise time
  std::optional<integrity::HashAlgorithm> other;  // the baseline's algorithm when not SHA-256
};

struct HistoryReport {
  std::vector<History> histories;     // one per path, in the order asked
  std::vector<std::string> warnings;  // generations that could not be read, and why
  size_t inode_hits = 0;              // files not hashed again thanks to hard links
};

// Reads every path from every generation (a generation that cannot be read
// marks its versions unreadable and adds a warning) and builds the
// histories. `root` is the examined system: its current content of each
// path, and whether a source lives on the same filesystem.
HistoryReport GatherHistories(const std::vector<Generation>& generations,
                              const HistoryRequest& request, const Root& root);

}  // namespace irk::backups
