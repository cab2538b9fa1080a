// The procedure `irk respond` walks: its steps in order, where a case
// stands (read back from the journal), and the suspects that triage finds
// in irk's own JSON output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_store.h"

namespace irk::respond {

struct StepInfo {
  std::string_view name;     // "triage", as --step and the plan file name it
  std::string_view title;    // one line for the operator
  std::string_view purpose;  // what the step is for, from the procedure
};

// Every step, in the order of the procedure.
const std::vector<StepInfo>& Steps();
const StepInfo* FindStep(std::string_view name);

// The journal kind of a step's record; its details: {"step", "outcome",
// "detail", and for triage "suspects": {"addresses": [...], "users": [...]}}.
inline constexpr std::string_view kStepRecord = "respond.step";

struct StepProgress {
  std::string step;
  std::string outcome;  // "done", "skipped", "later", or "" when never reached
  std::string time;     // of the newest record, "" when none
  std::string detail;
};

// One entry per step, in procedure order; the newest record of a step wins.
// Records of other kinds, and respond records that do not parse, are ignored.
std::vector<StepProgress> ReadProgress(const std::vector<JournalRecord>& records);

// The first step neither done nor skipped, or nullopt when all are.
std::optional<std::string> NextStep(const std::vector<StepProgress>& progress);

struct Suspects {
  std::vector<std::string> addresses;  // sorted, unique
  std::vector<std::string> users;      // sorted, unique
  std::vector<std::string> reasons;    // one line each, for the operator
};

// Suspects from `irk who --json` (sessions whose source is new-for-user,
// new-network or never-seen: their address and user), `irk status --json`
// (failed_source lines with at least `failure_threshold` failures: the
// address) and `irk logins --json` (users who logged in successfully from
// a suspect address). Lines that are not JSON objects are ignored.
Suspects FindSuspects(std::string_view who_json, std::string_view status_json,
                      std::string_view logins_json, int failure_threshold);

// The suspects recorded by the newest triage record, if any.
std::optional<Suspects> RecordedSuspects(const std::vector<JournalRecord>& records);

// The details of a step record (a JSON object); `suspects` only for triage.
std::string StepRecordJson(std::string_view step, std::string_view outcome, std::string_view detail,
                           const Suspects* suspects);

}  // namespace irk::respond
