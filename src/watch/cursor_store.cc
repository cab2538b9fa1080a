#include "watch/cursor_store.h"

namespace irk::watch {
namespace {

constexpr std::string_view kJournalSource = "journal";

}  // namespace

Status PrepareCursorTable(Database& db) {
  return db.Exec(
      "CREATE TABLE IF NOT EXISTS watch_cursors ("
      " source TEXT PRIMARY KEY,"  // a file's path, or "journal"
      " dev INTEGER NOT NULL DEFAULT 0,"
      " inode INTEGER NOT NULL DEFAULT 0,"
      " offset INTEGER NOT NULL DEFAULT 0,"
      " line INTEGER NOT NULL DEFAULT 0,"
      " line_hash TEXT NOT NULL DEFAULT '',"
      " journal_cursor TEXT NOT NULL DEFAULT '')");
}

Result<Cursors> LoadCursors(Database& db) {
  if (auto status = PrepareCursorTable(db); !status.ok()) return status.error();
  auto query = db.Prepare(
      "SELECT source, dev, inode, offset, line, line_hash, journal_cursor FROM watch_cursors");
  if (!query.ok()) return query.error();
  Cursors cursors;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    const std::string source = query->Text(0);
    if (source == kJournalSource) {
      cursors.journal = query->Text(6);
      continue;
    }
    cursors.files[source] = FileCursor{
        static_cast<uint64_t>(query->Int(1)), static_cast<uint64_t>(query->Int(2)),
        static_cast<uint64_t>(query->Int(3)), static_cast<uint64_t>(query->Int(4)), query->Text(5)};
  }
  return cursors;
}

Status SaveCursors(Database& db, const Cursors& cursors) {
  if (auto status = PrepareCursorTable(db); !status.ok()) return status;
  if (auto status = db.Exec("BEGIN IMMEDIATE; DELETE FROM watch_cursors"); !status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status.error().Wrap("save watch cursors");
  }
  const auto save = [&db, &cursors]() -> Status {
    auto insert = db.Prepare(
        "INSERT INTO watch_cursors (source, dev, inode, offset, line, line_hash, journal_cursor)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    for (const auto& [path, c] : cursors.files) {
      insert->Bind(1, path)
          .Bind(2, static_cast<int64_t>(c.dev))
          .Bind(3, static_cast<int64_t>(c.inode))
          .Bind(4, static_cast<int64_t>(c.offset))
          .Bind(5, static_cast<int64_t>(c.line))
          .Bind(6, c.last_line_hash)
          .Bind(7, std::string_view(""));
      if (auto status = insert->Run(); !status.ok()) return status;
      insert->Reset();
    }
    if (!cursors.journal.empty()) {
      insert->Bind(1, kJournalSource).Bind(2, int64_t{0}).Bind(3, int64_t{0});
      insert->Bind(4, int64_t{0}).Bind(5, int64_t{0}).Bind(6, std::string_view(""));
      insert->Bind(7, cursors.journal);
      if (auto status = insert->Run(); !status.ok()) return status;
    }
    return Ok();
  };
  if (auto status = save(); !status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status.error().Wrap("save watch cursors");
  }
  if (auto status = db.Exec("COMMIT"); !status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status.error().Wrap("save watch cursors");
  }
  return Ok();
}

}  // namespace irk::watch
