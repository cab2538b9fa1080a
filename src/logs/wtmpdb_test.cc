#include "logs/wtmpdb.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/sqlite.h"
#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kLogin = 1795700000;  // 2026-11-26T13:33:20Z

// wtmpdb's own table, as its library creates it.
constexpr std::string_view kWtmpSchema =
    "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, "
    "Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);";
constexpr std::string_view kLastlog2Schema =
    "CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, "
    "Service TEXT);";

class LoginStoreTest : public ::testing::Test {
 protected:
  // Creates the database `path` under the root and runs `sql` in it.
  void MakeDatabase(std::string_view path, std::string_view sql) {
    const fs::path file = dir_.path() / fs::path(path).relative_path();
    fs::create_directories(file.parent_path());
    auto db = Database::Open(file, /*create=*/true);
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto status = db->Exec(sql);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  Root OpenRoot() {
    auto root = Root::Open(dir_.path());
    EXPECT_TRUE(root.ok());
    return std::move(*root);
  }

  testing::TempDir dir_;
};

TEST_F(LoginStoreTest, ReadsWtmpdbLoginsAndBoots) {
  MakeDatabase(kWtmpdbPath,
               std::string(kWtmpSchema) +
                   "INSERT INTO wtmp VALUES (1, 1, 'reboot', 1795699000000000, NULL, "
                   "'6.1.0-13-amd64', NULL, NULL);"
                   "INSERT INTO wtmp VALUES (2, 3, 'alice', 1795700000250000, 1795703600000000, "
                   "'pts/0', '203.0.113.5', 'sshd');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->logins.size(), 2u);
  EXPECT_TRUE(read->problems.empty());
  const WtmpdbLogin& boot = read->logins[0];
  EXPECT_TRUE(boot.boot);
  EXPECT_EQ(boot.user, "reboot");
  EXPECT_EQ(boot.tty, "6.1.0-13-amd64");
  const WtmpdbLogin& alice = read->logins[1];
  EXPECT_FALSE(alice.boot);
  EXPECT_EQ(alice.id, 2);
  EXPECT_EQ(alice.user, "alice");
  EXPECT_EQ(alice.tty, "pts/0");
  EXPECT_EQ(alice.remote_host, "203.0.113.5");
  EXPECT_EQ(alice.service, "sshd");
  EXPECT_EQ(alice.login, (Timestamp{kLogin, 250000}));
  ASSERT_TRUE(alice.logout.has_value());
  EXPECT_EQ(*alice.logout, (Timestamp{kLogin + 3600, 0}));
}

TEST_F(LoginStoreTest, LeavesLogoutEmptyForAnOpenSession) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (7, 3, 'mallory', 1795700000000000, "
                                "NULL, 'pts/2', '2001:db8::66', 'sshd');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 1u);
  EXPECT_FALSE(read->logins[0].logout.has_value());
  EXPECT_EQ(read->logins[0].remote_host, "2001:db8::66");
}

TEST_F(LoginStoreTest, KeepsRowIdsSoDeletedRowsShowAsGaps) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (1, 3, 'a', 1, NULL, '', '', '');"
                                "INSERT INTO wtmp VALUES (5, 3, 'b', 2, NULL, '', '', '');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 2u);
  EXPECT_EQ(read->logins[0].id, 1);
  EXPECT_EQ(read->logins[1].id, 5);
}

TEST_F(LoginStoreTest, FloorsNegativeMicroseconds) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (1, 3, 'a', -1, NULL, '', '', '');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 1u);
  EXPECT_EQ(read->logins[0].login, (Timestamp{-1, 999999}));
}

TEST_F(LoginStoreTest, CutsHugeTextValues) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (1, 3, hex(zeroblob(100000)), 1, NULL, "
                                "'pts/0', hex(zeroblob(5000)), 'sshd');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 1u);
  EXPECT_EQ(read->logins[0].user, std::string(kMaxLoginStoreText, '0'));
  EXPECT_EQ(read->logins[0].remote_host.size(), kMaxLoginStoreText);
}

TEST_F(LoginStoreTest, KeepsTextBytesWithNulAndEscapes) {
  MakeDatabase(kWtmpdbPath,
               std::string(kWtmpSchema) +
                   "INSERT INTO wtmp VALUES (1, 3, CAST(x'726f6f74001b5b324a' AS TEXT), "
                   "1, NULL, 'pts/0', '', 'sshd');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 1u);
  EXPECT_EQ(read->logins[0].user, std::string("root\0\x1b[2J", 9));
}

TEST_F(LoginStoreTest, ReportsARowWhoseLoginIsNotAnInteger) {
  MakeDatabase(kWtmpdbPath,
               std::string(kWtmpSchema) +
                   "INSERT INTO wtmp VALUES (1, 3, 'a', 'yesterday', NULL, '', '', '');"
                   "INSERT INTO wtmp VALUES (2, 3, 'b', 5, 'later', '', '', '');");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->logins.size(), 1u);
  EXPECT_EQ(read->logins[0].user, "b");
  EXPECT_FALSE(read->logins[0].logout.has_value());
  ASSERT_EQ(read->problems.size(), 2u);
  EXPECT_EQ(read->problems[0], "row 1: Login is text, not an integer");
  EXPECT_EQ(read->problems[1], "row 2: Logout is text, not an integer");
}

TEST_F(LoginStoreTest, CapsTheProblemList) {
  std::string sql(kWtmpSchema);
  sql +=
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
      "INSERT INTO wtmp SELECT i, 3, 'u', 'bad', NULL, '', '', '' FROM n;";
  MakeDatabase(kWtmpdbPath, sql);
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->problems.size(), kMaxLoginStoreProblems + 1);
  EXPECT_EQ(read->problems.back(), "500 more problems not listed");
}

