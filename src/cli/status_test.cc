// End to end: `irk status --root DIR` on a system image the test builds.
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/case_store.h"
#include "core/testing/temp_dir.h"
#include "logs/login_records.h"
#include "respond/procedure.h"

namespace irk {
namespace {

using logs::LoginRecord;
using logs::LoginRecordType;

constexpr int64_t kT0 = 1795698131;  // 2026-11-26T13:02:11Z
const std::string kHostileUser = "evil\x1b[2J\r";

LoginRecord Record(LoginRecordType type, std::string user, std::string line, std::string host,
                   std::optional<std::string> addr, int64_t time, int32_t pid) {
  LoginRecord r;
  r.type = type;
  r.user = std::move(user);
  r.line = std::move(line);
  r.host = std::move(host);
  r.addr = std::move(addr);
  r.time = Timestamp{time, 0};
  r.pid = pid;
  return r;
}

void WriteRecords(const std::filesystem::path& file, const std::vector<LoginRecord>& records,
                  std::string extra = "") {
  std::filesystem::create_directories(file.parent_path());
  std::string bytes;
  for (const auto& r : records)
    bytes += logs::EncodeLoginRecord(r, logs::LoginRecordLayout::kX86_64);
  bytes += extra;
  std::ofstream(file, std::ios::binary) << bytes;
}

// A small system: two sessions now (one with a hostile user name), three
// past logins, and failures from two sources.
void BuildImage(const std::filesystem::path& root, bool zeroed_wtmp_record) {
  std::filesystem::create_directories(root / "etc");
  std::ofstream(root / "etc/hostname") << "web1\n";
  WriteRecords(root / "run/utmp",
               {Record(LoginRecordType::kBootTime, "reboot", "~", "6.1.0", {}, kT0 - 86400, 0),
                Record(LoginRecordType::kUserProcess, "alice", "pts/0", "203.0.113.7",
                       "203.0.113.7", kT0, 4001),
                Record(LoginRecordType::kUserProcess, kHostileUser, "pts/1", "2001:db8::1",
                       "2001:db8::1", kT0 + 60, 4002)});
  std::string zeroes;
  if (zeroed_wtmp_record) zeroes.assign(384 * 2, '\0');
  WriteRecords(root / "var/log/wtmp",
               {Record(LoginRecordType::kBootTime, "reboot", "~", "6.1.0", {}, kT0 - 86400, 0),
                Record(LoginRecordType::kUserProcess, "bob", "pts/0", "198.51.100.2",
                       "198.51.100.2", kT0 - 7200, 3001),
                Record(LoginRecordType::kDeadProcess, "", "pts/0", "", {}, kT0 - 4200, 3001)},
               zeroes);
  // The sessions still open, appended after the (possibly zeroed) middle.
  std::ofstream(root / "var/log/wtmp", std::ios::binary | std::ios::app)
      << logs::EncodeLoginRecord(Record(LoginRecordType::kUserProcess, "alice", "pts/0",
                                        "203.0.113.7", "203.0.113.7", kT0, 4001),
                                 logs::LoginRecordLayout::kX86_64);
  std::vector<LoginRecord> failures;
  for (const char* user : {"root", "admin", "root"}) {
    failures.push_back(Record(LoginRecordType::kLoginProcess, user, "ssh:notty", "198.51.100.9",
                              "198.51.100.9", kT0 - 300, 5000));
  }
  failures.push_back(Record(LoginRecordType::kLoginProcess, "test", "ssh:notty", "203.0.113.50",
                            "203.0.113.50", kT0 - 200, 5001));
  WriteRecords(root / "var/log/btmp", failures);
}

// Every test sees "now" pinned to an hour after the image's last login, so
// its 24-hour window of failures does not depend on the day the test runs.
class StatusCommand : public ::testing::Test {
 protected:
  StatusCommand() { setenv("IRK_TEST_NOW", "2026-11-26T14:00:00Z", 1); }
  ~StatusCommand() override { unsetenv("IRK_TEST_NOW"); }
};

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::vector<nlohmann::json> OfType(const std::vector<nlohmann::json>& lines, const char* type) {
  std::vector<nlohmann::json> found;
  for (const auto& line : lines) {
    if (line["type"] == type) found.push_back(line);
  }
  return found;
}

TEST_F(StatusCommand, ReportsSessionsLoginsAndFailuresOfAnImageAsJson) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0]["type"], "status");
  EXPECT_EQ(lines[0]["host"], "web1");
  EXPECT_EQ(lines[0]["live"], false);

  const auto sessions = OfType(lines, "session");
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0]["user"], "alice");
  EXPECT_EQ(sessions[0]["addr"], "203.0.113.7");
  EXPECT_EQ(sessions[0]["login"], "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(sessions[1]["user"], kHostileUser);  // kept exactly, escaped only on the way out
  EXPECT_EQ(sessions[1]["addr"], "2001:db8::1");
  // Only failures came from alice's /24 before; nothing at all from the other.
  EXPECT_EQ(sessions[0]["source_verdict"], "new-network");
  EXPECT_EQ(sessions[0]["earlier_failures"], 1);
  EXPECT_EQ(sessions[1]["source_verdict"], "never-seen");

  const auto logins = OfType(lines, "login");
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0]["user"], "alice");
  EXPECT_EQ(logins[0]["end"], "still-logged-in");
  EXPECT_EQ(logins[1]["user"], "bob");
  EXPECT_EQ(logins[1]["end"], "logged-out");
  EXPECT_EQ(logins[1]["logout"], "2026-11-26T11:52:11+00:00");

  const auto failed = OfType(lines, "failed_source");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0]["source"], "198.51.100.9");
  EXPECT_EQ(failed[0]["count"], 3);
  EXPECT_EQ(failed[0]["users"], nlohmann::json({"admin", "root"}));
  EXPECT_EQ(failed[1]["source"], "203.0.113.50");
  EXPECT_TRUE(OfType(lines, "finding").empty());
}

