// The firewall seam: nftables commands run through libnftables (never by
// shelling out to nft), and irk's own table `inet irk`, the only one irk
// ever changes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"

namespace irk::contain {

class Firewall {
 public:
  virtual ~Firewall() = default;
  // Runs nft commands as one transaction; returns what nft printed (JSON
  // when `json`), or an error with nft's message.
  virtual Result<std::string> Run(std::string_view commands, bool json = false) = 0;
};

// The kernel's nftables of this process's network namespace, through
// libnftables; an error when its context cannot be made, and always in a
// build without libnftables (IRK_WITH_NFTABLES off, the static irk).
Result<std::unique_ptr<Firewall>> OpenNftables();

inline constexpr std::string_view kIrkTable = "inet irk";

// `network` as nft and irk's listings write it: a single address without
// its /32 or /128.
std::string NetworkText(const Network& network);

// The set a network belongs in: "block4" or "block6".
std::string BlockSet(const Network& network);

// The whole of irk's table: a set per family (intervals, per-element
// timeouts) and base chains on prerouting and output at priority -300
// (before conntrack and before any other table's filter chains) that drop
// what the sets hold, silently. A drop in any base chain is final, so no
// accept elsewhere lets a blocked address through. Each source whose
// packets are dropped on the way in is counted in a dynamic set per family
// (dropped4, dropped6: its packets and bytes, kept 7 days); counting is a
// rule of its own, so a full set never keeps a packet from being dropped.
std::string TableDefinition();

// One blocked network as `irk block --list` shows it.
struct BlockedNetwork {
  std::string network;                // "203.0.113.0/24", "2001:db8::1"
  std::optional<int64_t> expires_in;  // seconds left, nullopt when permanent
  std::string comment;
};

// The elements of irk's block sets from `nft -j list table inet irk`
// output; unknown shapes are skipped.
std::vector<BlockedNetwork> ParseBlockedNetworks(std::string_view json);

// One source address whose packets irk's block dropped, and how many.
struct DroppedSource {
  std::string address;  // as nft prints it
  uint64_t packets = 0;
  uint64_t bytes = 0;
};

// The elements of irk's dropped4 and dropped6 sets from `nft -j list …`
// output (the table, or those sets), sorted by address; unknown shapes are
// skipped.
std::vector<DroppedSource> ParseDroppedSources(std::string_view json);

}  // namespace irk::contain
