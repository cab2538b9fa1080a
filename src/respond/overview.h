// Where a case stands, read from its journal alone: the step of the
// procedure, what is contained now, what watch has seen, and what is left
// to do. `irk status` prints it above the host's sessions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "contain/plan.h"
#include "core/case_store.h"
#include "respond/procedure.h"

namespace irk::respond {

struct WatchAlertSeen {
  std::string time;  // the alert's own time (of its log line)
  std::string rule;
  std::string summary;
};

struct WatchSummary {
  std::string started;  // the newest watch.start record's time, "" when watch never ran
  std::string stopped;  // the watch.stop after it, "" when none: running, or killed
  size_t alerts = 0;    // every watch.alert of the case
  std::vector<WatchAlertSeen> newest;  // at most kNewestAlerts, newest first
};

struct CaseOverview {
  std::string opened;  // the case.opened record's time
  size_t records = 0;
  std::vector<StepProgress> progress;  // every step, in procedure order
  std::optional<std::string> next_step;
  std::optional<Suspects> suspects;  // from the newest triage record
  // Actions not undone with something left to undo, and those cut short.
  std::vector<contain::Action> in_force;
  WatchSummary watch;
  std::vector<std::string> to_do;  // one line each, most urgent first
};

inline constexpr size_t kNewestAlerts = 5;

// Pure: records of other kinds, and details that do not parse, are ignored.
CaseOverview Overview(const std::vector<JournalRecord>& records);

}  // namespace irk::respond
