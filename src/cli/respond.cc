// irk respond: the procedure, one step a screen. Each step runs irk's own
// commands as child processes, printed before they run, so the operator
// sees exactly what happens and learns the commands; every change shows its
// plan first (a --dry-run run) and is journaled and undoable by the command
// that makes it. Where the case stands is read back from the journal, so a
// second run resumes.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/plan_apply.h"
#include "core/config.h"
#include "core/text.h"
#include "respond/decisions.h"
#include "respond/procedure.h"

namespace irk::cli {
namespace {

struct RespondOptions {
  bool yes = false;
  std::optional<std::string> plan_path;
  std::string step;
  bool list = false;
};

struct ChildRun {
  int exit_code = -1;  // -1: it did not exit normally
  std::string out;     // captured stdout (only when asked for)
  std::string err;     // captured stderr (only when asked for)
};

std::string Shown(const std::vector<std::string>& args) {
  std::string line = "irk";
  for (const auto& arg : args) {
    const bool plain =
        !arg.empty() && arg.find_first_of(" \t'\"\\$`;&|<>()*?") == std::string::npos;
    line += " " + (plain ? arg : "'" + arg + "'");
  }
  return EscapeForTerminal(line);
}

// The global options this run was given, for the children.
std::vector<std::string> GlobalArgs(const Globals& globals) {
  std::vector<std::string> args = {"--case", globals.case_dir};
  if (!globals.LiveHost()) args.insert(args.end(), {"--root", globals.root});
  if (globals.config_path) args.insert(args.end(), {"--config", *globals.config_path});
  if (!globals.Color()) args.push_back("--no-color");
  return args;
}

// Runs this same program with `args` (after the global options); its
// output goes to ours, or with `capture` into the result: stdout through a
// pipe, stderr into an unnamed temporary file read back at the end (two
// pipes read one after the other could deadlock). Never a shell.
ChildRun RunChild(const Globals& globals, const std::vector<std::string>& args, bool capture) {
  std::vector<std::string> argv = {"irk"};
  for (const auto& arg : GlobalArgs(globals)) argv.push_back(arg);
  for (const auto& arg : args) argv.push_back(arg);
  std::vector<char*> pointers;
  for (auto& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);

  int pipe_fds[2] = {-1, -1};
  std::unique_ptr<FILE, int (*)(FILE*)> errors(capture ? std::tmpfile() : nullptr, &std::fclose);
  if (capture && (errors == nullptr || pipe2(pipe_fds, O_CLOEXEC) != 0)) return {};
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = fork();
  if (child < 0) return {};
  if (child == 0) {
    if (capture) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      dup2(fileno(errors.get()), STDERR_FILENO);
    }
    execv("/proc/self/exe", pointers.data());
    _exit(127);
  }
  ChildRun run;
  if (capture) {
    close(pipe_fds[1]);
    char buffer[65536];
    ssize_t n = 0;
    while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) run.out.append(buffer, n);
    close(pipe_fds[0]);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (capture) {
    std::rewind(errors.get());
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, errors.get())) > 0) run.err.append(buffer, n);
  }
  return run;
}

struct StepOutcome {
  std::string outcome;  // "done", "later", "failed"
  std::string detail;
};

class Walk {
 public:
  Walk(const Globals& globals, CaseStore& store, respond::Decisions decisions, bool interactive)
      : globals_(globals),
        store_(store),
        decisions_(std::move(decisions)),
        interactive_(interactive) {}

