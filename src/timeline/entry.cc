#include "timeline/entry.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace irk::timeline {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() && text.size() <= 10 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

SuspectLogin FromAttempt(const logins::LoginHistory& history, const logins::Attempt& attempt) {
  SuspectLogin login;
  login.time = attempt.time;
  login.user = std::string(history.Text(attempt.user));
  login.source = std::string(history.Text(attempt.source));
  login.service = std::string(history.Text(attempt.service));
  login.method = std::string(history.Text(attempt.method));
  login.pid = attempt.pid;
  return login;
}

std::string Plural(int count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

}  // namespace

EntryTarget EntryTarget::Parse(std::string_view argument) {
  if (const auto ip = IpAddress::Parse(argument)) return {Kind::kAddress, ip->ToString()};
  if (AllDigits(argument)) return {Kind::kSession, std::string(argument)};
  return {Kind::kUser, std::string(argument)};
}

bool IsShellService(std::string_view service) {
  return service == "sshd" || service == "login" || service == "dropbear";
}

Result<SuspectLogin> PickLogin(const logins::LoginHistory& history, const EntryTarget& target,
                               const logins::HabitSettings& settings, const logs::TimeZone& zone) {
  const auto& attempts = history.attempts();
  const auto is_shell = [&history](const logins::Attempt& a) {
    return IsShellService(history.Text(a.service));
  };
  const auto judge = [&](const logins::Attempt& a) {
    return logins::JudgeLogin(history, history.Text(a.user), history.Text(a.source), a.time,
                              a.pid ? static_cast<int32_t>(*a.pid) : 0, settings, zone);
  };
  const logins::Attempt* chosen = nullptr;
  std::string why;
  if (target.kind == EntryTarget::Kind::kUser) {
    const auto user = history.Find(target.text);
    if (!user) return Fail(fmt::format("no login attempt of user {} in the logs", target.text));
    bool any_shell = false;
    for (const auto& a : attempts) any_shell |= a.user == *user && a.success && is_shell(a);
    // The newest unusual source, then the first success from it.
    const logins::Attempt* newest = nullptr;
    for (const auto& a : attempts) {
      if (a.user != *user || !a.success || (any_shell && !is_shell(a))) continue;
      const auto verdict = judge(a).verdict;
      if (verdict != logins::SourceVerdict::kUsual && verdict != logins::SourceVerdict::kLocal) {
        newest = &a;
      }
    }
    if (newest == nullptr) {
      return Fail(fmt::format(
          "every login of {} came from a usual source; name an address or a session instead",
          target.text));
    }
    for (const auto& a : attempts) {
      if (a.user == *user && a.success && a.source == newest->source &&
          (!any_shell || is_shell(a))) {
        chosen = &a;
        break;
      }
    }
    why = fmt::format("first login of {} from {}, the newest source not usual for them",
                      target.text, history.Text(chosen->source));
  } else if (target.kind == EntryTarget::Kind::kAddress) {
    const auto source = history.Find(target.text);
    for (const bool shell_only : {true, false}) {
      for (const auto& a : attempts) {
        if (source && a.source == *source && a.success && (!shell_only || is_shell(a))) {
          chosen = &a;
          break;
        }
      }
      if (chosen != nullptr) break;
    }
    if (chosen == nullptr) {
      return Fail(fmt::format("no successful login from {} in the logs", target.text));
    }
    why = fmt::format("first successful login from {}", target.text);
  } else {
    const int64_t pid = std::stoll(target.text);
    for (const auto& a : attempts) {
      if (a.pid == pid && a.success) {
        chosen = &a;
        break;
      }
    }
    if (chosen == nullptr) {
      return Fail(fmt::format("no successful login by process {} in the logs", target.text));
    }
    why = fmt::format("the login of session {}", target.text);
  }
  SuspectLogin login = FromAttempt(history, *chosen);
  login.judgement = judge(*chosen);
  login.why = std::move(why);
  return login;
}

std::optional<Network> SourceNetwork(std::string_view source,
                                     const logins::HabitSettings& settings) {
  const auto ip = IpAddress::Parse(source);
  if (!ip) return std::nullopt;
  return Network::Around(*ip, ip->is_v4() ? settings.ipv4_prefix : settings.ipv6_prefix);
}

int ServiceTally::Score() const {
  if (success_after_failure) return 4;
  if (successes > 0) return 3;
  if (failures > 0) return 2;
  return 1;
}

std::string EventLine(const logs::Event& event) {
  if (event.line == 0) return fmt::format("{}: {}", event.file, event.raw);
  return fmt::format("{}:{}: {}", event.file, event.line, event.raw);
}

EntryEvidence::EntryEvidence(SuspectLogin login, std::optional<Network> network, Timestamp since)
    : login_(std::move(login)), network_(std::move(network)), since_(since) {}

