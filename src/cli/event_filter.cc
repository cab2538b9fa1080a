#include "cli/event_filter.h"

#include <fmt/format.h>

#include "cli/command.h"

namespace irk::cli {

Result<logs::EventFilter> MakeEventFilter(const EventFilterOptions& options) {
  logs::EventFilter filter;
  const Timestamp now = Now();
  if (!options.since.empty()) {
    filter.since = ParseTimeArgument(options.since, now);
    if (!filter.since)
      return Fail(fmt::format("--since {}: not a time (try 2h, 2026-11-26 or 2026-11-26T13:00:00Z)",
                              options.since));
  }
  if (!options.until.empty()) {
    filter.until = ParseTimeArgument(options.until, now);
    if (!filter.until)
      return Fail(fmt::format(
          "--until {}: not a time (try 30m, 2026-11-27 or 2026-11-26T14:00:00Z)", options.until));
  }
  filter.user = options.user;
  if (!options.addr.empty()) {
    filter.network = Network::Parse(options.addr);
    if (!filter.network) {
      auto host = logs::EventAddress::Parse(options.addr);
      if (!host)
        return Fail(fmt::format("--addr {}: not an address, network or host name", options.addr));
      filter.host_name = std::string(host->view());
    }
  }
  if (!options.kind.empty()) {
    filter.kind = logs::ParseEventKind(options.kind);
    if (!filter.kind) {
      return Fail(fmt::format(
          "--kind {}: one of auth, refused, session, connection, privilege, account, service",
          options.kind));
    }
  }
  return filter;
}

logs::TimeZone LoadZoneOrUtc(const Root& root) {
  auto zone = logs::TimeZone::Load(root);
  if (zone.ok()) return std::move(zone).value();
  Warn(zone.error().Wrap("time zone").message + "; year-less stamps are read as UTC");
  return logs::TimeZone::Utc();
}

}  // namespace irk::cli