  // Runs one step; false when the operator chose to stop.
  bool Run(const respond::StepInfo& step, size_t number) {
    std::printf("\n== Step %zu of %zu: %s ==\n%s\n", number, respond::Steps().size(),
                std::string(step.title).c_str(), std::string(step.purpose).c_str());
    if (decisions_.skip.contains(std::string(step.name))) {
      std::printf("Skipped, as the plan says.\n");
      Journal(step.name, {"skipped", "by the plan"});
      return true;
    }
    if (interactive_ && !AskOnTerminal("Do this step now? (no: leave it for later)")) {
      Journal(step.name, {"later", "left for later by the operator"});
      return AskOnTerminal("Go on with the next step?");
    }
    StepOutcome outcome;
    if (step.name == "triage") outcome = Triage();
    if (step.name == "contain") outcome = Contain();
    if (step.name == "entry") outcome = Entry();
    if (step.name == "watch") outcome = Watch();
    if (step.name == "hunt") outcome = Display({"hunt"});
    if (step.name == "assess") outcome = Assess();
    if (step.name == "recover") outcome = Recover();
    if (step.name == "report") outcome = Report();
    Journal(step.name, outcome);
    std::printf("-> %s: %s%s%s\n", std::string(step.name).c_str(), outcome.outcome.c_str(),
                outcome.detail.empty() ? "" : ": ", EscapeForTerminal(outcome.detail).c_str());
    return true;
  }

  bool failed() const { return failed_; }

 private:
  void Journal(std::string_view step, const StepOutcome& outcome) {
    const respond::Suspects* suspects = step == "triage" && suspects_ ? &*suspects_ : nullptr;
    auto appended =
        store_.Append(respond::kStepRecord,
                      respond::StepRecordJson(step, outcome.outcome, outcome.detail, suspects));
    if (!appended.ok()) Warn("journal: " + appended.error().message);
    if (outcome.outcome == "failed") failed_ = true;
  }

  // Prints the command, runs it, and tells an error (exit 2 or 3) apart
  // from findings (exit 1).
  ChildRun Command(const std::vector<std::string>& args, bool capture = false) {
    std::printf("\n$ %s\n", Shown(args).c_str());
    ChildRun run = RunChild(globals_, args, capture);
    if (run.exit_code >= kExitError || run.exit_code < 0) {
      std::printf("(irk %s ended with exit status %d)\n", args.front().c_str(), run.exit_code);
    }
    return run;
  }

  StepOutcome Display(const std::vector<std::string>& args) {
    const ChildRun run = Command(args);
    if (run.exit_code >= kExitError || run.exit_code < 0) {
      return {"failed", Shown(args) + " ended with exit status " + std::to_string(run.exit_code)};
    }
    return {"done", run.exit_code == kExitFindings ? "findings shown above" : "nothing found"};
  }

  StepOutcome Triage() {
    Command({"status"});
    std::string json[3];
    const std::vector<std::string> queries[3] = {
        {"who", "--json"}, {"status", "--json"}, {"logins", "--json"}};
    for (int i = 0; i < 3; ++i) {
      ChildRun run = RunChild(globals_, queries[i], true);
      if (run.exit_code >= kExitError || run.exit_code < 0) {
        std::fputs(run.err.c_str(), stderr);  // irk escaped it already
        return {"failed",
                Shown(queries[i]) + " ended with exit status " + std::to_string(run.exit_code)};
      }
      json[i] = std::move(run.out);
    }
    suspects_ = respond::FindSuspects(json[0], json[1], json[2], decisions_.failure_threshold);
    if (suspects_->reasons.empty()) {
      std::printf(
          "\nNo suspect: every session comes from a usual source, and no source has "
          "%d or more failed logins in the last 24 hours.\n",
          decisions_.failure_threshold);
      return {"done", "no suspects"};
    }
    std::printf("\nSuspects:\n");
    for (const auto& reason : suspects_->reasons) {
      std::printf("  %s\n", EscapeForTerminal(reason).c_str());
    }
    return {"done", Counted(suspects_->addresses.size(), "address", "addresses") + ", " +
                        Counted(suspects_->users.size(), "user")};
  }

  const respond::Suspects& Suspects() {
    if (!suspects_) {
      auto records = store_.Records();
      if (records.ok()) suspects_ = respond::RecordedSuspects(*records);
      if (!suspects_) suspects_ = respond::Suspects{};
    }
    return *suspects_;
  }