bool EntryEvidence::FromSource(const logs::Event& event) const {
  if (!event.addr) return false;
  if (!network_) return event.addr->view() == login_.source;
  const auto ip = IpAddress::Parse(event.addr->view());
  return ip && network_->Contains(*ip);
}

void EntryEvidence::Add(const logs::Event& event) {
  if (event.time < since_ || !(event.time < login_.time)) return;
  if (event.kind == logs::EventKind::kAccount &&
      account_changes_.size() < ServiceTally::kMaxLines) {
    account_changes_.push_back(EventLine(event));
  }
  if (!FromSource(event)) return;
  auto [it, added] = services_.try_emplace(std::string(event.service));
  ServiceTally& tally = it->second;
  if (added) tally.service = std::string(event.service);
  // A PAM module's line repeats what the service itself logs about the same
  // attempt: shown, but not counted as an attempt of its own.
  const bool attempt =
      !event.via_pam &&
      (event.kind == logs::EventKind::kAuth || event.kind == logs::EventKind::kRefused ||
       (event.kind == logs::EventKind::kSession && event.outcome == logs::Outcome::kSuccess));
  const bool success = attempt && event.outcome == logs::Outcome::kSuccess;
  if (attempt && event.outcome == logs::Outcome::kFailure) {
    ++tally.failures;
  } else if (success) {
    ++tally.successes;
    tally.success_after_failure |= tally.failures > 0;
    tally.last_success = event.time;
  } else {
    ++tally.others;
  }
  if (!tally.first) tally.first = event.time;
  tally.last = std::max(tally.last.value_or(event.time), event.time);
  if (!event.user.empty()) {
    auto& users = users_seen_[tally.service];
    if (users.size() < kMaxDistinctUsers) users.emplace(event.user);
    tally.distinct_users = users.size();
  }
  // The first lines, then successes while there is room: a success is what
  // the verdict rests on.
  const bool room = tally.lines.size() < ServiceTally::kMaxLines - (success ? 0 : 5);
  if (room) {
    tally.lines.push_back(EventLine(event));
  } else {
    ++tally.lines_left_out;
  }
}

std::vector<ServiceTally> EntryEvidence::Ranked() const {
  std::vector<ServiceTally> ranked;
  for (const auto& [service, tally] : services_) {
    ServiceTally copy = tally;
    if (auto it = users_seen_.find(service); it != users_seen_.end()) {
      for (const std::string& user : it->second) {
        if (copy.users.size() == ServiceTally::kMaxUsers) break;
        copy.users.push_back(user);
      }
    }
    ranked.push_back(std::move(copy));
  }
  std::sort(ranked.begin(), ranked.end(), [](const ServiceTally& a, const ServiceTally& b) {
    const int events_a = a.failures + a.successes + a.others;
    const int events_b = b.failures + b.successes + b.others;
    return std::tuple(-a.Score(), -events_a, b.last, a.service) <
           std::tuple(-b.Score(), -events_b, a.last, b.service);
  });
  return ranked;
}

std::string DescribeTally(const ServiceTally& tally, const SuspectLogin& login) {
  std::string text = tally.service + ":";
  std::string users;
  if (!tally.users.empty()) {
    users = " as " + fmt::format("{}", fmt::join(tally.users, ", "));
    if (tally.distinct_users > tally.users.size()) {
      users += fmt::format(" and {} more", tally.distinct_users - tally.users.size());
    }
  }
  if (tally.failures > 0) {
    text += " " + Plural(tally.failures, "failed login", "failed logins") + users;
    users.clear();
  }
  if (tally.successes > 0) {
    text += tally.failures > 0 ? ", then " : " ";
    text += Plural(tally.successes, "success", "successes") + users;
  }
  if (tally.others > 0) {
    text += (tally.failures + tally.successes > 0 ? ", and " : " ") +
            Plural(tally.others, "other event", "other events");
  }
  const Timestamp last = tally.last_success.value_or(*tally.last);
  text += fmt::format(", {} before the {} login", FormatDuration(login.time.seconds - last.seconds),
                      login.service);
  return text;
}

std::string Verdict(const std::vector<ServiceTally>& ranked, const SuspectLogin& login,
                    std::string_view network_text, int64_t window_seconds) {
  if (ranked.empty() || ranked.front().Score() < 2) {
    return fmt::format(
        "no login attempt from {} in the {} before the {} login: the way in is not in these "
        "logs (a password or key taken elsewhere?)",
        network_text, FormatDuration(window_seconds), login.service);
  }
  const ServiceTally& top = ranked.front();
  const std::string_view how = top.Score() == 4   ? "likely way in"
                               : top.Score() == 3 ? "possible way in"
                                                  : "guessing before the login";
  return fmt::format("{}: {}", how, DescribeTally(top, login));
}

}  // namespace irk::timeline
