#include "logs/wtmpdb.h"

#include <sys/stat.h>

#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "core/sqlite.h"

namespace irk::logs {
namespace {

constexpr int64_t kBootTime = 1;  // BOOT_TIME in wtmpdb's wtmpdb.h

// Collects problems up to the cap, then counts the rest.
class Problems {
 public:
  void Add(std::string what) {
    if (kept_.size() < kMaxLoginStoreProblems) {
      kept_.push_back(std::move(what));
    } else {
      ++dropped_;
    }
  }
  std::vector<std::string> Take() && {
    if (dropped_ > 0) kept_.push_back(fmt::format("{} more problems not listed", dropped_));
    return std::move(kept_);
  }

 private:
  std::vector<std::string> kept_;
  size_t dropped_ = 0;
};

// Microseconds since the epoch as a Timestamp, flooring negative values.
Timestamp FromMicros(int64_t micros) {
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    seconds -= 1;
    rest += 1000000;
  }
  return Timestamp{seconds, static_cast<int32_t>(rest)};
}

// An open store: the database and the name of its file for messages.
struct Store {
  Database db;
  std::string name;
};

// Opens `path` under `root` read-only, after checking it as Root::OpenFile
// does; the database is then opened by its path under the root's real
// directory, with symbolic links refused all the way.
Result<Store> OpenStore(const Root& root, std::string_view path) {
  const std::string name = root.HostPath(path);
  if (auto fd = root.OpenFile(path); !fd.ok()) return fd.error();
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::canonical(root.dir(), ec);
  if (ec) return Fail(fmt::format("read {}: {}", name, ec.message()));
  const std::filesystem::path file = base / std::filesystem::path(path).relative_path();
  auto db = Database::OpenReadOnly(file);
  if (!db.ok()) return db.error().Wrap("read " + name);
  return Store{std::move(*db), name};
}

// Checks that `table` is a table (not a view, whose query the file's author
// wrote) and prepares `sql` on it; errors say the file is not of `kind`.
Result<Statement> PrepareOn(Store& store, std::string_view table, std::string_view kind,
                            std::string_view sql) {
  const std::string context = fmt::format("read {}: not a {} database", store.name, kind);
  auto type = store.db.Prepare(
      "SELECT type, upper(substr(sql, 1, 14)) FROM sqlite_schema "
      "WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')");
  if (!type.ok()) return type.error().Wrap(context);
  type->Bind(1, table);
  auto row = type->Step();
  if (!row.ok()) return row.error().Wrap(context);
  if (!*row) return Fail(fmt::format("{}: no table {}", context, table));
  // A virtual table runs a module's code on every read: as much the file
  // author's query as a view is.
  if (type->Text(0) != "table" || type->Text(1) == "CREATE VIRTUAL") {
    return Fail(fmt::format("{}: {} is a {}, not a plain table", context, table,
                            type->Text(1) == "CREATE VIRTUAL" ? "virtual table" : type->Text(0)));
  }
  auto stmt = store.db.Prepare(sql);
  if (!stmt.ok()) return stmt.error().Wrap(context);
  return std::move(*stmt);
}

// A text column selected as `substr(CAST(x AS BLOB), 1, cap)`: bytes, cut.
std::string CappedText(const Statement& stmt, int column) {
  std::string text = stmt.Text(column);
  if (text.size() > kMaxLoginStoreText) text.resize(kMaxLoginStoreText);
  return text;
}

// The SQL for a capped text column.
std::string Capped(std::string_view column) {
  return fmt::format("substr(CAST({} AS BLOB), 1, {})", column, kMaxLoginStoreText);
}

// A -wal beside the database holds transactions not yet copied into it,
// which an immutable open does not see; an image of a running system may
// have one. Reading it would mean writing the evidence, so it is reported.
void NoteWriteAheadLog(const Root& root, std::string_view path, Problems& problems) {
  const std::string wal = std::string(path) + "-wal";
  auto fd = root.OpenFile(wal);
  if (!fd.ok()) return;
  struct stat st {};
  if (fstat(fd->get(), &st) == 0 && st.st_size > 0) {
    problems.Add(fmt::format("{} holds {} bytes of transactions that were not read",
                             root.HostPath(wal), st.st_size));
  }
}

}  // namespace

