#include "timeline/dpkg_log.h"

#include <array>

#include "timeline/digits.h"

namespace irk::timeline {
namespace {

// The next space-separated field of `rest`, taken off its front; empty at the end.
std::string_view NextField(std::string_view& rest) {
  const size_t end = rest.find(' ');
  const std::string_view field = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return field;
}

}  // namespace

std::optional<PackageChange> ParseDpkgLine(std::string_view line, const logs::TimeZone& zone) {
  // "YYYY-MM-DD HH:MM:SS " is 20 characters.
  int year, month, day, hour, minute, second;
  if (line.size() < 20 || line[4] != '-' || line[7] != '-' || line[10] != ' ' || line[13] != ':' ||
      line[16] != ':' || line[19] != ' ' || !ReadDigits(line, 0, 4, year) ||
      !ReadDigits(line, 5, 2, month) || !ReadDigits(line, 8, 2, day) ||
      !ReadDigits(line, 11, 2, hour) || !ReadDigits(line, 14, 2, minute) ||
      !ReadDigits(line, 17, 2, second) || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::string_view rest = line.substr(20);
  PackageChange change;
  change.action = NextField(rest);
  constexpr std::array<std::string_view, 4> kActions = {"install", "upgrade", "remove", "purge"};
  bool known = false;
  for (std::string_view action : kActions) known |= change.action == action;
  if (!known) return std::nullopt;
  change.package = NextField(rest);
  change.old_version = NextField(rest);
  change.new_version = NextField(rest);
  if (change.package.empty() || change.old_version.empty() || change.new_version.empty() ||
      !rest.empty()) {
    return std::nullopt;
  }
  change.time =
      Timestamp{zone.LocalToUtc(CivilToSeconds(year, month, day, hour, minute, second)), 0};
  return change;
}

}  // namespace irk::timeline
