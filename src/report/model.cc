#include "report/model.h"

#include <algorithm>

#include <fmt/format.h>

namespace irk::report {
namespace {

bool InAny(const std::vector<Network>& networks, std::string_view addr) {
  const auto ip = IpAddress::Parse(addr);
  if (!ip) return false;
  return std::any_of(networks.begin(), networks.end(),
                     [&](const Network& n) { return n.Contains(*ip); });
}

LogLine CopyLine(const logs::Event& event) {
  LogLine line;
  line.time = event.time;
  line.time_text = event.time_text;
  line.zone = event.zone;
  line.file = event.file;
  line.line = event.line;
  line.host = event.host;
  line.service = event.service;
  line.kind = logs::EventKindName(event.kind);
  line.outcome = logs::OutcomeName(event.outcome);
  line.user = event.user;
  line.raw = event.raw;
  return line;
}

bool IsAttempt(const LogLine& line) { return line.kind == "auth" || line.kind == "refused"; }

// The case's records that say what was found, and the restores.
bool IsFinding(std::string_view kind) {
  return kind == "hunt" || kind == "check" || kind == "check.packages" || kind == "entry" ||
         kind == "who" || kind == "status" || kind.starts_with("watch.");
}

}  // namespace

std::optional<Timestamp> Report::FirstSeen() const {
  std::optional<Timestamp> first;
  for (const auto& s : sources) {
    if (s.events > 0 && (!first || s.first < *first)) first = s.first;
  }
  return first;
}

std::optional<Timestamp> Report::LastSeen() const {
  std::optional<Timestamp> last;
  for (const auto& s : sources) {
    if (s.events > 0 && (!last || s.last > *last)) last = s.last;
  }
  return last;
}

bool EventTally::Preferred(std::string_view addr) const { return InAny(preferred_, addr); }

void EventTally::Add(const logs::Event& event) {
  if (!event.addr) return;
  ++events_;
  const std::string_view addr = event.addr->view();
  auto it = sources_.find(addr);
  if (it == sources_.end()) {
    if (sources_.size() >= kMaxSources && !Preferred(addr)) return;
    it = sources_.emplace(std::string(addr), Source{}).first;
    it->second.addr = addr;
    it->second.first = event.time;
    it->second.last = event.time;
  }
  Source& source = it->second;
  ++source.events;
  source.first = std::min(source.first, event.time);
  source.last = std::max(source.last, event.time);
  // A PAM module's line repeats the attempt the service logs itself
  // (vsftpd's FAIL LOGIN, sshd's Failed password): kept as evidence, not
  // counted again.
  const bool attempt = !event.via_pam && (event.kind == logs::EventKind::kAuth ||
                                          event.kind == logs::EventKind::kRefused);
  const bool failure = attempt && event.outcome == logs::Outcome::kFailure;
  const bool success =
      attempt && event.kind == logs::EventKind::kAuth && event.outcome == logs::Outcome::kSuccess;
  source.failures += failure ? 1 : 0;
  source.successes += success ? 1 : 0;
  if (!event.service.empty()) source.services.emplace(event.service);
  if (!event.user.empty() && (failure || success)) {
    auto user = source.users.find(std::string(event.user));
    if (user == source.users.end() && source.users.size() < Source::kMaxUsersPerSource) {
      user = source.users.emplace(std::string(event.user), UserTally{}).first;
    }
    if (user != source.users.end()) {
      user->second.failures += failure ? 1 : 0;
      if (success) {
        ++user->second.successes;
        if (!user->second.first_success) user->second.first_success = event.time;
      }
    }
  }
  const bool room =
      source.lines.size() < Source::kMaxLinesPerSource && (lines_ < kMaxLines || Preferred(addr));
  if (room) {
    source.lines.push_back(CopyLine(event));
    ++lines_;
  } else {
    ++source.lines_left_out;
  }
}

std::vector<Network> BlockedNetworks(const std::vector<contain::Action>& actions) {
  std::vector<Network> networks;
  for (const auto& action : actions) {
    if (action.action != "block") continue;
    if (const auto network = Network::Parse(action.target)) networks.push_back(*network);
  }
  return networks;
}

Report BuildReport(ReportContext context, const std::vector<JournalRecord>& records,
                   ChainCheck journal, EventTally tally, const std::vector<SourceContact>& contacts,
                   const Selection& selection) {
  Report report;
  report.generated = context.generated;
  report.host = std::move(context.host);
  report.zone = std::move(context.zone);
  report.root = std::move(context.root);
  report.case_dir = std::move(context.case_dir);
  report.since = context.since;
  report.until = context.until;
  report.journal = std::move(journal);
  report.events_read = tally.events();
  if (!records.empty()) {
    report.incident_id = "IRK-" + records.front().hash.substr(0, 12);
    report.case_created = records.front().time;
  }
  report.actions = contain::ReadActions(records);
  for (const auto& record : records) {
    CaseEntry entry{record.seq, record.time, record.kind, record.details_json};
    if (IsFinding(record.kind))
      report.findings.push_back(std::move(entry));
    else if (record.kind.starts_with("restore"))
      report.restores.push_back(std::move(entry));
  }

  const std::vector<Network> blocked = BlockedNetworks(report.actions);
  std::vector<Source*> ranked;
  for (auto& [addr, source] : tally.sources()) {
    if (source.failures + source.successes > 0) ranked.push_back(&source);
  }
  std::sort(ranked.begin(), ranked.end(), [](const Source* a, const Source* b) {
    if (a->failures != b->failures) return a->failures > b->failures;
    if (a->successes != b->successes) return a->successes > b->successes;
    return a->addr < b->addr;
  });
  for (size_t i = 0; i < ranked.size() && i < selection.top; ++i)
    ranked[i]->reasons.push_back("top");
  for (auto& [addr, source] : tally.sources()) {
    if (InAny(blocked, addr)) source.reasons.insert(source.reasons.begin(), "blocked");
    if (InAny(selection.named, addr)) source.reasons.insert(source.reasons.begin(), "named");
    if (source.reasons.empty()) continue;
    if (const auto ip = IpAddress::Parse(addr)) {
      if (const SourceContact* contact = FindContact(contacts, *ip)) source.contact = *contact;
    }
    // Sources are read one after another: put each source's lines in time order.
    std::stable_sort(source.lines.begin(), source.lines.end(),
                     [](const LogLine& a, const LogLine& b) { return a.time < b.time; });
    report.sources.push_back(std::move(source));
  }
  std::sort(report.sources.begin(), report.sources.end(), [](const Source& a, const Source& b) {
    if (a.failures != b.failures) return a.failures > b.failures;
    if (a.successes != b.successes) return a.successes > b.successes;
    return a.addr < b.addr;
  });

  std::map<std::string, Account> accounts;
  for (const auto& source : report.sources) {
    for (const auto& [user, tally_of_user] : source.users) {
      Account& account = accounts[user];
      account.user = user;
      account.failures += tally_of_user.failures;
      account.successes += tally_of_user.successes;
      if (tally_of_user.successes > 0) account.logged_in_from.push_back(source.addr);
      if (tally_of_user.first_success &&
          (!account.first_success || *tally_of_user.first_success < *account.first_success)) {
        account.first_success = tally_of_user.first_success;
      }
    }
  }
  for (auto& [user, account] : accounts) {
    std::sort(account.logged_in_from.begin(), account.logged_in_from.end());
    report.accounts.push_back(std::move(account));
  }
  // Accounts someone got into first, then by attempts.
  std::stable_sort(report.accounts.begin(), report.accounts.end(),
                   [](const Account& a, const Account& b) {
                     if ((a.successes > 0) != (b.successes > 0)) return a.successes > 0;
                     return a.failures > b.failures;
                   });
  return report;
}

std::vector<TimelineRow> Timeline(const Report& report) {
  std::vector<TimelineRow> rows;
  for (const auto& source : report.sources) {
    const LogLine* first_failure = nullptr;
    const LogLine* last_failure = nullptr;
    for (const auto& line : source.lines) {
      if (IsAttempt(line) && line.outcome == "failure") {
        if (first_failure == nullptr) first_failure = &line;
        last_failure = &line;
        continue;
      }
      const bool login =
          line.outcome == "success" && (line.kind == "auth" || line.kind == "session");
      if (!login) continue;
      rows.push_back({line.time, "login",
                      fmt::format("{} {} {} {}{}", source.addr, line.service, line.kind,
                                  line.outcome, line.user.empty() ? "" : " " + line.user),
                      line.raw});
    }
    if (first_failure != nullptr) {
      rows.push_back(
          {first_failure->time, "attack",
           fmt::format("{}: first failed attempt ({} in all)", source.addr, source.failures),
           first_failure->raw});
    }
    if (last_failure != nullptr && last_failure != first_failure) {
      rows.push_back({last_failure->time, "attack",
                      fmt::format("{}: last failed attempt", source.addr), last_failure->raw});
    }
  }
  for (const auto& action : report.actions) {
    if (const auto time = ParseRfc3339(action.time)) {
      rows.push_back({*time, "action", fmt::format("irk {} {}", action.action, action.target),
                      action.State()});
    }
  }
  for (const auto& entry : report.findings) {
    if (const auto time = ParseRfc3339(entry.time)) {
      rows.push_back({*time, "case", "irk " + entry.kind, entry.details_json});
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TimelineRow& a, const TimelineRow& b) { return a.time < b.time; });
  return rows;
}

Summary Summarize(const Report& report) {
  Summary summary;
  uint64_t failures = 0, successes = 0;
  std::set<std::string> services;
  for (const auto& source : report.sources) {
    failures += source.failures;
    successes += source.successes;
    services.insert(source.services.begin(), source.services.end());
    if (!source.contact || source.contact->abuse_email.empty()) {
      summary.without_contact.push_back(source.addr);
    }
  }
  std::string logged_in;
  for (const auto& account : report.accounts) {
    if (account.successes == 0) continue;
    logged_in += (logged_in.empty() ? "" : ", ") + account.user;
  }
  std::string service_list;
  for (const auto& service : services) service_list += (service_list.empty() ? "" : ", ") + service;
  summary.what = fmt::format(
      "{} source{} made {} failed and {} successful login attempt{} against {}{}.{}",
      report.sources.size(), report.sources.size() == 1 ? "" : "s", failures, successes,
      failures + successes == 1 ? "" : "s", report.host.empty() ? "the host" : report.host,
      service_list.empty() ? "" : " (" + service_list + ")",
      logged_in.empty() ? " No reported source logged in."
                        : " Accounts logged into from them: " + logged_in + ".");
  const auto first = report.FirstSeen();
  const auto last = report.LastSeen();
  summary.when =
      first ? fmt::format("From {} to {} (UTC).", FormatRfc3339(*first), FormatRfc3339(*last))
            : "No log lines of the reported sources were found.";
  std::vector<std::string> kinds;
  for (const auto& entry : report.findings) {
    if (std::find(kinds.begin(), kinds.end(), entry.kind) == kinds.end()) {
      kinds.push_back(entry.kind);
    }
  }
  std::string found;
  for (const auto& kind : kinds) found += (found.empty() ? "irk " : ", irk ") + kind;
  summary.how_found = fmt::format(
      "Case opened {}{}.", report.case_created.empty() ? "(no records)" : report.case_created,
      found.empty() ? "" : "; examined with " + found);
  std::map<std::string, std::vector<std::string>> by_action;
  for (const auto& action : report.actions) {
    by_action[action.action].push_back(action.target + " (" + action.State() + ")");
  }
  for (const auto& [action, targets] : by_action) {
    std::string list;
    for (const auto& t : targets) list += (list.empty() ? "" : ", ") + t;
    summary.response += (summary.response.empty() ? "" : "; ") + action + ": " + list;
  }
  summary.response = summary.response.empty() ? "No containing action recorded in the case."
                                              : summary.response + ".";
  return summary;
}

}  // namespace irk::report
