// What the commands that read events share: the options that choose events,
// turned into a logs::EventFilter with messages that name the option, and the
// examined system's time zone.
#pragma once

#include <string>

#include "core/result.h"
#include "core/root.h"
#include "logs/event_reader.h"
#include "logs/timezone.h"

namespace irk::cli {

struct EventFilterOptions {
  std::string since, until;  // --since, --until: ParseTimeArgument's forms; "" for open
  std::string user;          // --user
  std::string addr;          // --addr: an address, a network or a host name
  std::string kind;          // --kind: an EventKindName
};

// The filter, or an error naming the option that is not understood, with an
// example of what would be.
Result<logs::EventFilter> MakeEventFilter(const EventFilterOptions& options);

// The time zone of the system under `root`; UTC, with a warning, when its
// zone file cannot be read.
logs::TimeZone LoadZoneOrUtc(const Root& root);

}  // namespace irk::cli
