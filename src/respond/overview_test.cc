#include "respond/overview.h"

#include <gtest/gtest.h>

namespace irk::respond {
namespace {

class Journal {
 public:
  Journal& Add(std::string kind, std::string details) {
    JournalRecord record;
    record.seq = static_cast<int64_t>(records_.size()) + 1;
    record.time = "2026-11-27T13:" + std::to_string(10 + records_.size()) + ":00.000000Z";
    record.kind = std::move(kind);
    record.details_json = std::move(details);
    records_.push_back(std::move(record));
    return *this;
  }
  // A containing action of one step that recorded its undo; returns its id.
  int64_t Action(const std::string& action, const std::string& target, bool ended) {
    Add("contain.plan", R"({"action":")" + action + R"(","target":")" + target +
                            R"(","root":"/","steps":["do it"]})");
    const std::string id = std::to_string(records_.size());
    Add("contain.step.start", R"({"action":)" + id + R"(,"step":1,"undo":{"kind":"x"}})");
    if (ended) {
      Add("contain.step.end", R"({"action":)" + id + R"(,"step":1,"outcome":"applied"})");
      Add("contain.end", R"({"action":)" + id + R"(,"outcome":"applied"})");
    }
    return std::stoll(id);
  }
  const std::vector<JournalRecord>& records() const { return records_; }

 private:
  std::vector<JournalRecord> records_;
};

TEST(Overview, AFreshCaseHasOnlyTheProcedureLeftToBegin) {
  Journal journal;
  journal.Add("case.opened", "{}").Add("status", "{}");
  const auto overview = Overview(journal.records());
  EXPECT_EQ(overview.opened, "2026-11-27T13:10:00.000000Z");
  EXPECT_EQ(overview.records, 2u);
  EXPECT_EQ(overview.next_step, "triage");
  EXPECT_FALSE(overview.suspects);
  EXPECT_TRUE(overview.in_force.empty());
  EXPECT_TRUE(overview.watch.started.empty());
  ASSERT_EQ(overview.to_do.size(), 1u);
  EXPECT_NE(overview.to_do[0].find("irk respond"), std::string::npos);
}

TEST(Overview, ShowsTheStepsLeftTheSuspectsAndWhatIsContained) {
  Suspects suspects;
  suspects.addresses = {"203.0.113.7"};
  suspects.users = {"alice"};
  Journal journal;
  journal.Add("case.opened", "{}");
  journal.Add(std::string(kStepRecord), StepRecordJson("triage", "done", "", &suspects));
  const int64_t block = journal.Action("block", "203.0.113.7", true);
  const int64_t lock = journal.Action("lock", "alice", true);
  journal.Add("contain.undo.step",
              R"({"action":)" + std::to_string(lock) + R"(,"step":1,"outcome":"reverted"})");
  journal.Add("contain.undo.end", R"({"action":)" + std::to_string(lock) + "}");
  journal.Add(std::string(kStepRecord), StepRecordJson("contain", "done", "", nullptr));
  journal.Add(std::string(kStepRecord), StepRecordJson("watch", "skipped", "", nullptr));
  journal.Add(std::string(kStepRecord), StepRecordJson("entry", "later", "", nullptr));

  const auto overview = Overview(journal.records());
  EXPECT_EQ(overview.next_step, "entry");
  ASSERT_TRUE(overview.suspects);
  EXPECT_EQ(overview.suspects->users, std::vector<std::string>{"alice"});
  // The lock was undone: only the block is still in force.
  ASSERT_EQ(overview.in_force.size(), 1u);
  EXPECT_EQ(overview.in_force[0].id, block);
  EXPECT_EQ(overview.in_force[0].State(), "applied");
  // Left: entry (put off), hunt, assess, recover, report; never the done or
  // skipped ones.
  ASSERT_EQ(overview.to_do.size(), 5u);
  EXPECT_NE(overview.to_do[0].find("put off"), std::string::npos) << overview.to_do[0];
  EXPECT_NE(overview.to_do[0].find("irk respond --step entry"), std::string::npos);
  EXPECT_NE(overview.to_do[4].find("--step report"), std::string::npos);
}

TEST(Overview, AnActionCutShortComesFirstInWhatIsLeft) {
  Journal journal;
  journal.Add("case.opened", "{}");
  journal.Add(std::string(kStepRecord), StepRecordJson("triage", "done", "", nullptr));
  const int64_t id = journal.Action("lock", "mallory", /*ended=*/false);
  const auto overview = Overview(journal.records());
  ASSERT_EQ(overview.in_force.size(), 1u);
  EXPECT_EQ(overview.in_force[0].State(), "incomplete");
  ASSERT_FALSE(overview.to_do.empty());
  EXPECT_NE(overview.to_do[0].find("irk undo " + std::to_string(id)), std::string::npos)
      << overview.to_do[0];
}

TEST(Overview, CountsWatchAlertsAndKeepsTheNewestFirst) {
  Journal journal;
  journal.Add("case.opened", "{}");
  journal.Add("watch.start", "{}");
  for (int i = 0; i < 7; ++i) {
    journal.Add("watch.alert", R"({"type":"alert","time":"2026-11-27T13:0)" + std::to_string(i) +
                                   R"(:00+00:00","rule":"locked-user","summary":"alert )" +
                                   std::to_string(i) + R"("})");
  }
  journal.Add("watch.alert", "not json");
  auto overview = Overview(journal.records());
  EXPECT_EQ(overview.watch.alerts, 8u);
  ASSERT_EQ(overview.watch.newest.size(), kNewestAlerts);
  EXPECT_EQ(overview.watch.newest[0].summary, "alert 6");
  EXPECT_EQ(overview.watch.newest[0].rule, "locked-user");
  EXPECT_TRUE(overview.watch.stopped.empty());
  EXPECT_NE(overview.to_do[0].find("recorded no stop"), std::string::npos) << overview.to_do[0];

  journal.Add("watch.stop", "{}");
  overview = Overview(journal.records());
  EXPECT_FALSE(overview.watch.stopped.empty());
  EXPECT_EQ(overview.to_do[0].find("recorded no stop"), std::string::npos);
}

}  // namespace
}  // namespace irk::respond
