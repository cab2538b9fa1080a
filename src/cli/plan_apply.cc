#include "cli/plan_apply.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "core/json.h"
#include "core/table.h"
#include "core/text.h"

namespace irk::cli {
namespace {

void PrintPlan(const Globals& globals, const contain::Plan& plan) {
  if (globals.json) {
    JsonArray steps;
    for (const auto& step : plan.steps) steps.Add(step.description);
    JsonArray notes;
    for (const auto& note : plan.notes) notes.Add(note);
    std::printf("%s\n", JsonObject()
                            .Add("type", "plan")
                            .Add("action", plan.action)
                            .Add("target", plan.target)
                            .Add("root", plan.root)
                            .Add("steps", steps)
                            .Add("open", notes)
                            .str()
                            .c_str());
    return;
  }
  const bool color = globals.Color();
  std::printf(
      "%s\n",
      Paint(fmt::format("Plan: {} {} on {} ({})", plan.action, EscapeForTerminal(plan.target),
                        plan.root == "/" ? "this host" : EscapeForTerminal(plan.root),
                        Counted(plan.steps.size(), "step")),
            Color::kBold, color)
          .c_str());
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    std::printf("  %2zu. %s\n", i + 1, EscapeForTerminal(plan.steps[i].description).c_str());
  }
  if (!plan.notes.empty()) {
    std::printf("\n%s\n",
                Paint("Still open (irk does not change these):", Color::kYellow, color).c_str());
    for (const auto& note : plan.notes) std::printf("  - %s\n", EscapeForTerminal(note).c_str());
  }
  std::fflush(stdout);
}

void PrintStep(const Globals& globals, const contain::JournaledStep& step) {
  if (globals.json) {
    std::printf("%s\n", JsonObject()
                            .Add("type", "step")
                            .Add("step", step.index)
                            .Add("description", step.description)
                            .Add("outcome", step.outcome)
                            .Add("detail", step.detail)
                            .str()
                            .c_str());
    return;
  }
  const Color color = step.outcome == "applied"   ? Color::kGreen
                      : step.outcome == "already" ? Color::kDim
                                                  : Color::kRed;
  std::string line =
      fmt::format("  {:>2}. {:<8} {}", step.index, Paint(step.outcome, color, globals.Color()),
                  EscapeForTerminal(step.description));
  if (!step.detail.empty()) line += " (" + EscapeForTerminal(step.detail) + ")";
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

void AddApplyFlags(CLI::App* app, ApplyFlags& flags) {
  app->add_flag("--yes,-y", flags.yes, "Apply without asking (needed when not on a terminal)");
  app->add_flag("--dry-run,-n", flags.dry_run, "Only print the plan; change nothing");
  app->add_flag("--force", flags.force,
                "Act even on the operator's own account, address or session");
}

bool AskOnTerminal(std::string_view question) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return false;
  std::printf("%.*s [y/N] ", static_cast<int>(question.size()), question.data());
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

int ConfirmAndApply(const Globals& globals, CaseStore& store, const contain::Plan& plan,
                    const ApplyFlags& flags) {
  PrintPlan(globals, plan);
  if (flags.dry_run) return kExitOk;
  if (!flags.yes) {
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
      return ReportError(Fail(
          "not applied: no terminal to ask on; add --yes to apply (or --dry-run to only see the "
          "plan)"));
    }
    if (!AskOnTerminal("\nApply this plan?")) {
      std::printf("Not applied.\n");
      return kExitOk;
    }
  }
  if (!globals.json) std::printf("\n");
  auto action = contain::ApplyPlan(
      store, plan, [&](const contain::JournaledStep& step) { PrintStep(globals, step); });
  if (!action.ok()) return ReportError(action.error());
  if (globals.json) {
    std::printf("%s\n", JsonObject()
                            .Add("type", "action")
                            .Add("action", action->id)
                            .Add("state", action->State())
                            .str()
                            .c_str());
  } else {
    std::printf(
        "\nAction %lld %s. Undo it with: irk undo %lld\n", static_cast<long long>(action->id),
        action->failed ? "applied with failures" : "applied", static_cast<long long>(action->id));
  }
  return action->failed ? kExitError : kExitOk;
}

}  // namespace irk::cli
