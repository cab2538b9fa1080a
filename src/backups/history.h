// The history of a file across backup generations: each version judged
// against the trusted references (the signed baseline, the package
// database's hash), identical neighbours grouped, and the last known-good
// version picked by a stated rule.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backups/generation.h"
#include "backups/version.h"
#include "core/time.h"

namespace irk::backups {

// What a version is compared with. Empty strings: no such reference.
struct Reference {
  std::string baseline_hash;  // "sha256:<hex>" (or sha512/blake2b) from a trusted baseline
  std::string package_md5;    // hex, from dpkg's md5sums
  std::string package;        // the package that ships the path
};

enum class Verdict {
  kBaseline,    // matches the signed baseline
  kPackage,     // matches the package database's hash
  kDiffers,     // a reference exists and this version matches none
  kUnknown,     // no reference to compare with
  kMissing,     // the generation has no entry at the path
  kUnreadable,  // the entry could not be read or judged (Version::problem)
};
std::string_view VerdictName(Verdict verdict);  // "baseline", "package", "differs", …

Verdict Judge(const Version& version, const Reference& reference);

struct HistoryEntry {
  size_t generation = 0;  // index into the generations given
  Version version;
  Verdict verdict = Verdict::kMissing;
};

// Neighbouring generations holding the same version.
struct VersionGroup {
  size_t first = 0;  // index into History::entries
  size_t last = 0;   // inclusive
};

struct LastGood {
  size_t entry = 0;                   // index into History::entries
  std::string rule;                   // why this one, for a person
  bool trusted = false;               // it matches a trusted reference
  std::vector<std::string> cautions;  // what lowers the trust in it
};

struct History {
  std::string path;
  std::vector<HistoryEntry> entries;  // one per generation, oldest first
  std::vector<VersionGroup> groups;
  std::optional<LastGood> last_good;
};

// What besides the references decides the last good version.
struct GoodRule {
  std::optional<Timestamp> since;      // the compromise time (--since)
  std::optional<std::string> current;  // SHA-256 of the file on the host now
  std::vector<bool> source_on_host;    // per generation: its source is on the examined host
};

// Builds the history of `path` from its version in each generation
// (`versions[i]` belongs to `generations[i]`, sorted oldest first). The last
// known-good version is the newest that matches a trusted reference; without
// one, the version before the first change after `since`; without `since`,
// the version before the host's current content first appeared. Versions
// marked kUnchangedInIncrement take the version of the previous generation
// of the same source.
History BuildHistory(std::string_view path, const std::vector<Generation>& generations,
                     std::vector<Version> versions, const Reference& reference,
                     const GoodRule& rule);

// True when two versions hold the same content and attributes.
bool SameVersion(const Version& a, const Version& b);

}  // namespace irk::backups
