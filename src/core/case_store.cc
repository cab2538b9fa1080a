#include "core/case_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/json.h"

namespace irk {
namespace {

// "IRK1": marks the database as an irk case (PRAGMA application_id), so irk
// never mistakes another program's database for its own, nor writes to it.
constexpr int64_t kApplicationId = 0x49524B31;
constexpr int64_t kSchemaVersion = 1;
const std::string kGenesisHash(64, '0');

constexpr std::string_view kSchema = R"sql(
CREATE TABLE case_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE journal(
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  operator TEXT NOT NULL,
  command TEXT NOT NULL,
  kind TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE journal_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,
                          hash TEXT NOT NULL);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql";

std::string ModeText(mode_t mode) { return fmt::format("{:04o}", mode & 07777); }

// The checks shared by the folder and the database file: ours, and no one
// else can write it. `what` is "case folder" or "case database".
Status CheckOwnership(const std::filesystem::path& path, const struct stat& st,
                      std::string_view what) {
  if (st.st_uid != geteuid()) {
    return Fail(
        fmt::format("{} {} belongs to uid {}, not to uid {} running irk; refusing to use it", what,
                    path.string(), st.st_uid, geteuid()));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Fail(fmt::format(
        "{} {} is writable by other users (mode {}); refusing to use it (fix: chmod go-w {})", what,
        path.string(), ModeText(st.st_mode), path.string()));
  }
  return Ok();
}

Status CheckWritableFilesystem(const std::filesystem::path& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    return Fail(fmt::format(
        "case folder {} is on a read-only filesystem; choose a writable one with --case DIR",
        path.string()));
  }
  return Ok();
}

Status PrepareFolder(const std::filesystem::path& dir) {
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return Fail(fmt::format("case folder {}: {}", dir.string(), std::strerror(errno)));
    }
    // Check the nearest existing ancestor so a read-only disk is named as
    // such, before anything is created.
    std::filesystem::path existing = dir.parent_path();
    while (!existing.empty() && existing != existing.root_path() &&
           access(existing.c_str(), F_OK) != 0) {
      existing = existing.parent_path();
    }
    if (auto status = CheckWritableFilesystem(existing.empty() ? "." : existing); !status.ok()) {
      return status;
    }
    std::error_code ec;
    std::filesystem::create_directories(dir.parent_path().empty() ? "." : dir.parent_path(), ec);
    if (ec || mkdir(dir.c_str(), 0700) != 0) {
      const std::string reason = ec ? ec.message() : std::strerror(errno);
      return Fail(fmt::format("create case folder {}: {}", dir.string(), reason));
    }
    if (chmod(dir.c_str(), 0700) != 0 || lstat(dir.c_str(), &st) != 0) {
      return Fail(fmt::format("case folder {}: {}", dir.string(), std::strerror(errno)));
    }
  }
  if (S_ISLNK(st.st_mode)) {
    return Fail(
        fmt::format("case folder {} is a symbolic link; refusing to follow it (give the real "
                    "folder with --case)",
                    dir.string()));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Fail(fmt::format("case folder {} is not a folder", dir.string()));
  }
  if (auto status = CheckOwnership(dir, st, "case folder"); !status.ok()) return status;
  if (auto status = CheckWritableFilesystem(dir); !status.ok()) return status;
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return Fail(fmt::format("case folder {}: {}", dir.string(), std::strerror(errno)));
  }
  return Ok();
}

