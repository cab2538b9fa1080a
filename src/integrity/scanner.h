// The scanner: walks a policy's paths in a system (the host or an image
// under --root) and records every entry, hashing regular files on a bounded
// pool of threads. Memory stays bounded: records reach the caller in batches
// while the walk goes on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "integrity/file_record.h"
#include "integrity/policy.h"

namespace irk::integrity {

struct ScanOptions {
  unsigned workers = 0;   // hashing threads; 0: one per core
  bool progress = false;  // redraw a progress line on stderr (for a terminal)
};

struct ScanTotals {
  uint64_t entries = 0;   // records handed to the sink
  uint64_t bytes = 0;     // bytes hashed
  uint64_t problems = 0;  // records whose state is not kOk
};

// Receives a batch of records on the thread that called Scan. An error stops
// the scan and becomes Scan's error.
using RecordSink = std::function<Status(std::vector<FileRecord>& batch)>;

// Records every entry under each rule's path, in no particular order, each
// path once (a rule's folder inside another rule's is left to the inner
// rule). Within a folder, entries are read in inode order. The walk:
// - opens each rule's parent through the Root (links resolved inside it) and
//   everything below with openat/fstatat relative to folder descriptors,
//   never following a link;
// - skips what the policy excludes, folders on other file systems (with
//   `one_filesystem`; the mount point itself is recorded) and folders
//   deeper than 256 levels (recorded with a problem);
// - records links with their target, FIFOs, sockets and devices by their
//   metadata only, and hands regular files to FileReader.
// A rule whose path does not exist yields no record. Entries that vanish or
// cannot be read are records with that state, not errors.
// A byte count for people: "512 B", "1.2 GiB".
std::string FormatBytes(uint64_t bytes);

Result<ScanTotals> Scan(const Root& root, const Policy& policy, const ScanOptions& options,
                        const RecordSink& sink);

}  // namespace irk::integrity
