#include "hunt/finding.h"

#include <algorithm>
#include <tuple>

namespace irk::hunt {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kHigh:
      return "high";
    case Severity::kMedium:
      return "medium";
    case Severity::kLow:
      return "low";
    case Severity::kInfo:
      return "info";
  }
  return "";
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.kind, a.path, a.pid, a.summary) <
           std::tie(b.severity, b.kind, b.path, b.pid, b.summary);
  });
}

}  // namespace irk::hunt
