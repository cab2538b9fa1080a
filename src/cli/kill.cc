// irk kill USER|PID|TTY: freeze, snapshot and kill a user's processes, a
// process tree, or the sessions on a terminal.
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "contain/kill.h"
#include "core/passwd.h"
#include "core/root.h"

namespace irk::cli {
namespace {

struct KillOptions {
  std::string target;
  ApplyFlags flags;
};

Result<contain::KillSelector> ParseTarget(const std::string& target) {
  contain::KillSelector selector;
  int pid = 0;
  const auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), pid);
  if (ec == std::errc() && end == target.data() + target.size()) {
    if (pid <= 1) return Fail(fmt::format("refusing to kill pid {}", target));
    selector.pid = pid;
    return selector;
  }
  if (target.starts_with("pts/") || target.starts_with("tty")) {
    selector.tty = target;
    return selector;
  }
  auto root = Root::Open("/");
  if (!root.ok()) return root.error();
  auto passwd = root->ReadFile("/etc/passwd", 16 << 20);
  if (!passwd.ok()) return passwd.error();
  const auto user = FindByName(ParsePasswd(*passwd), target);
  if (!user) {
    return Fail(fmt::format(
        "no local account {} in /etc/passwd (a directory account? give its processes' PIDs)",
        target));
  }
  if (user->uid == 0) return Fail("refusing to kill every process of root");
  selector.uid = user->uid;
  selector.user = user->name;
  return selector;
}

int RunKill(const Globals& globals, const KillOptions& options) {
  if (!globals.LiveHost()) {
    return ReportError(Fail("irk kill acts on this host's processes; --root does not apply"));
  }
  auto selector = ParseTarget(options.target);
  if (!selector.ok()) return ReportError(selector.error());
  const auto processes = ReadProcesses("/proc");
  const auto chosen = contain::SelectProcesses(processes, *selector, getpid());
  if (!options.flags.force) {
    // The operator's own shell, sshd and terminal are irk's ancestors.
    for (const int pid : contain::Lineage(processes, getpid())) {
      if (std::find(chosen.begin(), chosen.end(), pid) != chosen.end()) {
        return ReportError(Fail(fmt::format(
            "refusing: {} includes process {}, an ancestor of this irk (your own session); add "
            "--force if you really mean it",
            options.target, pid)));
      }
    }
  }
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  contain::Plan plan;
  plan.action = "kill";
  plan.target = options.target;
  plan.steps.push_back(contain::KillStep(
      *selector, fmt::format("freeze, snapshot and kill the {} processes of {} now (and any they "
                             "fork meanwhile)",
                             chosen.size(), options.target)));
  plan.notes.push_back(
      "killing does not keep them out: lock the account (irk lock) or block the address "
      "(irk block) first, or they log in again");
  return ConfirmAndApply(globals, *store, plan, options.flags);
}

}  // namespace

Command AddKillCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<KillOptions>();
  auto* app = parent.add_subcommand("kill", "Freeze and kill a user's processes and sessions");
  app->add_option("target", options->target,
                  "A user name, a PID (with its descendants) or a terminal (pts/3)")
      ->required();
  AddApplyFlags(app, options->flags);
  app->footer(
      "Selects every process whose real, effective, saved or filesystem uid is the\n"
      "user's, or whose loginuid is (that follows sudo and su), and the root\n"
      "'sshd: USER [priv]' monitors, so connections and multiplexed channels drop.\n"
      "Stops them (SIGSTOP) and scans again until no new one appears, so a fork\n"
      "loop cannot outrun it; journals each one (pid, command line, exe, cwd, TCP\n"
      "connections); then SIGKILLs them and reports any survivor. Refuses to kill\n"
      "the operator's own session without --force. Cannot be undone.");
  return Command{app, [&globals, options] { return RunKill(globals, *options); }};
}

}  // namespace irk::cli
