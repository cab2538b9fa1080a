#include "respond/overview.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace irk::respond {
namespace {

std::string Text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

WatchSummary ReadWatch(const std::vector<JournalRecord>& records) {
  WatchSummary watch;
  for (const auto& record : records) {
    if (record.kind == "watch.start") {
      watch.started = record.time;
      watch.stopped.clear();
    } else if (record.kind == "watch.stop") {
      if (!watch.started.empty()) watch.stopped = record.time;
    } else if (record.kind == "watch.alert") {
      ++watch.alerts;
      const auto details = nlohmann::json::parse(record.details_json, nullptr, false);
      if (!details.is_object()) continue;
      watch.newest.push_back(
          {Text(details, "time"), Text(details, "rule"), Text(details, "summary")});
    }
  }
  std::reverse(watch.newest.begin(), watch.newest.end());
  if (watch.newest.size() > kNewestAlerts) watch.newest.resize(kNewestAlerts);
  return watch;
}

std::vector<std::string> ToDo(const CaseOverview& overview, bool procedure_started) {
  std::vector<std::string> lines;
  for (const auto& action : overview.in_force) {
    const std::string what =
        fmt::format("action {} ({} {})", action.id, action.action, action.target);
    if (action.State() == "incomplete") {
      lines.push_back(what + " stopped mid-apply: revert it with irk undo " +
                      std::to_string(action.id) + ", then apply it again");
    } else if (action.State() == "failed") {
      lines.push_back(what + " has a failed step: irk journal shows which; irk undo " +
                      std::to_string(action.id) + " reverts the rest");
    }
  }
  if (!overview.watch.started.empty() && overview.watch.stopped.empty()) {
    lines.push_back("irk watch started " + overview.watch.started.substr(0, 19) +
                    " and recorded no stop: check it still runs");
  }
  if (!procedure_started) {
    lines.push_back("the procedure has not begun: irk respond walks it from triage");
    return lines;
  }
  for (const auto& step : overview.progress) {
    if (step.outcome == "done" || step.outcome == "skipped") continue;
    const StepInfo* info = FindStep(step.step);
    lines.push_back(fmt::format("{}{} (irk respond --step {})", info ? info->title : step.step,
                                step.outcome == "later"    ? ", put off for later"
                                : step.outcome == "failed" ? ", which failed"
                                                           : "",
                                step.step));
  }
  return lines;
}

}  // namespace

CaseOverview Overview(const std::vector<JournalRecord>& records) {
  CaseOverview overview;
  overview.records = records.size();
  bool procedure_started = false;
  for (const auto& record : records) {
    if (record.kind == "case.opened" && overview.opened.empty()) overview.opened = record.time;
    if (record.kind == kStepRecord) procedure_started = true;
  }
  overview.progress = ReadProgress(records);
  overview.next_step = NextStep(overview.progress);
  overview.suspects = RecordedSuspects(records);
  for (auto& action : contain::ReadActions(records)) {
    if (action.State() == "incomplete" ||
        (action.State() != "undone" && action.HasSomethingToUndo())) {
      overview.in_force.push_back(std::move(action));
    }
  }
  overview.watch = ReadWatch(records);
  overview.to_do = ToDo(overview, procedure_started);
  return overview;
}

}  // namespace irk::respond
