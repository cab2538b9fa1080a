#include "respond/procedure.h"

#include <gtest/gtest.h>

namespace irk::respond {
namespace {

JournalRecord Record(std::string kind, std::string details, std::string time = "t") {
  JournalRecord record;
  record.kind = std::move(kind);
  record.details_json = std::move(details);
  record.time = std::move(time);
  return record;
}

TEST(ReadProgress, GivesEveryStepInOrderWithTheNewestOutcome) {
  const std::vector<JournalRecord> records = {
      Record("respond.step", StepRecordJson("contain", "failed", "lock alice", nullptr), "1"),
      Record("status", "{}"),
      Record("respond.step", StepRecordJson("triage", "done", "", nullptr), "2"),
      Record("respond.step", StepRecordJson("contain", "done", "", nullptr), "3"),
  };
  const auto progress = ReadProgress(records);
  ASSERT_EQ(progress.size(), Steps().size());
  EXPECT_EQ(progress[0].step, "triage");
  EXPECT_EQ(progress[0].outcome, "done");
  EXPECT_EQ(progress[1].outcome, "done");
  EXPECT_EQ(progress[1].time, "3");
  EXPECT_EQ(progress[2].outcome, "");
  EXPECT_EQ(NextStep(progress), "watch");
}

TEST(ReadProgress, IgnoresUnknownStepsAndBrokenRecords) {
  const std::vector<JournalRecord> records = {
      Record("respond.step", R"({"step":"dance","outcome":"done"})"),
      Record("respond.step", "not json"),
      Record("respond.step", R"(["triage"])"),
  };
  const auto progress = ReadProgress(records);
  for (const auto& step : progress) EXPECT_EQ(step.outcome, "") << step.step;
  EXPECT_EQ(NextStep(progress), "triage");
}

TEST(NextStep, PassesOverSkippedStepsButNotFailedOrLaterOnes) {
  std::vector<StepProgress> progress;
  for (const auto& step : Steps()) progress.push_back({std::string(step.name), "done", "", ""});
  EXPECT_EQ(NextStep(progress), std::nullopt);
  progress[2].outcome = "skipped";
  EXPECT_EQ(NextStep(progress), std::nullopt);
  progress[3].outcome = "later";
  EXPECT_EQ(NextStep(progress), "entry");
  progress[1].outcome = "failed";
  EXPECT_EQ(NextStep(progress), "contain");
}

TEST(FindSuspects, TakesUnusualSessionsAndSourcesWithManyFailures) {
  const std::string who =
      R"({"type":"session","user":"alice","addr":"203.0.113.7","source_verdict":"never-seen"})"
      "\n"
      R"({"type":"session","user":"bob","addr":"198.51.100.4","source_verdict":"usual"})"
      "\n"
      R"({"type":"session","user":"carol","addr":"2001:db8::5","source_verdict":"new-network"})"
      "\n";
  const std::string status = R"({"type":"failed_source","source":"192.0.2.9","count":25})"
                             "\n"
                             R"({"type":"failed_source","source":"192.0.2.10","count":3})"
                             "\n"
                             R"({"type":"status","host":"web1"})"
                             "\n";
  const std::string logins =
      R"({"type":"source","user":"dave","source":"192.0.2.9","successes":1,"failures":25})"
      "\n"
      R"({"type":"source","user":"erin","source":"192.0.2.9","successes":0,"failures":3})"
      "\n"
      R"({"type":"source","user":"frank","source":"198.51.100.4","successes":9})"
      "\n";
  const auto suspects = FindSuspects(who, status, logins, 10);
  EXPECT_EQ(suspects.addresses,
            (std::vector<std::string>{"192.0.2.9", "2001:db8::5", "203.0.113.7"}));
  EXPECT_EQ(suspects.users, (std::vector<std::string>{"alice", "carol", "dave"}));
  ASSERT_EQ(suspects.reasons.size(), 4u);
  EXPECT_EQ(suspects.reasons[0], "alice is on from 203.0.113.7: never-seen");
  EXPECT_EQ(suspects.reasons[2], "192.0.2.9: 25 failed logins in the last 24 hours");
  EXPECT_EQ(suspects.reasons[3], "dave logged in from 192.0.2.9 1 times");
}

TEST(FindSuspects, NeverTakesWhatCouldActAsAnOptionOrIsNoAddress) {
  const std::string who =
      R"({"type":"session","user":"--force","addr":"--all","source_verdict":"never-seen"})"
      "\n"
      R"({"type":"session","user":"a b","addr":"evil.example","source_verdict":"never-seen"})"
      "\n";
  const std::string status = R"({"type":"failed_source","source":"-rf","count":99})"
                             "\n"
                             R"({"type":"failed_source","source":"192.0.2.1","count":"99"})"
                             "\n";
  const auto suspects = FindSuspects(who, status, "", 10);
  EXPECT_TRUE(suspects.addresses.empty());
  EXPECT_TRUE(suspects.users.empty());
}

TEST(RecordedSuspects, ReadsTheNewestTriage) {
  Suspects first{{"192.0.2.1"}, {"alice"}, {}};
  Suspects second{{"192.0.2.2", "192.0.2.3"}, {}, {}};
  const std::vector<JournalRecord> records = {
      Record("respond.step", StepRecordJson("triage", "done", "", &first)),
      Record("respond.step", StepRecordJson("triage", "done", "", &second)),
      Record("respond.step", StepRecordJson("contain", "done", "", nullptr)),
  };
  const auto found = RecordedSuspects(records);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->addresses, second.addresses);
  EXPECT_TRUE(found->users.empty());
  EXPECT_FALSE(RecordedSuspects({}));
}

}  // namespace
}  // namespace irk::respond
