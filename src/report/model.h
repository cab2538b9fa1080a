// The incident report as data: what the case journal and the logs say about
// an attack, gathered once and handed to every renderer (Markdown, HTML,
// JSON, the abuse drafts, the CSIRT notice). Pure: the command reads the case
// and the logs and feeds them in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contain/plan.h"
#include "core/address.h"
#include "core/case_store.h"
#include "core/time.h"
#include "logs/event.h"
#include "report/contacts.h"

namespace irk::report {

// One log line that involves a source, copied out of the reader.
struct LogLine {
  Timestamp time;         // UTC
  std::string time_text;  // the stamp as the line wrote it
  std::string zone;       // the zone the reader assumed for a stamp without one
  std::string file;
  uint64_t line = 0;  // 1-based; 0 for the journal
  std::string host, service, kind, outcome, user;
  std::string raw;  // exactly as read
};

// One user's attempts from one source.
struct UserTally {
  uint64_t failures = 0;
  uint64_t successes = 0;
  std::optional<Timestamp> first_success;
};

// One remote address and everything the logs hold about it.
struct Source {
  std::string addr;                  // as the events name it (an IP address or a host name)
  std::vector<std::string> reasons;  // why it is reported: "blocked", "named", "top"
  uint64_t events = 0, failures = 0, successes = 0;
  Timestamp first, last;
  std::map<std::string, UserTally> users;  // at most kMaxUsersPerSource
  std::set<std::string> services;
  std::vector<LogLine>
      lines;  // in time order (reading order while tallying), at most kMaxLinesPerSource
  uint64_t lines_left_out = 0;
  std::optional<SourceContact> contact;

  static constexpr size_t kMaxUsersPerSource = 1000;
  static constexpr size_t kMaxLinesPerSource = 2000;
};

// A user some reported source tried or used.
struct Account {
  std::string user;
  uint64_t failures = 0, successes = 0;
  std::vector<std::string> logged_in_from;  // sources with a success, sorted
  std::optional<Timestamp> first_success;
};

// A journal record the report shows as it is (findings, restores, …).
struct CaseEntry {
  int64_t seq = 0;
  std::string time;
  std::string kind;
  std::string details_json;
};

struct Report {
  std::string incident_id;  // "IRK-" and 12 hex digits of the case's first record hash
  Timestamp generated;
  std::string host;  // the examined host as its logs name it
  std::string zone;  // the examined system's time zone
  std::string root;
  std::string case_dir;
  std::string case_created;  // time of the case's first record
  std::optional<Timestamp> since, until;
  std::vector<Source> sources;  // the reported ones, most failures first
  std::vector<Account> accounts;
  std::vector<contain::Action> actions;  // oldest first
  std::vector<CaseEntry> findings;       // hunt, check, entry, who, status, watch.alert records
  std::vector<CaseEntry> restores;       // restore records
  ChainCheck journal;
  uint64_t events_read = 0;  // events with a remote address in the window

  // When the first and last reported line happened; nullopt without lines.
  std::optional<Timestamp> FirstSeen() const;
  std::optional<Timestamp> LastSeen() const;
};

// One row of the combined timeline: an attack event or something we did.
struct TimelineRow {
  Timestamp time;
  std::string what;    // "attack", "login", "action", "case"
  std::string text;    // for a person; host text, escaped by the renderer
  std::string detail;  // the raw log line, or an action's state
};

// The rows of the report's timeline, oldest first: each source's first and
// last failure, every success (an auth or session event) of a reported source, every
// containing action with its state, and the case's findings.
std::vector<TimelineRow> Timeline(const Report& report);

// Counts events per remote address while the logs are read. Lines are kept
// per source up to Source::kMaxLinesPerSource, and in all at most
// kMaxLines, except that sources in `preferred` (blocked or named) always
// keep theirs; at most kMaxSources addresses are tallied.
class EventTally {
 public:
  explicit EventTally(std::vector<Network> preferred) : preferred_(std::move(preferred)) {}

  // Counts `event` when it names a remote address.
  void Add(const logs::Event& event);

  std::map<std::string, Source, std::less<>>& sources() { return sources_; }
  uint64_t events() const { return events_; }

  static constexpr size_t kMaxSources = 100000;
  static constexpr size_t kMaxLines = 200000;

 private:
  bool Preferred(std::string_view addr) const;

  std::vector<Network> preferred_;
  std::map<std::string, Source, std::less<>> sources_;
  uint64_t events_ = 0;
  uint64_t lines_ = 0;
};

// Which sources the report covers.
struct Selection {
  std::vector<Network> named;  // irk report --abuse ADDR|CIDR
  size_t top = 10;             // and the N sources with most failures and successes
};

// What the report is about, besides the logs.
struct ReportContext {
  Timestamp generated;
  std::string host, zone, root, case_dir;
  std::optional<Timestamp> since, until;
};

// The networks the case blocked (every `block` action's target, undone or
// not), which are the attackers' addresses for the report.
std::vector<Network> BlockedNetworks(const std::vector<contain::Action>& actions);

// Builds the report: the sources blocked in the case, named in `selection`,
// or in its top N, each with its contact from `contacts` (nullopt when none
// covers it); the accounts they tried; the case's actions, findings,
// restores and the chain check `journal`.
Report BuildReport(ReportContext context, const std::vector<JournalRecord>& records,
                   ChainCheck journal, EventTally tally, const std::vector<SourceContact>& contacts,
                   const Selection& selection);

// The summary sentences every rendering shares, plain text holding host
// strings (the renderer escapes them): what happened, when, how it was
// found, what we did.
struct Summary {
  std::string what, when, how_found, response;
  std::vector<std::string> without_contact;  // reported sources no abuse contact is known for
};
Summary Summarize(const Report& report);

}  // namespace irk::report
