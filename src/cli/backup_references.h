// What `irk backups history` and `irk restore` share: the asked paths, the
// references each version is judged against (the signed baseline when one is
// given or in the case, and the package database), and the compromise time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backups/gather.h"
#include "cli/command.h"
#include "cli/integrity_options.h"

namespace irk::cli {

// The options both commands take: --from, --since, and the baseline's.
struct BackupOptions {
  std::vector<std::string> sources;  // --from
  std::string since;                 // --since
  IntegrityOptions integrity;
};

// Adds --since and the baseline options (--db, --key-file, …) to `app`.
void AddBackupOptions(CLI::App& app, BackupOptions& options);

// The request for `paths`: each normalised (an error for a relative one or
// one with ".."), its references, the parsed --since. The baseline is
// used when --db is given or the case holds one; it must pass its
// signature check (or --trust-unsigned).
Result<backups::HistoryRequest> MakeHistoryRequest(const Globals& globals,
                                                   const BackupOptions& options,
                                                   const std::vector<std::string>& paths,
                                                   const Root& root);

}  // namespace irk::cli
