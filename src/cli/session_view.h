// How status and who show the current sessions and the verdict on each
// one's source, as a table or as JSON, and the options both take for where
// the login history comes from.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "core/json.h"
#include "core/table.h"
#include "logins/status_report.h"

namespace irk::cli {

// --source FILE (repeatable) and --journal.
void AddHistoryOptions(CLI::App& app, logins::HistorySources& sources);

// What status and who start from: the case opened, the settings read, the
// report gathered (its warnings already printed).
struct Gathered {
  CaseStore store;
  std::string root_dir;
  logins::HabitSettings habits;
  logins::StatusReport report;
};

// Opens the case and --root, reads [logins] of the configuration (an error
// names file and key), and gathers the report with `last_logins` past logins.
Result<Gathered> Gather(const Globals& globals, const logins::HistorySources& sources,
                        size_t last_logins);

// The verdict's name in its colour: usual green, rare and new-for-user
// yellow, new-network and never-seen red.
Cell VerdictCell(const logins::Judgement& judgement);

// "5 logins 2026-11-20 – 2026-11-27 from 10.77.1.0/24", "nothing from
// 10.77.2.0/24 before", "after 17 failed attempts from 10.77.2.0/24".
std::string VerdictDetail(const logins::Judgement& judgement);

// "03h unusual (usual 08-11, 14-17)", "09h usual", "09h (too few logins)".
std::string HourText(const logins::Judgement& judgement);

// One session's JSON object (type "session") with its verdict.
JsonObject SessionJson(const logins::Session& session, const logins::Judgement& judgement,
                       bool live);

// "10.77.1.2 port 51234", the host, or "" for a local login.
std::string SessionFrom(const logins::Session& session);

// What is odd about a session, or "": "not in utmp" (an ssh terminal session
// utmp does not record), "command, no terminal", "stale record: no such
// process" (a utmp record whose process is gone, on the live host).
Cell SessionNote(const logins::Session& session, bool live);

// True when the verdict or the session asks for a look: a new or never-seen
// source, or an ssh terminal session missing from utmp.
bool NeedsAttention(const logins::Session& session, const logins::Judgement& judgement);

}  // namespace irk::cli
