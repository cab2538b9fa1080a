// irk status: the dashboard of the case (where the procedure stands, what
// is contained, what watch has seen, what is left to do), then who is on
// this host now and from where, the last logins, and failed logins by
// source.
#include <algorithm>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_view.h"
#include "contain/firewall.h"
#include "contain/isolate.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"
#include "logins/status_report.h"
#include "respond/overview.h"

namespace irk::cli {
namespace {

constexpr size_t kLastLogins = 10;
constexpr size_t kFailedSourcesShown = 10;

// Where a past login came from, for a column: the host name, or the address.
std::string From(const std::string& host, const std::optional<std::string>& addr) {
  if (!host.empty()) return host;
  return addr.value_or("");
}

std::string UsersTried(const logins::FailedSource& source) {
  std::string text;
  for (const auto& user : source.users) {
    if (!text.empty()) text += ", ";
    text += user;
  }
  if (source.distinct_users > source.users.size()) {
    text += fmt::format(" +{} more", source.distinct_users - source.users.size());
  }
  return text;
}

// What irk's nftables tables hold now: read only on the live host, and only
// when nftables can be asked.
struct FirewallNow {
  bool known = false;
  contain::IsolationState isolation;
  std::vector<contain::BlockedNetwork> blocked;
  uint64_t dropped_packets = 0;  // packets the block dropped, by nftables' counters ...
  size_t dropped_sources = 0;    // ... and the sources they came from
};

FirewallNow ReadFirewall(bool live) {
  FirewallNow now;
  if (!live) return now;
  auto firewall = contain::OpenNftables();
  if (!firewall.ok()) return now;
  if (!(*firewall)->Run("list tables").ok()) return now;
  now.known = true;
  // No table of irk's: nothing blocked.
  auto listed = (*firewall)->Run(fmt::format("list table {}", contain::kIrkTable), /*json=*/true);
  if (listed.ok()) {
    now.blocked = contain::ParseBlockedNetworks(*listed);
    for (const auto& source : contain::ParseDroppedSources(*listed)) {
      now.dropped_packets += source.packets;
      ++now.dropped_sources;
    }
  }
  now.isolation = contain::ReadIsolation(**firewall);
  return now;
}

// "a, b, c", or `none` when there is nothing.
std::string Joined(const std::vector<std::string>& items, std::string_view none) {
  if (items.empty()) return std::string(none);
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// "2026-11-27 13:10" from a journal time.
std::string Minute(const std::string& rfc3339) {
  std::string text = rfc3339.substr(0, 16);
  if (text.size() > 10) text[10] = ' ';
  return text;
}

// The isolation's dead-man timer comes first among the things left to do.
std::vector<std::string> ToDo(const respond::CaseOverview& overview, const FirewallNow& firewall) {
  std::vector<std::string> lines;
  if (firewall.isolation.active && firewall.isolation.lifts_in) {
    lines.push_back(fmt::format(
        "the isolation lifts itself in {}: irk isolate --confirm keeps it (until irk undo)",
        FormatDuration(*firewall.isolation.lifts_in)));
  }
  lines.insert(lines.end(), overview.to_do.begin(), overview.to_do.end());
  return lines;
}

std::string StepCellText(const respond::StepProgress& step) {
  return step.outcome.empty() ? "-" : step.outcome;
}

Color StepColor(const respond::StepProgress& step) {
  if (step.outcome == "done") return Color::kGreen;
  if (step.outcome == "failed") return Color::kRed;
  if (step.outcome == "later") return Color::kYellow;
  return step.outcome == "skipped" ? Color::kDim : Color::kNone;
}

void PrintCase(const std::string& case_dir, const respond::CaseOverview& overview,
               const FirewallNow& firewall, bool color) {
  std::printf("Case %s, opened %s UTC (%s; irk journal lists them)\n\n",
              EscapeForTerminal(case_dir).c_str(), Minute(overview.opened).c_str(),
              Counted(overview.records, "journal record").c_str());

  const bool begun = std::any_of(overview.progress.begin(), overview.progress.end(),
                                 [](const auto& step) { return !step.outcome.empty(); });
  if (!begun) {
    std::vector<std::string> names;
    for (const auto& step : overview.progress) names.push_back(step.step);
    std::printf("Procedure (irk respond): not begun; its steps are %s\n",
                Joined(names, "").c_str());
  } else {
    std::printf("Procedure (irk respond%s)\n",
                overview.next_step ? (" continues at " + *overview.next_step).c_str()
                                   : ": every step done or skipped");
    Table steps({"STEP", "STATE", "WHEN (UTC)", "DETAIL"});
    for (const auto& step : overview.progress) {
      steps.AddRow({step.step, Cell(StepCellText(step), StepColor(step)),
                    step.time.empty() ? "" : Minute(step.time), step.detail});
    }
    std::printf("%s", steps.Render(color).c_str());
  }
  if (overview.suspects &&
      (!overview.suspects->addresses.empty() || !overview.suspects->users.empty())) {
    std::printf("Suspects found by triage: %s; users: %s\n",
                EscapeForTerminal(Joined(overview.suspects->addresses, "no addresses")).c_str(),
                EscapeForTerminal(Joined(overview.suspects->users, "none")).c_str());
  }
  std::printf("\n");

  if (overview.in_force.empty()) {
    std::printf("Contained: nothing (no containing action of this case is in force)\n");
  } else {
    std::printf("Contained (in force; irk undo ID reverts one)\n");
    Table table({"ID", "TIME (UTC)", "ACTION", "TARGET", "STATE"});
    for (const auto& a : overview.in_force) {
      table.AddRow({std::to_string(a.id), Minute(a.time), a.action, a.target,
                    Cell(a.State(), a.State() == "applied" ? Color::kNone : Color::kRed)});
    }
    std::printf("%s", table.Render(color).c_str());
  }
  if (firewall.known) {
    std::string isolation = "not isolated";
    if (firewall.isolation.active) {
      isolation =
          firewall.isolation.lifts_in
              ? Paint("ISOLATED, lifts itself in " + FormatDuration(*firewall.isolation.lifts_in) +
                          " unless irk isolate --confirm",
                      Color::kYellow, color)
              : "isolated until irk undo";
    }
    size_t timed = 0;
    for (const auto& b : firewall.blocked) timed += b.expires_in ? 1 : 0;
    std::printf(
        "Firewall now: %s; %s blocked by irk%s%s\n", isolation.c_str(),
        Counted(firewall.blocked.size(), "network").c_str(),
        timed ? fmt::format(", {} of them for a time (irk block --list)", timed).c_str() : "",
        firewall.dropped_packets
            ? fmt::format("; {} dropped from {}", Counted(firewall.dropped_packets, "packet"),
                          Counted(firewall.dropped_sources, "source"))
                  .c_str()
            : "");
  }
  std::printf("\n");

  const auto& watch = overview.watch;
  if (watch.started.empty()) {
    std::printf("Watch: never ran in this case (irk watch follows the logs for their return)\n");
  } else {
    std::printf(
        "Watch: started %s, %s; %s in all%s\n", Minute(watch.started).c_str(),
        watch.stopped.empty() ? "no stop recorded" : ("stopped " + Minute(watch.stopped)).c_str(),
        Counted(watch.alerts, "alert").c_str(), watch.newest.empty() ? "" : ", the newest:");
    for (const auto& alert : watch.newest) {
      std::printf("  %s  %s  %s\n", EscapeForTerminal(alert.time).c_str(),
                  EscapeForTerminal(alert.rule).c_str(), EscapeForTerminal(alert.summary).c_str());
    }
  }
  std::printf("\n");

  const auto to_do = ToDo(overview, firewall);
  if (to_do.empty()) {
    std::printf("Left to do: nothing; every step is done or skipped\n\n");
  } else {
    std::printf("Left to do\n");
    for (const auto& line : to_do) std::printf("  - %s\n", EscapeForTerminal(line).c_str());
    std::printf("\n");
  }
}

void PrintCaseJson(const std::string& case_dir, const respond::CaseOverview& overview,
                   const FirewallNow& firewall) {
  auto print = [](const JsonObject& object) { std::printf("%s\n", object.str().c_str()); };
  print(JsonObject()
            .Add("type", "case")
            .Add("dir", case_dir)
            .Add("opened", overview.opened)
            .Add("records", overview.records)
            .Add("next_step", overview.next_step));
  for (const auto& step : overview.progress) {
    print(JsonObject()
              .Add("type", "step")
              .Add("step", step.step)
              .Add("outcome", step.outcome)
              .Add("time", step.time)
              .Add("detail", step.detail));
  }
  if (overview.suspects) {
    JsonArray addresses, users;
    for (const auto& a : overview.suspects->addresses) addresses.Add(a);
    for (const auto& u : overview.suspects->users) users.Add(u);
    print(JsonObject().Add("type", "suspects").Add("addresses", addresses).Add("users", users));
  }
  for (const auto& a : overview.in_force) {
    print(JsonObject()
              .Add("type", "contained")
              .Add("action", a.id)
              .Add("time", a.time)
              .Add("command", a.action)
              .Add("target", a.target)
              .Add("state", a.State()));
  }
  if (firewall.known) {
    print(JsonObject()
              .Add("type", "firewall")
              .Add("isolated", firewall.isolation.active)
              .Add("isolation_lifts_in", firewall.isolation.lifts_in)
              .Add("blocked", firewall.blocked.size())
              .Add("dropped_packets", firewall.dropped_packets)
              .Add("dropped_sources", firewall.dropped_sources));
  }
  JsonObject watch;
  watch.Add("type", "watch").Add("started", overview.watch.started);
  watch.Add("stopped", overview.watch.stopped).Add("alerts", overview.watch.alerts);
  print(watch);
  for (const auto& alert : overview.watch.newest) {
    print(JsonObject()
              .Add("type", "watch_alert")
              .Add("time", alert.time)
              .Add("rule", alert.rule)
              .Add("summary", alert.summary));
  }
  for (const auto& line : ToDo(overview, firewall)) {
    print(JsonObject().Add("type", "to_do").Add("what", line));
  }
}

void PrintHeader(const logins::StatusReport& report, bool color) {
  const std::string where = report.live ? "this host" : "image";
  std::printf("%s\n\n",
              Paint(fmt::format("irk status: {} ({}), {} UTC", EscapeForTerminal(report.host),
                                where, FormatShort(report.now)),
                    Color::kBold, color)
                  .c_str());
}

void PrintHost(const logins::StatusReport& report, bool color) {
  if (report.sessions.empty()) {
    std::printf("Sessions now: none%s\n\n", !report.utmp_missing
                                                ? (" recorded in " + report.utmp_path).c_str()
                                            : report.live ? ""
                                                          : " (the image has no utmp)");
  } else {
    std::printf("Sessions now (%zu; each source judged against earlier logins: irk who explains)\n",
                report.sessions.size());
    Table table(
        {"USER", "TTY", "FROM", "LOGIN (UTC)", "SOURCE", "IDLE", "PROCS", "COMMAND", "NOTE"});
    for (size_t i = 0; i < report.sessions.size(); ++i) {
      const logins::Session& s = report.sessions[i];
      table.AddRow({s.user, s.line.empty() ? "-" : s.line, SessionFrom(s),
                    FormatShort(s.login_time), VerdictCell(report.judgements[i]),
                    s.idle_seconds ? FormatDuration(*s.idle_seconds) : "-",
                    report.live ? std::to_string(s.process_count) : "-", s.command,
                    SessionNote(s, report.live)});
    }
    std::printf("%s\n", table.Render(color).c_str());
  }
  if (report.utmp_missing && report.live) {
    std::printf("This host keeps no utmp (%s): sessions were found from sshd's processes.\n\n",
                report.utmp_path.c_str());
  }

  if (report.last_logins.empty()) {
    std::printf("Last logins: none recorded in %s\n\n", report.wtmp_path.c_str());
  } else {
    std::printf("Last logins (newest first, from %s)\n", report.wtmp_path.c_str());
    Table table({"USER", "TTY", "FROM", "LOGIN (UTC)", "UNTIL", "DURATION"});
    for (const auto& l : report.last_logins) {
      Cell until("");
      std::string duration;
      switch (l.end) {
        case logins::PastLogin::End::kLoggedOut:
          until = Cell(FormatShort(*l.logout));
          duration = FormatDuration(l.logout->seconds - l.login.seconds);
          break;
        case logins::PastLogin::End::kStillLoggedIn:
          until = Cell("still logged in", Color::kGreen);
          break;
        case logins::PastLogin::End::kNoLogout:
          until = Cell("no logout (crash or reboot)", Color::kYellow);
          break;
      }
      table.AddRow({l.user, l.line, From(l.host, l.addr), FormatShort(l.login), until, duration});
    }
    std::printf("%s\n", table.Render(color).c_str());
  }

  if (report.failing_sources.empty()) {
    std::printf("Failed logins in the last 24 hours: none\n");
  } else {
    std::printf("Failed logins in the last 24 hours by source (%d in all)\n", report.failed_total);
    Table table({"SOURCE", "FAILURES", "USERS TRIED", "FIRST (UTC)", "LAST (UTC)"});
    for (size_t i = 0; i < report.failing_sources.size() && i < kFailedSourcesShown; ++i) {
      const auto& f = report.failing_sources[i];
      table.AddRow({f.source, std::to_string(f.count), UsersTried(f), FormatShort(f.first),
                    FormatShort(f.last)});
    }
    std::printf("%s", table.Render(color).c_str());
    if (report.failing_sources.size() > kFailedSourcesShown) {
      std::printf("… and %zu more sources (irk status --json lists all)\n",
                  report.failing_sources.size() - kFailedSourcesShown);
    }
  }

  if (!report.findings.empty()) {
    std::printf("\n%s\n",
                Paint("The login records themselves need attention (tampering or corruption):",
                      Color::kRed, color)
                    .c_str());
    for (const auto& finding : report.findings) {
      std::printf("  %s\n", EscapeForTerminal(finding).c_str());
    }
  }
}

void PrintJson(const logins::StatusReport& report) {
  auto print = [](const JsonObject& object) { std::printf("%s\n", object.str().c_str()); };
  print(JsonObject()
            .Add("type", "status")
            .Add("host", report.host)
            .Add("time", FormatRfc3339(report.now))
            .Add("live", report.live));
  for (size_t i = 0; i < report.sessions.size(); ++i) {
    print(SessionJson(report.sessions[i], report.judgements[i], report.live));
  }
  for (const auto& l : report.last_logins) {
    JsonObject object;
    object.Add("type", "login").Add("user", l.user).Add("tty", l.line).Add("host", l.host);
    object.Add("addr", l.addr).Add("login", FormatRfc3339(l.login));
    if (l.logout) object.Add("logout", FormatRfc3339(*l.logout));
    object.Add("end", l.end == logins::PastLogin::End::kLoggedOut       ? "logged-out"
                      : l.end == logins::PastLogin::End::kStillLoggedIn ? "still-logged-in"
                                                                        : "no-logout");
    print(object);
  }
  for (const auto& f : report.failing_sources) {
    JsonArray users;
    for (const auto& user : f.users) users.Add(user);
    print(JsonObject()
              .Add("type", "failed_source")
              .Add("source", f.source)
              .Add("count", f.count)
              .Add("users", users)
              .Add("distinct_users", f.distinct_users)
              .Add("first", FormatRfc3339(f.first))
              .Add("last", FormatRfc3339(f.last)));
  }
  for (const auto& finding : report.findings) {
    print(JsonObject().Add("type", "finding").Add("what", finding));
  }
}

int RunStatus(const Globals& globals, const logins::HistorySources& sources) {
  auto gathered = Gather(globals, sources, kLastLogins);
  if (!gathered.ok()) return ReportError(gathered.error());
  const logins::StatusReport& report = gathered->report;
  auto records = gathered->store.Records();
  if (!records.ok()) return ReportError(records.error());
  const respond::CaseOverview overview = respond::Overview(*records);
  const FirewallNow firewall = ReadFirewall(report.live);
  const std::string case_dir = gathered->store.dir().string();
  if (globals.json) {
    PrintJson(report);
    PrintCaseJson(case_dir, overview, firewall);
  } else {
    PrintHeader(report, globals.Color());
    PrintCase(case_dir, overview, firewall, globals.Color());
    PrintHost(report, globals.Color());
  }

  // A containing action cut short (a crash, kill -9) leaves the system half
  // changed: the operator must finish or undo it.
  size_t incomplete = 0;
  for (const auto& action : overview.in_force) incomplete += action.State() == "incomplete";

  JsonObject summary;
  summary.Add("root", gathered->root_dir)
      .Add("sessions", report.sessions.size())
      .Add("failed_logins", report.failed_total)
      .Add("findings", report.findings.size())
      .Add("warnings", report.warnings.size())
      .Add("next_step", overview.next_step)
      .Add("contained", overview.in_force.size());
  if (auto record = gathered->store.Append("status", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return report.findings.empty() && incomplete == 0 ? kExitOk : kExitFindings;
}

}  // namespace

Command AddStatusCommand(CLI::App& parent, Globals& globals) {
  auto sources = std::make_shared<logins::HistorySources>();
  auto* app = parent.add_subcommand(
      "status",
      "The case at a glance (procedure, containment, watch, what is left), then who is on now, "
      "the last logins and failed logins by source");
  AddHistoryOptions(*app, *sources);
  app->footer(
      "First the case: each step of the procedure (irk respond) and its outcome,\n"
      "the containing actions in force (irk undo ID reverts one), the firewall now\n"
      "with the isolation's dead-man timer, what irk watch has seen, and what is\n"
      "left to do, most urgent first. Then the host.\n"
      "Reads utmp, wtmp, btmp and the auth logs directly, and the kernel's /proc:\n"
      "never who, w, last or ps, which an intruder may have replaced. Each session's\n"
      "source is judged against the user's earlier logins (irk who explains the\n"
      "verdicts). With --root DIR it reads a mounted image instead (processes are\n"
      "then unknown).\n"
      "Exit 1 when the login records show signs of tampering or corruption, or a\n"
      "containing action stopped mid-apply.");
  return Command{app, [&globals, sources] { return RunStatus(globals, *sources); }};
}

}  // namespace irk::cli
