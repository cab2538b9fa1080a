// What every containing command shares: the --yes/--dry-run/--force
// options, printing a plan, asking on a terminal, applying it and printing
// what each step did.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "contain/plan.h"

namespace irk::cli {

struct ApplyFlags {
  bool yes = false;      // apply without asking
  bool dry_run = false;  // only print the plan
  bool force = false;    // act on the operator's own account, address or session too
};

// Adds --yes, --dry-run and --force to `app`.
void AddApplyFlags(CLI::App* app, ApplyFlags& flags);

// Prints `plan`; then, with --dry-run, stops (kExitOk); without --yes asks
// on a terminal, or with no terminal exits kExitError saying to add --yes.
// Applies the plan in the case and prints each step's outcome. Returns
// kExitOk when every step was applied or already so, kExitError otherwise.
int ConfirmAndApply(const Globals& globals, CaseStore& store, const contain::Plan& plan,
                    const ApplyFlags& flags);

// Asks "QUESTION [y/N] " on the terminal; true for y or yes. False when
// stdin or stdout is no terminal.
bool AskOnTerminal(std::string_view question);

}  // namespace irk::cli
