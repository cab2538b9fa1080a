#include "logins/login_history.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace irk::logins {
namespace {

// PAM writes its lines about a wrong password before its delay (2 s, give or
// take a quarter), the service its own after; two PAM lines about one attempt
// come together. A log line and the login record of one login lie within the
// time a password prompt allows.
constexpr int64_t kPamBeforeServiceSeconds = 5;
constexpr int64_t kSamePamSeconds = 1;
// sshd names an unknown user when the connection asks for it, and logs the
// failed password once it is typed: within the login grace time.
constexpr int64_t kPreludeSeconds = 120;
constexpr int64_t kSameLoginSeconds = 60;
// How far a login record's or a process's time may lie from its log line.
constexpr int64_t kOwnLoginBefore = 300;
constexpr int64_t kOwnLoginAfter = 120;

bool IsLoginRecordFile(std::string_view file) {
  const std::string_view name = file.substr(file.rfind('/') + 1);
  return name.starts_with("wtmp") || name.starts_with("btmp");
}

int64_t SecondsApart(const Attempt& a, const Attempt& b) {
  return std::llabs(a.time.seconds - b.time.seconds);
}

// Fills what `from` knows and `into` does not.
void MergeInto(Attempt& into, const Attempt& from) {
  if (into.user == 0) into.user = from.user;
  if (into.source == 0) into.source = from.source;
  if (into.method == 0) into.method = from.method;
  if (into.key == 0) into.key = from.key;
  if (!into.pid) into.pid = from.pid;
  into.user_valid = into.user_valid && from.user_valid;
  into.via_pam = into.via_pam && from.via_pam;
  into.in_both = into.in_both || from.in_both;
}

// `pam` and `later` (which follows it) record one attempt: the same
// process's PAM line and its service's own line, or two PAM lines.
bool SameAttempt(const Attempt& pam, const Attempt& later) {
  const int64_t window = later.via_pam ? kSamePamSeconds : kPamBeforeServiceSeconds;
  return pam.service == later.service && pam.pid && pam.pid == later.pid &&
         pam.success == later.success && !later.from_login_record &&
         (pam.user == 0 || later.user == 0 || pam.user == later.user) &&
         (pam.source == 0 || later.source == 0 || pam.source == later.source) &&
         later.time.seconds - pam.time.seconds <= window;
}

int LocalHour(Timestamp time, const logs::TimeZone& zone) {
  const int64_t local = time.seconds + zone.OffsetAt(time.seconds);
  return static_cast<int>(((local % 86400) + 86400) % 86400 / 3600);
}

struct Tally {
  int count = 0;
  std::optional<Timestamp> first, last;
  void Add(Timestamp time) {
    ++count;
    if (!first || time < *first) first = time;
    if (!last || time > *last) last = time;
  }
};

}  // namespace

LoginHistory::LoginHistory() { Intern(""); }

uint32_t LoginHistory::Intern(std::string_view text) {
  const auto [it, added] = ids_.try_emplace(std::string(text), strings_.size());
  if (added) {
    strings_.emplace_back(text);
    addresses_.push_back(IpAddress::Parse(text));
  }
  return it->second;
}