  // One change: its plan shown (a --dry-run run), then applied once the
  // operator (or the plan file) agrees.
  bool Change(const std::vector<std::string>& command, const std::vector<std::string>& options,
              const std::vector<std::string>& targets, const std::string& question) {
    std::vector<std::string> args = command;
    args.insert(args.end(), options.begin(), options.end());
    if (interactive_) {
      std::vector<std::string> dry = args;
      dry.push_back("--dry-run");
      dry.push_back("--");
      dry.insert(dry.end(), targets.begin(), targets.end());
      Command(dry);
      if (!AskOnTerminal(question)) return true;
    }
    args.push_back("--yes");
    args.push_back("--");
    args.insert(args.end(), targets.begin(), targets.end());
    const ChildRun run = Command(args);
    return run.exit_code == kExitOk;
  }

  StepOutcome Contain() {
    const auto& suspects = Suspects();
    std::vector<std::string> block = suspects.addresses;
    std::vector<std::string> lock = suspects.users;
    std::vector<std::string> kill = suspects.users;
    bool isolate = false;
    if (!interactive_) {
      block = respond::ExpandSuspects(decisions_.block, suspects.addresses);
      lock = respond::ExpandSuspects(decisions_.lock, suspects.users);
      kill = respond::ExpandSuspects(decisions_.kill, suspects.users);
      isolate = decisions_.isolate;
    }
    const bool live = globals_.LiveHost();
    std::vector<std::string> done;
    bool ok = true;
    if (live &&
        (isolate || (interactive_ && AskOnTerminal("Isolate this host from the network (all but "
                                                   "your own connection)? Usually block is "
                                                   "enough")))) {
      std::vector<std::string> args = {"isolate", "--yes"};
      for (const auto& keep : decisions_.isolate_keep) args.insert(args.end(), {"--keep", keep});
      ok = Command(args).exit_code == kExitOk && ok;
      done.push_back("isolated");
    }
    if (!block.empty()) {
      std::vector<std::string> options = {"--reason", "irk respond"};
      if (!decisions_.block_for.empty())
        options.insert(options.end(), {"--for", decisions_.block_for});
      if (!live || decisions_.hosts_deny) options.push_back("--hosts-deny");
      ok = Change({"block"}, options, block, "Block these addresses?") && ok;
      done.push_back("block " + std::to_string(block.size()));
    }
    for (const auto& user : lock) {
      ok = Change({"lock"}, {}, {user}, "Lock " + user + "?") && ok;
      done.push_back("lock " + user);
    }
    for (const auto& user : kill) {
      if (!live) {
        std::printf("\n(no processes to kill in an image: irk kill %s is for the live host)\n",
                    EscapeForTerminal(user).c_str());
        continue;
      }
      ok = Change({"kill"}, {}, {user}, "Kill every process of " + user + "?") && ok;
      done.push_back("kill " + user);
    }
    if (done.empty()) return {"done", "nothing to contain"};
    std::string detail;
    for (const auto& item : done) detail += (detail.empty() ? "" : ", ") + item;
    return {ok ? "done" : "failed", detail};
  }

  StepOutcome Entry() {
    const auto& suspects = Suspects();
    std::vector<std::string> all = suspects.users;
    all.insert(all.end(), suspects.addresses.begin(), suspects.addresses.end());
    const auto targets = respond::ExpandSuspects(decisions_.entry, all);
    if (targets.empty()) {
      std::printf("\nNo suspect to explain. irk entry USER|ADDR looks at one by hand.\n");
      return {"done", "no suspects"};
    }
    for (const auto& target : targets) Command({"entry", "--", target});
    return {"done", Counted(targets.size(), "suspect") + " examined"};
  }

