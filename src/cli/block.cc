// irk block ADDR|CIDR|HOST... and irk unblock: irk's nftables sets.
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "contain/block.h"
#include "contain/host_files.h"
#include "core/json.h"
#include "core/operator.h"
#include "core/table.h"
#include "core/time.h"

namespace irk::cli {
namespace {

struct BlockOptions {
  std::vector<std::string> targets;
  std::string duration;
  std::string reason;
  bool list = false;
  bool hosts_deny = false;
  ApplyFlags flags;
};

// Each target as networks: an address or CIDR as it is, a host name as
// every address it resolves to.
Result<std::vector<Network>> ResolveTargets(const std::vector<std::string>& targets) {
  std::vector<Network> networks;
  for (const auto& target : targets) {
    if (auto network = Network::Parse(target)) {
      networks.push_back(*network);
      continue;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(target.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
      return Fail(fmt::format("{} is no address, network or host name that resolves", target));
    }
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
      char text[NI_MAXHOST];
      if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof(text), nullptr, 0, NI_NUMERICHOST) !=
          0) {
        continue;
      }
      auto network = Network::Parse(text);
      if (network && std::find(networks.begin(), networks.end(), *network) == networks.end()) {
        networks.push_back(*network);
      }
    }
    freeaddrinfo(found);
  }
  return networks;
}

contain::Protected Guard() {
  contain::Protected guard;
  guard.host_addresses = contain::HostAddresses();
  guard.operator_addresses = contain::OperatorAddresses(CurrentOperator().ssh_source);
  return guard;
}

int ListBlocked(const Globals& globals, contain::Firewall& firewall) {
  auto listed = firewall.Run(fmt::format("list table {}", contain::kIrkTable), /*json=*/true);
  const auto blocked =
      listed.ok() ? contain::ParseBlockedNetworks(*listed) : std::vector<contain::BlockedNetwork>();
  if (globals.json) {
    for (const auto& b : blocked) {
      JsonObject object;
      object.Add("type", "blocked").Add("network", b.network).Add("expires_in", b.expires_in);
      object.Add("comment", b.comment);
      std::printf("%s\n", object.str().c_str());
    }
    return kExitOk;
  }
  if (blocked.empty()) {
    std::printf("Nothing is blocked by irk in this network namespace.\n");
    return kExitOk;
  }
  Table table({"NETWORK", "EXPIRES IN", "REASON"});
  for (const auto& b : blocked) {
    table.AddRow({b.network, b.expires_in ? FormatDuration(*b.expires_in) : "never", b.comment});
  }
  std::printf("%s", table.Render(globals.Color()).c_str());
  return kExitOk;
}

// The fallback: networks into /etc/hosts.deny (of --root, or this host).
int RunHostsDeny(const Globals& globals, const BlockOptions& options,
                 const std::vector<Network>& networks) {
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto files = contain::HostFiles::Open(globals.root);
  if (!files.ok()) return ReportError(files.error());
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  const auto plan = contain::PlanHostsDeny(
      std::make_shared<const contain::HostFiles>(std::move(*files)), *root, networks);
  return ConfirmAndApply(globals, *store, plan, options.flags);
}

int RunBlock(const Globals& globals, const BlockOptions& options, bool unblock) {
  if (!globals.LiveHost() && !options.hosts_deny) {
    return ReportError(
        Fail("irk block acts on this host's firewall; with --root only --hosts-deny applies"));
  }
  auto opened = contain::OpenNftables();
  std::shared_ptr<contain::Firewall> firewall;
  if (opened.ok()) firewall = std::move(*opened);
  const bool use_nftables = !options.hosts_deny && firewall && firewall->Run("list tables").ok();
  const std::string why_not =
      opened.ok() ? std::string("listing its tables failed") : opened.error().message;
  if (!use_nftables && !unblock && !options.list && !options.hosts_deny) {
    Warn("nftables cannot be used here (" + why_not + "); falling back to /etc/hosts.deny");
  }
  if (!use_nftables && (unblock || options.list)) {
    return ReportError(Fail("nftables cannot be used here (" + why_not +
                            "); hosts.deny lines are undone with irk undo"));
  }
  if (options.list) return ListBlocked(globals, *firewall);
  if (options.targets.empty()) {
    return ReportError(Fail("name what to block: an address, a network (CIDR) or a host name"));
  }
  auto networks = ResolveTargets(options.targets);
  if (!networks.ok()) return ReportError(networks.error());

  contain::Plan plan;
  if (unblock) {
    plan = contain::PlanUnblock(firewall, *networks);
  } else {
    contain::BlockRequest request{*networks, std::nullopt, options.reason};
    if (!options.duration.empty()) {
      request.seconds = ParseDuration(options.duration);
      if (!request.seconds || *request.seconds <= 0) {
        return ReportError(
            Fail(fmt::format("--for {}: not a duration (like 30m, 2h, 7d)", options.duration)));
      }
    }
    const auto guard = Guard();
    for (const auto& network : *networks) {
      if (auto refusal = contain::RefuseBlock(network, guard, options.flags.force)) {
        return ReportError(Fail("refusing: " + *refusal));
      }
    }
    if (!use_nftables) return RunHostsDeny(globals, options, *networks);
    plan = contain::PlanBlock(firewall, request);
  }
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  return ConfirmAndApply(globals, *store, plan, options.flags);
}

void AddTargets(CLI::App* app, BlockOptions& options, const char* what) {
  app->add_option("targets", options.targets, what);
  AddApplyFlags(app, options.flags);
}

}  // namespace

Command AddBlockCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<BlockOptions>();
  auto* app =
      parent.add_subcommand("block", "Drop an intruder's addresses and cut their connections");
  AddTargets(app, *options, "Addresses (203.0.113.7), networks (203.0.113.0/24) or host names");
  app->add_option("--for", options->duration, "Unblock by itself after this long (30m, 2h, 7d)")
      ->type_name("DURATION");
  app->add_option("--reason", options->reason, "Why, for the journal and the rule's comment");
  app->add_flag("--list", options->list, "List what irk blocks now, with time left");
  app->add_flag(
      "--hosts-deny", options->hosts_deny,
      "Write /etc/hosts.deny lines instead of nftables (the fallback; works with --root)");
  app->footer(
      "Adds the addresses to irk's own nftables table (inet irk: a set per family\n"
      "with per-element timeouts, dropped on prerouting and output at priority -300,\n"
      "before any other table's accept), silently, so it looks like a network\n"
      "problem; then cuts the established connections with them and names the\n"
      "processes that served them. Never touches other tables. Refuses a whole\n"
      "family (0.0.0.0/0, ::/0), this host's own addresses, and the address the\n"
      "operator came from (without --force). Undo: irk unblock ADDR or irk undo.");
  return Command{app, [&globals, options] { return RunBlock(globals, *options, false); }};
}

Command AddUnblockCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<BlockOptions>();
  auto* app = parent.add_subcommand("unblock", "Take addresses out of irk's blocked sets");
  AddTargets(app, *options, "Addresses or networks exactly as blocked");
  return Command{app, [&globals, options] { return RunBlock(globals, *options, true); }};
}

}  // namespace irk::cli
