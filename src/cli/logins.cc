// irk logins: for each user, every source they came from, with first and
// last time, successes and failures, methods and keys, from the logs and the
// login records together.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_view.h"
#include "core/text.h"

namespace irk::cli {
namespace {

struct LoginsOptions {
  std::string user;  // only this user
  bool all = false;  // also sources that only tried unknown user names
  logins::HistorySources sources;
};

std::string Join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

int RunLogins(const Globals& globals, const LoginsOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto zone = logs::TimeZone::Load(*root);
  if (!zone.ok()) {
    Warn(zone.error().Wrap("time zone").message + "; year-less stamps are read as UTC");
    zone = logs::TimeZone::Utc();
  }

  std::vector<std::string> warnings;
  const logins::LoginHistory history =
      logins::ReadLoginHistory(*root, *zone, options.sources, warnings);
  for (const auto& warning : warnings) Warn(warning);

  std::vector<logins::SourceSummary> shown;
  size_t unknown_only = 0;
  for (auto& summary : logins::SummarizeSources(history)) {
    if (!options.user.empty() && summary.user != options.user) continue;
    // Brute force tries thousands of names that are no account here.
    if (!options.all && options.user.empty() && !summary.user_valid && summary.successes == 0) {
      ++unknown_only;
      continue;
    }
    shown.push_back(std::move(summary));
  }

  if (globals.json) {
    for (const auto& s : shown) {
      JsonArray methods, keys;
      for (const auto& method : s.methods) methods.Add(method);
      for (const auto& key : s.keys) keys.Add(key);
      std::printf("%s\n", JsonObject()
                              .Add("type", "source")
                              .Add("user", s.user)
                              .Add("user_valid", s.user_valid)
                              .Add("source", s.source)
                              .Add("first", FormatRfc3339(s.first))
                              .Add("last", FormatRfc3339(s.last))
                              .Add("successes", s.successes)
                              .Add("failures", s.failures)
                              .Add("methods", methods)
                              .Add("keys", keys)
                              .Add("in_logs_and_records", s.in_both)
                              .str()
                              .c_str());
    }
  } else if (shown.empty()) {
    std::printf("No logins%s in the logs and login records.\n",
                options.user.empty() ? "" : (" of " + EscapeForTerminal(options.user)).c_str());
  } else {
    Table table({"USER", "SOURCE", "FIRST (UTC)", "LAST (UTC)", "OK", "FAILED", "METHODS", "KEYS"});
    for (const auto& s : shown) {
      const Cell user = s.user.empty() ? Cell("(no user)", Color::kDim)
                        : s.user_valid ? Cell(s.user)
                                       : Cell(s.user + " (unknown)", Color::kDim);
      table.AddRow({user, s.source.empty() ? "(local)" : s.source, FormatShort(s.first),
                    FormatShort(s.last),
                    s.successes > 0 ? Cell(std::to_string(s.successes), Color::kGreen) : Cell("0"),
                    s.failures > 0 ? Cell(std::to_string(s.failures), Color::kYellow) : Cell("0"),
                    Join(s.methods), Join(s.keys)});
    }
    std::printf("%s", table.Render(globals.Color()).c_str());
  }
  if (!globals.json && unknown_only > 0) {
    std::printf("%zu further source%s only tried unknown user names (--all lists them).\n",
                unknown_only, unknown_only == 1 ? "" : "s");
  }

  JsonObject summary;
  summary.Add("root", root->dir().string())
      .Add("user", options.user)
      .Add("sources", shown.size())
      .Add("attempts", history.attempts().size());
  if (auto record = store->Append("logins", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return kExitOk;
}

}  // namespace

Command AddLoginsCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<LoginsOptions>();
  auto* app = parent.add_subcommand(
      "logins", "Every source each user came from: first and last seen, successes, failures");
  app->add_option("user", options->user, "Only this user");
  app->add_flag("--all", options->all,
                "Also list sources that only tried user names unknown here (brute force)");
  AddHistoryOptions(*app, options->sources);
  app->footer(
      "Reads the auth logs with their rotations (or the journal), wtmp and btmp, as\n"
      "irk events does; a login that a log line and a login record both show counts\n"
      "once, and so does a failure PAM and the service both logged. Sorted by user,\n"
      "then by first seen. --json: one object per user and source.");
  return Command{app, [&globals, options] { return RunLogins(globals, *options); }};
}

}  // namespace irk::cli
