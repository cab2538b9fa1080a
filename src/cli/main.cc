// irk's command line: global options, the subcommands, and the mapping of
// outcomes to exit codes. Each command lives in its own file.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/manual.h"
#include "core/build.h"
#include "core/time.h"

namespace {

constexpr const char* kFooter =
    R"(Exit status: 0 nothing found or done, 1 findings that need attention,
2 error (usage or runtime), 3 internal error (a bug in irk: please report it).

Start with `irk status` to see who is on this host and from where.
`irk help COMMAND` or `irk COMMAND --help` explains a command.)";

constexpr const char* kStaticFooter =
    "\n\nThis is a static irk: `irk --version` says what it lacks and what to do instead.";

std::string JoinArgs(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

int Run(int argc, char** argv) {
  irk::cli::Globals globals;
  globals.command_line = JoinArgs(argc, argv);
  // End-to-end tests pin "now", which decides windows such as the last 24 hours.
  if (const char* now = std::getenv("IRK_TEST_NOW")) {
    if (const auto pinned = irk::ParseRfc3339(now)) {
      irk::SetClockForTesting([pinned] { return *pinned; });
    }
  }

  CLI::App app{
      "irk, the intrusion response kit: carries you through the hours during and after "
      "a break-in on a Linux host.",
      "irk"};
  app.set_version_flag("--version", irk::VersionText());
  app.footer(irk::IsStaticBuild() ? std::string(kFooter) + kStaticFooter : kFooter);
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.add_option("--case", globals.case_dir,
                 "Case folder: irk's database and journal for this incident")
      ->envname("IRK_CASE")
      ->type_name("DIR")
      ->capture_default_str();
  app.add_option("--root", globals.root,
                 "Read a mounted image of a system at DIR instead of this host")
      ->type_name("DIR")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  app.add_option("--config", globals.config_path,
                 "Settings file (default /etc/irk/irk.toml when it exists)")
      ->envname("IRK_CONFIG")
      ->type_name("FILE");
  app.add_flag("--json", globals.json, "One JSON object a line on stdout");
  app.add_flag("--no-color", globals.no_color, "No colour, even on a terminal");

  std::vector<irk::cli::Command> commands;
  commands.push_back(irk::cli::AddRespondCommand(app, globals));
  commands.push_back(irk::cli::AddStatusCommand(app, globals));
  commands.push_back(irk::cli::AddWhoCommand(app, globals));
  commands.push_back(irk::cli::AddLoginsCommand(app, globals));
  commands.push_back(irk::cli::AddEventsCommand(app, globals));
  commands.push_back(irk::cli::AddHuntCommand(app, globals));
  commands.push_back(irk::cli::AddJournalCommand(app, globals));
  commands.push_back(irk::cli::AddLockCommand(app, globals));
  commands.push_back(irk::cli::AddKillCommand(app, globals));
  commands.push_back(irk::cli::AddBlockCommand(app, globals));
  commands.push_back(irk::cli::AddUnblockCommand(app, globals));
  commands.push_back(irk::cli::AddIsolateCommand(app, globals));
  commands.push_back(irk::cli::AddUndoCommand(app, globals));
  commands.push_back(irk::cli::AddBaselineCommand(app, globals));
  commands.push_back(irk::cli::AddCheckCommand(app, globals));
  commands.push_back(irk::cli::AddTimelineCommand(app, globals));
  commands.push_back(irk::cli::AddEntryCommand(app, globals));
  commands.push_back(irk::cli::AddWhoisCommand(app, globals));
  commands.push_back(irk::cli::AddReportCommand(app, globals));
  commands.push_back(irk::cli::AddWatchCommand(app, globals));
  commands.push_back(irk::cli::AddBackupsCommand(app, globals));
  commands.push_back(irk::cli::AddRestoreCommand(app, globals));

  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Explain a command: irk help COMMAND");
  help->add_option("command", help_topic, "The command to explain");
  bool man_page = false;
  bool bash_completion = false;
  help->add_flag("--man", man_page, "Print this whole manual as a man page (roff), as irk.1");
  help->add_flag("--bash-completion", bash_completion, "Print the bash completion script");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    irk::cli::ReportError(irk::Fail(e.what()));
    std::fputs("Run 'irk --help' for the commands and options.\n", stderr);
    return irk::cli::kExitError;
  }

  if (help->parsed()) {
    if (man_page) {
      std::fputs(irk::cli::ManPage(app, IRK_VERSION).c_str(), stdout);
      return irk::cli::kExitOk;
    }
    if (bash_completion) {
      std::fputs(irk::cli::BashCompletion(app).c_str(), stdout);
      return irk::cli::kExitOk;
    }
    if (help_topic.empty()) {
      std::fputs(app.help().c_str(), stdout);
      return irk::cli::kExitOk;
    }
    for (const auto& command : commands) {
      if (command.app->get_name() == help_topic) {
        std::fputs(command.app->help("irk").c_str(), stdout);
        return irk::cli::kExitOk;
      }
    }
    return irk::cli::ReportError(
        irk::Fail("no command named '" + help_topic + "'; `irk --help` lists them"));
  }
  for (const auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  std::fputs(app.help().c_str(), stdout);
  return irk::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever irk writes (case files, moved evidence) is for root's eyes only.
  umask(077);
  irk::UseBuiltinNameService();
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "irk: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "irk: internal error\n");
  }
  return irk::cli::kExitInternal;
}
