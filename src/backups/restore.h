// The restore of one file from a backup generation as a containment plan:
// the current (tampered) file moved into the case as evidence, the good
// version written beside it through a temporary file, verified, given the
// version's mode, owner and xattrs, and renamed into place. `irk undo`
// reverts both steps.
#pragma once

#include <memory>
#include <string>

#include "backups/generation.h"
#include "backups/history.h"
#include "backups/version.h"
#include "contain/host_files.h"
#include "contain/plan.h"
#include "core/result.h"

namespace irk::backups {

struct RestoreRequest {
  std::string path;       // absolute, as the backed-up system names it
  Generation generation;  // where the version comes from
  Version version;        // its metadata and digests
  std::string content;    // its bytes
  Verdict verdict = Verdict::kUnknown;
  bool force = false;  // restore an executable that matches no trusted reference
  // Write to this folder (as FOLDER/<file name>) instead of over `path`; the
  // file at `path` is then left alone. Empty: restore in place.
  std::string to_dir;
};

// Builds the plan, or refuses: a version that is missing, unreadable, not a
// regular file (a link, device, FIFO, folder), whose bytes do not match its
// digest, or an executable (any x bit, setuid/setgid) matching no trusted
// reference without `force` — the intruder may have planted it long ago.
// `files` writes to the system the plan changes (the root, or --to's folder).
Result<contain::Plan> MakeRestorePlan(std::shared_ptr<const contain::HostFiles> files,
                                      const RestoreRequest& request);

}  // namespace irk::backups
