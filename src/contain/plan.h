// Plans and their journal. Every containing command (lock, kill, block,
// isolate) builds a Plan: data that can be printed, applied and, from the
// journal alone, undone. Each step journals the recipe of its own undo
// before it changes anything, so a crash leaves a journal from which
// `irk undo` reverts whatever was begun.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_store.h"
#include "core/result.h"

namespace irk::contain {

// What a step's apply found and did.
enum class StepOutcome {
  kApplied,      // it changed the system
  kAlreadyDone,  // the system was already so: nothing changed, nothing to undo
  kFailed,       // it could not (the detail says why); later steps still run
};

struct StepResult {
  StepOutcome outcome = StepOutcome::kApplied;
  std::string detail;  // one line for the operator; may be empty
};

// What the engine offers a running step.
class StepContext {
 public:
  virtual ~StepContext() = default;
  // Journals `undo_json` (a JSON object whose "kind" names the reverse
  // operation, see undo.h) before the step changes anything. A step that
  // records nothing has nothing to undo.
  virtual Status Record(std::string_view undo_json) = 0;
  // A fresh path inside the case (its folder created, 0700) where the step
  // keeps a file: a saved copy, or something moved aside. `name` is a hint.
  virtual Result<std::filesystem::path> Keep(std::string_view name) = 0;
};

struct Step {
  std::string description;  // one line: "expire alice and lock her password in /etc/shadow"
  std::function<StepResult(StepContext&)> apply;
};

struct Plan {
  std::string action;              // "lock", "kill", "block", "isolate"
  std::string target;              // what it acts on: "alice", "203.0.113.7"
  std::string root = "/";          // the system the steps change ("/": this host)
  std::vector<Step> steps;         // applied in order
  std::vector<std::string> notes;  // what the plan cannot do itself, for the operator
};

// One step of an action as the journal records it.
struct JournaledStep {
  size_t index = 0;  // 1-based, as printed
  std::string description;
  std::string undo_json;     // the recipe, "" when the step recorded none
  std::string outcome;       // "applied", "already", "failed", "" when it never ended
  std::string detail;        // from the apply
  std::string undo_outcome;  // "reverted", "already", "irreversible", "failed", "" when not undone
  std::string undo_detail;
};

// An action rebuilt from the journal.
struct Action {
  int64_t id = 0;  // the journal seq of its "contain.plan" record
  std::string time;
  std::string action;
  std::string target;
  std::string root;
  std::vector<JournaledStep> steps;
  bool ended = false;   // its apply ran to the end (else it crashed or was killed)
  bool undone = false;  // an undo ran to the end and left nothing to revert
  bool failed = false;  // a step failed

  // "applied", "incomplete" (a crash mid-apply), "failed", "undone".
  std::string State() const;
  // Steps that recorded an undo recipe and are not yet reverted.
  bool HasSomethingToUndo() const;
};

// Rebuilds every action from the journal's records, oldest first. Records of
// other kinds are ignored, and so are contain records that do not parse.
std::vector<Action> ReadActions(const std::vector<JournalRecord>& records);

// Applies `plan`, journaling it as a new action. `progress` is called after
// each step ends. The test hook IRK_TEST_CRASH_AFTER_STEP=k ends the process
// with _exit(99) right after step k has ended, as a crash would.
Result<Action> ApplyPlan(CaseStore& store, const Plan& plan,
                         const std::function<void(const JournaledStep&)>& progress);

// What reverting one recipe found and did.
struct UndoResult {
  std::string outcome;  // "reverted", "already" (reverted by hand), "irreversible", "failed"
  std::string detail;
};

// Reverts one recipe (a JSON object from StepContext::Record).
using Reverter = std::function<UndoResult(std::string_view undo_json)>;

// Reverts every step of `action` that has a recipe and is not yet reverted,
// last step first, journaling each; returns the action as it now stands.
// Re-running it after a failure retries what failed.
Result<Action> UndoAction(CaseStore& store, const Action& action, const Reverter& revert,
                          const std::function<void(const JournaledStep&)>& progress);

}  // namespace irk::contain
