// A thin RAII layer over the SQLite C API: a connection, prepared statements,
// and errors as Result values naming what failed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace irk {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt);

  // Binds parameter `index` (1-based). Text is copied by SQLite.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t number);
  Statement& BindNull(int index);

  // Advances to the next row: true when a row is ready, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement ready to run again with new bindings (all cleared).
  void Reset();

  std::string Text(int column) const;
  int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  sqlite3* db_;  // borrowed: the Database outlives its statements
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  Status bind_status_;  // the first failed Bind, reported by Step
};

class Database {
 public:
  // Opens an existing file or creates it (`create`); never follows a symlink
  // as the last component.
  static Result<Database> Open(const std::filesystem::path& file, bool create);

  // Opens an existing database read-only and immutable (the URI
  // `file:…?mode=ro&immutable=1`), for evidence such as another system's
  // wtmp.db: SQLite takes no lock and never writes, so no -journal, -wal or
  // -shm file appears beside it (and a -wal already there is not read). Fails
  // when the file is missing or a symbolic link is anywhere in `file`. The
  // connection is set up for a hostile file: defensive mode, and an
  // untrusted schema (its views and triggers cannot call functions with side
  // effects).
  static Result<Database> OpenReadOnly(const std::filesystem::path& file);

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // The value of `PRAGMA name` as text, or an error.
  Result<std::string> Pragma(std::string_view name);

  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace irk