  StepOutcome Assess() {
    const std::filesystem::path baseline =
        decisions_.db.empty() ? std::filesystem::path(globals_.case_dir) / "baseline.db"
                              : std::filesystem::path(decisions_.db);
    std::error_code ec;
    std::string key_file = decisions_.key_file;
    const bool have_baseline = std::filesystem::exists(baseline, ec);
    if (have_baseline && key_file.empty() && interactive_ && !decisions_.packages) {
      std::printf(
          "A baseline exists (%s). Its key file (empty: compare with the package "
          "database instead): ",
          EscapeForTerminal(baseline.string()).c_str());
      std::fflush(stdout);
      std::getline(std::cin, key_file);
    }
    if (!have_baseline || key_file.empty() || decisions_.packages)
      return Display({"check", "--packages"});
    std::vector<std::string> args = {"check", "--key-file", key_file};
    if (!decisions_.db.empty()) args.insert(args.end(), {"--db", decisions_.db});
    return Display(args);
  }

  // Asks on the terminal for a line; `fallback` when the answer is empty.
  static std::string AskLine(const std::string& question, const std::string& fallback) {
    std::printf("%s", question.c_str());
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    return answer.empty() ? fallback : answer;
  }

  static std::vector<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    std::string word;
    while (in >> word) words.push_back(word);
    return words;
  }

  StepOutcome Watch() {
    std::string duration = decisions_.watch_duration;
    bool respond = decisions_.watch_respond;
    if (interactive_) {
      duration = AskLine("Watch for how long? [" + duration + "] ", duration);
      respond = AskOnTerminal("Block and kill a returning intruder at once (else only alert)?");
    }
    std::vector<std::string> args = {"watch", "--for", duration};
    if (respond && globals_.LiveHost()) args.push_back("--respond");
    const ChildRun run = Command(args);
    if (run.exit_code >= kExitError || run.exit_code < 0) {
      return {"failed", "irk watch ended with exit status " + std::to_string(run.exit_code)};
    }
    return {"done", run.exit_code == kExitFindings ? "alerts in " + duration + " (see above)"
                                                   : "no alert in " + duration};
  }

  StepOutcome Recover() {
    std::vector<std::string> sources = decisions_.recover_from;
    std::vector<std::string> paths = decisions_.recover_paths;
    if (interactive_ && sources.empty()) {
      sources = Words(AskLine(
          "Backup sources (snapshot folders, archives, restic repositories; empty: later): ", ""));
    }
    if (interactive_ && paths.empty() && !sources.empty()) {
      paths = Words(AskLine("Files to recover, absolute paths (from the assess step): ", ""));
    }
    if (sources.empty() || paths.empty()) {
      std::printf(
          "\nNo backup sources or no files named: irk backups history PATH --from "
          "SOURCE shows each file's versions.\n");
      return {"later", "no backup sources or files named ([recover] from and paths)"};
    }
    std::vector<std::string> from;
    for (const auto& source : sources) from.insert(from.end(), {"--from", source});
    if (!decisions_.key_file.empty()) from.insert(from.end(), {"--key-file", decisions_.key_file});
    if (!decisions_.db.empty()) from.insert(from.end(), {"--db", decisions_.db});
    std::vector<std::string> history = {"backups", "history"};
    history.insert(history.end(), from.begin(), from.end());
    history.push_back("--");
    history.insert(history.end(), paths.begin(), paths.end());
    if (const ChildRun run = Command(history); run.exit_code >= kExitError) {
      return {"failed",
              "irk backups history ended with exit status " + std::to_string(run.exit_code)};
    }
    std::vector<std::string> options = {"--last-good"};
    options.insert(options.end(), from.begin(), from.end());
    size_t restored = 0;
    bool ok = true;
    for (const auto& path : paths) {
      const bool done =
          Change({"restore"}, options, {path}, "Restore " + path + " from its last good version?");
      ok = ok && done;
      restored += done ? 1 : 0;
    }
    return {ok ? "done" : "failed",
            std::to_string(restored) + " of " + std::to_string(paths.size()) + " files restored"};
  }

  StepOutcome Report() {
    const std::string out = decisions_.report_out.empty()
                                ? (std::filesystem::path(globals_.case_dir) / "report").string()
                                : decisions_.report_out;
    const bool whois =
        decisions_.report_whois ||
        (interactive_ && AskOnTerminal("Look up each suspect address's abuse contact with whois "
                                       "(this asks the registries over the Internet)?"));
    if (whois) {
      for (const auto& address : Suspects().addresses) Command({"whois", "--", address});
    }
    // `irk report` with the options every one of its runs shares, then `rest`.
    const auto report = [this](std::vector<std::string> rest) {
      std::vector<std::string> args = {"report"};
      if (!decisions_.report_contacts.empty()) {
        args.insert(args.end(), {"--contacts", decisions_.report_contacts});
      }
      args.insert(args.end(), rest.begin(), rest.end());
      return Command(args).exit_code < kExitError;
    };
    bool ok = true;
    for (const char* format : {"md", "html", "json"}) {
      ok = report({"--format", format, "--out", out}) && ok;
    }
    const bool drafts = report({"--abuse", "--out", out + "/abuse"});
    ok = report({"--csirt", "--out", out + "/csirt"}) && ok;
    std::printf("\nThe report: %s/report.html (and .md, .json); the CSIRT notice: %s/csirt.\n",
                EscapeForTerminal(out).c_str(), EscapeForTerminal(out).c_str());
    if (drafts) {
      std::printf("Abuse drafts: %s/abuse. Nothing is sent until: irk report --send %s/abuse\n",
                  EscapeForTerminal(out).c_str(), EscapeForTerminal(out).c_str());
    }
    return {ok ? "done" : "failed",
            out + (drafts ? "" : " (no abuse drafts: see the message above)")};
  }

  const Globals& globals_;
  CaseStore& store_;
  respond::Decisions decisions_;
  bool interactive_;
  std::optional<respond::Suspects> suspects_;
  bool failed_ = false;
};