TEST_F(StatusCommand, PrintsAlignedTablesWithHostileTextEscaped) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  EXPECT_EQ(run.out.find('\r'), std::string::npos);
  EXPECT_NE(run.out.find("evil\\x1b[2J\\x0d"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("irk status: web1 (image)"), std::string::npos);
  EXPECT_NE(run.out.find("USER"), std::string::npos);
  EXPECT_NE(run.out.find("198.51.100.9"), std::string::npos);
  EXPECT_NE(run.out.find("still logged in"), std::string::npos);
}

TEST_F(StatusCommand, FlagsZeroedWtmpRecordsNamingTheOffsetAndExitsOne) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", true);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto findings = OfType(JsonLines(run.out), "finding");
  ASSERT_EQ(findings.size(), 1u);
  const std::string what = findings[0]["what"];
  EXPECT_NE(what.find("var/log/wtmp: offset 1152"), std::string::npos) << what;
  // The records after the zeroed ones are still read.
  EXPECT_EQ(OfType(JsonLines(run.out), "login").size(), 2u);
}

TEST_F(StatusCommand, ShowsOnlyTheFailuresOfTheLast24Hours) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  setenv("IRK_TEST_NOW", "2026-11-28T14:00:00Z", 1);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Failed logins in the last 24 hours: none"), std::string::npos) << run.out;
}

TEST_F(StatusCommand, WarnsAboutMissingFilesAndStillReports) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "img/etc");
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.err.find("irk: warning: no past logins: open"), std::string::npos) << run.err;
  // Each missing file is named once, though both the records and the login
  // history look for it.
  const size_t btmp = run.err.find("var/log/btmp");
  ASSERT_NE(btmp, std::string::npos);
  EXPECT_EQ(run.err.find("var/log/btmp", btmp + 1), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("Sessions now: none (the image has no utmp)"), std::string::npos)
      << run.out;
}

TEST_F(StatusCommand, DoesNotFollowAWtmpLinkedToTheHost) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "img/var/log");
  std::filesystem::create_symlink("/dev/null", tmp.path() / "img/var/log/wtmp");
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.err.find("wtmp is a symbolic link to /dev/null"), std::string::npos) << run.err;
}

TEST_F(StatusCommand, JournalsOneSummaryRecord) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  const std::string case_dir = (tmp.path() / "case").string();
  ASSERT_EQ(testing::RunIrk({"--case", case_dir, "--root", (tmp.path() / "img").string(), "status"})
                .exit_code,
            0);
  auto journal = testing::RunIrk({"--case", case_dir, "journal", "--json"});
  ASSERT_EQ(journal.exit_code, 0) << journal.err;
  const auto records = JsonLines(journal.out);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["kind"], "case.opened");
  EXPECT_EQ(records[1]["kind"], "status");
  EXPECT_EQ(records[1]["details"]["sessions"], 2);
  EXPECT_EQ(records[1]["details"]["failed_logins"], 4);
  EXPECT_NE(records[1]["command"].get<std::string>().find("status"), std::string::npos);
}

bool HasLineWith(const std::string& text, const std::string& a, const std::string& b) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return true;
  }
  return false;
}

