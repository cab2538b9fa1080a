// Every login attempt of every user, from the logs and the login records
// together (the same login seen in both counted once), and what that history
// says about a source: usual for this user, or new, or never seen at all.
// Pure: the caller reads the events and passes them in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/address.h"
#include "core/config.h"
#include "core/result.h"
#include "core/time.h"
#include "logs/event.h"
#include "logs/timezone.h"

namespace irk::logins {

// One login attempt. Text fields are ids into the history's strings (see
// LoginHistory::Text), so a million attempts stay small.
struct Attempt {
  Timestamp time;
  std::optional<int64_t> pid;
  uint32_t user = 0, source = 0, method = 0, key = 0, service = 0;  // 0 is ""
  bool success = false;
  bool user_valid = true;          // false when the log said "invalid user"
  bool from_login_record = false;  // only wtmp or btmp recorded it
  bool via_pam = false;            // only a PAM module's line recorded it
  bool in_both = false;            // a log line and a login record recorded it
};

class LoginHistory {
 public:
  LoginHistory();

  // Keeps `event` when it records a login attempt: auth with an outcome,
  // refused (a failure), or a session a login record (wtmp) opened. A PAM
  // summary ("2 more authentication failures") is left out: the service's
  // own lines count those attempts.
  void Add(const logs::Event& event);

  // Sorts the attempts by time and counts each login once: a log line and
  // the wtmp or btmp record of the same login (same user, source and outcome,
  // within 60 s) become one; PAM's lines about an attempt fold into the
  // service's own line that follows them (same service, pid and outcome,
  // within 5 s: PAM waits about 2 s after a wrong password), or, for a
  // service that writes none, into PAM's next line within a second; sshd's
  // "Invalid user" folds into the failed password that follows it. Call
  // once, after the last Add.
  void Finish();

  const std::vector<Attempt>& attempts() const { return attempts_; }
  std::string_view Text(uint32_t id) const { return strings_[id]; }
  // The id of `text`; nullopt when no attempt holds it.
  std::optional<uint32_t> Find(std::string_view text) const;
  // The address of source `id`; nullopt for a host name or "".
  const std::optional<IpAddress>& Address(uint32_t id) const { return addresses_[id]; }

 private:
  uint32_t Intern(std::string_view text);
  // The two steps of Finish; `merged` marks the attempts folded into another.
  void PairLoginRecords(std::vector<bool>& merged);
  void FoldIntoServiceLines(std::vector<bool>& merged);

  std::vector<Attempt> attempts_;
  std::vector<std::string> strings_;
  std::vector<std::optional<IpAddress>> addresses_;  // by string id
  std::unordered_map<std::string, uint32_t> ids_;
};

// What one user did from one source.
struct SourceSummary {
  std::string user, source;  // source "" for local logins
  Timestamp first, last;
  int successes = 0, failures = 0;
  std::vector<std::string> methods, keys;  // distinct, sorted
  bool user_valid = true;  // false when no attempt named a known user (or any user: a refused
                           // connection, a penalty drop)
  int in_both = 0;         // attempts both a log and a login record showed
};

// Per user and source, sorted by user, then by first attempt, then source.
std::vector<SourceSummary> SummarizeSources(const LoginHistory& history);

// Failed attempts from one place.
struct FailedSource {
  std::string source;  // the address or host; "(local)" for none
  int count = 0;
  std::vector<std::string> users;  // distinct user names tried, sorted; the first 5 only
  size_t distinct_users = 0;       // how many distinct user names were tried in all
  Timestamp first, last;           // earliest and latest attempt
};

// The failed attempts at or after `since`, grouped by source; most failures
// first, then by source.
std::vector<FailedSource> FailuresBySource(const LoginHistory& history, Timestamp since);

// When a source is "usual" and how wide its network is: [logins] in irk.toml.
struct HabitSettings {
  int usual_logins = 3;  // earlier successful logins that make a source usual
  int ipv4_prefix = 24;  // the network around an IPv4 address
  int ipv6_prefix = 48;
  int hour_margin = 1;  // hours either side of an earlier login's hour that are usual
};

// Reads [logins] usual_logins, ipv4_prefix, ipv6_prefix, hour_margin.
Result<HabitSettings> LoadHabitSettings(const Config& config);

enum class SourceVerdict {
  kUsual,       // at least usual_logins earlier successes of this user from it or its network
  kRare,        // some earlier successes of this user from it or its network, fewer than that
  kNewForUser,  // none for this user; other users log in from it or its network
  kNewNetwork,  // no success from its network by anyone, but failed attempts from it were seen
  kNeverSeen,   // nothing at all from the address or its network before
  kLocal,       // no remote source: a console or local login
};

// "usual", "rare", "new-for-user", "new-network", "never-seen", "local".
std::string_view SourceVerdictName(SourceVerdict verdict);

enum class HourVerdict {
  kUsual,         // an earlier login of the user fell within hour_margin of this hour
  kUnusual,       // none did
  kTooFewLogins,  // fewer than usual_logins earlier logins: nothing to judge by
};

std::string_view HourVerdictName(HourVerdict verdict);  // "usual", "unusual", "too few logins"

struct Judgement {
  SourceVerdict verdict = SourceVerdict::kNeverSeen;
  std::string basis;  // what matched: the address, or the network ("10.77.1.0/24")
  int count = 0;      // earlier successes of this user from `basis`
  std::optional<Timestamp> first, last;  // of those
  int other_users = 0;       // other users with earlier successes from the address or network
  int earlier_failures = 0;  // failed attempts from the address or network before, any user
  HourVerdict hour = HourVerdict::kTooFewLogins;
  int login_hour = 0;            // local hour of this login, 0-23
  std::vector<int> usual_hours;  // local hours of the user's earlier logins, distinct, sorted
  bool own_login_found = false;  // this login's own attempt was found in the history
};

// Judges a login of `user` from `source` (an address, a host name, or "" for
// a local login) at `login_time` against the attempts before it. This login's
// own successful attempt is left out: the one from sshd process `sshd_pid`
// when given, else the success of this user and source nearest `login_time`
// within 5 minutes before and 2 minutes after it. Hours are local hours in
// `zone`, the examined system's time zone.
Judgement JudgeLogin(const LoginHistory& history, std::string_view user, std::string_view source,
                     Timestamp login_time, int32_t sshd_pid, const HabitSettings& settings,
                     const logs::TimeZone& zone);

}  // namespace irk::logins
