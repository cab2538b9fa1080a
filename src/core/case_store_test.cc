#include "core/case_store.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/sqlite.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

const Actor kActor{R"({"uid":0,"user":"root","login_user":"alice"})", "irk test"};

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

// A case with the opening record and three more: seq 1 to 4.
CaseStore MakeCase(const std::filesystem::path& dir) {
  auto store = CaseStore::Open(dir, kActor);
  EXPECT_TRUE(store.ok()) << store.error().message;
  for (int i = 0; i < 3; ++i) {
    auto record = store->Append("test", "{\"n\":" + std::to_string(i) + "}");
    EXPECT_TRUE(record.ok());
  }
  return std::move(store).value();
}

// Opens the database behind irk's back, with the append-only triggers
// dropped, as an attacker with root would.
Database Tamper(const std::filesystem::path& dir) {
  auto db = Database::Open(dir / CaseStore::kDatabaseName, false);
  EXPECT_TRUE(db.ok());
  EXPECT_TRUE(db->Exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;").ok());
  return std::move(db).value();
}

ChainCheck VerifyCase(const std::filesystem::path& dir) {
  auto store = CaseStore::Open(dir, kActor);
  EXPECT_TRUE(store.ok()) << store.error().message;
  auto check = store->Verify();
  EXPECT_TRUE(check.ok());
  return *check;
}

TEST(CaseStore, CreatesAPrivateFolderAndDatabase) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(ModeOf(dir / "case.db"), 0600);
  EXPECT_EQ(*store->database().Pragma("journal_mode"), "wal");
  EXPECT_EQ(*store->database().Pragma("synchronous"), "2");  // FULL
}

TEST(CaseStore, OpensWithACaseOpenedRecord) {
  testing::TempDir tmp;
  auto store = CaseStore::Open(tmp.path() / "case", kActor);
  ASSERT_TRUE(store.ok());
  auto records = store->Records();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].kind, "case.opened");
  EXPECT_EQ((*records)[0].prev_hash, std::string(64, '0'));
}

TEST(CaseStore, ReopeningKeepsTheJournal) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  auto store = CaseStore::Open(tmp.path() / "case", kActor);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->Records()->size(), 4u);
}

TEST(CaseStore, AppendChainsEachRecordToThePrevious) {
  testing::TempDir tmp;
  auto store = MakeCase(tmp.path() / "case");
  auto records = store.Records();
  ASSERT_TRUE(records.ok());
  for (size_t i = 1; i < records->size(); ++i) {
    EXPECT_EQ((*records)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*records)[i].prev_hash, (*records)[i - 1].hash);
  }
  EXPECT_EQ((*records)[3].operator_json, kActor.operator_json);
  EXPECT_EQ((*records)[3].command, "irk test");
  auto details = nlohmann::json::parse((*records)[3].details_json);
  EXPECT_EQ(details["n"], 2);
}

TEST(CaseStore, RefusesToUpdateOrDeleteThroughSql) {
  testing::TempDir tmp;
  auto store = MakeCase(tmp.path() / "case");
  EXPECT_FALSE(store.database().Exec("UPDATE journal SET kind = 'x' WHERE seq = 2").ok());
  EXPECT_FALSE(store.database().Exec("DELETE FROM journal WHERE seq = 2").ok());
}

TEST(CaseStoreVerify, PassesAnUntouchedJournal) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_TRUE(check.intact) << check.problem;
  EXPECT_EQ(check.records, 4);
  EXPECT_EQ(check.head_hash.size(), 64u);
}

TEST(CaseStoreVerify, CatchesAChangedField) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(
      Tamper(tmp.path() / "case").Exec("UPDATE journal SET details='{\"n\":9}' WHERE seq=3").ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_NE(check.problem.find("altered"), std::string::npos) << check.problem;
}

TEST(CaseStoreVerify, CatchesAChangedOperator) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(
      Tamper(tmp.path() / "case").Exec("UPDATE journal SET operator='{}' WHERE seq=2").ok());
  EXPECT_EQ(VerifyCase(tmp.path() / "case").first_bad, 2);
}

TEST(CaseStoreVerify, CatchesADeletedRecordInTheMiddle) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(Tamper(tmp.path() / "case").Exec("DELETE FROM journal WHERE seq=2").ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_NE(check.problem.find("record 2 is missing"), std::string::npos) << check.problem;
}

TEST(CaseStoreVerify, CatchesTheLastRecordDeleted) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(Tamper(tmp.path() / "case").Exec("DELETE FROM journal WHERE seq=4").ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 4);
}

