#include "respond/procedure.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/address.h"
#include "core/json.h"

namespace irk::respond {
namespace {

using nlohmann::json;

std::optional<json> ParseObject(std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  return parsed;
}

std::string Text(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Sorted(const std::set<std::string>& items) {
  return {items.begin(), items.end()};
}

// Suspects become arguments of irk commands: an address must read as one,
// and a user name must look like one (never like an option).
bool PlausibleAddress(std::string_view text) { return IpAddress::Parse(text).has_value(); }

bool PlausibleUser(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '$';
  });
}

template <typename Visit>
void ForEachObject(std::string_view json_lines, const Visit& visit) {
  std::istringstream lines{std::string(json_lines)};
  std::string line;
  while (std::getline(lines, line)) {
    if (auto object = ParseObject(line)) visit(*object);
  }
}

}  // namespace

const std::vector<StepInfo>& Steps() {
  static const std::vector<StepInfo> steps = {
      {"triage", "Triage: who is on, from where, and who is failing",
       "Is each user coming in from where they usually do? Which sources keep failing?"},
      {"contain", "Contain: block, lock, kill (or isolate)",
       "Deny the intruder's sites, lock the accounts (every way in), end their sessions."},
      {"watch", "Watch for their return",
       "They may come back from another address or as another user: follow every log a while."},
      {"entry", "Close the hole: how did they get in?",
       "What each suspect source did before its login, service by service."},
      {"hunt", "Hunt: sniffers, backdoors, persistence",
       "Sniffers, hidden or deleted processes, new keys and accounts, persistence."},
      {"assess", "Assess the damage: what changed",
       "Compare the system with its signed baseline, or with the package database."},
      {"recover", "Recover: the last good version of each changed file",
       "Check several backups back into the past before restoring: the tampering may be old."},
      {"report", "Report: the incident report, abuse drafts, the CSIRT notice",
       "Tell the admin contact of each attacking site, with the exact log lines in UTC."},
  };
  return steps;
}

const StepInfo* FindStep(std::string_view name) {
  for (const auto& step : Steps()) {
    if (step.name == name) return &step;
  }
  return nullptr;
}

std::vector<StepProgress> ReadProgress(const std::vector<JournalRecord>& records) {
  std::map<std::string, StepProgress, std::less<>> newest;
  for (const auto& record : records) {
    if (record.kind != kStepRecord) continue;
    const auto details = ParseObject(record.details_json);
    if (!details) continue;
    const std::string step = Text(*details, "step");
    if (FindStep(step) == nullptr) continue;
    newest[step] = {step, Text(*details, "outcome"), record.time, Text(*details, "detail")};
  }
  std::vector<StepProgress> progress;
  for (const auto& info : Steps()) {
    const auto it = newest.find(info.name);
    if (it != newest.end()) {
      progress.push_back(it->second);
    } else {
      StepProgress untouched;
      untouched.step = info.name;
      progress.push_back(std::move(untouched));
    }
  }
  return progress;
}

std::optional<std::string> NextStep(const std::vector<StepProgress>& progress) {
  for (const auto& step : progress) {
    if (step.outcome != "done" && step.outcome != "skipped") return step.step;
  }
  return std::nullopt;
}

Suspects FindSuspects(std::string_view who_json, std::string_view status_json,
                      std::string_view logins_json, int failure_threshold) {
  std::set<std::string> addresses;
  std::set<std::string> users;
  std::vector<std::string> reasons;
  static const std::set<std::string, std::less<>> kSuspectVerdicts = {"new-for-user", "new-network",
                                                                      "never-seen"};
  ForEachObject(who_json, [&](const json& object) {
    if (Text(object, "type") != "session") return;
    const std::string verdict = Text(object, "source_verdict");
    if (!kSuspectVerdicts.contains(verdict)) return;
    const std::string user = Text(object, "user");
    const std::string addr = Text(object, "addr");
    if (PlausibleAddress(addr)) addresses.insert(addr);
    if (PlausibleUser(user)) users.insert(user);
    reasons.push_back(user + " is on from " + addr + ": " + verdict);
  });
  ForEachObject(status_json, [&](const json& object) {
    if (Text(object, "type") != "failed_source") return;
    const auto count = object.find("count");
    if (count == object.end() || !count->is_number_integer()) return;
    if (count->get<int64_t>() < failure_threshold) return;
    const std::string source = Text(object, "source");
    if (!PlausibleAddress(source)) return;
    addresses.insert(source);
    reasons.push_back(source + ": " + std::to_string(count->get<int64_t>()) +
                      " failed logins in the last 24 hours");
  });
  ForEachObject(logins_json, [&](const json& object) {
    if (Text(object, "type") != "source" || !addresses.contains(Text(object, "source"))) return;
    const auto successes = object.find("successes");
    if (successes == object.end() || !successes->is_number_integer() ||
        successes->get<int64_t>() < 1) {
      return;
    }
    const std::string user = Text(object, "user");
    if (!PlausibleUser(user) || users.contains(user)) return;
    users.insert(user);
    reasons.push_back(user + " logged in from " + Text(object, "source") + " " +
                      std::to_string(successes->get<int64_t>()) + " times");
  });
  return {Sorted(addresses), Sorted(users), std::move(reasons)};
}

std::optional<Suspects> RecordedSuspects(const std::vector<JournalRecord>& records) {
  std::optional<Suspects> found;
  for (const auto& record : records) {
    if (record.kind != kStepRecord) continue;
    const auto details = ParseObject(record.details_json);
    if (!details || Text(*details, "step") != "triage") continue;
    const auto suspects = details->find("suspects");
    if (suspects == details->end() || !suspects->is_object()) continue;
    Suspects parsed;
    for (const char* key : {"addresses", "users"}) {
      const auto list = suspects->find(key);
      if (list == suspects->end() || !list->is_array()) continue;
      auto& into = std::string_view(key) == "users" ? parsed.users : parsed.addresses;
      for (const auto& item : *list) {
        if (item.is_string()) into.push_back(item.get<std::string>());
      }
    }
    found = std::move(parsed);
  }
  return found;
}

std::string StepRecordJson(std::string_view step, std::string_view outcome, std::string_view detail,
                           const Suspects* suspects) {
  JsonObject object;
  object.Add("step", step).Add("outcome", outcome).Add("detail", detail);
  if (suspects != nullptr) {
    JsonArray addresses;
    for (const auto& address : suspects->addresses) addresses.Add(address);
    JsonArray users;
    for (const auto& user : suspects->users) users.Add(user);
    object.Add("suspects", JsonObject().Add("addresses", addresses).Add("users", users));
  }
  return object.str();
}

}  // namespace irk::respond
