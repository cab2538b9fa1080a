#include "integrity/baseline.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cassert>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/time.h"

namespace irk::integrity {
namespace {

constexpr std::string_view kFormat = "irk-baseline 1";

constexpr std::string_view kSchema = R"(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rules(seq INTEGER PRIMARY KEY, path TEXT NOT NULL, attributes INTEGER NOT NULL,
                   hash TEXT NOT NULL);
CREATE TABLE excludes(rule INTEGER NOT NULL, glob TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, attributes INTEGER NOT NULL, type TEXT NOT NULL,
                   mode INTEGER, uid INTEGER, gid INTEGER, size INTEGER, mtime_ns INTEGER,
                   ctime_ns INTEGER, inode INTEGER, links INTEGER, target TEXT, xattrs BLOB,
                   hash TEXT, state TEXT NOT NULL, problem TEXT) WITHOUT ROWID;
CREATE TABLE signature(kind TEXT NOT NULL, digest TEXT NOT NULL, value TEXT NOT NULL);
)";

constexpr std::string_view kFileColumns =
    "path, attributes, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, links, target, "
    "xattrs, hash, state, problem";

// The tables the signature covers, each read in a fixed order.
constexpr std::string_view kCanonicalQueries[] = {
    "SELECT key, value FROM meta ORDER BY key",
    "SELECT seq, path, attributes, hash FROM rules ORDER BY seq",
    "SELECT rule, glob FROM excludes ORDER BY rule, rowid",
    "SELECT path, attributes, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, links, "
    "target, xattrs, hash, state, problem FROM files ORDER BY path",
};

// What the signature signs: a fixed label and the content digest.
std::string SignedMessage(std::string_view digest) {
  return "irk baseline signature v1\n" + std::string(digest);
}

void AppendUint64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

FileRecord RecordFromRow(const Statement& row) {
  FileRecord record;
  record.path = row.Text(0);
  record.attributes = static_cast<AttributeSet>(row.Int(1));
  record.type = ParseFileType(row.Text(2)).value_or(FileType::kUnknown);
  record.mode = static_cast<uint32_t>(row.Int(3));
  record.uid = static_cast<uint32_t>(row.Int(4));
  record.gid = static_cast<uint32_t>(row.Int(5));
  record.size = static_cast<uint64_t>(row.Int(6));
  record.mtime_ns = row.Int(7);
  record.ctime_ns = row.Int(8);
  record.inode = static_cast<uint64_t>(row.Int(9));
  record.links = static_cast<uint64_t>(row.Int(10));
  record.target = row.Text(11);
  record.xattrs = DecodeXattrs(row.Text(12)).value_or(decltype(record.xattrs){});
  record.hash = row.Text(13);
  record.state = ParseReadState(row.Text(14)).value_or(ReadState::kError);
  record.problem = row.Text(15);
  return record;
}

}  // namespace

