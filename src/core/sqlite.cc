#include "core/sqlite.h"

#include <cctype>

#include <fmt/format.h>
#include <sqlite3.h>

namespace irk {
namespace {

Error SqliteError(sqlite3* db) { return Fail(db ? sqlite3_errmsg(db) : "out of memory"); }

}  // namespace

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

Statement& Statement::Bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = SqliteError(db_);
  return *this;
}

Statement& Statement::Bind(int index, int64_t number) {
  if (sqlite3_bind_int64(stmt_.get(), index, number) != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = SqliteError(db_);
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = SqliteError(db_);
  }
  return *this;
}

Result<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_.error();
  switch (sqlite3_step(stmt_.get())) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      return SqliteError(db_);
  }
}

Status Statement::Run() {
  auto row = Step();
  if (!row.ok()) return row.error();
  return Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_status_ = Ok();
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

Result<Database> Database::Open(const std::filesystem::path& file, bool create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw);
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<Database> Database::OpenReadOnly(const std::filesystem::path& file) {
  // A URI path is percent-encoded: '?', '#' and '%' in a file name would
  // otherwise end the path or start an escape.
  std::string uri = "file:";
  for (const char c : file.string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
      uri += c;
    } else {
      uri += fmt::format("%{:02X}", byte);
    }
  }
  uri += "?mode=ro&immutable=1";
  sqlite3* raw = nullptr;
  const int flags =
      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(uri.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  // Opening is lazy: read the schema now, so a file that is not a database
  // fails here rather than at the first query.
  if (auto check = db.Exec("SELECT count(*) FROM sqlite_schema"); !check.ok()) {
    return check.error();
  }
  return db;
}

Status Database::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = Fail(message ? message : sqlite3_errmsg(db_.get()));
    sqlite3_free(message);
    return error;
  }
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_.get());
  }
  return Statement(db_.get(), stmt);
}

Result<std::string> Database::Pragma(std::string_view name) {
  auto stmt = Prepare("PRAGMA " + std::string(name));
  if (!stmt.ok()) return stmt.error();
  auto row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::string();
  return stmt->Text(0);
}

}  // namespace irk
