#include "watch/rules.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/json.h"
#include "core/text.h"

namespace irk::watch {
namespace {

// Lines kept per burst source and per changed file, for the alert.
constexpr size_t kMaxAlertLines = 20;
// TCP_LISTEN in /proc/net/tcp.
constexpr uint8_t kTcpListen = 10;

bool IsLogin(const logs::Event& event) {
  return event.outcome == logs::Outcome::kSuccess &&
         (event.kind == logs::EventKind::kAuth || event.kind == logs::EventKind::kSession);
}

bool IsFailure(const logs::Event& event) {
  return event.outcome == logs::Outcome::kFailure &&
         (event.kind == logs::EventKind::kAuth || event.kind == logs::EventKind::kRefused);
}

// "alice from 203.0.113.7: sshd auth failure": what an event says, unescaped.
std::string Describe(const logs::Event& event) {
  std::string text = event.user.empty() ? "(no user)" : std::string(event.user);
  if (event.addr) text += fmt::format(" from {}", event.addr->view());
  text += fmt::format(": {} {}", event.service, logs::EventKindName(event.kind));
  if (event.outcome != logs::Outcome::kNone) {
    text += fmt::format(" {}", logs::OutcomeName(event.outcome));
  }
  if (!event.method.empty()) text += fmt::format(" ({})", event.method);
  return text;
}

Alert FromEvent(std::string rule, const logs::Event& event, std::string summary) {
  Alert alert;
  alert.rule = std::move(rule);
  alert.time = event.time;
  alert.summary = std::move(summary);
  alert.user = std::string(event.user);
  if (event.addr) alert.addr = std::string(event.addr->view());
  if (IsLogin(event)) alert.pid = event.pid;
  alert.lines.emplace_back(event.raw);
  return alert;
}

// Responses: a remote address is blocked; a login's sshd process is killed.
void Respond(Alert& alert, const logs::Event& event, bool block) {
  alert.block_address = block && event.addr && event.addr->is_ip();
  alert.kill_session = IsLogin(event) && event.pid.has_value() && event.service == "sshd";
}

// The lines of `after` not in `before`, at most kMaxAlertLines.
std::vector<std::string> AddedLines(std::string_view before, std::string_view after) {
  std::set<std::string_view> old;
  for (std::string_view text = before; !text.empty();) old.insert(TakeLine(text));
  std::vector<std::string> added;
  for (std::string_view text = after; !text.empty() && added.size() < kMaxAlertLines;) {
    const std::string_view line = TakeLine(text);
    if (!old.contains(line)) added.emplace_back(line);
  }
  return added;
}

Alert FileAlert(std::string rule, std::string summary, Timestamp now) {
  Alert alert;
  alert.rule = std::move(rule);
  alert.time = now;
  alert.summary = std::move(summary);
  return alert;
}

}  // namespace

std::string Alert::Json() const {
  JsonObject object;
  object.Add("type", "alert").Add("time", FormatRfc3339(time)).Add("rule", rule);
  object.Add("summary", summary);
  if (!user.empty()) object.Add("user", user);
  if (!addr.empty()) object.Add("addr", addr);
  if (pid) object.Add("pid", *pid);
  JsonArray array;
  for (const auto& line : lines) array.Add(line);
  object.Add("lines", array);
  return object.str();
}

std::string Alert::Line() const {
  return fmt::format("{}  {}  {}", FormatRfc3339(time), rule, EscapeForTerminal(summary));
}

EventRules::EventRules(Knowledge knowledge, const logins::LoginHistory& history,
                       WatchSettings settings, logins::HabitSettings habits, logs::TimeZone zone)
    : knowledge_(std::move(knowledge)),
      history_(history),
      settings_(settings),
      habits_(habits),
      zone_(std::move(zone)) {}

std::vector<Alert> EventRules::Judge(const logs::Event& event) {
  std::vector<Alert> alerts;
  clients_.Note(event);
  std::optional<IpAddress> ip;
  if (event.addr && event.addr->is_ip()) ip = IpAddress::Parse(event.addr->view());

  // (a) anything at all from a blocked address or the network around it.
  if (ip) {
    if (const Network* blocked = knowledge_.Blocked(*ip)) {
      Alert alert =
          FromEvent("blocked-address", event,
                    fmt::format("{} (blocked as {})", Describe(event), blocked->ToString()));
      Respond(alert, event, /*block=*/false);
      alerts.push_back(std::move(alert));
    } else if (const Network* near = knowledge_.Near(*ip)) {
      Alert alert = FromEvent(
          "blocked-network", event,
          fmt::format("{} (in {}, near a blocked address)", Describe(event), near->ToString()));
      Respond(alert, event, /*block=*/true);
      alerts.push_back(std::move(alert));
    }
  }
  // (b) any attempt as a locked user, from anywhere.
  if (!event.user.empty() && knowledge_.locked_users.contains(event.user) &&
      event.kind != logs::EventKind::kAccount && event.kind != logs::EventKind::kService) {
    Alert alert =
        FromEvent("locked-user", event, fmt::format("{} (the user is locked)", Describe(event)));
    Respond(alert, event, /*block=*/true);
    alerts.push_back(std::move(alert));
  }
  if (alerts.empty()) {
    // (c) logins the user's history does not explain, or with the attack's key.
    if (auto login = Login(event)) alerts.push_back(std::move(*login));
    // (d) a burst of failures from a source never seen before.
    if (ip) {
      if (auto burst = Burst(event, *ip)) alerts.push_back(std::move(*burst));
    }
  }
  return alerts;
}

std::optional<Alert> EventRules::Login(const logs::Event& event) {
  if (!IsLogin(event) || event.user.empty()) return std::nullopt;
  if (!event.key.empty() && knowledge_.keys.contains(KeyFingerprint(event.key))) {
    Alert alert = FromEvent("attacker-key", event,
                            fmt::format("{} with the attack's key {}", Describe(event), event.key));
    Respond(alert, event, /*block=*/true);
    return alert;
  }
  if (const auto client = clients_.Of(event);
      !client.empty() && knowledge_.clients.contains(client)) {
    // Alert only: other people may run the same client.
    return FromEvent("attacker-client", event,
                     fmt::format("{} with the attack's client {}", Describe(event), client));
  }
  if (!event.addr) return std::nullopt;  // a local login
  const std::string seen = fmt::format("{}\n{}", event.user, event.addr->view());
  if (seen_logins_.contains(seen)) return std::nullopt;
  const logins::Judgement judgement =
      logins::JudgeLogin(history_, event.user, event.addr->view(), event.time, -1, habits_, zone_);
  if (judgement.verdict != logins::SourceVerdict::kNewForUser &&
      judgement.verdict != logins::SourceVerdict::kNewNetwork &&
      judgement.verdict != logins::SourceVerdict::kNeverSeen) {
    return std::nullopt;
  }
  if (seen_logins_.size() >= kMaxBurstSources) seen_logins_.clear();
  seen_logins_.insert(seen);
  Alert alert = FromEvent("new-source", event,
                          fmt::format("{} ({} for this user)", Describe(event),
                                      logins::SourceVerdictName(judgement.verdict)));
  Respond(alert, event, /*block=*/true);
  return alert;
}

std::optional<Alert> EventRules::Burst(const logs::Event& event, const IpAddress& ip) {
  if (!IsFailure(event)) return std::nullopt;
  const std::string addr(event.addr->view());
  if (history_.Find(addr)) return std::nullopt;  // not a new source
  if (failures_.size() >= kMaxBurstSources && !failures_.contains(addr)) failures_.clear();
  Failures& failures = failures_[addr];
  const Timestamp window_start{event.time.seconds - settings_.burst_seconds, event.time.micros};
  while (!failures.times.empty() && failures.times.front() < window_start) {
    failures.times.pop_front();
  }
  failures.times.push_back(event.time);
  failures.lines.emplace_back(event.raw);
  if (failures.lines.size() > kMaxAlertLines) failures.lines.pop_front();
  if (failures.times.size() < static_cast<size_t>(settings_.burst_failures)) return std::nullopt;

  Alert alert;
  alert.rule = "burst";
  alert.time = event.time;
  alert.summary = fmt::format("{} failures in {} s from {}, a source never seen before",
                              failures.times.size(), settings_.burst_seconds, ip.ToString());
  alert.addr = addr;
  alert.user = std::string(event.user);
  alert.lines.assign(failures.lines.begin(), failures.lines.end());
  alert.block_address = true;
  failures_.erase(addr);  // the next burst counts afresh
  return alert;
}

std::vector<std::string> WatchedFilePaths(const std::vector<PasswdEntry>& accounts) {
  std::vector<std::string> paths = {"/etc/passwd",  "/etc/shadow",  "/etc/group",
                                    "/etc/gshadow", "/etc/sudoers", "/etc/ssh/sshd_config"};
  for (const PasswdEntry& account : accounts) {
    if (account.home.empty() || account.home == "/" ||
        account.home.find("..") != std::string::npos) {
      continue;
    }
    std::string home = account.home;
    if (home.back() == '/') home.pop_back();
    paths.push_back(home + "/.ssh/authorized_keys");
    paths.push_back(home + "/.ssh/authorized_keys2");
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

std::vector<Alert> CompareHostFiles(const HostFiles& before, const HostFiles& after,
                                    Timestamp now) {
  std::vector<Alert> alerts;
  bool accounts_reported = false;
  for (const PasswdEntry& account : after.accounts) {
    const auto old = FindByName(before.accounts, account.name);
    if (!old) {
      Alert alert = FileAlert("new-account",
                              fmt::format("new account {} (uid {}, shell {})", account.name,
                                          account.uid, account.shell),
                              now);
      alert.user = account.name;
      alerts.push_back(std::move(alert));
      accounts_reported = true;
    }
    if (account.uid == 0 && (!old || old->uid != 0)) {
      Alert alert = FileAlert("new-uid0", fmt::format("{} now has uid 0", account.name), now);
      alert.user = account.name;
      alerts.push_back(std::move(alert));
      accounts_reported = true;
    }
  }
  std::set<std::string> paths;
  for (const auto& [path, content] : before.contents) paths.insert(path);
  for (const auto& [path, content] : after.contents) paths.insert(path);
  for (const std::string& path : paths) {
    const auto old = before.contents.find(path);
    const auto now_there = after.contents.find(path);
    const std::string_view old_text =
        old == before.contents.end() ? std::string_view() : std::string_view(old->second);
    const std::string_view new_text = now_there == after.contents.end()
                                          ? std::string_view()
                                          : std::string_view(now_there->second);
    const bool existed = old != before.contents.end();
    const bool exists = now_there != after.contents.end();
    if (existed == exists && old_text == new_text) continue;
    const std::string change = !existed ? "created" : !exists ? "removed" : "changed";
    std::string rule;
    if (path.ends_with("/authorized_keys") || path.ends_with("/authorized_keys2")) {
      rule = "keys-changed";
    } else if (path.starts_with("/etc/sudoers")) {
      rule = "sudoers-changed";
    } else if (path.starts_with("/etc/ssh/sshd_config")) {
      rule = "sshd-config-changed";
    } else if (!accounts_reported) {
      rule = "account-changed";
    } else {
      continue;  // the account alerts above say what changed
    }
    Alert alert = FileAlert(rule, fmt::format("{} {}", path, change), now);
    alert.lines = AddedLines(old_text, new_text);
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

std::set<std::string> Listeners(const std::vector<TcpSocket>& sockets) {
  std::set<std::string> listeners;
  for (const TcpSocket& socket : sockets) {
    if (socket.state != kTcpListen) continue;
    const std::string local = socket.local.ToString();
    listeners.insert(socket.local.is_v4() ? fmt::format("{}:{}", local, socket.local_port)
                                          : fmt::format("[{}]:{}", local, socket.local_port));
  }
  return listeners;
}

std::vector<Alert> NewListeners(const std::set<std::string>& before,
                                const std::set<std::string>& after, Timestamp now) {
  std::vector<Alert> alerts;
  for (const std::string& listener : after) {
    if (before.contains(listener)) continue;
    alerts.push_back(FileAlert("new-listener", "new listening socket " + listener, now));
  }
  return alerts;
}

std::vector<Alert> LockedUserProcesses(const std::vector<Process>& processes,
                                       const std::map<uint32_t, std::string>& locked,
                                       std::set<std::pair<int, uint64_t>>& reported,
                                       Timestamp now) {
  std::vector<Alert> alerts;
  for (const Process& process : processes) {
    auto user = locked.find(process.ruid);
    if (user == locked.end()) user = locked.find(process.euid);
    if (user == locked.end() && process.loginuid) user = locked.find(*process.loginuid);
    if (user == locked.end()) continue;
    if (reported.size() >= EventRules::kMaxBurstSources) reported.clear();  // bounded memory
    if (!reported.insert({process.pid, process.start_ticks}).second) continue;
    Alert alert =
        FileAlert("locked-user-process",
                  fmt::format("process {} of locked user {}: {}", process.pid, user->second,
                              process.cmdline.empty() ? process.comm : process.cmdline),
                  now);
    alert.user = user->second;
    alert.pid = process.pid;
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

void DropRule::Baseline(const std::vector<contain::DroppedSource>& sources) {
  for (const auto& source : sources) reported_[source.address].packets = source.packets;
}

std::vector<Alert> DropRule::Judge(const std::vector<contain::DroppedSource>& sources,
                                   const Knowledge& knowledge, Timestamp now) {
  std::vector<Alert> alerts;
  for (const auto& source : sources) {
    Reported& reported = reported_[source.address];
    if (source.packets < reported.packets) reported.packets = 0;  // the set was made anew
    if (source.packets == reported.packets) continue;
    if (reported.at && now.seconds - *reported.at < kRepeatSeconds) continue;
    const uint64_t packets = source.packets - reported.packets;
    std::string by = "irk's block";
    if (const auto ip = IpAddress::Parse(source.address)) {
      if (const Network* network = knowledge.Blocked(*ip)) by += " of " + network->ToString();
    }
    Alert alert = FileAlert("blocked-packets",
                            fmt::format("{} {} from {} dropped by {}", packets,
                                        packets == 1 ? "packet" : "packets", source.address, by),
                            now);
    alert.addr = source.address;
    alert.lines.push_back(fmt::format("nftables inet irk: {} packets, {} bytes dropped from {}",
                                      source.packets, source.bytes, source.address));
    alerts.push_back(std::move(alert));
    reported.packets = source.packets;
    reported.at = now.seconds;
  }
  return alerts;
}

}  // namespace irk::watch