std::optional<uint32_t> LoginHistory::Find(std::string_view text) const {
  const auto it = ids_.find(std::string(text));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void LoginHistory::Add(const logs::Event& event) {
  Attempt a;
  switch (event.kind) {
    case logs::EventKind::kAuth:
      if (event.outcome == logs::Outcome::kNone) return;
      a.success = event.outcome == logs::Outcome::kSuccess;
      break;
    case logs::EventKind::kRefused:
      a.success = false;
      break;
    case logs::EventKind::kSession:
      // A log's "session opened" follows an auth line that counted already.
      if (event.outcome != logs::Outcome::kSuccess || !IsLoginRecordFile(event.file)) return;
      a.success = true;
      break;
    default:
      return;
  }
  if (!a.success && event.reason.find("more authentication failures") != std::string_view::npos) {
    return;
  }
  a.time = event.time;
  a.pid = event.pid;
  a.user = Intern(event.user);
  a.source = event.addr ? Intern(event.addr->view()) : 0;
  a.method = Intern(event.method);
  a.key = Intern(event.key);
  a.service = Intern(event.service);
  a.user_valid = event.user_valid != false;
  a.from_login_record = IsLoginRecordFile(event.file);
  a.via_pam = event.via_pam;
  attempts_.push_back(a);
}

void LoginHistory::Finish() {
  std::stable_sort(attempts_.begin(), attempts_.end(),
                   [](const Attempt& a, const Attempt& b) { return a.time < b.time; });
  std::vector<bool> merged(attempts_.size(), false);
  PairLoginRecords(merged);
  FoldIntoServiceLines(merged);
  size_t kept = 0;
  for (size_t i = 0; i < attempts_.size(); ++i) {
    if (!merged[i]) attempts_[kept++] = attempts_[i];
  }
  attempts_.resize(kept);
}

void LoginHistory::PairLoginRecords(std::vector<bool>& merged) {
  if (std::none_of(attempts_.begin(), attempts_.end(),
                   [](const Attempt& a) { return a.from_login_record; })) {
    return;
  }
  // The service's own lines by (user, source, outcome), in time order. PAM's
  // lines are left out: sshd writes a btmp record per line of its own.
  std::map<std::tuple<uint32_t, uint32_t, bool>, std::vector<size_t>> lines;
  for (size_t i = 0; i < attempts_.size(); ++i) {
    const Attempt& a = attempts_[i];
    if (!a.from_login_record && !a.via_pam) lines[{a.user, a.source, a.success}].push_back(i);
  }
  for (size_t i = 0; i < attempts_.size(); ++i) {
    const Attempt& record = attempts_[i];
    if (!record.from_login_record) continue;
    const auto found = lines.find({record.user, record.source, record.success});
    if (found == lines.end()) continue;
    // Start at the first line within the window.
    const std::vector<size_t>& group = found->second;
    auto it =
        std::lower_bound(group.begin(), group.end(), record.time.seconds - kSameLoginSeconds,
                         [this](size_t j, int64_t t) { return attempts_[j].time.seconds < t; });
    size_t best = attempts_.size();
    for (; it != group.end() &&
           attempts_[*it].time.seconds <= record.time.seconds + kSameLoginSeconds;
         ++it) {
      const size_t j = *it;
      if (attempts_[j].in_both) continue;
      if (best == attempts_.size() ||
          SecondsApart(attempts_[j], record) < SecondsApart(attempts_[best], record)) {
        best = j;
      }
    }
    if (best == attempts_.size()) continue;
    attempts_[best].in_both = true;
    merged[i] = true;
  }
}

void LoginHistory::FoldIntoServiceLines(std::vector<bool>& merged) {
  // Walking back in time, the next line of each process is at hand.
  struct Next {
    std::optional<size_t> own, pam;
  };
  std::unordered_map<uint64_t, Next> next;
  for (size_t i = attempts_.size(); i-- > 0;) {
    Attempt& a = attempts_[i];
    if (a.from_login_record || !a.pid) continue;
    Next& n = next[(static_cast<uint64_t>(a.service) << 40) ^ static_cast<uint64_t>(*a.pid)];
    std::optional<size_t> into;
    if (a.via_pam) {
      if (n.own && SameAttempt(a, attempts_[*n.own])) {
        into = n.own;
      } else if (n.pam && SameAttempt(a, attempts_[*n.pam])) {
        into = n.pam;
      }
    } else if (!a.success && a.method == 0 && n.own) {
      // sshd's "Invalid user x from …" leads the connection's first "Failed
      // password for invalid user x": one attempt, as the client made it.
      const Attempt& later = attempts_[*n.own];
      if (!later.success && later.method != 0 && later.user == a.user && later.source == a.source &&
          later.time.seconds - a.time.seconds <= kPreludeSeconds) {
        into = n.own;
      }
    }
    if (into) {
      MergeInto(attempts_[*into], a);
      merged[i] = true;
    } else if (a.via_pam) {
      n.pam = i;
    } else {
      n.own = i;
    }
  }
}

std::vector<SourceSummary> SummarizeSources(const LoginHistory& history) {
  struct Collect {
    SourceSummary summary;
    std::set<uint32_t> methods, keys;
    bool any_valid = false;
  };
  std::map<std::pair<uint32_t, uint32_t>, Collect> by_key;
  for (const Attempt& a : history.attempts()) {
    auto [it, added] = by_key.try_emplace({a.user, a.source});
    Collect& c = it->second;
    if (added) {
      c.summary.user = history.Text(a.user);
      c.summary.source = history.Text(a.source);
      c.summary.first = a.time;
    }
    c.summary.last = std::max(c.summary.last, a.time);
    (a.success ? c.summary.successes : c.summary.failures) += 1;
    if (a.method != 0) c.methods.insert(a.method);
    if (a.key != 0) c.keys.insert(a.key);
    c.any_valid |= a.user_valid && a.user != 0;  // no user name: a source-level refusal
    c.summary.in_both += a.in_both ? 1 : 0;
  }
  std::vector<SourceSummary> out;
  out.reserve(by_key.size());
  for (auto& [key, c] : by_key) {
    for (const uint32_t id : c.methods) c.summary.methods.emplace_back(history.Text(id));
    for (const uint32_t id : c.keys) c.summary.keys.emplace_back(history.Text(id));
    std::sort(c.summary.methods.begin(), c.summary.methods.end());
    std::sort(c.summary.keys.begin(), c.summary.keys.end());
    c.summary.user_valid = c.any_valid;
    out.push_back(std::move(c.summary));
  }
  std::sort(out.begin(), out.end(), [](const SourceSummary& a, const SourceSummary& b) {
    return std::tie(a.user, a.first, a.source) < std::tie(b.user, b.first, b.source);
  });
  return out;
}

std::vector<FailedSource> FailuresBySource(const LoginHistory& history, Timestamp since) {
  struct Collect {
    Tally tally;
    std::set<std::string_view> users;
  };
  std::map<std::string_view, Collect> by_source;
  for (const Attempt& a : history.attempts()) {
    if (a.success || a.time < since) continue;
    Collect& c = by_source[a.source == 0 ? "(local)" : history.Text(a.source)];
    c.tally.Add(a.time);
    c.users.insert(history.Text(a.user));
  }
  std::vector<FailedSource> out;
  for (const auto& [source, c] : by_source) {
    FailedSource f;
    f.source = source;
    f.count = c.tally.count;
    f.distinct_users = c.users.size();
    for (const std::string_view user : c.users) {
      if (f.users.size() == 5) break;
      f.users.emplace_back(user);
    }
    f.first = *c.tally.first;
    f.last = *c.tally.last;
    out.push_back(std::move(f));
  }
  // std::map gave source order; a stable sort by count keeps it among equals.
  std::stable_sort(out.begin(), out.end(),
                   [](const FailedSource& a, const FailedSource& b) { return a.count > b.count; });
  return out;
}

Result<HabitSettings> LoadHabitSettings(const Config& config) {
  HabitSettings settings;
  auto usual = config.Integer("logins.usual_logins", settings.usual_logins, 1, 1000);
  if (!usual.ok()) return usual.error();
  auto v4 = config.Integer("logins.ipv4_prefix", settings.ipv4_prefix, 8, 32);
  if (!v4.ok()) return v4.error();
  auto v6 = config.Integer("logins.ipv6_prefix", settings.ipv6_prefix, 16, 128);
  if (!v6.ok()) return v6.error();
  auto margin = config.Integer("logins.hour_margin", settings.hour_margin, 0, 12);
  if (!margin.ok()) return margin.error();
  settings.usual_logins = static_cast<int>(*usual);
  settings.ipv4_prefix = static_cast<int>(*v4);
  settings.ipv6_prefix = static_cast<int>(*v6);
  settings.hour_margin = static_cast<int>(*margin);
  return settings;
}

std::string_view SourceVerdictName(SourceVerdict verdict) {
  switch (verdict) {
    case SourceVerdict::kUsual:
      return "usual";
    case SourceVerdict::kRare:
      return "rare";
    case SourceVerdict::kNewForUser:
      return "new-for-user";
    case SourceVerdict::kNewNetwork:
      return "new-network";
    case SourceVerdict::kNeverSeen:
      return "never-seen";
    case SourceVerdict::kLocal:
      return "local";
  }
  return "";
}

std::string_view HourVerdictName(HourVerdict verdict) {
  switch (verdict) {
    case HourVerdict::kUsual:
      return "usual";
    case HourVerdict::kUnusual:
      return "unusual";
    case HourVerdict::kTooFewLogins:
      return "too few logins";
  }
  return "";
}

Judgement JudgeLogin(const LoginHistory& history, std::string_view user, std::string_view source,
                     Timestamp login_time, int32_t sshd_pid, const HabitSettings& settings,
                     const logs::TimeZone& zone) {
  Judgement judgement;
  judgement.login_hour = LocalHour(login_time, zone);
  const std::vector<Attempt>& attempts = history.attempts();
  const std::optional<uint32_t> user_id = history.Find(user);
  const std::optional<uint32_t> source_id = history.Find(source);
  const std::optional<IpAddress> address = IpAddress::Parse(source);
  std::optional<Network> network;
  if (address) {
    network =
        Network::Around(*address, address->is_v4() ? settings.ipv4_prefix : settings.ipv6_prefix);
  }

  // This login's own attempt, which is not "earlier".
  size_t own = attempts.size();
  for (size_t i = 0; user_id && i < attempts.size(); ++i) {
    const Attempt& a = attempts[i];
    if (!a.success || a.user != *user_id) continue;
    if (sshd_pid > 0) {
      if (a.pid == sshd_pid && history.Text(a.service) == "sshd") own = i;
      continue;
    }
    const int64_t delta = a.time.seconds - login_time.seconds;
    if (source_id && a.source == *source_id && delta >= -kOwnLoginBefore &&
        delta <= kOwnLoginAfter &&
        (own == attempts.size() ||
         std::llabs(delta) <= std::llabs(attempts[own].time.seconds - login_time.seconds))) {
      own = i;
    }
  }
  judgement.own_login_found = own != attempts.size();

  Tally from_address, from_network;
  int user_logins = 0;
  std::set<int> hours;
  std::set<uint32_t> other_users;
  for (size_t i = 0; i < attempts.size(); ++i) {
    const Attempt& a = attempts[i];
    if (judgement.own_login_found ? i >= own : a.time >= login_time) break;
    const bool mine = user_id && a.user == *user_id;
    if (mine && a.success) {
      ++user_logins;
      hours.insert(LocalHour(a.time, zone));
    }
    if (source.empty()) continue;
    const bool same_address = source_id && a.source == *source_id;
    const std::optional<IpAddress>& other = history.Address(a.source);
    const bool same_network = same_address || (network && other && network->Contains(*other));
    if (!same_network) continue;
    if (!a.success) {
      ++judgement.earlier_failures;
    } else if (mine) {
      if (same_address) from_address.Add(a.time);
      from_network.Add(a.time);
    } else {
      other_users.insert(a.user);
    }
  }
  judgement.other_users = static_cast<int>(other_users.size());
  judgement.usual_hours.assign(hours.begin(), hours.end());

  const std::string network_text = network ? network->ToString() : std::string(source);
  const auto take = [&](SourceVerdict verdict, const Tally& tally, std::string basis) {
    judgement.verdict = verdict;
    judgement.count = tally.count;
    judgement.first = tally.first;
    judgement.last = tally.last;
    judgement.basis = std::move(basis);
  };
  if (source.empty()) {
    judgement.verdict = SourceVerdict::kLocal;
  } else if (from_address.count >= settings.usual_logins) {
    take(SourceVerdict::kUsual, from_address, std::string(source));
  } else if (from_network.count >= settings.usual_logins) {
    take(SourceVerdict::kUsual, from_network, network_text);
  } else if (from_address.count > 0) {
    take(SourceVerdict::kRare, from_address, std::string(source));
  } else if (from_network.count > 0) {
    take(SourceVerdict::kRare, from_network, network_text);
  } else if (judgement.other_users > 0) {
    take(SourceVerdict::kNewForUser, from_network, network_text);
  } else if (judgement.earlier_failures > 0) {
    take(SourceVerdict::kNewNetwork, from_network, network_text);
  } else {
    take(SourceVerdict::kNeverSeen, from_network, network_text);
  }

  if (user_logins < settings.usual_logins) {
    judgement.hour = HourVerdict::kTooFewLogins;
  } else {
    judgement.hour = HourVerdict::kUnusual;
    for (const int hour : hours) {
      const int apart = std::abs(hour - judgement.login_hour);
      if (std::min(apart, 24 - apart) <= settings.hour_margin) judgement.hour = HourVerdict::kUsual;
    }
  }
  return judgement;
}

}  // namespace irk::logins