TEST_F(LoginStoreTest, NamesTheFileWhenAColumnIsMissing) {
  MakeDatabase(kWtmpdbPath, "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, User TEXT, Login INTEGER);");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("var/lib/wtmpdb/wtmp.db: not a wtmpdb database"),
            std::string::npos)
      << read.error().message;
}

TEST_F(LoginStoreTest, NamesTheFileWhenTheTableIsMissing) {
  MakeDatabase(kWtmpdbPath, "CREATE TABLE other(x);");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("not a wtmpdb database: no table wtmp"), std::string::npos)
      << read.error().message;
}

TEST_F(LoginStoreTest, RefusesAViewInPlaceOfTheTable) {
  MakeDatabase(kWtmpdbPath,
               "CREATE VIEW wtmp AS SELECT 1 AS ID, 3 AS Type, 'x' AS User, 1 AS Login, NULL AS "
               "Logout, '' AS TTY, '' AS RemoteHost, '' AS Service;");
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("wtmp is a view"), std::string::npos) << read.error().message;
}

TEST_F(LoginStoreTest, NamesTheFileWhenItIsNotADatabase) {
  fs::create_directories(dir_.path() / "var/lib/wtmpdb");
  std::ofstream(dir_.path() / "var/lib/wtmpdb/wtmp.db") << std::string(4096, 'x');
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("read "), std::string::npos);
  EXPECT_NE(read.error().message.find("var/lib/wtmpdb/wtmp.db"), std::string::npos);
}

TEST_F(LoginStoreTest, NamesTheFileWhenItIsMissing) {
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("var/lib/wtmpdb/wtmp.db"), std::string::npos);
}

TEST_F(LoginStoreTest, RefusesASymbolicLinkedFolderInTheImage) {
  MakeDatabase("/elsewhere/wtmp.db", std::string(kWtmpSchema));
  fs::create_directories(dir_.path() / "var/lib");
  fs::create_directory_symlink("/elsewhere", dir_.path() / "var/lib/wtmpdb");
  EXPECT_FALSE(ReadWtmpdb(OpenRoot()).ok());
}

TEST_F(LoginStoreTest, NeverWritesTheDatabaseOrBesideIt) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (1, 3, 'a', 1, NULL, '', '', '');");
  const fs::path folder = dir_.path() / "var/lib/wtmpdb";
  const auto time_before = fs::last_write_time(folder / "wtmp.db");
  const auto size_before = fs::file_size(folder / "wtmp.db");
  ASSERT_TRUE(ReadWtmpdb(OpenRoot()).ok());
  EXPECT_EQ(fs::last_write_time(folder / "wtmp.db"), time_before);
  EXPECT_EQ(fs::file_size(folder / "wtmp.db"), size_before);
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
}

TEST_F(LoginStoreTest, ReportsAWriteAheadLogItCannotRead) {
  MakeDatabase(kWtmpdbPath, std::string(kWtmpSchema) +
                                "INSERT INTO wtmp VALUES (1, 3, 'a', 1, NULL, '', '', '');");
  std::ofstream(dir_.path() / "var/lib/wtmpdb/wtmp.db-wal") << std::string(100, 'w');
  auto read = ReadWtmpdb(OpenRoot());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->logins.size(), 1u);
  ASSERT_EQ(read->problems.size(), 1u);
  EXPECT_NE(
      read->problems[0].find("wtmp.db-wal holds 100 bytes of transactions that were not read"),
      std::string::npos)
      << read->problems[0];
}

TEST_F(LoginStoreTest, ReadsLastlog2EntriesInNameOrder) {
  MakeDatabase(kLastlog2Path,
               std::string(kLastlog2Schema) +
                   "INSERT INTO Lastlog2 VALUES ('root', 1795700000, 'tty1', NULL, 'login');"
                   "INSERT INTO Lastlog2 VALUES ('alice', 1795699700, 'pts/0', '192.0.2.15', "
                   "'sshd');");
  auto read = ReadLastlog2(OpenRoot());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->entries.size(), 2u);
  const Lastlog2Entry& alice = read->entries[0];
  EXPECT_EQ(alice.user, "alice");
  EXPECT_EQ(alice.time, (Timestamp{1795699700, 0}));
  EXPECT_EQ(alice.tty, "pts/0");
  EXPECT_EQ(alice.remote_host, "192.0.2.15");
  EXPECT_EQ(alice.service, "sshd");
  EXPECT_EQ(read->entries[1].user, "root");
  EXPECT_EQ(read->entries[1].remote_host, "");
}

TEST_F(LoginStoreTest, ReportsALastlog2RowWhoseTimeIsNotAnInteger) {
  MakeDatabase(kLastlog2Path, std::string(kLastlog2Schema) +
                                  "INSERT INTO Lastlog2 VALUES ('x', 'soon', '', '', '');");
  auto read = ReadLastlog2(OpenRoot());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->entries.empty());
  ASSERT_EQ(read->problems.size(), 1u);
  EXPECT_EQ(read->problems[0], "row 1: Time is text, not an integer");
}

TEST_F(LoginStoreTest, NamesTheLastlog2FileWhenTheSchemaIsWrong) {
  MakeDatabase(kLastlog2Path, "CREATE TABLE Lastlog2(Name TEXT, When_ INTEGER);");
  auto read = ReadLastlog2(OpenRoot());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("var/lib/lastlog/lastlog2.db: not a lastlog2 database"),
            std::string::npos)
      << read.error().message;
}

}  // namespace
}  // namespace irk::logs
