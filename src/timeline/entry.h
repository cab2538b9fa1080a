// How did they get in: the login to explain (a user's first login from an
// unusual source, an address's first success, a session), every event from
// that source's network in the window before it, tallied per service and
// ranked by what happened there, and a verdict with the lines behind it.
// Pure: the caller reads the logs and passes the events in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"
#include "core/time.h"
#include "logins/login_history.h"
#include "logs/event.h"
#include "logs/timezone.h"

namespace irk::timeline {

// What `irk entry` was asked about.
struct EntryTarget {
  enum class Kind {
    kUser,     // a user name
    kAddress,  // an IP address
    kSession,  // the pid of the sshd (or other service) process that logged in
  };
  Kind kind = Kind::kUser;
  std::string text;  // the address in normal form for kAddress

  // An IP address, all digits (a pid), or else a user name.
  static EntryTarget Parse(std::string_view argument);
};

// The login to explain.
struct SuspectLogin {
  Timestamp time;
  std::string user, source, service, method;  // source: address or host name
  std::optional<int64_t> pid;
  logins::Judgement judgement;  // of its source, against the history before it
  std::string why;              // how it was chosen, for a person
};

// Services that give a shell: their logins are the ones to explain.
bool IsShellService(std::string_view service);

// Picks the login `target` names in `history` (finished):
// - a user: the newest source, other than the local console, from which the
//   user's shell login was not usual (JudgeLogin), and the user's first
//   success from it; services that give no shell (FTP) count only when the
//   user has no shell login at all;
// - an address: its first successful shell login (else any success);
// - a session: the successful login of that pid.
// An error says what was looked for when nothing fits.
Result<SuspectLogin> PickLogin(const logins::LoginHistory& history, const EntryTarget& target,
                               const logins::HabitSettings& settings, const logs::TimeZone& zone);

// The network a source stands for: its /24 or /48 (HabitSettings), or
// nullopt for a host name (then only that name matches).
std::optional<Network> SourceNetwork(std::string_view source,
                                     const logins::HabitSettings& settings);

// What one service (or web server, or package tool) saw from the network.
struct ServiceTally {
  std::string service;
  int failures = 0, successes = 0, others = 0;
  std::vector<std::string> users;  // distinct user names, sorted; the first kMaxUsers
  size_t distinct_users = 0;       // counted up to EntryEvidence's bound
  std::optional<Timestamp> first, last, last_success;
  bool success_after_failure = false;  // a success came after at least one failure
  // Supporting lines, "file:line: raw": the first kMaxLines events, and every
  // success while room is left.
  std::vector<std::string> lines;
  uint64_t lines_left_out = 0;

  static constexpr size_t kMaxUsers = 5;
  static constexpr size_t kMaxLines = 20;

  // How strongly this service looks like the way in: 4 failures then a
  // success, 3 a success, 2 failures only, 1 anything else.
  int Score() const;
};

// The evidence around a login, gathered event by event; memory is bounded by
// the number of services, not of events.
class EntryEvidence {
 public:
  // `login` is the login explained; events from `network` (or the host name
  // `source` when the network is nullopt) in [since, login.time) count.
  EntryEvidence(SuspectLogin login, std::optional<Network> network, Timestamp since);

  // Takes one event: tallied under its service when it comes from the
  // network within the window (a PAM module's line as an "other" event, since
  // the service's own line counts the attempt); an account change within the
  // window is kept whatever its source.
  void Add(const logs::Event& event);

  // Services ranked: highest Score first, then more events, then the one
  // closer to the login, then by name.
  std::vector<ServiceTally> Ranked() const;
  // Account changes in the window ("file:line: raw"), at most kMaxLines.
  const std::vector<std::string>& account_changes() const { return account_changes_; }

  const SuspectLogin& login() const { return login_; }
  const std::optional<Network>& network() const { return network_; }
  Timestamp since() const { return since_; }

 private:
  bool FromSource(const logs::Event& event) const;

  SuspectLogin login_;
  std::optional<Network> network_;
  Timestamp since_;
  std::map<std::string, ServiceTally, std::less<>> services_;
  // Distinct user names per service, up to kMaxDistinctUsers each (a spray of
  // random names must not grow memory without end).
  std::map<std::string, std::set<std::string>, std::less<>> users_seen_;
  static constexpr size_t kMaxDistinctUsers = 4096;
  std::vector<std::string> account_changes_;
};

// "vsftpd: 5 failed logins as alice, then 1 success, 2m10s before the sshd
// login", the sentence for one tally.
std::string DescribeTally(const ServiceTally& tally, const SuspectLogin& login);

// The verdict over the ranked tallies: the top one when it scores 2 or more,
// else that nothing from the network explains the login.
std::string Verdict(const std::vector<ServiceTally>& ranked, const SuspectLogin& login,
                    std::string_view network_text, int64_t window_seconds);

// "file:line: raw" for an event ("journal: raw" without a line).
std::string EventLine(const logs::Event& event);

}  // namespace irk::timeline
