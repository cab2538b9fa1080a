// irk undo: revert containing actions from the journal, last step first.
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "contain/firewall.h"
#include "contain/plan.h"
#include "contain/undo.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"

namespace irk::cli {
namespace {

struct UndoOptions {
  std::optional<int64_t> id;
  bool last = false;
  bool all = false;
  bool list = false;
  ApplyFlags flags;
};

void ListActions(const Globals& globals, const std::vector<contain::Action>& actions) {
  if (globals.json) {
    for (const auto& a : actions) {
      std::printf("%s\n", JsonObject()
                              .Add("type", "action")
                              .Add("action", a.id)
                              .Add("time", a.time)
                              .Add("command", a.action)
                              .Add("target", a.target)
                              .Add("root", a.root)
                              .Add("state", a.State())
                              .Add("steps", a.steps.size())
                              .str()
                              .c_str());
    }
    return;
  }
  if (actions.empty()) {
    std::printf("No containing actions in this case.\n");
    return;
  }
  Table table({"ID", "TIME (UTC)", "ACTION", "TARGET", "ROOT", "STEPS", "STATE"});
  for (const auto& a : actions) {
    const Color color = a.State() == "incomplete" ? Color::kRed
                        : a.State() == "undone"   ? Color::kDim
                                                  : Color::kNone;
    table.AddRow({std::to_string(a.id), a.time.substr(0, 19), a.action, a.target, a.root,
                  std::to_string(a.steps.size()), Cell(a.State(), color)});
  }
  std::printf("%s", table.Render(globals.Color()).c_str());
}

void PrintUndoStep(const Globals& globals, int64_t action, const contain::JournaledStep& step) {
  if (globals.json) {
    std::printf("%s\n", JsonObject()
                            .Add("type", "undo")
                            .Add("action", action)
                            .Add("step", step.index)
                            .Add("description", step.description)
                            .Add("outcome", step.undo_outcome)
                            .Add("detail", step.undo_detail)
                            .str()
                            .c_str());
    return;
  }
  const Color color = step.undo_outcome == "reverted" ? Color::kGreen
                      : step.undo_outcome == "failed" ? Color::kRed
                                                      : Color::kYellow;
  std::string line = fmt::format("  {}.{:<2} {:<12} {}", action, step.index,
                                 Paint(step.undo_outcome, color, globals.Color()),
                                 EscapeForTerminal(step.description));
  if (!step.undo_detail.empty()) line += " (" + EscapeForTerminal(step.undo_detail) + ")";
  std::printf("%s\n", line.c_str());
}

int RunUndo(const Globals& globals, const UndoOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto records = store->Records();
  if (!records.ok()) return ReportError(records.error());
  const auto actions = contain::ReadActions(*records);
  if (options.list) {
    ListActions(globals, actions);
    return kExitOk;
  }

  std::vector<contain::Action> chosen;
  if (options.id) {
    for (const auto& a : actions) {
      if (a.id == *options.id) chosen.push_back(a);
    }
    if (chosen.empty()) {
      return ReportError(Fail(
          fmt::format("no action {} in this case; `irk undo --list` shows them", *options.id)));
    }
  } else if (options.last || options.all) {
    // Newest first: a later action may build on an earlier one.
    for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
      if (!it->HasSomethingToUndo()) continue;
      chosen.push_back(*it);
      if (options.last) break;
    }
  } else {
    return ReportError(Fail("say what to undo: an action ID, --last or --all (`irk undo --list`)"));
  }

  size_t to_revert = 0;
  for (const auto& a : chosen) {
    for (const auto& step : a.steps) {
      if (!step.undo_json.empty() && step.undo_outcome != "reverted" &&
          step.undo_outcome != "already" && step.undo_outcome != "irreversible") {
        ++to_revert;
      }
    }
  }
  if (to_revert == 0) {
    if (!globals.json) std::printf("Nothing to undo: every step is reverted already.\n");
    return kExitOk;
  }
  if (!globals.json) {
    std::printf("Undo, last step first:\n");
    for (const auto& a : chosen) {
      std::printf("  action %lld: %s %s (%s, %s)\n", static_cast<long long>(a.id), a.action.c_str(),
                  EscapeForTerminal(a.target).c_str(), a.State().c_str(),
                  EscapeForTerminal(a.root).c_str());
    }
  }
  if (options.flags.dry_run) return kExitOk;
  if (!options.flags.yes && !AskOnTerminal("Revert these actions?")) {
    if (!isatty(STDIN_FILENO)) {
      return ReportError(Fail("not undone: no terminal to ask on; add --yes"));
    }
    std::printf("Not undone.\n");
    return kExitOk;
  }

  bool all_done = true;
  for (const auto& a : chosen) {
    auto files = contain::HostFiles::Open(a.root.empty() ? "/" : a.root);
    if (!files.ok()) return ReportError(files.error().Wrap(fmt::format("undo action {}", a.id)));
    // Actions on an image never touched the firewall; this host's is opened
    // for those that did.
    auto firewall = contain::OpenNftables();
    contain::Firewall* wall = firewall.ok() ? firewall->get() : nullptr;
    const contain::Reverter revert = [&files, wall](std::string_view recipe) {
      return contain::Revert(*files, wall, recipe);
    };
    auto undone = contain::UndoAction(*store, a, revert, [&](const contain::JournaledStep& step) {
      PrintUndoStep(globals, a.id, step);
    });
    if (!undone.ok()) return ReportError(undone.error());
    all_done = all_done && undone->undone;
  }
  if (!all_done) {
    return ReportError(
        Fail("some steps were not reverted (see above); fix them and run irk undo "
             "again: it retries only what is left"));
  }
  return kExitOk;
}

}  // namespace

Command AddUndoCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<UndoOptions>();
  auto* app = parent.add_subcommand("undo", "Revert what lock, kill, block or isolate did");
  app->add_option("id", options->id, "The action to revert (irk undo --list shows them)");
  app->add_flag("--last", options->last, "The newest action that has something to revert");
  app->add_flag("--all", options->all, "Every action, newest first");
  app->add_flag("--list", options->list, "List the actions of this case and their state");
  AddApplyFlags(app, options->flags);
  app->footer(
      "Each step journaled, before it ran, the exact way back (old bytes, mode,\n"
      "owner, values); undo follows it last step first and checks the result (a\n"
      "file back byte for byte). A step already reverted by hand is reported, not\n"
      "an error; run undo again after a failure and it retries only what is left.\n"
      "An action cut short by a crash shows as incomplete and is undone the same way.");
  return Command{app, [&globals, options] { return RunUndo(globals, *options); }};
}

}  // namespace irk::cli
