// What the case knows about the attacker, for `irk watch`: the networks irk
// blocked and the users it locked (from the journal's actions), and what the
// attack's own log lines showed (key fingerprints, the users it came as).
#pragma once

#include <functional>
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

// Learns from one past event: a successful login from a blocked network or
// by a locked user gives the attack's key fingerprint and user.
void Learn(Knowledge& knowledge, const logs::Event& event);

// The fingerprint part of sshd's key text ("ED25519 SHA256:abc" → "SHA256:abc").
std::string_view KeyFingerprint(std::string_view key);

}  // namespace irk::watch