Result<WtmpdbLogins> ReadWtmpdb(const Root& root, std::string_view path) {
  auto store = OpenStore(root, path);
  if (!store.ok()) return store.error();
  const std::string sql = fmt::format(
      "SELECT ID, typeof(Type), Type, typeof(Login), Login, typeof(Logout), Logout, {}, {}, {}, {} "
      "FROM wtmp ORDER BY ID",
      Capped("User"), Capped("TTY"), Capped("RemoteHost"), Capped("Service"));
  auto stmt = PrepareOn(*store, "wtmp", "wtmpdb", sql);
  if (!stmt.ok()) return stmt.error();

  WtmpdbLogins result;
  Problems problems;
  NoteWriteAheadLog(root, path, problems);
  size_t rows = 0;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error().Wrap("read " + store->name);
    if (!*row) break;
    if (++rows > kMaxLoginStoreRows) {
      return Fail(
          fmt::format("read {}: more than {} rows; not read", store->name, kMaxLoginStoreRows));
    }
    const int64_t id = stmt->Int(0);
    if (stmt->Text(3) != "integer") {
      problems.Add(fmt::format("row {}: Login is {}, not an integer", id, stmt->Text(3)));
      continue;
    }
    WtmpdbLogin login;
    login.id = id;
    login.boot = stmt->Text(1) == "integer" && stmt->Int(2) == kBootTime;
    login.login = FromMicros(stmt->Int(4));
    const std::string logout_type = stmt->Text(5);
    if (logout_type == "integer") {
      login.logout = FromMicros(stmt->Int(6));
    } else if (logout_type != "null") {
      problems.Add(fmt::format("row {}: Logout is {}, not an integer", id, logout_type));
    }
    login.user = CappedText(*stmt, 7);
    login.tty = CappedText(*stmt, 8);
    login.remote_host = CappedText(*stmt, 9);
    login.service = CappedText(*stmt, 10);
    result.logins.push_back(std::move(login));
  }
  result.problems = std::move(problems).Take();
  return result;
}

Result<Lastlog2Entries> ReadLastlog2(const Root& root, std::string_view path) {
  auto store = OpenStore(root, path);
  if (!store.ok()) return store.error();
  // Ordered by the name's bytes, whatever collation the file declares.
  const std::string sql = fmt::format(
      "SELECT {}, typeof(Time), Time, {}, {}, {} FROM Lastlog2 ORDER BY CAST(Name AS BLOB)",
      Capped("Name"), Capped("TTY"), Capped("RemoteHost"), Capped("Service"));
  auto stmt = PrepareOn(*store, "Lastlog2", "lastlog2", sql);
  if (!stmt.ok()) return stmt.error();

  Lastlog2Entries result;
  Problems problems;
  NoteWriteAheadLog(root, path, problems);
  size_t rows = 0;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error().Wrap("read " + store->name);
    if (!*row) break;
    if (++rows > kMaxLoginStoreRows) {
      return Fail(
          fmt::format("read {}: more than {} rows; not read", store->name, kMaxLoginStoreRows));
    }
    Lastlog2Entry entry;
    entry.user = CappedText(*stmt, 0);
    if (stmt->Text(1) != "integer") {
      // The name is the attacker's: keep it out of the message's structure.
      problems.Add(fmt::format("row {}: Time is {}, not an integer", rows, stmt->Text(1)));
      continue;
    }
    entry.time = Timestamp{stmt->Int(2), 0};
    entry.tty = CappedText(*stmt, 3);
    entry.remote_host = CappedText(*stmt, 4);
    entry.service = CappedText(*stmt, 5);
    result.entries.push_back(std::move(entry));
  }
  result.problems = std::move(problems).Take();
  return result;
}

}  // namespace irk::logs
