// The command-line conventions: help, version, usage errors and exit codes.
#include <fstream>

#include <gtest/gtest.h>

#include "cli/testing/run_irk.h"

namespace irk {
namespace {

using testing::RunIrk;

TEST(Cli, PrintsTheVersion) {
  auto run = RunIrk({"--version"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, std::string("irk ") + IRK_VERSION + "\n");
}

TEST(Cli, HelpListsTheCommandsAndTheExitCodes) {
  auto run = RunIrk({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("status"), std::string::npos);
  EXPECT_NE(run.out.find("journal"), std::string::npos);
  EXPECT_NE(run.out.find("--case"), std::string::npos);
  EXPECT_NE(run.out.find("IRK_CASE"), std::string::npos);
  EXPECT_NE(run.out.find("Exit status: 0 nothing found"), std::string::npos);
}

TEST(Cli, WithoutACommandShowsTheHelp) {
  auto run = RunIrk({});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("irk status"), std::string::npos);
}

TEST(Cli, HelpCommandExplainsOneCommand) {
  auto run = RunIrk({"help", "status"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("never who, w,"), std::string::npos) << run.out;
  EXPECT_EQ(RunIrk({"status", "--help"}).out, run.out);
}

TEST(Cli, HelpForAnUnknownCommandIsAUsageError) {
  auto run = RunIrk({"help", "nosuch\x1b[2J"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no command named 'nosuch\\x1b[2J'"), std::string::npos) << run.err;
}

TEST(Cli, AnUnknownOptionIsAUsageErrorOnStderr) {
  auto run = RunIrk({"status", "--frobnicate"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(run.err.rfind("irk: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find("irk --help"), std::string::npos);
}

TEST(Cli, AMissingRootIsAnError) {
  auto run = RunIrk({"--root", "/nonexistent/image", "status"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("/nonexistent/image"), std::string::npos) << run.err;
}

TEST(Cli, TakesTheCaseFolderFromTheEnvironment) {
  testing::TempDir tmp;
  const auto case_dir = tmp.path() / "from-env";
  setenv("IRK_CASE", case_dir.c_str(), 1);
  auto run = RunIrk({"journal"});
  unsetenv("IRK_CASE");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(std::filesystem::exists(case_dir / "case.db"));
}

TEST(Cli, RefusesAForeignDatabaseAsTheCase) {
  testing::TempDir tmp;
  std::filesystem::create_directory(tmp.path() / "case");
  std::filesystem::permissions(tmp.path() / "case", std::filesystem::perms::owner_all);
  std::ofstream(tmp.path() / "case/case.db") << "not a database";
  std::filesystem::permissions(
      tmp.path() / "case/case.db",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto run = RunIrk({"--case", (tmp.path() / "case").string(), "status"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not an irk case"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << "status ran before the case was checked";
}

}  // namespace
}  // namespace irk
