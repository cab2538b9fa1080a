// The followers' cursors kept in the case (table watch_cursors of case.db),
// so that a restarted `irk watch` neither misses nor repeats a line.
#pragma once

#include <map>
#include <string>

#include "core/result.h"
#include "core/sqlite.h"
#include "watch/follower.h"

namespace irk::watch {

// Where every source stands: files by their path, and the journal.
struct Cursors {
  std::map<std::string, FileCursor> files;
  std::string journal;  // the journal cursor of the last entry read; "" when none
};

// Creates the table when missing; no change to an existing one.
Status PrepareCursorTable(Database& db);

// The cursors saved last; empty when none were.
Result<Cursors> LoadCursors(Database& db);

// Replaces the saved cursors with `cursors`, in one transaction.
Status SaveCursors(Database& db, const Cursors& cursors);

}  // namespace irk::watch
