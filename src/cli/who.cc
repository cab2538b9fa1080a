// irk who: the current sessions, each with a verdict on where it comes from:
// usual for this user, rare, new for the user, a new network, never seen.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_view.h"
#include "core/text.h"

namespace irk::cli {
namespace {

void PrintHuman(const logins::StatusReport& report, const logins::HabitSettings& habits,
                bool color) {
  std::printf("%s\n",
              Paint(fmt::format("irk who: {} session{} on {} ({}), {} UTC", report.sessions.size(),
                                report.sessions.size() == 1 ? "" : "s",
                                EscapeForTerminal(report.host.empty() ? "?" : report.host),
                                report.live ? "this host" : "image", FormatShort(report.now)),
                    Color::kBold, color)
                  .c_str());
  if (report.sessions.empty()) {
    std::printf("Nobody is logged in%s.\n",
                report.live ? "" : " (utmp of the image; processes unknown)");
    return;
  }
  std::printf("\n");
  Table table({"USER", "TTY", "FROM", "LOGIN (UTC)", "SOURCE", "SEEN BEFORE", "HOUR", "NOTE"});
  for (size_t i = 0; i < report.sessions.size(); ++i) {
    const logins::Session& s = report.sessions[i];
    const logins::Judgement& j = report.judgements[i];
    table.AddRow({s.user, s.line.empty() ? "-" : s.line, SessionFrom(s), FormatShort(s.login_time),
                  VerdictCell(j), VerdictDetail(j), HourText(j), SessionNote(s, report.live)});
  }
  std::printf("%s\n", table.Render(color).c_str());
  std::printf(
      "usual: at least %d earlier logins of the user from the address or its /%d (IPv6 /%d).\n",
      habits.usual_logins, habits.ipv4_prefix, habits.ipv6_prefix);
  if (report.utmp_missing && report.live) {
    std::printf("This host keeps no utmp (%s): sessions were found from sshd's processes.\n",
                report.utmp_path.c_str());
  }
}

int RunWho(const Globals& globals, const logins::HistorySources& sources) {
  auto gathered = Gather(globals, sources, 0);
  if (!gathered.ok()) return ReportError(gathered.error());
  const logins::StatusReport& report = gathered->report;
  int attention = 0;
  for (size_t i = 0; i < report.sessions.size(); ++i) {
    if (NeedsAttention(report.sessions[i], report.judgements[i])) ++attention;
  }
  if (globals.json) {
    for (size_t i = 0; i < report.sessions.size(); ++i) {
      std::printf("%s\n",
                  SessionJson(report.sessions[i], report.judgements[i], report.live).str().c_str());
    }
  } else {
    PrintHuman(report, gathered->habits, globals.Color());
  }

  JsonObject summary;
  summary.Add("root", gathered->root_dir)
      .Add("sessions", report.sessions.size())
      .Add("need_attention", attention);
  if (auto record = gathered->store.Append("who", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return attention > 0 ? kExitFindings : kExitOk;
}

}  // namespace

Command AddWhoCommand(CLI::App& parent, Globals& globals) {
  auto sources = std::make_shared<logins::HistorySources>();
  auto* app = parent.add_subcommand(
      "who", "Who is on now, and is each one coming from where they usually do?");
  AddHistoryOptions(*app, *sources);
  app->footer(
      "Each session's source is judged against every earlier login in the logs,\n"
      "wtmp and btmp (as irk logins lists them):\n"
      "  usual         at least 3 earlier logins of this user from the address or its\n"
      "                /24 (IPv6 /48)\n"
      "  rare          some earlier logins of this user from there, fewer than that\n"
      "  new-for-user  never this user, but other users log in from there\n"
      "  new-network   no login from that network before, only failed attempts\n"
      "  never-seen    nothing at all from that address or network before\n"
      "and the login hour against the hours of the user's earlier logins (local time\n"
      "of the examined system). Thresholds: [logins] usual_logins, ipv4_prefix,\n"
      "ipv6_prefix, hour_margin in /etc/irk/irk.toml.\n"
      "Sessions come from utmp and from sshd's own processes, so one that a log\n"
      "cleaner wiped from utmp still shows, marked 'not in utmp'.\n"
      "Exit 1 when a session is new-for-user, new-network or never-seen, or missing\n"
      "from utmp.");
  return Command{app, [&globals, sources] { return RunWho(globals, *sources); }};
}

}  // namespace irk::cli
