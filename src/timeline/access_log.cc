#include "timeline/access_log.h"

#include <array>

#include "timeline/digits.h"

namespace irk::timeline {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "26/Nov/2026:13:02:11 +0100", exactly 26 characters.
std::optional<Timestamp> ParseStamp(std::string_view s) {
  int day, year, hour, minute, second, zone_hours, zone_minutes;
  if (s.size() != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' ||
      s[17] != ':' || s[20] != ' ' || (s[21] != '+' && s[21] != '-') || !ReadDigits(s, 0, 2, day) ||
      !ReadDigits(s, 7, 4, year) || !ReadDigits(s, 12, 2, hour) || !ReadDigits(s, 15, 2, minute) ||
      !ReadDigits(s, 18, 2, second) || !ReadDigits(s, 22, 2, zone_hours) ||
      !ReadDigits(s, 24, 2, zone_minutes)) {
    return std::nullopt;
  }
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (s.substr(3, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  if (month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      zone_hours > 14 || zone_minutes > 59) {
    return std::nullopt;
  }
  const int offset = (zone_hours * 3600 + zone_minutes * 60) * (s[21] == '-' ? -1 : 1);
  return Timestamp{CivilToSeconds(year, month, day, hour, minute, second) - offset, 0};
}

}  // namespace

std::optional<AccessLine> ParseAccessLine(std::string_view line) {
  const size_t addr_end = line.find(' ');
  if (addr_end == std::string_view::npos) return std::nullopt;
  const auto addr = logs::EventAddress::ParseIp(line.substr(0, addr_end));
  if (!addr) return std::nullopt;
  // The first `] "` ends the stamp: a quote in the fields before it is
  // escaped by the server, so the client cannot place one there.
  const size_t close = line.find("] \"", addr_end);
  if (close == std::string_view::npos || close < addr_end + 29) return std::nullopt;
  const size_t open = close - 27;
  if (line[open] != '[' || line[open - 1] != ' ') return std::nullopt;
  AccessLine access{*addr, {}, line.substr(open + 1, 26), line.substr(open + 22, 5), {}, {}, 0};
  const auto time = ParseStamp(access.time_text);
  if (!time) return std::nullopt;
  access.time = *time;
  // Between the address and the stamp: "IDENT USER"; the user is the rest
  // after the first space (it may hold spaces of its own).
  const std::string_view middle = line.substr(addr_end + 1, open - 1 - (addr_end + 1));
  const size_t space = middle.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  access.user = middle.substr(space + 1);
  if (access.user == "-") access.user = {};
  // The request runs to the first quote not escaped by a backslash.
  size_t i = close + 3;
  while (i < line.size() && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
  if (i >= line.size()) return std::nullopt;
  access.request = line.substr(close + 3, i - (close + 3));
  if (!ReadDigits(line, i + 2, 3, access.status) || line[i + 1] != ' ' || access.status < 100 ||
      access.status > 599 || (i + 5 < line.size() && line[i + 5] != ' ')) {
    return std::nullopt;
  }
  return access;
}

logs::Event AccessEvent(const AccessLine& access, std::string_view service) {
  logs::Event event;
  event.time = access.time;
  event.time_text = access.time_text;
  event.zone = access.zone;
  event.service = service;
  event.addr = access.addr;
  event.user = access.user;
  event.method = access.request;
  if (access.status == 401 || access.status == 407) {
    event.kind = logs::EventKind::kAuth;
    event.outcome = logs::Outcome::kFailure;
  } else if (access.status == 403) {
    event.kind = logs::EventKind::kRefused;
    event.outcome = logs::Outcome::kFailure;
  } else {
    event.kind = logs::EventKind::kConnection;
  }
  return event;
}

}  // namespace irk::timeline
