#include "core/sqlite.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk {
namespace {

namespace fs = std::filesystem;

// A database with one table `t(x)` holding the row 42, closed again.
fs::path MakeDatabase(const fs::path& file) {
  auto db = Database::Open(file, /*create=*/true);
  EXPECT_TRUE(db.ok()) << db.error().message;
  EXPECT_TRUE(db->Exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (42);").ok());
  return file;
}

std::string Slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Statement, RunsAgainWithNewBindingsAfterReset) {
  testing::TempDir dir;
  const fs::path file = MakeDatabase(dir.path() / "a.db");
  auto db = Database::Open(file, /*create=*/false);
  ASSERT_TRUE(db.ok());
  auto insert = db->Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(insert.ok());
  for (int64_t x : {1, 2}) {
    insert->Reset();
    ASSERT_TRUE(insert->Bind(1, x).Run().ok());
  }
  auto sum = db->Prepare("SELECT sum(x) FROM t");
  ASSERT_TRUE(sum.ok() && *sum->Step());
  EXPECT_EQ(sum->Int(0), 45);
}

TEST(DatabaseOpenReadOnly, ReadsAnExistingDatabase) {
  testing::TempDir dir;
  const fs::path file = MakeDatabase(dir.path() / "a.db");
  auto db = Database::OpenReadOnly(file);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto stmt = db->Prepare("SELECT x FROM t");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Int(0), 42);
}

TEST(DatabaseOpenReadOnly, RefusesToWrite) {
  testing::TempDir dir;
  const fs::path file = MakeDatabase(dir.path() / "a.db");
  auto db = Database::OpenReadOnly(file);
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE(db->Exec("INSERT INTO t VALUES (1)").ok());
}

TEST(DatabaseOpenReadOnly, LeavesTheFileAndItsFolderUntouched) {
  testing::TempDir dir;
  const fs::path file = MakeDatabase(dir.path() / "a.db");
  const std::string before = Slurp(file);
  {
    auto db = Database::OpenReadOnly(file);
    ASSERT_TRUE(db.ok());
    auto stmt = db->Prepare("SELECT x FROM t");
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(stmt->Step().ok());
  }
  EXPECT_EQ(Slurp(file), before);
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "a.db");
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(DatabaseOpenReadOnly, FailsForAMissingFileWithoutCreatingIt) {
  testing::TempDir dir;
  EXPECT_FALSE(Database::OpenReadOnly(dir.path() / "missing.db").ok());
  EXPECT_FALSE(fs::exists(dir.path() / "missing.db"));
}

TEST(DatabaseOpenReadOnly, FailsForAFileThatIsNotADatabase) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "junk.db") << "this is not a database, just text long enough";
  EXPECT_FALSE(Database::OpenReadOnly(dir.path() / "junk.db").ok());
}

TEST(DatabaseOpenReadOnly, RefusesASymbolicLink) {
  testing::TempDir dir;
  MakeDatabase(dir.path() / "a.db");
  fs::create_symlink(dir.path() / "a.db", dir.path() / "link.db");
  EXPECT_FALSE(Database::OpenReadOnly(dir.path() / "link.db").ok());
}

TEST(DatabaseOpenReadOnly, RefusesASymbolicLinkedFolderOnTheWay) {
  testing::TempDir dir;
  fs::create_directory(dir.path() / "real");
  MakeDatabase(dir.path() / "real" / "a.db");
  fs::create_directory_symlink(dir.path() / "real", dir.path() / "via");
  EXPECT_FALSE(Database::OpenReadOnly(dir.path() / "via" / "a.db").ok());
}

TEST(DatabaseOpenReadOnly, OpensAPathWithUriSpecialCharacters) {
  testing::TempDir dir;
  const fs::path folder = dir.path() / "img?mode=rw#%41 x";
  fs::create_directory(folder);
  const fs::path file = MakeDatabase(folder / "a.db");
  auto db = Database::OpenReadOnly(file);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_FALSE(db->Exec("INSERT INTO t VALUES (1)").ok());
}

}  // namespace
}  // namespace irk
