// irk timeline: every event of every log source, the case's own actions and,
// on request, file times, merged into one stream in time order.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/event_filter.h"
#include "cli/line_output.h"
#include "core/json.h"
#include "timeline/clock_check.h"
#include "timeline/file_times.h"
#include "timeline/merge.h"
#include "timeline/render.h"
#include "timeline/sources.h"

namespace irk::cli {
namespace {

struct TimelineOptions {
  std::string around, window = "30m";
  std::string since, until, user, addr;
  std::vector<std::string> files;    // --files: file times of these paths of the examined system
  std::vector<std::string> sources;  // --source: more logs on this machine
  bool journal = false;
  bool bodyfile = false;
};

enum class Format { kText, kJson, kBodyfile };

// Writes items as table lines, JSON records or body-file lines.
class Output {
 public:
  explicit Output(Format format) : format_(format) {}

  void Write(const timeline::Item& item) {
    line_.clear();
    switch (format_) {
      case Format::kText:
        timeline::AppendItemLine(line_, item);
        break;
      case Format::kJson:
        timeline::AppendItemJson(line_, item);
        break;
      case Format::kBodyfile:
        timeline::AppendBodyLine(line_, item);
        break;
    }
    out_.WriteLine(line_);
  }
  void Flush() { out_.Flush(); }
  uint64_t count() const { return out_.count(); }

 private:
  Format format_;
  std::string line_;  // the line being written, its memory kept
  LineOutput out_;
};

// The filter of the options; --around T sets the window to T ± --window.
Result<logs::EventFilter> MakeFilter(const TimelineOptions& options) {
  if (!options.around.empty() && (!options.since.empty() || !options.until.empty())) {
    return Fail("--around: give either --around or --since/--until, not both");
  }
  auto filter = MakeEventFilter(
      EventFilterOptions{options.since, options.until, options.user, options.addr, ""});
  if (!filter.ok() || options.around.empty()) return filter;
  const auto around = ParseTimeArgument(options.around, Now());
  if (!around) {
    return Fail(
        fmt::format("--around {}: not a time (try 2026-11-26T13:02:11Z or 2h)", options.around));
  }
  const auto window = ParseDuration(options.window);
  if (!window)
    return Fail(fmt::format("--window {}: not a duration (try 30m, 2h)", options.window));
  filter->since = Timestamp{around->seconds - *window, around->micros};
  filter->until = Timestamp{around->seconds + *window + 1, around->micros};
  return filter;
}

int RunTimeline(const Globals& globals, const TimelineOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto filter = MakeFilter(options);
  if (!filter.ok()) return ReportError(filter.error());
  if (options.bodyfile && globals.json) return ReportError(Fail("--bodyfile: not with --json"));
  const logs::TimeZone zone = LoadZoneOrUtc(*root);
  // --source files are this machine's, as typed, whatever --root says.
  auto host = Root::Open("/");
  if (!host.ok()) return ReportError(host.error());

  int problems = 0;
  const auto problem = [&problems](const Error& error) {
    Warn(error.message);
    ++problems;
  };
  timeline::ClockCheck check(Now());
  timeline::SourceOptions sources{options.journal, {}, *filter};
  for (const std::string& name : options.sources) {
    std::error_code ec;
    sources.files.push_back(std::filesystem::absolute(name, ec).lexically_normal().string());
  }
  auto streams = timeline::OpenLogStreams(*root, *host, zone, sources, check, problem);
  const size_t named_from = streams.size() - sources.files.size();
  auto case_stream = timeline::OpenCaseStream(*store, *filter);
  if (!case_stream.ok()) return ReportError(case_stream.error());
  streams.push_back(std::move(case_stream).value());
  if (!options.files.empty()) {
    const auto files = timeline::StatFiles(*root, options.files, problem);
    streams.push_back(std::make_unique<timeline::VectorStream>(
        "file times",
        timeline::FileTimeItems(files, filter->since, filter->until, options.bodyfile)));
  }

  timeline::Merge merge(std::move(streams));
  Output output(options.bodyfile ? Format::kBodyfile
                : globals.json   ? Format::kJson
                                 : Format::kText);
  while (auto item = merge.Next()) {
    check.Observe(*item, merge.stream(item->source).name());
    output.Write(*item);
  }
  output.Flush();
  int named_problems = 0;
  for (size_t i = 0; i < merge.size(); ++i) {
    if (const Status status = merge.stream(i).status(); !status.ok()) {
      problem(status.error());
      if (i >= named_from && i < named_from + sources.files.size()) ++named_problems;
    }
  }
  const auto clock = check.Summary();
  for (const std::string& line : clock) Warn("clock: " + line);

  JsonObject summary;
  summary.Add("root", root->dir().string())
      .Add("items", output.count())
      .Add("unreadable", problems)
      .Add("clock_problems", clock.size());
  if (filter->since) summary.Add("since", FormatRfc3339(*filter->since));
  if (filter->until) summary.Add("until", FormatRfc3339(*filter->until));
  if (auto record = store->Append("timeline", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  // A log the operator named and irk could not read is an error, as with
  // grep; clock problems are findings.
  if (named_problems > 0) return kExitError;
  return check.found() ? kExitFindings : kExitOk;
}

}  // namespace

Command AddTimelineCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<TimelineOptions>();
  auto* app = parent.add_subcommand(
      "timeline", "Every event of every log, irk's own actions and file times, in time order");
  app->add_option("--around", options->around,
                  "Only what happened within --window either side of T (RFC 3339, 2h, …)")
      ->type_name("T");
  app->add_option("--window", options->window, "Half the width of the --around window")
      ->type_name("DURATION")
      ->capture_default_str();
  app->add_option("--since", options->since, "Only what happened at or after T")->type_name("T");
  app->add_option("--until", options->until, "Only what happened before T")->type_name("T");
  app->add_option("--user", options->user, "Only log events about this user")->type_name("USER");
  app->add_option("--addr", options->addr, "Only log events from this address, network or host")
      ->type_name("A|CIDR");
  app->add_option("--files", options->files,
                  "Also the mtime, atime, ctime and birth time of these files of the examined "
                  "system (a directory: the files directly in it)")
      ->type_name("PATH");
  app->add_option("--source", options->sources, "Also read this log file (repeatable)")
      ->type_name("FILE");
  app->add_flag("--journal", options->journal,
                "Read the journal too (by default only where no auth.log or secure exists)");
  app->add_flag("--bodyfile", options->bodyfile,
                "Write a Sleuth Kit body file (TSK 3) for mactime or plaso instead of a table");
  app->footer(
      "Sources: the logs `irk events` reads (each with its rotations), --source files,\n"
      "the case journal (what irk did), and with --files the files' times, merged in\n"
      "time order; equal times keep that order. Times are in UTC.\n"
      "Clock problems are shown, not hidden: a stamp more than an hour after its file's\n"
      "last change or after now, a source going back more than a minute, sources in\n"
      "different zones; each noted on its line and summed up on stderr (exit status 1).\n"
      "--bodyfile: files carry their own four times; a log line or an action is one\n"
      "line named by its file, line number and text, with its time as all four times.\n"
      "Example: irk timeline --around '2026-11-26 13:02' --window 1h --files /etc /root/.ssh");
  return Command{app, [&globals, options] { return RunTimeline(globals, *options); }};
}

}  // namespace irk::cli
