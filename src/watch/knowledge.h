// What the case knows about the attacker, for `irk watch`: the networks irk
// blocked and the users it locked (from the journal's actions), and what the
// attack's own log lines showed (key fingerprints, the users it came as).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "contain/plan.h"
#include "core/address.h"
#include "core/config.h"
#include "core/result.h"
#include "logs/event.h"

namespace irk::watch {

// [watch] in irk.toml (docs/config.md).
struct WatchSettings {
  int burst_failures = 5;  // failures from one new source that make a burst ...
  int burst_seconds = 60;  // ... within this many seconds
  int ipv4_prefix = 24;    // the network watched around a blocked IPv4 address
  int ipv6_prefix = 48;    // and around a blocked IPv6 address
};

// Reads [watch] burst_failures, burst_seconds, ipv4_prefix, ipv6_prefix.
Result<WatchSettings> LoadWatchSettings(const Config& config);

struct Knowledge {
  std::vector<Network> blocked;   // as blocked: single addresses (/32, /128) and networks
  std::vector<Network> networks;  // around each blocked address: its /24 or /48 (settings)
  std::set<std::string, std::less<>> locked_users;
  std::set<std::string, std::less<>> keys;  // fingerprints ("SHA256:…") the attack logged in with
  std::set<std::string, std::less<>> users;  // users the attack logged in as
  // client software versions the attack's sshd sessions announced (sshd's
  // debug log only)
  std::set<std::string, std::less<>> clients;

  // The blocked network holding `address`, or nullptr.
  const Network* Blocked(const IpAddress& address) const;
  // The watched network around a blocked address holding `address`, or nullptr.
  const Network* Near(const IpAddress& address) const;
};

// Builds the blocked networks and locked users from the case's actions, in
// journal order: a block adds its targets, an unblock takes them out, a lock
// adds its user; an undone action counts for nothing.
Knowledge KnowledgeFromActions(const std::vector<contain::Action>& actions,
                               const WatchSettings& settings);

// The client software version each sshd process announced (an event with
// `client`, from sshd's debug log), so that the login the same process logs
// later can be matched to its client. Keyed by host and pid; bounded, the
// oldest forgotten first.
class ClientVersions {
 public:
  static constexpr size_t kMax = 4096;

  // Remembers the client of a version event; other events are passed over.
  void Note(const logs::Event& event);
  // The client that `event`'s process announced, or "".
  std::string_view Of(const logs::Event& event) const;

 private:
  std::map<std::string, std::string, std::less<>> by_process_;  // "host\npid" → client
  std::deque<std::string> order_;                               // keys, oldest first
};

// Learns from one past event: a successful login from a blocked network or
// by a locked user gives the attack's key fingerprint, user and client
// (from `clients`, which the caller has shown every event before).
void Learn(Knowledge& knowledge, const logs::Event& event, const ClientVersions& clients);

// The fingerprint part of sshd's key text ("ED25519 SHA256:abc" → "SHA256:abc").
std::string_view KeyFingerprint(std::string_view key);

}  // namespace irk::watch
