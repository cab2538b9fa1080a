#include "contain/plan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json.h"

namespace irk::contain {
namespace {

constexpr std::string_view kPlanRecord = "contain.plan";
constexpr std::string_view kStepStartRecord = "contain.step.start";
constexpr std::string_view kStepEndRecord = "contain.step.end";
constexpr std::string_view kEndRecord = "contain.end";
constexpr std::string_view kUndoStepRecord = "contain.undo.step";
constexpr std::string_view kUndoEndRecord = "contain.undo.end";

std::string OutcomeName(StepOutcome outcome) {
  switch (outcome) {
    case StepOutcome::kApplied:
      return "applied";
    case StepOutcome::kAlreadyDone:
      return "already";
    case StepOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

// The step after which the test hook ends the process, or 0 for none.
size_t CrashAfterStep() {
  const char* value = std::getenv("IRK_TEST_CRASH_AFTER_STEP");
  if (value == nullptr) return 0;
  size_t step = 0;
  const std::string_view text(value);
  std::from_chars(text.data(), text.data() + text.size(), step);
  return step;
}

class JournalContext : public StepContext {
 public:
  JournalContext(CaseStore& store, int64_t action, size_t step)
      : store_(store), action_(action), step_(step) {}

  Status Record(std::string_view undo_json) override {
    JsonObject details;
    details.Add("action", action_).Add("step", step_).AddRaw("undo", undo_json);
    auto record = store_.Append(kStepStartRecord, details.str());
    if (!record.ok()) return record.error();
    recorded_ = std::string(undo_json);
    return Ok();
  }

  Result<std::filesystem::path> Keep(std::string_view name) override {
    const auto dir = store_.dir() / "contain" / std::to_string(action_);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Fail(fmt::format("create {}: {}", dir.string(), ec.message()));
    std::filesystem::permissions(dir.parent_path(), std::filesystem::perms::owner_all, ec);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    // Names from the examined system may hold anything; keep only safe bytes.
    std::string safe;
    for (const char c : name) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      safe += plain ? c : '_';
    }
    if (safe.size() > 80) safe.resize(80);
    for (int n = 0;; ++n) {
      auto path = dir / fmt::format("{}-{}{}{}", step_, safe, n == 0 ? "" : ".",
                                    n == 0 ? "" : std::to_string(n));
      if (!std::filesystem::exists(std::filesystem::symlink_status(path))) return path;
    }
  }

  const std::string& recorded() const { return recorded_; }

 private:
  CaseStore& store_;
  int64_t action_;
  size_t step_;
  std::string recorded_;
};

std::optional<nlohmann::json> ParseObject(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

std::string StringField(const nlohmann::json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntField(const nlohmann::json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

}  // namespace

std::string Action::State() const {
  if (undone) return "undone";
  if (!ended) return "incomplete";
  return failed ? "failed" : "applied";
}

bool Action::HasSomethingToUndo() const {
  for (const auto& step : steps) {
    if (!step.undo_json.empty() && step.undo_outcome != "reverted" &&
        step.undo_outcome != "already" && step.undo_outcome != "irreversible") {
      return true;
    }
  }
  return false;
}

std::vector<Action> ReadActions(const std::vector<JournalRecord>& records) {
  std::vector<Action> actions;
  std::map<int64_t, size_t> by_id;
  auto step_of = [&](const nlohmann::json& details) -> JournaledStep* {
    const auto found = by_id.find(IntField(details, "action"));
    if (found == by_id.end()) return nullptr;
    auto& steps = actions[found->second].steps;
    const int64_t index = IntField(details, "step");
    if (index < 1 || static_cast<size_t>(index) > steps.size()) return nullptr;
    return &steps[static_cast<size_t>(index) - 1];
  };
  for (const auto& record : records) {
    if (!record.kind.starts_with("contain.")) continue;
    const auto details = ParseObject(record.details_json);
    if (!details) continue;
    if (record.kind == kPlanRecord) {
      Action action;
      action.id = record.seq;
      action.time = record.time;
      action.action = StringField(*details, "action");
      action.target = StringField(*details, "target");
      action.root = StringField(*details, "root");
      const auto steps = details->find("steps");
      if (steps != details->end() && steps->is_array()) {
        for (const auto& description : *steps) {
          JournaledStep step;
          step.index = action.steps.size() + 1;
          step.description = description.is_string() ? description.get<std::string>() : "";
          action.steps.push_back(std::move(step));
        }
      }
      by_id[action.id] = actions.size();
      actions.push_back(std::move(action));
    } else if (record.kind == kStepStartRecord) {
      if (auto* step = step_of(*details)) {
        const auto undo = details->find("undo");
        if (undo != details->end() && undo->is_object()) step->undo_json = undo->dump();
      }
    } else if (record.kind == kStepEndRecord) {
      if (auto* step = step_of(*details)) {
        step->outcome = StringField(*details, "outcome");
        step->detail = StringField(*details, "detail");
      }
    } else if (record.kind == kUndoStepRecord) {
      if (auto* step = step_of(*details)) {
        step->undo_outcome = StringField(*details, "outcome");
        step->undo_detail = StringField(*details, "detail");
      }
    } else {
      const auto found = by_id.find(IntField(*details, "action"));
      if (found == by_id.end()) continue;
      auto& action = actions[found->second];
      if (record.kind == kEndRecord) {
        action.ended = true;
        action.failed = StringField(*details, "outcome") == "failed";
      } else if (record.kind == kUndoEndRecord) {
        action.undone = !action.HasSomethingToUndo();
      }
    }
  }
  return actions;
}

Result<Action> ApplyPlan(CaseStore& store, const Plan& plan,
                         const std::function<void(const JournaledStep&)>& progress) {
  JsonArray descriptions;
  for (const auto& step : plan.steps) descriptions.Add(step.description);
  JsonObject details;
  details.Add("action", plan.action)
      .Add("target", plan.target)
      .Add("root", plan.root)
      .Add("steps", descriptions);
  auto record = store.Append(kPlanRecord, details.str());
  if (!record.ok()) return record.error();

  Action action;
  action.id = record->seq;
  action.time = record->time;
  action.action = plan.action;
  action.target = plan.target;
  action.root = plan.root;
  const size_t crash_after = CrashAfterStep();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    JournaledStep step;
    step.index = i + 1;
    step.description = plan.steps[i].description;
    JournalContext context(store, action.id, step.index);
    const StepResult result = plan.steps[i].apply(context);
    step.undo_json = context.recorded();
    step.outcome = OutcomeName(result.outcome);
    step.detail = result.detail;
    action.failed = action.failed || result.outcome == StepOutcome::kFailed;
    JsonObject end;
    end.Add("action", action.id)
        .Add("step", step.index)
        .Add("outcome", step.outcome)
        .Add("detail", step.detail);
    if (auto ended = store.Append(kStepEndRecord, end.str()); !ended.ok()) return ended.error();
    if (progress) progress(step);
    action.steps.push_back(std::move(step));
    if (crash_after == i + 1) _exit(99);
  }
  JsonObject end;
  end.Add("action", action.id).Add("outcome", action.failed ? "failed" : "done");
  if (auto ended = store.Append(kEndRecord, end.str()); !ended.ok()) return ended.error();
  action.ended = true;
  return action;
}

Result<Action> UndoAction(CaseStore& store, const Action& action, const Reverter& revert,
                          const std::function<void(const JournaledStep&)>& progress) {
  Action result = action;
  for (auto it = result.steps.rbegin(); it != result.steps.rend(); ++it) {
    auto& step = *it;
    if (step.undo_json.empty() || step.undo_outcome == "reverted" ||
        step.undo_outcome == "already" || step.undo_outcome == "irreversible") {
      continue;
    }
    const UndoResult undone = revert(step.undo_json);
    step.undo_outcome = undone.outcome;
    step.undo_detail = undone.detail;
    JsonObject details;
    details.Add("action", action.id)
        .Add("step", step.index)
        .Add("outcome", undone.outcome)
        .Add("detail", undone.detail);
    if (auto record = store.Append(kUndoStepRecord, details.str()); !record.ok()) {
      return record.error();
    }
    if (progress) progress(step);
  }
  result.undone = !result.HasSomethingToUndo();
  JsonObject end;
  end.Add("action", action.id).Add("outcome", result.undone ? "done" : "partial");
  if (auto record = store.Append(kUndoEndRecord, end.str()); !record.ok()) return record.error();
  return result;
}

}  // namespace irk::contain