// Makes sure `file` is absent (then creates it empty, 0600), or is ours and
// is either empty or an SQLite database. Sets `fresh` when the schema must
// still be written.
Status PrepareDatabaseFile(const std::filesystem::path& file) {
  struct stat st {};
  if (lstat(file.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return Fail(fmt::format("case database {}: {}", file.string(), std::strerror(errno)));
    const int fd = open(file.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
      return Fail(fmt::format("create case database {}: {}", file.string(), std::strerror(errno)));
    close(fd);
    return Ok();
  }
  if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
    return Fail(
        fmt::format("case database {} is not a regular file; refusing to use it", file.string()));
  }
  if (auto status = CheckOwnership(file, st, "case database"); !status.ok()) return status;
  if (st.st_size == 0) return Ok();

  const int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Fail(fmt::format("case database {}: {}", file.string(), std::strerror(errno)));
  std::array<char, 16> header{};
  const ssize_t got = read(fd, header.data(), header.size());
  close(fd);
  static constexpr char kMagic[16] = "SQLite format 3";  // with its NUL: 16 bytes
  if (got != static_cast<ssize_t>(header.size()) ||
      std::memcmp(header.data(), kMagic, sizeof(kMagic)) != 0) {
    return Fail(fmt::format(
        "{} is not an irk case (not an SQLite database); refusing to overwrite it", file.string()));
  }
  return Ok();
}

Result<JournalRecord> ReadRecord(Statement& stmt) {
  JournalRecord record;
  record.seq = stmt.Int(0);
  record.time = stmt.Text(1);
  record.operator_json = stmt.Text(2);
  record.command = stmt.Text(3);
  record.kind = stmt.Text(4);
  record.details_json = stmt.Text(5);
  record.prev_hash = stmt.Text(6);
  record.hash = stmt.Text(7);
  return record;
}

std::string HashRecord(const JournalRecord& record) {
  return Sha256().Update(record.prev_hash).Update(CanonicalBytes(record)).HexDigest();
}

constexpr std::string_view kSelectRecords =
    "SELECT seq, time, operator, command, kind, details, prev_hash, hash FROM journal ORDER BY "
    "seq";

}  // namespace

std::string CanonicalBytes(const JournalRecord& record) {
  JsonArray array;
  array.Add(record.seq)
      .Add(record.time)
      .Add(record.operator_json)
      .Add(record.command)
      .Add(record.kind)
      .Add(record.details_json);
  return array.str();
}

Result<CaseStore> CaseStore::Open(const std::filesystem::path& dir, Actor actor) {
  if (auto status = PrepareFolder(dir); !status.ok()) return status.error();
  const auto file = dir / kDatabaseName;
  if (auto status = PrepareDatabaseFile(file); !status.ok()) return status.error();

  auto db = Database::Open(file, /*create=*/false);
  const auto context = fmt::format("open case database {}", file.string());
  if (!db.ok()) return db.error().Wrap(context);
  auto app_id = db->Pragma("application_id");
  if (!app_id.ok()) {
    return Fail(fmt::format("{} is not an irk case ({}); refusing to overwrite it", file.string(),
                            app_id.error().message));
  }
  auto tables = db->Pragma("schema_version");  // 0 until anything was created
  if (!tables.ok()) return tables.error().Wrap(context);
  const bool empty = *tables == "0";

  if (*app_id != std::to_string(kApplicationId)) {
    if (!empty || *app_id != "0") {
      return Fail(fmt::format(
          "{} is not an irk case (an SQLite database of another program); refusing to overwrite it",
          file.string()));
    }
  }
  if (auto status = db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"); !status.ok()) {
    return status.error().Wrap(context);
  }

  CaseStore store(dir, std::move(db).value(), std::move(actor));
  if (empty) {
    const std::string setup =
        fmt::format("BEGIN IMMEDIATE; {} PRAGMA application_id={}; PRAGMA user_version={}; COMMIT;",
                    kSchema, kApplicationId, kSchemaVersion);
    if (auto status = store.db_.Exec(setup); !status.ok()) {
      (void)store.db_.Exec("ROLLBACK");
      return status.error().Wrap(context);
    }
    auto info = store.db_.Prepare("INSERT INTO case_info(key, value) VALUES ('created', ?1)");
    if (!info.ok()) return info.error().Wrap(context);
    if (auto status = info->Bind(1, FormatRfc3339(Now())).Run(); !status.ok()) {
      return status.error().Wrap(context);
    }
    JsonObject details;
    details.Add("case", dir.string()).Add("irk_version", IRK_VERSION);
    if (auto opened = store.Append("case.opened", details.str()); !opened.ok()) {
      return opened.error();
    }
  } else {
    auto version = store.db_.Pragma("user_version");
    if (!version.ok()) return version.error().Wrap(context);
    if (*version != std::to_string(kSchemaVersion)) {
      return Fail(fmt::format("{}: case format {} is not one this irk ({}) knows", file.string(),
                              *version, IRK_VERSION));
    }
  }
  return store;
}

