// End to end: irk respond --yes --plan on a system image the test builds,
// each step running irk's own commands.
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "cli/testing/image_test.h"
#include "cli/testing/run_irk.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::RunIrk;
using testing::Write;

class RespondCommand : public testing::ImageTest {
 protected:
  void SetUp() override {
    Write(image() / "etc/passwd",
          "root:x:0:0::/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/bash\n");
    Write(image() / "etc/shadow", "root:*:20000:0:99999:7:::\nalice:$y$j9T$a:20001:0:99999:7:::\n",
          0640);
    Write(image() / "etc/hosts.deny", "");
    Write(image() / "home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n", 0600);
    // Twelve guesses from 192.0.2.9, then alice's password works.
    std::string log;
    for (int i = 1; i <= 12; ++i) {
      log += "Nov 26 13:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":01 web1 sshd[" +
             std::to_string(1000 + i) +
             "]: Failed password for alice from 192.0.2.9 port 40000 ssh2\n";
    }
    log +=
        "Nov 26 13:20:00 web1 sshd[2000]: Accepted password for alice from 192.0.2.9 port "
        "50000 ssh2\n";
    Write(image() / "var/log/auth.log", log);
    SetMtime(image() / "var/log/auth.log", kAt1300 + 1800);
    Write(plan_, R"(skip = ["hunt", "assess", "recover"]
[contain]
block = ["suspects"]
lock = ["suspects"]
kill = ["suspects"]
[watch]
duration = "1s"
)",
          0600);
  }

  fs::path plan_ = image().parent_path() / "plan.toml";
};

TEST_F(RespondCommand, WithoutATerminalItNeedsYesAndAPlan) {
  auto run = RunIrk(Args({"respond"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--yes --plan FILE"), std::string::npos) << run.err;
  auto yes_alone = RunIrk(Args({"respond", "--yes"}));
  EXPECT_EQ(yes_alone.exit_code, 2);
  EXPECT_NE(ReadAll(image() / "etc/shadow").find("alice:$y$"), std::string::npos);
}

TEST_F(RespondCommand, WalksTheStepsContainsTheSuspectsAndJournalsEachStep) {
  auto run = RunIrk(Args({"respond", "--yes", "--plan", plan_.string()}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("192.0.2.9: 12 failed logins in the last 24 hours"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("alice logged in from 192.0.2.9 1 times"), std::string::npos);
  EXPECT_NE(run.out.find("$ irk block --reason 'irk respond' --hosts-deny --yes -- 192.0.2.9"),
            std::string::npos);
  EXPECT_NE(run.out.find("$ irk lock --yes -- alice"), std::string::npos);
  EXPECT_NE(run.out.find("$ irk entry -- alice"), std::string::npos);
  EXPECT_NE(run.out.find("12 failed logins as alice"), std::string::npos);
  EXPECT_NE(ReadAll(image() / "etc/shadow").find("alice:!$y$j9T$a:20001:0:99999:7::1:"),
            std::string::npos);
  EXPECT_NE(ReadAll(image() / "etc/hosts.deny").find("192.0.2.9"), std::string::npos);
  EXPECT_FALSE(fs::exists(image() / "home/alice/.ssh/authorized_keys"));
  EXPECT_NE(run.out.find("$ irk watch --for 1s"), std::string::npos);
  const fs::path report = image().parent_path() / "case/report";
  EXPECT_NE(ReadAll(report / "report.md").find("192.0.2.9"), std::string::npos) << run.out;
  EXPECT_TRUE(fs::exists(report / "report.html"));
  EXPECT_TRUE(fs::exists(report / "csirt"));

  auto list = RunIrk(Args({"respond", "--list"}));
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("1. triage   done"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("2. contain  done"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("3. watch    done"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("5. hunt     skipped"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("8. report   done"), std::string::npos) << list.out;

  // Each change is undoable by the command that made it.
  auto undo = RunIrk(Args({"undo", "--all", "--yes"}));
  EXPECT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_TRUE(fs::exists(image() / "home/alice/.ssh/authorized_keys"));

  auto again = RunIrk(Args({"respond", "--yes", "--plan", plan_.string()}));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("Every step of the procedure is done or skipped"), std::string::npos)
      << again.out;
}

TEST_F(RespondCommand, DraftsToTheAbuseContactsOfAContactsFile) {
  const fs::path contacts = image().parent_path() / "whois.json";
  Write(contacts,
        R"({"query":"192.0.2.9","netblock":{"range":"192.0.2.0 - 192.0.2.255",)"
        R"("cidrs":["192.0.2.0/24"],"name":"TEST-NET-1","handle":"TN1"},"org":"Test",)"
        R"("country":"ZZ","asn":"AS64500","abuse":{"email":"abuse@test.example","phone":"",)"
        R"("source":"abuse-c"},"chain":[]})"
        "\n");
  const fs::path config = image().parent_path() / "irk.toml";
  Write(config, "[report]\nname = \"Admin\"\nemail = \"admin@web1.example\"\n", 0600);
  Write(plan_,
        "skip = [\"contain\", \"watch\", \"hunt\", \"assess\", \"recover\"]\n"
        "[report]\ncontacts = \"" +
            contacts.string() + "\"\n",
        0600);
  std::vector<std::string> args = {"--config", config.string()};
  for (const auto& arg : Args({"respond", "--yes", "--plan", plan_.string()})) {
    args.push_back(arg);
  }
  auto run = RunIrk(args);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string abuse = (image().parent_path() / "case/report/abuse").string();
  EXPECT_NE(
      run.out.find("$ irk report --contacts " + contacts.string() + " --abuse --out " + abuse),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("to abuse@test.example  for 192.0.2.9"), std::string::npos) << run.out;
  std::string drafts;
  for (const auto& entry : fs::directory_iterator(abuse)) {
    if (entry.path().extension() == ".eml") drafts += ReadAll(entry.path());
  }
  EXPECT_NE(drafts.find("abuse@test.example"), std::string::npos);
  EXPECT_NE(drafts.find("Failed password for alice from 192.0.2.9"), std::string::npos);
  EXPECT_NE(ReadAll(image().parent_path() / "case/report/report.md").find("abuse@test.example"),
            std::string::npos);
}

TEST_F(RespondCommand, ResumesWhereTheCaseStands) {
  auto triage = RunIrk(Args({"respond", "--yes", "--plan", plan_.string(), "--step", "triage"}));
  EXPECT_EQ(triage.exit_code, 1) << triage.out << triage.err;  // steps are left
  EXPECT_NE(triage.out.find("go on with 'contain'"), std::string::npos) << triage.out;
  EXPECT_NE(ReadAll(image() / "etc/shadow").find("alice:$y$"), std::string::npos);

  auto rest = RunIrk(Args({"respond", "--yes", "--plan", plan_.string()}));
  EXPECT_EQ(rest.exit_code, 0) << rest.out << rest.err;
  EXPECT_EQ(rest.out.find("Step 1 of"), std::string::npos) << rest.out;
  // Contain acts on the suspects the earlier triage recorded.
  EXPECT_NE(rest.out.find("$ irk lock --yes -- alice"), std::string::npos) << rest.out;
}

TEST_F(RespondCommand, RefusesAPlanThatNamesNoSuchStep) {
  Write(plan_, "skip = [\"dance\"]\n", 0600);
  auto run = RunIrk(Args({"respond", "--yes", "--plan", plan_.string()}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no step named 'dance'"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace irk
