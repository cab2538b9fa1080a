// End to end: `irk journal` and `irk journal verify` on a real case.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/sqlite.h"

namespace irk {
namespace {

using testing::RunIrk;

// A case with a few records, made by irk itself.
std::string MakeCase(const testing::TempDir& tmp) {
  const std::string case_dir = (tmp.path() / "case").string();
  for (int i = 0; i < 3; ++i) RunIrk({"--case", case_dir, "journal", "verify"});
  return case_dir;
}

TEST(JournalCommand, ListsRecordsInATable) {
  testing::TempDir tmp;
  const auto case_dir = MakeCase(tmp);
  auto run = RunIrk({"--case", case_dir, "journal"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("SEQ"), std::string::npos);
  EXPECT_NE(run.out.find("case.opened"), std::string::npos);
  EXPECT_NE(run.out.find("journal.verify"), std::string::npos);
  EXPECT_NE(run.out.find("4 records"), std::string::npos) << run.out;
}

TEST(JournalCommand, LastShowsOnlyTheNewest) {
  testing::TempDir tmp;
  const auto case_dir = MakeCase(tmp);
  auto run = RunIrk({"--case", case_dir, "journal", "--last", "1", "--json"});
  EXPECT_EQ(run.exit_code, 0);
  auto record = nlohmann::json::parse(run.out);
  EXPECT_EQ(record["seq"], 4);
  EXPECT_EQ(record["details"]["intact"], true);
  EXPECT_EQ(record["operator"]["uid"], geteuid());
}

TEST(JournalVerify, ExitsZeroOnAnIntactJournal) {
  testing::TempDir tmp;
  const auto case_dir = MakeCase(tmp);
  auto run = RunIrk({"--case", case_dir, "journal", "verify"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("journal intact: 4 records", 0), 0u) << run.out;
}

TEST(JournalVerify, ExitsOneNamingTheFirstAlteredRecord) {
  testing::TempDir tmp;
  const auto case_dir = MakeCase(tmp);
  {
    auto db = Database::Open(std::filesystem::path(case_dir) / "case.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        db->Exec("DROP TRIGGER journal_no_update;"
                 "UPDATE journal SET time = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 2")
            .ok());
  }
  auto run = RunIrk({"--case", case_dir, "journal", "verify"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("journal TAMPERED at record 2"), std::string::npos) << run.out;
  auto json = RunIrk({"--case", case_dir, "journal", "verify", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  auto verdict = nlohmann::json::parse(json.out);
  EXPECT_EQ(verdict["intact"], false);
  EXPECT_EQ(verdict["first_bad"], 2);
}

}  // namespace
}  // namespace irk
