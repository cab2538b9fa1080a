// dpkg's log (/var/log/dpkg.log): which packages were installed, upgraded,
// removed or purged, and when, so `irk entry` can show the package changes
// before a login. Stamps are the examined system's local time.
#pragma once

#include <optional>
#include <string_view>

#include "core/time.h"
#include "logs/timezone.h"

namespace irk::timeline {

// One action line: "2026-11-26 13:02:11 install netcat:amd64 <none> 1.10-47".
struct PackageChange {
  Timestamp time;                // UTC
  std::string_view action;       // "install", "upgrade", "remove", "purge"
  std::string_view package;      // "netcat:amd64"
  std::string_view old_version;  // "<none>" when there was none
  std::string_view new_version;
};

// Parses one line of dpkg.log, its stamp read in `zone`; nullopt for every
// other line ("status …", "configure …", "startup …", junk). Pure, no
// allocation; the views point into `line`.
std::optional<PackageChange> ParseDpkgLine(std::string_view line, const logs::TimeZone& zone);

}  // namespace irk::timeline
