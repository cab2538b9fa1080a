#include "contain/plan.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/testing/temp_dir.h"

namespace irk::contain {
namespace {

// A step that records `name` as its recipe and appends it to `log`.
Step Recording(std::string name, std::vector<std::string>& log,
               StepOutcome outcome = StepOutcome::kApplied) {
  return Step{
      "step " + name, [name, &log, outcome](StepContext& context) {
        if (outcome == StepOutcome::kAlreadyDone) return StepResult{outcome, "already"};
        if (!context.Record(JsonObject().Add("kind", "test").Add("name", name).str()).ok()) {
          return StepResult{StepOutcome::kFailed, "journal"};
        }
        log.push_back(name);
        return StepResult{outcome, ""};
      }};
}

std::string NameOf(std::string_view recipe) {
  const std::string key = "\"name\":\"";
  const size_t at = recipe.find(key) + key.size();
  return std::string(recipe.substr(at, recipe.find('"', at) - at));
}

class PlanTest : public ::testing::Test {
 protected:
  CaseStore Open() {
    auto store = CaseStore::Open(dir_.path() / "case", Actor{"{}", "irk test"});
    EXPECT_TRUE(store.ok()) << store.error().message;
    return std::move(store).value();
  }
  testing::TempDir dir_;
};

TEST_F(PlanTest, JournalsEachStepAndRebuildsTheActionFromTheJournal) {
  auto store = Open();
  std::vector<std::string> log;
  Plan plan{"lock", "alice", "/", {}, {}};
  plan.steps.push_back(Recording("a", log));
  plan.steps.push_back(Recording("b", log, StepOutcome::kAlreadyDone));
  plan.steps.push_back(Recording("c", log, StepOutcome::kFailed));
  auto applied = ApplyPlan(store, plan, nullptr);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(log, (std::vector<std::string>{"a", "c"}));

  const auto actions = ReadActions(*store.Records());
  ASSERT_EQ(actions.size(), 1u);
  const Action& action = actions[0];
  EXPECT_EQ(action.id, applied->id);
  EXPECT_EQ(action.action, "lock");
  EXPECT_EQ(action.target, "alice");
  EXPECT_EQ(action.State(), "failed");
  ASSERT_EQ(action.steps.size(), 3u);
  EXPECT_EQ(action.steps[0].outcome, "applied");
  EXPECT_EQ(NameOf(action.steps[0].undo_json), "a");
  EXPECT_EQ(action.steps[1].outcome, "already");
  EXPECT_EQ(action.steps[1].undo_json, "");
  EXPECT_EQ(action.steps[2].outcome, "failed");
  EXPECT_TRUE(store.Verify()->intact);
}

TEST_F(PlanTest, UndoRevertsLastStepFirstAndIsRerunnable) {
  auto store = Open();
  std::vector<std::string> log;
  Plan plan{"lock", "alice", "/", {Recording("a", log), Recording("b", log)}, {}};
  ASSERT_TRUE(ApplyPlan(store, plan, nullptr).ok());
  auto action = ReadActions(*store.Records()).at(0);

  std::vector<std::string> reverted;
  bool fail_a = true;
  const Reverter revert = [&](std::string_view recipe) {
    const std::string name = NameOf(recipe);
    if (name == "a" && fail_a) return UndoResult{"failed", "busy"};
    reverted.push_back(name);
    return UndoResult{"reverted", ""};
  };
  auto first = UndoAction(store, action, revert, nullptr);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(reverted, (std::vector<std::string>{"b"}));
  EXPECT_FALSE(first->undone);
  action = ReadActions(*store.Records()).at(0);
  EXPECT_EQ(action.State(), "applied");
  EXPECT_TRUE(action.HasSomethingToUndo());

  fail_a = false;
  ASSERT_TRUE(UndoAction(store, action, revert, nullptr).ok());
  EXPECT_EQ(reverted, (std::vector<std::string>{"b", "a"}));
  action = ReadActions(*store.Records()).at(0);
  EXPECT_EQ(action.State(), "undone");
  EXPECT_FALSE(action.HasSomethingToUndo());
}

TEST_F(PlanTest, AnApplyThatNeverEndedIsIncomplete) {
  auto store = Open();
  std::vector<std::string> log;
  Plan plan{"lock", "alice", "/", {Recording("a", log), Recording("b", log)}, {}};
  const pid_t child = fork();
  if (child == 0) {
    setenv("IRK_TEST_CRASH_AFTER_STEP", "1", 1);
    auto crashing = Open();
    (void)ApplyPlan(crashing, plan, nullptr);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 99);

  const auto actions = ReadActions(*store.Records());
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].State(), "incomplete");
  EXPECT_EQ(actions[0].steps[0].outcome, "applied");
  EXPECT_EQ(actions[0].steps[1].outcome, "");
  EXPECT_TRUE(actions[0].HasSomethingToUndo());
}

}  // namespace
}  // namespace irk::contain