Result<Baseline> Baseline::Create(const std::filesystem::path& file, const Policy& policy,
                                  std::string_view root_dir) {
  struct stat st {};
  if (lstat(file.c_str(), &st) == 0) {
    return Fail(fmt::format("baseline {}: exists already; `irk baseline update` replaces it",
                            file.string()));
  }
  const std::filesystem::path partial = file.string() + ".partial";
  if (lstat(partial.c_str(), &st) == 0) {
    return Fail(fmt::format("baseline {}: an unfinished baseline is in the way: {}", file.string(),
                            partial.string()));
  }
  auto db = Database::Open(partial, /*create=*/true);
  if (!db.ok()) return db.error().Wrap("baseline " + partial.string());
  chmod(partial.c_str(), 0600);
  Baseline baseline(std::move(*db));
  baseline.partial_ = partial;
  baseline.final_ = file;
  // The file appears under its name only when complete, so no rollback
  // journal is needed; one transaction holds the whole scan.
  auto& d = baseline.db_;
  if (auto status = d.Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=NORMAL; BEGIN");
      !status.ok()) {
    return status.error().Wrap("baseline " + partial.string());
  }
  if (auto status = d.Exec(kSchema); !status.ok()) return status.error().Wrap("baseline schema");

  auto meta = d.Prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
  if (!meta.ok()) return meta.error();
  const std::pair<std::string, std::string> values[] = {
      {"format", std::string(kFormat)},
      {"created", FormatRfc3339(Now())},
      {"root", std::string(root_dir)},
      {"one_filesystem", policy.one_filesystem ? "true" : "false"},
  };
  for (const auto& [key, value] : values) {
    meta->Reset();
    if (auto status = meta->Bind(1, key).Bind(2, value).Run(); !status.ok()) return status.error();
  }
  auto rule = d.Prepare("INSERT INTO rules(seq, path, attributes, hash) VALUES (?, ?, ?, ?)");
  auto exclude = d.Prepare("INSERT INTO excludes(rule, glob) VALUES (?, ?)");
  if (!rule.ok()) return rule.error();
  if (!exclude.ok()) return exclude.error();
  auto add_excludes = [&](int64_t seq, const std::vector<std::string>& globs) -> Status {
    for (const std::string& glob : globs) {
      exclude->Reset();
      if (auto status = exclude->Bind(1, seq).Bind(2, glob).Run(); !status.ok()) return status;
    }
    return Ok();
  };
  if (auto status = add_excludes(0, policy.exclude); !status.ok()) return status.error();
  for (size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& r = policy.rules[i];
    const auto seq = static_cast<int64_t>(i + 1);
    rule->Reset();
    rule->Bind(1, seq).Bind(2, r.path).Bind(3, static_cast<int64_t>(r.attributes));
    if (auto status = rule->Bind(4, HashName(r.hash)).Run(); !status.ok()) return status.error();
    if (auto status = add_excludes(seq, r.exclude); !status.ok()) return status.error();
  }
  auto insert = d.Prepare(fmt::format(
      "INSERT OR REPLACE INTO files({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", kFileColumns));
  if (!insert.ok()) return insert.error();
  baseline.insert_.emplace(std::move(*insert));
  return baseline;
}

Result<Baseline> Baseline::Open(const std::filesystem::path& file) {
  auto db = Database::OpenReadOnly(file);
  if (!db.ok()) return db.error().Wrap("baseline " + file.string());
  Baseline baseline(std::move(*db));
  auto format = baseline.Meta("format");
  if (!format.ok() || *format != kFormat) {
    return Fail(fmt::format("baseline {}: not an irk baseline", file.string()));
  }
  return baseline;
}

Status Baseline::Add(const std::vector<FileRecord>& records) {
  assert(insert_);
  for (const FileRecord& r : records) {
    Statement& s = *insert_;
    s.Reset();
    s.Bind(1, r.path)
        .Bind(2, static_cast<int64_t>(r.attributes))
        .Bind(3, FileTypeName(r.type))
        .Bind(4, static_cast<int64_t>(r.mode))
        .Bind(5, static_cast<int64_t>(r.uid))
        .Bind(6, static_cast<int64_t>(r.gid))
        .Bind(7, static_cast<int64_t>(r.size))
        .Bind(8, r.mtime_ns)
        .Bind(9, r.ctime_ns)
        .Bind(10, static_cast<int64_t>(r.inode))
        .Bind(11, static_cast<int64_t>(r.links))
        .Bind(12, r.target)
        .Bind(13, EncodeXattrs(r.xattrs))
        .Bind(14, r.hash)
        .Bind(15, ReadStateName(r.state))
        .Bind(16, r.problem);
    if (auto status = s.Run(); !status.ok()) {
      return status.error().Wrap("baseline: store " + r.path);
    }
  }
  return Ok();
}

Status Baseline::Finish() {
  insert_.reset();
  if (auto status = db_.Exec("COMMIT"); !status.ok()) return status.error().Wrap("baseline");
  // link + unlink of the partial name: like rename, but never replacing a
  // baseline that appeared meanwhile.
  if (link(partial_.c_str(), final_.c_str()) != 0) {
    return Fail(fmt::format("baseline {}: {}", final_.string(), std::strerror(errno)));
  }
  unlink(partial_.c_str());
  return Ok();
}

