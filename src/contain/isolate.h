// The plan of `irk isolate`: drop every packet but loopback, the operator's
// own path and the --keep list, IPv4 and IPv6, in irk's table
// `inet irk_isolate`, with a dead-man switch in the kernel itself: the drop
// rules match a set whose elements time out, so unless `irk isolate
// --confirm` makes them permanent in time, isolation lifts itself even if
// irk, the operator's shell or the whole session is gone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contain/firewall.h"
#include "contain/plan.h"
#include "core/address.h"

namespace irk::contain {

inline constexpr std::string_view kIsolateTable = "inet irk_isolate";

struct IsolateRequest {
  std::vector<Network> keep;     // the operator's addresses and --keep
  bool keep_dns = false;         // let DNS (port 53, UDP and TCP) through
  int64_t confirm_within = 300;  // seconds until it lifts itself unless confirmed
};

// The table, as nft text. Pure.
std::string IsolateTable(const IsolateRequest& request);

// Creates the table (kAlreadyDone when it exists).
Plan PlanIsolate(std::shared_ptr<Firewall> firewall, const IsolateRequest& request);

// Makes a running isolation permanent (until irk undo).
Plan PlanConfirmIsolation(std::shared_ptr<Firewall> firewall);

// Whether isolation is in force now and, when it will lift itself, in how
// many seconds.
struct IsolationState {
  bool active = false;
  std::optional<int64_t> lifts_in;
};
IsolationState ReadIsolation(Firewall& firewall);

}  // namespace irk::contain
