// irk entry: how did they get in? The suspicious login, everything its
// source's network did in the window before it, ranked by service, and a
// verdict with the lines behind it.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/event_filter.h"
#include "core/config.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"
#include "logins/status_report.h"
#include "timeline/entry.h"
#include "timeline/render.h"
#include "timeline/sources.h"

namespace irk::cli {
namespace {

struct EntryOptions {
  std::string target;
  std::string window = "24h";
  std::vector<std::string> sources;
  bool journal = false;
};

// What entry shows beside the services: key files and package changes in the window.
struct Extras {
  const std::vector<timeline::FileTimes>& keys;
  const std::vector<std::string>& packages;
  uint64_t more_packages = 0;
};

std::string NetworkText(const timeline::EntryEvidence& evidence) {
  if (!evidence.network()) return evidence.login().source;
  return evidence.network()->ToString();
}

JsonArray Strings(const std::vector<std::string>& strings) {
  JsonArray array;
  for (const std::string& s : strings) array.Add(s);
  return array;
}

void PrintJson(const timeline::EntryEvidence& evidence,
               const std::vector<timeline::ServiceTally>& ranked, const Extras& extras,
               const std::string& verdict) {
  const timeline::SuspectLogin& login = evidence.login();
  JsonObject head;
  head.Add("type", "login")
      .Add("time", FormatRfc3339(login.time))
      .Add("user", login.user)
      .Add("source", login.source)
      .Add("service", login.service)
      .Add("method", login.method)
      .Add("pid", login.pid)
      .Add("source_verdict", logins::SourceVerdictName(login.judgement.verdict))
      .Add("why", login.why)
      .Add("network", NetworkText(evidence))
      .Add("since", FormatRfc3339(evidence.since()));
  std::puts(head.str().c_str());
  for (const auto& tally : ranked) {
    JsonObject row;
    row.Add("type", "service")
        .Add("service", tally.service)
        .Add("score", tally.Score())
        .Add("failures", tally.failures)
        .Add("successes", tally.successes)
        .Add("others", tally.others)
        .Add("users", Strings(tally.users))
        .Add("distinct_users", tally.distinct_users)
        .Add("first", FormatRfc3339(*tally.first))
        .Add("last", FormatRfc3339(*tally.last))
        .Add("summary", timeline::DescribeTally(tally, login))
        .Add("lines", Strings(tally.lines))
        .Add("lines_left_out", tally.lines_left_out);
    std::puts(row.str().c_str());
  }
  for (const std::string& line : evidence.account_changes()) {
    std::puts(JsonObject().Add("type", "account_change").Add("line", line).str().c_str());
  }
  for (const auto& key : extras.keys) {
    JsonObject row;
    row.Add("type", "key_file").Add("path", key.path).Add("uid", key.uid);
    if (key.mtime) row.Add("mtime", FormatRfc3339(*key.mtime));
    if (key.ctime) row.Add("ctime", FormatRfc3339(*key.ctime));
    std::puts(row.str().c_str());
  }
  for (const std::string& line : extras.packages) {
    std::puts(JsonObject().Add("type", "package_change").Add("line", line).str().c_str());
  }
  std::puts(JsonObject().Add("type", "verdict").Add("verdict", verdict).str().c_str());
}

void PrintText(const Globals& globals, const timeline::EntryEvidence& evidence,
               const std::vector<timeline::ServiceTally>& ranked, const Extras& extras,
               const std::string& verdict) {
  const timeline::SuspectLogin& login = evidence.login();
  std::string out =
      fmt::format("Login:   {}  {}  {} from {}{}  (source {})\n", FormatShort(login.time),
                  EscapeForTerminal(login.service), EscapeForTerminal(login.user),
                  EscapeForTerminal(login.source),
                  login.method.empty() ? "" : " by " + EscapeForTerminal(login.method),
                  logins::SourceVerdictName(login.judgement.verdict));
  out += fmt::format("Chosen:  {}\n", EscapeForTerminal(login.why));
  out += fmt::format("Looked:  {} since {}\n\n", EscapeForTerminal(NetworkText(evidence)),
                     FormatShort(evidence.since()));
  out += Paint("Verdict: " + EscapeForTerminal(verdict), Color::kBold, globals.Color()) + "\n\n";
  if (!ranked.empty()) {
    Table table({"SERVICE", "FAILURES", "SUCCESSES", "OTHER", "USERS", "FIRST", "LAST"});
    for (const auto& tally : ranked) {
      table.AddRow(
          {tally.service, std::to_string(tally.failures),
           Cell(std::to_string(tally.successes), tally.successes > 0 ? Color::kRed : Color::kNone),
           std::to_string(tally.others), fmt::format("{}", fmt::join(tally.users, ",")),
           FormatShort(*tally.first), FormatShort(*tally.last)});
    }
    out += table.Render(globals.Color()) + "\n";
    for (const auto& tally : ranked) {
      out += EscapeForTerminal(timeline::DescribeTally(tally, login)) + "\n";
      for (const std::string& line : tally.lines) out += "  " + EscapeForTerminal(line) + "\n";
      if (tally.lines_left_out > 0) out += fmt::format("  … {} more\n", tally.lines_left_out);
    }
  }
  if (!evidence.account_changes().empty()) {
    out += "\nAccount changes in the window:\n";
    for (const std::string& line : evidence.account_changes()) {
      out += "  " + EscapeForTerminal(line) + "\n";
    }
  }
  if (!extras.packages.empty()) {
    out += "\nPackage changes in the window:\n";
    for (const std::string& line : extras.packages) out += "  " + EscapeForTerminal(line) + "\n";
    if (extras.more_packages > 0) out += fmt::format("  … {} more\n", extras.more_packages);
  }
  if (!extras.keys.empty()) {
    out += "\nKey files changed in the window:\n";
    for (const auto& key : extras.keys) {
      out += fmt::format("  {}  mtime {}\n", EscapeForTerminal(key.path),
                         key.mtime ? FormatShort(*key.mtime) : "-");
    }
  }
  std::fputs(out.c_str(), stdout);
}

int RunEntry(const Globals& globals, const EntryOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  const auto window = ParseDuration(options.window);
  if (!window)
    return ReportError(Fail("--window " + options.window + ": not a duration (try 24h)"));
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  auto habits = logins::LoadHabitSettings(*config);
  if (!habits.ok()) return ReportError(habits.error());
  const logs::TimeZone zone = LoadZoneOrUtc(*root);

  const logins::HistorySources sources{options.journal, options.sources};
  std::vector<std::string> warnings;
  const auto history = logins::ReadLoginHistory(*root, zone, sources, warnings);
  auto login =
      timeline::PickLogin(history, timeline::EntryTarget::Parse(options.target), *habits, zone);
  for (const auto& warning : warnings) Warn(warning);
  if (!login.ok()) return ReportError(login.error().Wrap("entry " + options.target));
  const Timestamp since{login->time.seconds - *window, login->time.micros};
  const Timestamp until = login->time;
  auto network = timeline::SourceNetwork(login->source, *habits);
  timeline::EntryEvidence evidence(std::move(login).value(), std::move(network), since);
  // The second pass reads only the window, and the readers skip files that
  // lie wholly outside it.
  logs::EventFilter filter;
  filter.since = since;
  filter.until = until;
  // The same sources again: only what the first pass did not already say.
  std::vector<std::string> window_warnings;
  logins::ReadEvents(
      *root, zone, sources, filter, [&evidence](const logs::Event& e) { evidence.Add(e); },
      "login history", window_warnings);
  for (const auto& warning : window_warnings) {
    if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) Warn(warning);
  }
  const auto warn = [](const Error& error) { Warn(error.message); };
  timeline::ReadAccessLogs(
      *root, since, until, [&evidence](const logs::Event& e) { evidence.Add(e); }, warn);
  const auto keys = timeline::ChangedKeyFiles(*root, since, until, warn);
  std::vector<std::string> packages;  // the first kMaxLines package changes
  uint64_t more_packages = 0;
  timeline::ReadPackageChanges(
      *root, zone, since, until,
      [&](std::string line) {
        if (packages.size() < timeline::ServiceTally::kMaxLines) {
          packages.push_back(std::move(line));
        } else {
          ++more_packages;
        }
      },
      warn);
  const Extras extras{keys, packages, more_packages};