// The dashboard of a case: triage done with its suspects, a block applied
// through irk (into the image's hosts.deny), a watch alert, the rest left.
void StageCase(const testing::TempDir& tmp) {
  const std::string case_dir = (tmp.path() / "case").string();
  std::ofstream(tmp.path() / "img/etc/hosts.deny") << "# hosts.deny\n";
  auto block = testing::RunIrk({"--case", case_dir, "--root", (tmp.path() / "img").string(),
                                "block", "--hosts-deny", "--yes", "198.51.100.9"});
  ASSERT_EQ(block.exit_code, 0) << block.err;
  auto store = CaseStore::Open(tmp.path() / "case", Actor{R"({"user":"root"})", "irk test"});
  ASSERT_TRUE(store.ok()) << store.error().message;
  respond::Suspects suspects;
  suspects.addresses = {"198.51.100.9"};
  suspects.users = {"admin"};
  ASSERT_TRUE(store
                  ->Append(respond::kStepRecord,
                           respond::StepRecordJson("triage", "done", "1 suspect", &suspects))
                  .ok());
  ASSERT_TRUE(
      store->Append(respond::kStepRecord, respond::StepRecordJson("contain", "done", "", nullptr))
          .ok());
  ASSERT_TRUE(store->Append("watch.start", "{}").ok());
  ASSERT_TRUE(store
                  ->Append("watch.alert",
                           R"({"type":"alert","time":"2026-11-26T13:40:00+00:00",)"
                           R"("rule":"locked-user","summary":"evil\u001b[2J tried again"})")
                  .ok());
  ASSERT_TRUE(store->Append("watch.stop", "{}").ok());
}

TEST_F(StatusCommand, ShowsWhereTheCaseStandsAboveTheHost) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  StageCase(tmp);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& out = run.out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  const size_t procedure = out.find("Procedure (irk respond continues at watch)");
  const size_t sessions = out.find("Sessions now");
  ASSERT_NE(procedure, std::string::npos) << out;
  EXPECT_LT(procedure, sessions) << "the case comes before the host";
  EXPECT_NE(out.find("Suspects found by triage: 198.51.100.9; users: admin"), std::string::npos);
  EXPECT_NE(out.find("Contained (in force; irk undo ID reverts one)"), std::string::npos) << out;
  EXPECT_TRUE(HasLineWith(out, "block", "198.51.100.9 ")) << out;
  EXPECT_NE(out.find("1 alert in all"), std::string::npos) << out;
  EXPECT_NE(out.find("evil\\x1b[2J tried again"), std::string::npos) << out;
  EXPECT_NE(out.find("Left to do\n  - Watch for their return (irk respond --step watch)"),
            std::string::npos)
      << out;
}

TEST_F(StatusCommand, GivesTheCaseAsJsonLines) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  StageCase(tmp);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = JsonLines(run.out);
  const auto cases = OfType(lines, "case");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["next_step"], "watch");
  const auto steps = OfType(lines, "step");
  ASSERT_EQ(steps.size(), 8u);
  EXPECT_EQ(steps[0]["step"], "triage");
  EXPECT_EQ(steps[0]["outcome"], "done");
  EXPECT_EQ(steps[2]["outcome"], "");
  const auto contained = OfType(lines, "contained");
  ASSERT_EQ(contained.size(), 1u);
  EXPECT_EQ(contained[0]["command"], "block");
  EXPECT_EQ(contained[0]["state"], "applied");
  const auto watch = OfType(lines, "watch");
  ASSERT_EQ(watch.size(), 1u);
  EXPECT_EQ(watch[0]["alerts"], 1);
  EXPECT_EQ(OfType(lines, "watch_alert").at(0)["summary"], "evil\x1b[2J tried again");
  EXPECT_EQ(OfType(lines, "to_do").size(), 6u);  // watch … report
  EXPECT_TRUE(OfType(lines, "firewall").empty()) << "an image has no firewall of ours";
}

TEST_F(StatusCommand, AFreshCaseSaysTheProcedureHasNotBegun) {
  testing::TempDir tmp;
  BuildImage(tmp.path() / "img", false);
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "--root",
                              (tmp.path() / "img").string(), "status"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Procedure (irk respond): not begun; its steps are triage, contain,"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Contained: nothing"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Watch: never ran in this case"), std::string::npos);
  EXPECT_NE(run.out.find("the procedure has not begun: irk respond walks it from triage"),
            std::string::npos);
}

TEST_F(StatusCommand, ReadsTheLiveHost) {
  testing::TempDir tmp;
  auto run = testing::RunIrk({"--case", (tmp.path() / "case").string(), "status", "--json"});
  ASSERT_LE(run.exit_code, 1) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0]["live"], true);
}

}  // namespace
}  // namespace irk
