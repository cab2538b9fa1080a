#include "watch/cursor_store.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::watch {
namespace {

TEST(CursorStore, SavesAndLoadsFileAndJournalCursors) {
  testing::TempDir dir;
  auto db = Database::Open(dir.path() / "case.db", true);
  ASSERT_TRUE(db.ok());
  auto empty = LoadCursors(*db);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->files.empty());
  EXPECT_EQ(empty->journal, "");

  Cursors cursors;
  cursors.files["/var/log/auth.log"] = FileCursor{2049, 1234, 812, 12, "ab12"};
  cursors.journal = "s=1;i=2";
  ASSERT_TRUE(SaveCursors(*db, cursors).ok());
  cursors.files.erase("/var/log/auth.log");
  cursors.files["/var/log/syslog"] = FileCursor{1, 2, 3, 4, "cd"};
  ASSERT_TRUE(SaveCursors(*db, cursors).ok());

  auto loaded = LoadCursors(*db);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->files, cursors.files);
  EXPECT_EQ(loaded->journal, "s=1;i=2");
}

}  // namespace
}  // namespace irk::watch
