// The case: one folder holding one SQLite database with everything irk
// learns or does, and an append-only journal whose records are chained by
// SHA-256 so that an altered, deleted, inserted or reordered record shows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sqlite.h"
#include "core/time.h"

namespace irk {

struct JournalRecord {
  int64_t seq = 0;            // 1, 2, 3 … in the order appended
  std::string time;           // RFC 3339 UTC with microseconds
  std::string operator_json;  // Operator::ToJson() of whoever ran irk
  std::string command;        // the command line, as one string
  std::string kind;           // "case.opened", "status", "block.apply", …
  std::string details_json;   // a JSON object
  std::string prev_hash;      // hash of record seq-1; 64 zeros for the first
  std::string hash;           // SHA-256(prev_hash ‖ CanonicalBytes(record))
};

// The bytes a record's hash covers: a JSON array of seq, time, operator,
// command, kind and details, written by irk's deterministic JSON writer.
std::string CanonicalBytes(const JournalRecord& record);

// The outcome of checking the whole chain.
struct ChainCheck {
  bool intact = true;
  int64_t records = 0;               // rows found
  std::optional<int64_t> first_bad;  // seq of the first record that fails
  std::string problem;               // what is wrong there, for a person
  std::string head_hash;             // hash of the last record, "" when empty
};

// Who is writing: stamped on every record this process appends.
struct Actor {
  std::string operator_json;
  std::string command;
};

class CaseStore {
 public:
  // Opens the case in `dir`, creating the folder (0700) and the database
  // (0600) when missing. Refuses, without changing anything: a folder or
  // database owned by another user or writable by group or others, a
  // symbolic link in their place, a folder on a read-only filesystem, and a
  // database that is not an irk case (it is never overwritten).
  static Result<CaseStore> Open(const std::filesystem::path& dir, Actor actor);

  // Appends one record; `details_json` must be a JSON object. Safe against
  // other irk processes appending at the same time.
  Result<JournalRecord> Append(std::string_view kind, std::string_view details_json);

  // Every record in seq order.
  Result<std::vector<JournalRecord>> Records();

  // Recomputes the chain from the first record and compares it with the
  // stored hashes and the stored head.
  Result<ChainCheck> Verify();

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path database_path() const { return dir_ / kDatabaseName; }
  Database& database() { return db_; }

  static constexpr const char* kDatabaseName = "case.db";

 private:
  CaseStore(std::filesystem::path dir, Database db, Actor actor)
      : dir_(std::move(dir)), db_(std::move(db)), actor_(std::move(actor)) {}

  std::filesystem::path dir_;
  Database db_;
  Actor actor_;
};

}  // namespace irk
