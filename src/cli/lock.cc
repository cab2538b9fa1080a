// irk lock USER: close every way a user gets in, each step undoable.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "contain/lock.h"
#include "core/operator.h"

namespace irk::cli {
namespace {

struct LockOptions {
  std::string user;
  ApplyFlags flags;
};

int RunLock(const Globals& globals, const LockOptions& options) {
  if (globals.LiveHost() && !options.flags.force) {
    const Operator self = CurrentOperator();
    if (options.user == self.login_user || options.user == self.user) {
      return ReportError(Fail(fmt::format(
          "refusing to lock {}: that is you, the operator running irk (add --force if you "
          "really mean it)",
          options.user)));
    }
  }
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto files = contain::HostFiles::Open(globals.root);
  if (!files.ok()) return ReportError(files.error());
  auto plan = contain::PlanLock(std::make_shared<const contain::HostFiles>(std::move(*files)),
                                *root, options.user);
  if (!plan.ok()) return ReportError(plan.error());
  return ConfirmAndApply(globals, *store, *plan, options.flags);
}

}  // namespace

Command AddLockCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<LockOptions>();
  auto* app = parent.add_subcommand("lock", "Lock a local account: every way in, each undoable");
  app->add_option("user", options->user, "The local account to lock")->required();
  AddApplyFlags(app, options->flags);
  app->footer(
      "Expires the account and locks its password in /etc/shadow (the expiry is what\n"
      "stops SSH key logins under UsePAM yes), sets the shell to nologin, and moves\n"
      "into the case: authorized_keys (every AuthorizedKeysFile of sshd_config),\n"
      ".rhosts, .shosts, .k5login, .k5users, .forward, .procmailrc, .mailfilter,\n"
      ".netrc, ~/.ssh/rc, systemd user units, the crontab, at jobs and the linger\n"
      "flag; adds the user to /etc/ftpusers. Nothing is deleted. It then lists what\n"
      "it cannot close (sudoers, root-equivalent groups, subordinate ids,\n"
      "certificates, directory accounts). Open sessions stay: run irk kill USER.\n"
      "Shows the plan first; irk undo reverts it. Refuses to lock the operator.");
  return Command{app, [&globals, options] { return RunLock(globals, *options); }};
}

}  // namespace irk::cli
