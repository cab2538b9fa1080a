// irk events: every login and authentication event of every source, as
// a table or as the JSON record of DESIGN.md.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/event_filter.h"
#include "cli/line_output.h"
#include "core/json.h"
#include "core/text.h"
#include "logs/event_reader.h"
#include "logs/log_sources.h"

namespace irk::cli {
namespace {

struct EventsOptions {
  std::vector<std::string> files;    // FILE arguments: only these are read
  std::vector<std::string> sources;  // --source: added to the default sources
  std::string since, until, user, addr, kind;
  bool stats = false;
  bool journal = false;  // read the journal even where text auth logs exist
};

// Writes events as table lines or JSON records.
class Output {
 public:
  explicit Output(bool json) : json_(json) {}

  void Write(const logs::Event& event) {
    if (json_) {
      char* at = out_.Reserve(json_writer_.Room(event));
      out_.EndLine(json_writer_.Write(at, event));
    } else {
      line_.clear();
      AppendHuman(line_, event);
      out_.WriteLine(line_);
    }
  }
  void Flush() { out_.Flush(); }
  uint64_t count() const { return out_.count(); }

 private:
  // "2026-11-26 13:02:11  sshd[4242]  auth failure  admin (invalid)  from 203.0.113.7 port 51234
  // password"
  static void AppendHuman(std::string& out, const logs::Event& e) {
    // "2026-11-26T13:02:11+00:00" cut to the second, with a space for the T.
    const size_t start = out.size();
    AppendRfc3339(out, e.time);
    out.resize(start + 19);
    out[start + 10] = ' ';
    out += "  ";
    logs::AppendEventSummary(out, e);
  }

  bool json_;
  logs::EventJsonWriter json_writer_;
  std::string line_;  // the table line being written, its memory kept
  LineOutput out_;
};

void PrintStats(const std::vector<logs::FileStats>& stats) {
  std::fprintf(stderr, "%-40s %10s %10s %12s %10s\n", "FILE", "LINES", "EVENTS", "UNRECOGNIZED",
               "UNFRAMED");
  for (const auto& s : stats) {
    std::fprintf(stderr, "%-40s %10llu %10llu %12llu %10llu%s\n", EscapeForTerminal(s.file).c_str(),
                 static_cast<unsigned long long>(s.lines),
                 static_cast<unsigned long long>(s.events),
                 static_cast<unsigned long long>(s.unrecognized),
                 static_cast<unsigned long long>(s.unframed),
                 s.skipped ? "  (skipped: outside the time window)" : "");
  }
}

int RunEvents(const Globals& globals, const EventsOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto filter = MakeEventFilter(
      EventFilterOptions{options.since, options.until, options.user, options.addr, options.kind});
  if (!filter.ok()) return ReportError(filter.error());
  const logs::TimeZone zone = LoadZoneOrUtc(*root);

  // Files named on the command line are this machine's files, as typed
  // (relative to the current folder), whatever --root says: a log copied off
  // another host is read where it lies.
  auto host = Root::Open("/");
  if (!host.ok()) return ReportError(host.error());
  logs::EventReader reader(*root, zone, *filter);
  logs::EventReader file_reader(*host, zone, std::move(filter).value());
  Output output(globals.json);
  const logs::EventSink sink = [&output](const logs::Event& event) { output.Write(event); };
  int problems = 0;
  const auto problem = [&problems](const Error& error) {
    Warn(error.message);
    ++problems;
  };
  const auto read = [&problem](Status status) {
    if (!status.ok()) problem(status.error());
  };

  std::vector<std::string> files = options.files;
  if (files.empty()) reader.ReadDefaultSources(options.journal, sink, problem);
  files.insert(files.end(), options.sources.begin(), options.sources.end());
  // Default sources that are missing are warnings; a file the operator named
  // and irk could not read is an error, as with grep.
  const int problems_before_files = problems;
  for (const auto& name : files) {
    std::error_code ec;
    const std::string file = std::filesystem::absolute(name, ec).lexically_normal().string();
    read(file_reader.ReadNamedFile(file, sink));
  }
  output.Flush();
  if (options.stats) {
    std::vector<logs::FileStats> stats = reader.stats();
    stats.insert(stats.end(), file_reader.stats().begin(), file_reader.stats().end());
    PrintStats(stats);
  }

  JsonObject summary;
  summary.Add("root", root->dir().string())
      .Add("events", output.count())
      .Add("unreadable", problems);
  if (auto record = store->Append("events", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return problems > problems_before_files ? kExitError : kExitOk;
}

}  // namespace

Command AddEventsCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<EventsOptions>();
  auto* app = parent.add_subcommand(
      "events", "Every login and authentication event in the logs, login records and journal");
  app->add_option("file", options->files,
                  "Read only these files of this machine, even with --root (each line's format "
                  "detected by itself)");
  app->add_option("--source", options->sources, "Also read this file (repeatable)")
      ->type_name("FILE");
  app->add_option("--since", options->since, "Only events at or after T (2h, 2026-11-26, RFC 3339)")
      ->type_name("T");
  app->add_option("--until", options->until, "Only events before T")->type_name("T");
  app->add_option("--user", options->user, "Only events about this user")->type_name("USER");
  app->add_option("--addr", options->addr, "Only events from this address, network or host")
      ->type_name("A|CIDR");
  app->add_option("--kind", options->kind,
                  "auth, refused, session, connection, privilege, account or service")
      ->type_name("K");
  app->add_flag("--journal", options->journal,
                "Read the journal too (by default only where no auth.log or secure exists)");
  app->add_flag("--stats", options->stats,
                "Per file on stderr: lines, events, and lines of known services no parser knew");
  app->footer(
      "Default sources: /var/log/auth.log, secure, messages, syslog, vsftpd.log, xferlog,\n"
      "proftpd/ with their rotations (.1, .2.gz, .zst, -DATE), wtmp and btmp, and the\n"
      "journal where no auth.log or secure exists (rsyslog copies it there).\n"
      "Times are shown in UTC; --json prints one object a line: time, file, line, host,\n"
      "service, pid, kind, outcome, user, user_valid, addr, port, method, raw.");
  return Command{app, [&globals, options] { return RunEvents(globals, *options); }};
}

}  // namespace irk::cli
