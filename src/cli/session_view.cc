#include "cli/session_view.h"

#include <fmt/format.h>

#include "cli/command.h"
#include "core/config.h"

namespace irk::cli {

void AddHistoryOptions(CLI::App& app, logins::HistorySources& sources) {
  app.add_option("--source", sources.files,
                 "Also read this log or wtmp/btmp file of this machine (repeatable)")
      ->type_name("FILE");
  app.add_flag("--journal", sources.journal,
               "Read the journal too (by default only where no auth.log or secure exists)");
}

Result<Gathered> Gather(const Globals& globals, const logins::HistorySources& sources,
                        size_t last_logins) {
  auto store = OpenCase(globals);
  if (!store.ok()) return store.error();
  auto root = Root::Open(globals.root);
  if (!root.ok()) return root.error();
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return config.error();
  auto habits = logins::LoadHabitSettings(*config);
  if (!habits.ok()) return habits.error();

  logins::StatusOptions options;
  options.last_logins = last_logins;
  options.habits = *habits;
  options.history = sources;
  auto report = logins::GatherStatus(*root, "/proc", options, Now());
  for (const auto& warning : report.warnings) Warn(warning);
  return Gathered{std::move(store).value(), root->dir().string(), *habits, std::move(report)};
}

Cell VerdictCell(const logins::Judgement& judgement) {
  Color color = Color::kNone;
  switch (judgement.verdict) {
    case logins::SourceVerdict::kUsual:
      color = Color::kGreen;
      break;
    case logins::SourceVerdict::kRare:
    case logins::SourceVerdict::kNewForUser:
      color = Color::kYellow;
      break;
    case logins::SourceVerdict::kNewNetwork:
    case logins::SourceVerdict::kNeverSeen:
      color = Color::kRed;
      break;
    case logins::SourceVerdict::kLocal:
      break;
  }
  return Cell(std::string(logins::SourceVerdictName(judgement.verdict)), color);
}

std::string VerdictDetail(const logins::Judgement& j) {
  const auto logins = [](int n) { return fmt::format("{} login{}", n, n == 1 ? "" : "s"); };
  const auto span = [&j] {
    if (!j.first || !j.last) return std::string();
    const std::string first = FormatShort(*j.first).substr(0, 10);
    const std::string last = FormatShort(*j.last).substr(0, 10);
    return first == last ? " on " + first : " " + first + " – " + last;
  };
  switch (j.verdict) {
    case logins::SourceVerdict::kUsual:
    case logins::SourceVerdict::kRare:
      return fmt::format("{}{} from {}", logins(j.count), span(), j.basis);
    case logins::SourceVerdict::kNewForUser:
      return fmt::format("{} other user{} log in from {}", j.other_users,
                         j.other_users == 1 ? "" : "s", j.basis);
    case logins::SourceVerdict::kNewNetwork:
      return fmt::format("first success from {}, after {} failed attempt{}", j.basis,
                         j.earlier_failures, j.earlier_failures == 1 ? "" : "s");
    case logins::SourceVerdict::kNeverSeen:
      return fmt::format("nothing from {} before", j.basis);
    case logins::SourceVerdict::kLocal:
      return "no remote source";
  }
  return "";
}

std::string HourText(const logins::Judgement& j) {
  std::string text = fmt::format("{:02}h", j.login_hour);
  switch (j.hour) {
    case logins::HourVerdict::kUsual:
      return text + " usual";
    case logins::HourVerdict::kTooFewLogins:
      return text + " (too few logins to judge)";
    case logins::HourVerdict::kUnusual:
      break;
  }
  // The usual hours as runs: "08-11, 14".
  std::string runs;
  for (size_t i = 0; i < j.usual_hours.size();) {
    size_t end = i;
    while (end + 1 < j.usual_hours.size() && j.usual_hours[end + 1] == j.usual_hours[end] + 1) {
      ++end;
    }
    if (!runs.empty()) runs += ", ";
    runs += end == i ? fmt::format("{:02}", j.usual_hours[i])
                     : fmt::format("{:02}-{:02}", j.usual_hours[i], j.usual_hours[end]);
    i = end + 1;
  }
  return text + " unusual (usual " + runs + ")";
}

std::string SessionFrom(const logins::Session& s) {
  std::string from = s.addr ? *s.addr : s.host;
  if (s.port) from += fmt::format(" port {}", *s.port);
  return from;
}

JsonObject SessionJson(const logins::Session& s, const logins::Judgement& j, bool live) {
  JsonObject object;
  object.Add("type", "session").Add("user", s.user).Add("tty", s.line).Add("host", s.host);
  object.Add("addr", s.addr).Add("port", s.port).Add("login", FormatRfc3339(s.login_time));
  object.Add("pid", s.pid);
  if (s.sshd_pid > 0) object.Add("sshd_pid", s.sshd_pid);
  object.Add("in_utmp", s.in_utmp);
  if (live) {
    object.Add("alive", s.alive).Add("processes", s.process_count).Add("command", s.command);
  }
  object.Add("idle_seconds", s.idle_seconds);
  object.Add("source_verdict", logins::SourceVerdictName(j.verdict));
  if (!j.basis.empty()) object.Add("basis", j.basis);
  object.Add("earlier_logins", j.count);
  if (j.first) object.Add("first", FormatRfc3339(*j.first));
  if (j.last) object.Add("last", FormatRfc3339(*j.last));
  object.Add("other_users", j.other_users).Add("earlier_failures", j.earlier_failures);
  JsonArray hours;
  for (const int hour : j.usual_hours) hours.Add(hour);
  object.Add("login_hour", j.login_hour)
      .Add("hour_verdict", logins::HourVerdictName(j.hour))
      .Add("usual_hours", hours);
  return object;
}

Cell SessionNote(const logins::Session& s, bool live) {
  if (!s.in_utmp) {
    return s.line.empty() ? Cell("command, no terminal") : Cell("not in utmp", Color::kYellow);
  }
  if (live && !s.alive) return Cell("stale record: no such process", Color::kYellow);
  return Cell("");
}

bool NeedsAttention(const logins::Session& s, const logins::Judgement& j) {
  return j.verdict == logins::SourceVerdict::kNewForUser ||
         j.verdict == logins::SourceVerdict::kNewNetwork ||
         j.verdict == logins::SourceVerdict::kNeverSeen || (!s.in_utmp && !s.line.empty());
}

}  // namespace irk::cli