Result<std::optional<FileRecord>> Baseline::Find(std::string_view path) {
  if (!find_) {
    auto select = db_.Prepare(fmt::format("SELECT {} FROM files WHERE path = ?", kFileColumns));
    if (!select.ok()) return select.error();
    find_.emplace(std::move(*select));
  }
  find_->Reset();
  find_->Bind(1, path);
  auto row = find_->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<FileRecord>();
  return std::optional<FileRecord>(RecordFromRow(*find_));
}

Status Baseline::ForEachRow(std::string_view sql,
                            const std::function<Status(const FileRecord&)>& visit) {
  auto select = db_.Prepare(sql);
  if (!select.ok()) return select.error();
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Ok();
    if (auto status = visit(RecordFromRow(*select)); !status.ok()) return status;
  }
}

Status Baseline::ForEach(const std::function<Status(const FileRecord&)>& visit) {
  return ForEachRow(fmt::format("SELECT {} FROM files ORDER BY path", kFileColumns), visit);
}

Status Baseline::MarkSeen(const std::vector<FileRecord>& records) {
  if (!mark_) {
    if (auto status = db_.Exec("CREATE TEMP TABLE IF NOT EXISTS seen(path TEXT PRIMARY KEY)");
        !status.ok()) {
      return status;
    }
    auto mark = db_.Prepare("INSERT OR IGNORE INTO temp.seen(path) VALUES (?)");
    if (!mark.ok()) return mark.error();
    mark_.emplace(std::move(*mark));
  }
  if (auto status = db_.Exec("BEGIN"); !status.ok()) return status;
  for (const FileRecord& record : records) {
    mark_->Reset();
    if (auto status = mark_->Bind(1, record.path).Run(); !status.ok()) {
      (void)db_.Exec("ROLLBACK");
      return status;
    }
  }
  return db_.Exec("COMMIT");
}

Status Baseline::ForEachUnseen(const std::function<Status(const FileRecord&)>& visit) {
  if (auto status = db_.Exec("CREATE TEMP TABLE IF NOT EXISTS seen(path TEXT PRIMARY KEY)");
      !status.ok()) {
    return status;
  }
  return ForEachRow(fmt::format("SELECT {} FROM files WHERE path NOT IN (SELECT path FROM "
                                "temp.seen) ORDER BY path",
                                kFileColumns),
                    visit);
}

Result<Policy> Baseline::ReadPolicy() {
  Policy policy;
  auto one_filesystem = Meta("one_filesystem");
  if (!one_filesystem.ok()) return one_filesystem.error();
  policy.one_filesystem = *one_filesystem == "true";
  auto rules = db_.Prepare("SELECT seq, path, attributes, hash FROM rules ORDER BY seq");
  if (!rules.ok()) return rules.error();
  std::vector<int64_t> seqs;
  while (true) {
    auto row = rules->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Rule rule;
    seqs.push_back(rules->Int(0));
    rule.path = rules->Text(1);
    rule.attributes = static_cast<AttributeSet>(rules->Int(2));
    rule.hash = ParseHashName(rules->Text(3)).value_or(HashAlgorithm::kSha256);
    policy.rules.push_back(std::move(rule));
  }
  auto excludes = db_.Prepare("SELECT rule, glob FROM excludes ORDER BY rule, rowid");
  if (!excludes.ok()) return excludes.error();
  while (true) {
    auto row = excludes->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    const int64_t seq = excludes->Int(0);
    if (seq == 0) {
      policy.exclude.push_back(excludes->Text(1));
      continue;
    }
    for (size_t i = 0; i < seqs.size(); ++i) {
      if (seqs[i] == seq) policy.rules[i].exclude.push_back(excludes->Text(1));
    }
  }
  return policy;
}

Result<std::string> Baseline::Meta(std::string_view key) {
  auto select = db_.Prepare("SELECT value FROM meta WHERE key = ?");
  if (!select.ok()) return select.error();
  select->Bind(1, key);
  auto row = select->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Fail(fmt::format("baseline: no '{}' recorded", key));
  return select->Text(0);
}

Result<int64_t> Baseline::Count() {
  auto select = db_.Prepare("SELECT count(*) FROM files");
  if (!select.ok()) return select.error();
  auto row = select->Step();
  if (!row.ok()) return row.error();
  return select->Int(0);
}

