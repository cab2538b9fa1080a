// The baseline: one SQLite file holding the policy it was made with and one
// row per path, protected by a signature over its canonical content.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sqlite.h"
#include "integrity/baseline_key.h"
#include "integrity/file_record.h"
#include "integrity/policy.h"

namespace irk::integrity {

// What checking a baseline's signature found.
enum class Signature {
  kValid,      // signed, and the signature matches the content with the key given
  kMissing,    // never signed
  kNoKey,      // signed, but no key was given to check it
  kWrongKind,  // signed with the other kind of key than the one given
  kMismatch,   // the content changed since it was signed, or the key is not the one used
};

struct SignatureCheck {
  Signature verdict = Signature::kMissing;
  std::string kind;    // the kind stored ("hmac-sha256", "ed25519"), empty when unsigned
  std::string digest;  // SHA-256 of the canonical content as it is now, hex
  // For a person: "signed with ed25519 and valid", "the content changed
  // since it was signed (row deleted or altered)", …
  std::string explanation;
};

class Baseline {
 public:
  // Starts a baseline that will become `file` (which must not exist yet):
  // it is written as "FILE.partial" (0600) in one transaction and appears
  // under its name only at Finish, so a crash never leaves half a baseline.
  // Records `policy` and `root_dir` (the system scanned).
  static Result<Baseline> Create(const std::filesystem::path& file, const Policy& policy,
                                 std::string_view root_dir);
  // Opens an existing baseline read-only; it may be on read-only media.
  static Result<Baseline> Open(const std::filesystem::path& file);

  // Stores records of a baseline being created; a path stored twice keeps the last.
  Status Add(const std::vector<FileRecord>& records);
  // Commits a created baseline and gives it its final name (never replacing a file).
  Status Finish();

  // The record of `path`, or nullopt when the baseline has none.
  Result<std::optional<FileRecord>> Find(std::string_view path);

  // Calls `visit` for every record in path order; its error stops the walk.
  Status ForEach(const std::function<Status(const FileRecord&)>& visit);

  // The policy stored at creation.
  Result<Policy> ReadPolicy();
  // A value stored at creation: "created" (RFC 3339), "root", "format".
  Result<std::string> Meta(std::string_view key);
  Result<int64_t> Count();

  // SHA-256 (hex) over the canonical content: the meta, rule, exclude and
  // file rows in a fixed order, each field typed and length-prefixed, so
  // that any changed, added or deleted row changes it.
  Result<std::string> ContentDigest();

  // Signs the current content with `key` (replacing an earlier signature).
  Status Sign(const BaselineKey& key);
  // Checks the stored signature against the content now, with `key` (nullptr
  // when the operator gave none).
  Result<SignatureCheck> CheckSignature(const BaselineKey* key);

  // Paths seen by a new scan, kept in a temporary table (on disk, so memory
  // stays bounded): MarkSeen them, then ForEachUnseen visits the records
  // no scan saw, in path order.
  Status MarkSeen(const std::vector<FileRecord>& records);
  Status ForEachUnseen(const std::function<Status(const FileRecord&)>& visit);

 private:
  explicit Baseline(Database db) : db_(std::move(db)) {}
  Status ForEachRow(std::string_view sql, const std::function<Status(const FileRecord&)>& visit);

  Database db_;
  std::filesystem::path partial_;  // while being created: the file written
  std::filesystem::path final_;    // … and the name it gets at Finish
  std::optional<Statement> insert_;
  std::optional<Statement> mark_;
  std::optional<Statement> find_;
};

}  // namespace irk::integrity