void PrintProgress(const std::vector<respond::StepProgress>& progress) {
  std::printf("Where the case stands:\n");
  size_t number = 0;
  for (const auto& step : progress) {
    ++number;
    const std::string state = step.outcome.empty() ? "to do" : step.outcome;
    std::printf("  %zu. %-8s %-8s %s%s%s\n", number, step.step.c_str(), state.c_str(),
                step.time.substr(0, 19).c_str(), step.detail.empty() ? "" : "  ",
                EscapeForTerminal(step.detail).c_str());
  }
}

int RunRespond(const Globals& globals, const RespondOptions& options) {
  if (globals.json) return ReportError(Fail("irk respond has no --json; the commands it runs do"));
  if (!options.step.empty() && respond::FindStep(options.step) == nullptr) {
    return ReportError(Fail("no step named '" + options.step + "'; irk respond --list shows them"));
  }
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto records = store->Records();
  if (!records.ok()) return ReportError(records.error());
  const auto progress = respond::ReadProgress(*records);
  if (options.list) {
    PrintProgress(progress);
    return kExitOk;
  }

  respond::Decisions decisions;
  if (options.plan_path) {
    auto plan = LoadConfig(*options.plan_path);
    if (!plan.ok()) return ReportError(plan.error());
    auto read = respond::ReadDecisions(*plan);
    if (!read.ok()) return ReportError(read.error());
    decisions = std::move(*read);
  }
  const bool terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  const bool interactive = !(options.yes && options.plan_path);
  if (interactive && !terminal) {
    return ReportError(
        Fail("irk respond asks before every change; without a terminal give --yes --plan FILE "
             "(irk help respond shows the file)"));
  }

  std::vector<const respond::StepInfo*> steps;
  if (!options.step.empty()) {
    steps.push_back(respond::FindStep(options.step));
  } else {
    // ReadProgress gives one entry per step, in the same order as Steps().
    for (size_t i = 0; i < respond::Steps().size(); ++i) {
      const auto& outcome = progress[i].outcome;
      if (outcome != "done" && outcome != "skipped") steps.push_back(&respond::Steps()[i]);
    }
  }
  if (steps.empty()) {
    std::printf(
        "Every step of the procedure is done or skipped in this case.\n"
        "irk respond --step NAME runs one again; irk respond --list shows them.\n");
    return kExitOk;
  }
  std::printf(
      "irk respond: case %s. Remain calm: each change is shown before it happens, "
      "journaled, and undoable with irk undo.\n",
      EscapeForTerminal(globals.case_dir).c_str());
  Walk walk(globals, *store, std::move(decisions), interactive);
  for (const auto* step : steps) {
    const size_t number = static_cast<size_t>(step - &respond::Steps().front()) + 1;
    if (!walk.Run(*step, number)) break;
  }
  std::printf("\n");
  auto after = store->Records();
  if (!after.ok()) return ReportError(after.error());
  const auto now = respond::ReadProgress(*after);
  PrintProgress(now);
  if (const auto next = respond::NextStep(now)) {
    std::printf("Run irk respond again to go on with '%s'.\n", next->c_str());
    return kExitFindings;
  }
  return walk.failed() ? kExitFindings : kExitOk;
}

}  // namespace