Result<JournalRecord> CaseStore::Append(std::string_view kind, std::string_view details_json) {
  const auto context = fmt::format("append to the journal of {}", dir_.string());
  if (auto status = db_.Exec("BEGIN IMMEDIATE"); !status.ok()) return status.error().Wrap(context);
  auto fail = [&](const Error& error) -> Result<JournalRecord> {
    (void)db_.Exec("ROLLBACK");
    return error.Wrap(context);
  };

  JournalRecord record;
  record.seq = 1;
  record.prev_hash = kGenesisHash;
  auto head = db_.Prepare("SELECT seq, hash FROM journal_head WHERE id = 1");
  if (!head.ok()) return fail(head.error());
  auto row = head->Step();
  if (!row.ok()) return fail(row.error());
  if (*row) {
    record.seq = head->Int(0) + 1;
    record.prev_hash = head->Text(1);
  }
  record.time = FormatRfc3339(Now(), /*with_micros=*/true);
  record.operator_json = actor_.operator_json;
  record.command = actor_.command;
  record.kind = std::string(kind);
  record.details_json = std::string(details_json);
  record.hash = HashRecord(record);

  auto insert = db_.Prepare(
      "INSERT INTO journal(seq, time, operator, command, kind, details, prev_hash, hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return fail(insert.error());
  insert->Bind(1, record.seq)
      .Bind(2, record.time)
      .Bind(3, record.operator_json)
      .Bind(4, record.command)
      .Bind(5, record.kind)
      .Bind(6, record.details_json)
      .Bind(7, record.prev_hash)
      .Bind(8, record.hash);
  if (auto status = insert->Run(); !status.ok()) return fail(status.error());

  auto move_head =
      db_.Prepare("INSERT OR REPLACE INTO journal_head(id, seq, hash) VALUES (1, ?1, ?2)");
  if (!move_head.ok()) return fail(move_head.error());
  move_head->Bind(1, record.seq).Bind(2, record.hash);
  if (auto status = move_head->Run(); !status.ok()) return fail(status.error());
  if (auto status = db_.Exec("COMMIT"); !status.ok()) return fail(status.error());
  return record;
}

Result<std::vector<JournalRecord>> CaseStore::Records() {
  auto stmt = db_.Prepare(kSelectRecords);
  if (!stmt.ok()) return stmt.error().Wrap("read the journal");
  std::vector<JournalRecord> records;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error().Wrap("read the journal");
    if (!*row) break;
    auto record = ReadRecord(*stmt);
    if (!record.ok()) return record.error();
    records.push_back(std::move(record).value());
  }
  return records;
}

Result<ChainCheck> CaseStore::Verify() {
  auto stmt = db_.Prepare(kSelectRecords);
  if (!stmt.ok()) return stmt.error().Wrap("verify the journal");
  ChainCheck check;
  auto flag = [&check](int64_t seq, std::string problem) {
    if (!check.intact) return;
    check.intact = false;
    check.first_bad = seq;
    check.problem = std::move(problem);
  };

  int64_t expected_seq = 1;
  std::string prev_hash = kGenesisHash;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error().Wrap("verify the journal");
    if (!*row) break;
    auto record = ReadRecord(*stmt);
    if (!record.ok()) return record.error();
    ++check.records;
    if (record->seq != expected_seq) {
      flag(record->seq, record->seq > expected_seq
                            ? fmt::format("record {} is missing (deleted); the next one is {}",
                                          expected_seq, record->seq)
                            : fmt::format("record {} is out of sequence (inserted)", record->seq));
    } else if (record->prev_hash != prev_hash) {
      flag(record->seq,
           fmt::format("record {} does not follow record {} (a record was inserted, deleted or "
                       "reordered here)",
                       record->seq, record->seq - 1));
    } else if (HashRecord(*record) != record->hash) {
      flag(record->seq,
           fmt::format("record {} was altered (its content does not match its hash)", record->seq));
    }
    expected_seq = record->seq + 1;
    prev_hash = record->hash;
    check.head_hash = record->hash;
  }

  auto head = db_.Prepare("SELECT seq, hash FROM journal_head WHERE id = 1");
  if (!head.ok()) return head.error().Wrap("verify the journal");
  auto row = head->Step();
  if (!row.ok()) return row.error().Wrap("verify the journal");
  const int64_t last_seq = expected_seq - 1;
  if (!*row) {
    if (check.records > 0) flag(1, "the journal's head record is missing");
  } else if (head->Int(0) != last_seq || head->Text(1) != check.head_hash) {
    const int64_t head_seq = head->Int(0);
    if (head_seq > last_seq) {
      flag(last_seq + 1, fmt::format("records {} to {} are missing (deleted from the end)",
                                     last_seq + 1, head_seq));
    } else if (head_seq < last_seq) {
      flag(head_seq + 1,
           fmt::format("records after {} were added without irk (inserted)", head_seq));
    } else {
      flag(last_seq, fmt::format("record {} does not match the journal's head", last_seq));
    }
  }
  return check;
}

}  // namespace irk
