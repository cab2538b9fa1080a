// irk isolate: cut the host off the network but for the operator's path,
// with a dead-man switch; irk isolate --confirm keeps it.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "contain/block.h"
#include "contain/isolate.h"
#include "core/operator.h"
#include "core/time.h"

namespace irk::cli {
namespace {

struct IsolateOptions {
  std::vector<std::string> keep;
  bool keep_dns = false;
  std::string confirm_within = "5m";
  bool confirm = false;
  bool status = false;
  ApplyFlags flags;
};

int RunIsolate(const Globals& globals, const IsolateOptions& options) {
  if (!globals.LiveHost()) {
    return ReportError(Fail("irk isolate acts on this host's firewall; --root does not apply"));
  }
  auto opened = contain::OpenNftables();
  if (!opened.ok()) return ReportError(opened.error());
  std::shared_ptr<contain::Firewall> firewall = std::move(*opened);
  if (options.status) {
    const auto state = contain::ReadIsolation(*firewall);
    if (!state.active) {
      std::printf("Not isolated.\n");
    } else if (state.lifts_in) {
      std::printf("Isolated; lifts itself in %s unless irk isolate --confirm.\n",
                  FormatDuration(*state.lifts_in).c_str());
    } else {
      std::printf("Isolated until irk undo.\n");
    }
    return kExitOk;
  }
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  if (options.confirm) {
    return ConfirmAndApply(globals, *store, contain::PlanConfirmIsolation(firewall), options.flags);
  }

  contain::IsolateRequest request;
  request.keep_dns = options.keep_dns;
  const auto within = ParseDuration(options.confirm_within);
  if (!within || *within <= 0) {
    return ReportError(
        Fail(fmt::format("--confirm-within {}: not a duration (like 5m)", options.confirm_within)));
  }
  request.confirm_within = *within;
  for (const auto& text : options.keep) {
    const auto network = Network::Parse(text);
    if (!network)
      return ReportError(Fail(fmt::format("--keep {}: not an address or network", text)));
    request.keep.push_back(*network);
  }
  // The operator's own path is always kept.
  const auto mine = contain::OperatorAddresses(CurrentOperator().ssh_source);
  for (const auto& address : mine) {
    request.keep.push_back(*Network::Parse(address.ToString()));
  }
  if (mine.empty() && request.keep.empty() && !options.flags.force) {
    Warn(
        "no remote path of yours found (no SSH_CONNECTION, no connection of your shell's "
        "ancestors): if you are remote, add --keep YOUR_ADDRESS; the switch lifts isolation "
        "in " +
        FormatDuration(request.confirm_within) + " anyway");
  }
  return ConfirmAndApply(globals, *store, contain::PlanIsolate(firewall, request), options.flags);
}

}  // namespace

Command AddIsolateCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<IsolateOptions>();
  auto* app = parent.add_subcommand(
      "isolate", "Cut this host off the network, but for you, with a dead-man switch");
  app->add_option("--keep", options->keep, "Addresses or networks that may still talk (repeat)")
      ->type_name("ADDR|CIDR");
  app->add_flag("--keep-dns", options->keep_dns, "Let DNS (port 53) through");
  app->add_option("--confirm-within", options->confirm_within,
                  "Lift isolation by itself unless confirmed within this time")
      ->type_name("DURATION")
      ->capture_default_str();
  app->add_flag("--confirm", options->confirm, "Keep a running isolation until irk undo");
  app->add_flag("--status", options->status, "Say whether isolated and for how long");
  AddApplyFlags(app, options->flags);
  app->footer(
      "Drops every packet, IPv4 and IPv6, in and out and forwarded, silently, but\n"
      "loopback, the --keep list and your own connection (SSH_CONNECTION, or the\n"
      "TCP connections your shell's sshd holds). In irk's table inet irk_isolate,\n"
      "other tables untouched. The drop rules match a set whose elements expire\n"
      "after --confirm-within: unless irk isolate --confirm comes in time, the\n"
      "kernel itself lifts the isolation, so a mistake cannot strand you.\n"
      "irk undo lifts it at once.");
  return Command{app, [&globals, options] { return RunIsolate(globals, *options); }};
}

}  // namespace irk::cli
