// The man page and the bash completion, checked with the tools that read
// them: groff for the page, bash itself for the completion.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/testing/run_irk.h"

namespace irk {
namespace {

using testing::RunIrk;

// Runs a shell command line made by the test; stdout and stderr together.
std::string Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  pclose(pipe);
  return output;
}

std::vector<std::string> TopLevelCommands() {
  const std::string help = RunIrk({"--help"}).out;
  std::istringstream lines(help.substr(help.find("Subcommands:")));
  std::vector<std::string> names;
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line) && line.starts_with("  ")) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    names.push_back(name);
  }
  return names;
}

TEST(ManPage, FormatsWithoutAWarningFromGroff) {
  testing::TempDir dir;
  const auto page = dir.path() / "irk.1";
  auto run = RunIrk({"help", "--man"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ofstream(page) << run.out;
  EXPECT_EQ(Shell("groff -man -Tutf8 -ww -z " + page.string()), "");
  EXPECT_NE(Shell("groff -man -Tutf8 " + page.string()).find("intrusion response kit"),
            std::string::npos);
}

TEST(ManPage, HasASectionForEveryCommandWithItsOptions) {
  const std::string page = RunIrk({"help", "--man"}).out;
  const auto commands = TopLevelCommands();
  ASSERT_GE(commands.size(), 10u);
  for (const auto& command : commands) {
    EXPECT_NE(page.find(".SS \"" + command + "\""), std::string::npos) << command;
  }
  EXPECT_NE(page.find(".SS \"journal verify\""), std::string::npos);
  EXPECT_NE(page.find("\\fB\\-\\-hosts\\-deny\\fR"), std::string::npos);
  EXPECT_NE(page.find(".B IRK_CASE"), std::string::npos);
  // Non-ASCII help text is escaped for roff, not passed through.
  for (unsigned char c : page) ASSERT_LT(c, 0x80);
}

class BashCompletion : public ::testing::Test {
 protected:
  void SetUp() override {
    auto run = RunIrk({"help", "--bash-completion"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::ofstream(script_) << run.out;
  }

  // What bash offers for the last of `words` (the word being completed).
  std::string Complete(const std::vector<std::string>& words) {
    std::string line = "bash -c 'source " + script_.string() + "; COMP_WORDS=(";
    for (const auto& word : words) line += " \"" + word + "\"";
    line += " ); COMP_CWORD=" + std::to_string(words.size() - 1) +
            "; _irk; printf \"%s\\n\" \"${COMPREPLY[@]}\"'";
    return Shell(line);
  }

  testing::TempDir dir_;
  std::filesystem::path script_ = dir_.path() / "irk.bash";
};

TEST_F(BashCompletion, CompletesCommandNames) {
  EXPECT_EQ(Complete({"irk", "bl"}), "block\n");
  EXPECT_EQ(Complete({"irk", "--case", "/tmp", "bl"}), "block\n");
  EXPECT_EQ(Complete({"irk", "journal", "v"}), "verify\n");
  EXPECT_EQ(Complete({"irk", "help", "isol"}), "isolate\n");
}

TEST_F(BashCompletion, CompletesACommandsOwnOptionsAndTheGlobalOnes) {
  const std::string offered = Complete({"irk", "block", "--"});
  EXPECT_NE(offered.find("--hosts-deny\n"), std::string::npos) << offered;
  EXPECT_NE(offered.find("--case\n"), std::string::npos) << offered;
  EXPECT_EQ(offered.find("--packages\n"), std::string::npos) << offered;  // check's, not block's
  EXPECT_EQ(Complete({"irk", "block", "--hosts"}), "--hosts-deny\n");
}

TEST_F(BashCompletion, CompletesValuesByTheirKind) {
  testing::TempDir tree;
  std::filesystem::create_directory(tree.path() / "cases");
  std::ofstream(tree.path() / "key.bin") << "k";
  EXPECT_EQ(Complete({"irk", "--case", (tree.path() / "ca").string()}),
            (tree.path() / "cases").string() + "\n");
  EXPECT_EQ(Complete({"irk", "check", "--key-file", (tree.path() / "k").string()}),
            (tree.path() / "key.bin").string() + "\n");
  EXPECT_EQ(Complete({"irk", "lock", "roo"}), "root\n");
  EXPECT_EQ(Complete({"irk", "block", "--for", ""}), "\n");  // a duration: nothing to offer
}

}  // namespace
}  // namespace irk
