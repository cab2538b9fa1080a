// irk status: who is on this host now and from where, the last logins, and
// failed logins by source.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_view.h"
#include "contain/plan.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"
#include "logins/status_report.h"

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

void PrintHuman(const logins::StatusReport& report, bool color) {
  const std::string where = report.live ? "this host" : "image";
  std::printf("%s\n\n",
              Paint(fmt::format("irk status: {} ({}), {} UTC", EscapeForTerminal(report.host),
                                where, FormatShort(report.now)),
                    Color::kBold, color)
                  .c_str());

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
  if (globals.json) {
    PrintJson(report);
  } else {
    PrintHuman(report, globals.Color());
  }

  // Containing actions cut short (a crash, kill -9) leave the system half
  // changed: the operator must finish or undo them.
  size_t incomplete = 0;
  if (auto records = gathered->store.Records(); records.ok()) {
    for (const auto& action : contain::ReadActions(*records)) {
      if (action.State() != "incomplete") continue;
      ++incomplete;
      if (globals.json) {
        std::printf("%s\n", JsonObject()
                                .Add("type", "incomplete_action")
                                .Add("action", action.id)
                                .Add("command", action.action)
                                .Add("target", action.target)
                                .Add("time", action.time)
                                .str()
                                .c_str());
      } else {
        std::printf("\n%s\n",
                    Paint(fmt::format("Action {} ({} {}, {}) is incomplete: it stopped mid-apply. "
                                      "Revert it with: irk undo {}",
                                      action.id, action.action, EscapeForTerminal(action.target),
                                      action.time.substr(0, 19), action.id),
                          Color::kRed, globals.Color())
                        .c_str());
      }
    }
  }

  JsonObject summary;
  summary.Add("root", gathered->root_dir)
      .Add("sessions", report.sessions.size())
      .Add("failed_logins", report.failed_total)
      .Add("findings", report.findings.size())
      .Add("warnings", report.warnings.size());
  if (auto record = gathered->store.Append("status", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return report.findings.empty() && incomplete == 0 ? kExitOk : kExitFindings;
}

}  // namespace

Command AddStatusCommand(CLI::App& parent, Globals& globals) {
  auto sources = std::make_shared<logins::HistorySources>();
  auto* app = parent.add_subcommand(
      "status", "Who is on now and from where, the last logins, failed logins by source");
  AddHistoryOptions(*app, *sources);
  app->footer(
      "Reads utmp, wtmp, btmp and the auth logs directly, and the kernel's /proc:\n"
      "never who, w, last or ps, which an intruder may have replaced. Each session's\n"
      "source is judged against the user's earlier logins (irk who explains the\n"
      "verdicts). With --root DIR it reads a mounted image instead (processes are\n"
      "then unknown).\n"
      "Exit 1 when the login records show signs of tampering or corruption.");
  return Command{app, [&globals, sources] { return RunStatus(globals, *sources); }};
}

}  // namespace irk::cli
