// What every command shares: the global options, the exit codes, and the
// few helpers that open the case and print errors and warnings.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/case_store.h"
#include "core/result.h"

namespace irk::cli {

// Exit codes, as grep and diff use them.
inline constexpr int kExitOk = 0;        // nothing found, or done
inline constexpr int kExitFindings = 1;  // findings that need attention
inline constexpr int kExitError = 2;     // usage or runtime error
inline constexpr int kExitInternal = 3;  // a bug in irk

struct Globals {
  std::string case_dir = "/var/lib/irk";
  std::string root = "/";
  std::optional<std::string> config_path;  // --config; nullopt: /etc/irk/irk.toml if present
  bool json = false;
  bool no_color = false;
  std::string command_line;  // argv joined, for the journal

  // Colour only on a terminal, never with --no-color or $NO_COLOR.
  bool Color() const;
  // True when --root names the running system rather than an image.
  bool LiveHost() const;
};

// A registered subcommand: `run` is called when `app` was the one parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command AddEventsCommand(CLI::App& parent, Globals& globals);
Command AddStatusCommand(CLI::App& parent, Globals& globals);
Command AddWhoCommand(CLI::App& parent, Globals& globals);
Command AddLoginsCommand(CLI::App& parent, Globals& globals);
Command AddHuntCommand(CLI::App& parent, Globals& globals);
Command AddJournalCommand(CLI::App& parent, Globals& globals);
Command AddBlockCommand(CLI::App& parent, Globals& globals);
Command AddUnblockCommand(CLI::App& parent, Globals& globals);
Command AddIsolateCommand(CLI::App& parent, Globals& globals);
Command AddKillCommand(CLI::App& parent, Globals& globals);
Command AddLockCommand(CLI::App& parent, Globals& globals);
Command AddUndoCommand(CLI::App& parent, Globals& globals);
Command AddBaselineCommand(CLI::App& parent, Globals& globals);
Command AddCheckCommand(CLI::App& parent, Globals& globals);
Command AddTimelineCommand(CLI::App& parent, Globals& globals);
Command AddEntryCommand(CLI::App& parent, Globals& globals);
Command AddRespondCommand(CLI::App& parent, Globals& globals);
Command AddWhoisCommand(CLI::App& parent, Globals& globals);
Command AddReportCommand(CLI::App& parent, Globals& globals);
Command AddWatchCommand(CLI::App& parent, Globals& globals);
Command AddBackupsCommand(CLI::App& parent, Globals& globals);
Command AddRestoreCommand(CLI::App& parent, Globals& globals);

// Opens (or creates) the case named by --case, stamping records with the
// current operator and command line.
Result<CaseStore> OpenCase(const Globals& globals);

// "1 alert", "3 alerts", "2 addresses": a count and its noun, plural (`many`,
// else `one` and an s) when the count is not one.
std::string Counted(size_t n, std::string_view one, std::string_view many = {});

// "irk: warning: MESSAGE" on stderr, the message escaped for the terminal.
void Warn(std::string_view message);
// "irk: MESSAGE" on stderr; returns kExitError.
int ReportError(const Error& error);

}  // namespace irk::cli