TEST(CaseStoreVerify, CatchesAnInsertedRecord) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  auto db = Tamper(tmp.path() / "case");
  // A forged record at the end, chained correctly to the last real one.
  ASSERT_TRUE(db.Exec("INSERT INTO journal SELECT 5, time, operator, command, 'forged', details, "
                      "hash, hash FROM journal WHERE seq=4")
                  .ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 5);
}

TEST(CaseStoreVerify, CatchesARecordInsertedBeforeTheFirst) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(Tamper(tmp.path() / "case")
                  .Exec("INSERT INTO journal SELECT 0, time, operator, command, kind, details, "
                        "prev_hash, hash FROM journal WHERE seq=1")
                  .ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 0);
}

TEST(CaseStoreVerify, CatchesTwoRecordsSwapped) {
  testing::TempDir tmp;
  MakeCase(tmp.path() / "case");
  ASSERT_TRUE(Tamper(tmp.path() / "case")
                  .Exec("UPDATE journal SET seq=-2 WHERE seq=2; UPDATE journal SET seq=2 WHERE "
                        "seq=3; UPDATE journal SET seq=3 WHERE seq=-2;")
                  .ok());
  auto check = VerifyCase(tmp.path() / "case");
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad, 2);
}

TEST(CaseStore, RefusesAForeignSqliteDatabase) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  {
    auto db = Database::Open(dir / "case.db", true);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE mail(id INTEGER); INSERT INTO mail VALUES (1);").ok());
  }
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not an irk case"), std::string::npos);
  auto db = Database::Open(dir / "case.db", false);
  auto rows = db->Prepare("SELECT count(*) FROM mail");
  ASSERT_TRUE(rows.ok()) << "the foreign database was changed";
}

TEST(CaseStore, RefusesAFileThatIsNotSqlite) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  std::ofstream(dir / "case.db") << "precious notes\n";
  chmod((dir / "case.db").c_str(), 0600);
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not an irk case"), std::string::npos);
  std::ifstream in(dir / "case.db");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "precious notes");
}

TEST(CaseStore, RefusesAFolderWritableByOthers) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(chmod(dir.c_str(), 0777), 0);
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("writable by other users"), std::string::npos);
}

TEST(CaseStore, RefusesADatabaseWritableByOthers) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  ASSERT_TRUE(CaseStore::Open(dir, kActor).ok());
  ASSERT_EQ(chmod((dir / "case.db").c_str(), 0666), 0);
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("mode 0666"), std::string::npos) << store.error().message;
}

TEST(CaseStore, RefusesASymlinkInPlaceOfTheFolder) {
  testing::TempDir tmp;
  ASSERT_EQ(mkdir((tmp.path() / "real").c_str(), 0700), 0);
  std::filesystem::create_directory_symlink(tmp.path() / "real", tmp.path() / "case");
  auto store = CaseStore::Open(tmp.path() / "case", kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("symbolic link"), std::string::npos);
}

TEST(CaseStore, RefusesAFolderOfAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another user";
  testing::TempDir tmp;
  const auto dir = tmp.path() / "case";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(chown(dir.c_str(), 65534, 65534), 0);
  auto store = CaseStore::Open(dir, kActor);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("belongs to uid 65534"), std::string::npos);
}

TEST(CaseStore, RefusesAReadOnlyFilesystemBeforeCreatingAnything) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a read-only filesystem";
  testing::TempDir tmp;
  const auto mount_point = tmp.path() / "ro";
  ASSERT_EQ(mkdir(mount_point.c_str(), 0700), 0);
  // In a child with its own mount namespace, so the host's mounts never change.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", mount_point.c_str(), "tmpfs", MS_RDONLY, nullptr) != 0) {
      _exit(2);
    }
    auto store = CaseStore::Open(mount_point / "case", kActor);
    const bool named =
        !store.ok() && store.error().message.find("read-only filesystem") != std::string::npos;
    _exit(named ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_NE(WEXITSTATUS(status), 2) << "could not set up the read-only mount";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "no clear read-only error";
}

TEST(CanonicalBytes, CoversEveryFieldButTheHashes) {
  JournalRecord a{1, "t", "{}", "irk", "k", "{}", "p", "h"};
  JournalRecord b = a;
  b.prev_hash = "other";
  b.hash = "other";
  EXPECT_EQ(CanonicalBytes(a), CanonicalBytes(b));
  for (auto change : {&JournalRecord::time, &JournalRecord::operator_json, &JournalRecord::command,
                      &JournalRecord::kind, &JournalRecord::details_json}) {
    JournalRecord c = a;
    c.*change += "x";
    EXPECT_NE(CanonicalBytes(a), CanonicalBytes(c));
  }
}

}  // namespace
}  // namespace irk