Command AddRespondCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<RespondOptions>();
  CLI::App* app = parent.add_subcommand(
      "respond",
      "The whole procedure, guided: triage, contain, watch, entry, hunt, assess, recover, report");
  app->add_flag("-y,--yes", options->yes, "Take every decision from --plan; never ask");
  app->add_option("--plan", options->plan_path, "Decisions for --yes (TOML; see below)")
      ->type_name("FILE");
  app->add_option("--step", options->step, "Run only this step (again)")->type_name("NAME");
  app->add_flag("--list", options->list, "Show where the case stands, step by step");
  app->footer(R"(Walks the break-in procedure one step a screen, each step running irk's own
commands (printed before they run, so you learn them):
  triage   irk status; suspects: sessions from new or never-seen sources, and
           sources with 10 or more failed logins in 24 hours
  contain  irk isolate (asked, default no), irk block, irk lock, irk kill of
           the suspects, each plan shown (--dry-run) before you say yes
  watch    irk watch --for 10m: do they come back, from elsewhere or as another user?
  entry    irk entry for each suspect: how they got in
  hunt     irk hunt: sniffers, backdoors, persistence
  assess   irk check with the baseline's key, else irk check --packages
  recover  irk backups history and irk restore --last-good of the files you name
  report   irk report (md, html, json), --abuse drafts (never sent by this step),
           --csirt; irk whois of each suspect address first when you agree
Every step's outcome is journaled: run irk respond again and it goes on
where the case stands; irk respond --step NAME repeats one.
Without a terminal: irk respond --yes --plan FILE, a TOML file such as
  skip = ["hunt"]
  [triage]
  failures = 10
  [contain]
  block = ["suspects"]     # or addresses and networks
  block_for = "2h"
  lock = ["suspects"]      # or user names
  kill = ["suspects"]
  isolate = false
  [watch]
  duration = "10m"
  respond = false
  [entry]
  targets = ["suspects"]
  [assess]
  key_file = "/media/usb/irk.key"
  [recover]
  from = ["/backups/daily.0", "/backups/daily.1"]
  paths = ["/usr/bin/ls"]
  [report]
  out = "/root/incident"   # default: report/ in the case folder
  whois = false
  contacts = "/root/whois.json"   # whois data from elsewhere: irk report --contacts
Exit 0 when every step is done or skipped, 1 when some are left or failed.)");
  return {app, [&globals, options] { return RunRespond(globals, *options); }};
}

}  // namespace irk::cli