  const auto ranked = evidence.Ranked();
  const std::string verdict =
      timeline::Verdict(ranked, evidence.login(), NetworkText(evidence), *window);
  if (globals.json) {
    PrintJson(evidence, ranked, extras, verdict);
  } else {
    PrintText(globals, evidence, ranked, extras, verdict);
  }

  JsonObject summary;
  summary.Add("target", options.target)
      .Add("login", FormatRfc3339(evidence.login().time))
      .Add("source", evidence.login().source)
      .Add("verdict", verdict)
      .Add("services", ranked.size());
  if (auto record = store->Append("entry", summary.str()); !record.ok())
    Warn(record.error().message);
  const bool findings = (!ranked.empty() && ranked.front().Score() >= 2) || !keys.empty() ||
                        !evidence.account_changes().empty();
  return findings ? kExitFindings : kExitOk;
}

}  // namespace

Command AddEntryCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<EntryOptions>();
  auto* app = parent.add_subcommand(
      "entry", "How did they get in? What a login's source did before it, ranked by service");
  app->add_option("target", options->target,
                  "A user (their newest unusual login), an address (its first success) or a "
                  "session's pid")
      ->required()
      ->type_name("USER|ADDR|PID");
  app->add_option("--window", options->window, "How far before the login to look")
      ->type_name("DURATION")
      ->capture_default_str();
  app->add_option("--source", options->sources, "Also read this log file (repeatable)")
      ->type_name("FILE");
  app->add_flag("--journal", options->journal,
                "Read the journal too (by default only where no auth.log or secure exists)");
  app->footer(
      "For a user, the login explained is the first one from the newest source that was not\n"
      "usual for them (as `irk who` judges sources); FTP and other services without a shell\n"
      "count only when the user has no shell login. Every event of every service from the\n"
      "source's /24 (IPv6: /48; [logins] in irk.toml) in the window before the login is\n"
      "tallied per service, and the services ranked: failures then a success first, then a\n"
      "success, then failures only. Account changes and authorized_keys files changed in\n"
      "the window are listed too, and requests in Apache's and nginx's access logs (a 401 or\n"
      "407 counts as a failed login, a 403 as refused) and packages dpkg installed, upgraded or\n"
      "removed. Exit status 1 when something points to a way in.\n"
      "Example: irk entry alice --window 48h");
  return Command{app, [&globals, options] { return RunEntry(globals, *options); }};
}

}  // namespace irk::cli