Result<std::string> Baseline::ContentDigest() {
  Sha256 digest;
  std::string chunk;
  for (const std::string_view query : kCanonicalQueries) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.handle(), query.data(), static_cast<int>(query.size()), &raw,
                           nullptr) != SQLITE_OK) {
      sqlite3_finalize(raw);
      return Fail(fmt::format("baseline: {}", sqlite3_errmsg(db_.handle())));
    }
    chunk = "T";
    AppendUint64(chunk, query.size());
    chunk += query;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      chunk += 'R';
      const int columns = sqlite3_column_count(raw);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(raw, c)) {
          case SQLITE_NULL:
            chunk += 'n';
            break;
          case SQLITE_INTEGER:
            chunk += 'i';
            AppendUint64(chunk, static_cast<uint64_t>(sqlite3_column_int64(raw, c)));
            break;
          case SQLITE_FLOAT:
            chunk += 'f';
            chunk += std::to_string(sqlite3_column_double(raw, c));
            break;
          default: {
            const auto* bytes = static_cast<const char*>(sqlite3_column_blob(raw, c));
            const auto size = static_cast<size_t>(sqlite3_column_bytes(raw, c));
            chunk += 't';
            AppendUint64(chunk, size);
            if (size > 0) chunk.append(bytes, size);
          }
        }
      }
      if (chunk.size() >= (1 << 16)) {
        digest.Update(chunk);
        chunk.clear();
      }
    }
    digest.Update(chunk);
    const bool done = rc == SQLITE_DONE;
    sqlite3_finalize(raw);
    if (!done) return Fail(fmt::format("baseline: {}", sqlite3_errmsg(db_.handle())));
  }
  return digest.HexDigest();
}

Status Baseline::Sign(const BaselineKey& key) {
  auto digest = ContentDigest();
  if (!digest.ok()) return digest.error();
  auto signature = key.Sign(SignedMessage(*digest));
  if (!signature.ok()) return signature.error();
  if (auto status = db_.Exec("DELETE FROM signature"); !status.ok()) return status;
  auto insert = db_.Prepare("INSERT INTO signature(kind, digest, value) VALUES (?, ?, ?)");
  if (!insert.ok()) return insert.error();
  return insert->Bind(1, key.kind()).Bind(2, *digest).Bind(3, *signature).Run();
}

Result<SignatureCheck> Baseline::CheckSignature(const BaselineKey* key) {
  SignatureCheck check;
  auto digest = ContentDigest();
  if (!digest.ok()) return digest.error();
  check.digest = *digest;
  auto select = db_.Prepare("SELECT kind, digest, value FROM signature");
  if (!select.ok()) return select.error();
  auto row = select->Step();
  if (!row.ok()) return row.error();
  if (!*row) {
    check.verdict = Signature::kMissing;
    check.explanation = "the baseline is not signed";
    return check;
  }
  check.kind = select->Text(0);
  const std::string signed_digest = select->Text(1);
  const std::string value = select->Text(2);
  auto second = select->Step();
  if (!second.ok()) return second.error();
  if (*second) {
    check.verdict = Signature::kMismatch;
    check.explanation = "the baseline holds more than one signature";
  } else if (key == nullptr) {
    check.verdict = Signature::kNoKey;
    check.explanation = fmt::format(
        "the baseline is signed with {} but no key was given to check it (--key-file for "
        "hmac-sha256, --verify-key for ed25519)",
        check.kind);
  } else if (key->kind() != check.kind) {
    check.verdict = Signature::kWrongKind;
    check.explanation =
        fmt::format("the baseline is signed with {}, the key given is {}", check.kind, key->kind());
  } else if (signed_digest != check.digest) {
    check.verdict = Signature::kMismatch;
    check.explanation =
        "the baseline's content changed since it was signed (a row altered, added or deleted)";
  } else if (!key->Verify(SignedMessage(check.digest), value)) {
    check.verdict = Signature::kMismatch;
    check.explanation = fmt::format(
        "the {} signature does not match: the key is not the one it was signed with, or the "
        "signature was forged",
        check.kind);
  } else {
    check.verdict = Signature::kValid;
    check.explanation = fmt::format("signed with {}, signature valid", check.kind);
  }
  return check;
}

}  // namespace irk::integrity
