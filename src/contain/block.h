// The plan of `irk block` and `irk unblock`: addresses and networks into
// irk's nftables sets, then the established connections with them cut and
// the processes that served them named; and the safety checks that keep the
// operator and the host itself from being blocked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "contain/firewall.h"
#include "contain/host_files.h"
#include "contain/plan.h"
#include "core/address.h"
#include "core/result.h"
#include "core/root.h"

namespace irk::contain {

struct BlockRequest {
  std::vector<Network> networks;
  std::optional<int64_t> seconds;  // --for; nullopt: until unblocked
  std::string reason;              // --reason, kept in the journal and (made safe) as the comment
};

// What a block must never cut off: the operator's own address and the
// host's own addresses.
struct Protected {
  std::vector<IpAddress> operator_addresses;  // SSH_CONNECTION's client
  std::vector<IpAddress> host_addresses;      // every address of this host's interfaces
};

// Why `network` must not be blocked, or nullopt when it may be. A whole
// family (a /0), the host's own addresses (loopback included) are always
// refused; the operator's address only without `force`.
std::optional<std::string> RefuseBlock(const Network& network, const Protected& guard, bool force);

// The addresses the operator is connected from: `ssh_source` (from
// $SSH_CONNECTION) and the remote end of every established TCP connection
// held by an ancestor of this process — the operator's sshd, found even when
// sudo dropped the variable. Loopback ends are left out.
std::vector<IpAddress> OperatorAddresses(std::string_view ssh_source);

// The addresses of this host's interfaces (getifaddrs), in its namespace.
std::vector<IpAddress> HostAddresses();

// The nft element text for `network` with an optional timeout and comment:
// "203.0.113.0/24 timeout 3600s comment \"...\"". The comment keeps only
// letters, digits, space and .,:_-/ so nothing can break out of the quotes.
std::string ElementText(const Network& network, std::optional<int64_t> seconds,
                        std::string_view comment);

// The plan: create irk's table when missing, add each network, cut the
// established connections of this namespace with them.
Plan PlanBlock(std::shared_ptr<Firewall> firewall, const BlockRequest& request);

// The plan of `irk unblock`: each network out of irk's sets.
Plan PlanUnblock(std::shared_ptr<Firewall> firewall, const std::vector<Network>& networks);

// The hosts_access(5) form of `network`: IPv6 in brackets, as tcp_wrappers
// needs it ("[2001:db8::]/32"); IPv4 as it is ("203.0.113.0/24").
std::string HostsDenyPattern(const Network& network);

// The fallback where nftables cannot be used: an "ALL: PATTERN" line per
// network appended to /etc/hosts.deny of the system `files` writes to. Its
// notes say which daemons that protects: only those whose binary names
// libwrap.so (read from `root`).
Plan PlanHostsDeny(std::shared_ptr<const HostFiles> files, const Root& root,
                   const std::vector<Network>& networks);

// The reverse of the firewall steps ("kind" "nft_table", "nft_element",
// "nft_readd" or, for isolate, "nft_isolate").
UndoResult RevertFirewall(Firewall& firewall, const nlohmann::json& recipe);

}  // namespace irk::contain
