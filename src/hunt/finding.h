// What irk hunt reports: one finding, its severity and the evidence, in the
// shape every kind shares.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace irk::hunt {

enum class Severity { kHigh, kMedium, kLow, kInfo };

// "high", "medium", "low", "info".
std::string_view SeverityName(Severity severity);

struct Finding {
  std::string kind;  // "sniffer", "deleted_binary", …: see Hunt in hunt.h
  Severity severity = Severity::kInfo;
  std::string summary;     // one line for a person; may hold the examined system's text
  std::optional<int> pid;  // the process concerned
  std::string path;        // the file concerned, as the examined system names it
  std::string user;        // the account concerned
  // Evidence as name and value ("exe", "/tmp/.x (deleted)"), in a fixed order.
  std::vector<std::pair<std::string, std::string>> evidence;
};

// Most severe first, then by kind, path, pid and summary: a stable order to diff.
void SortFindings(std::vector<Finding>& findings);

}  // namespace irk::hunt
