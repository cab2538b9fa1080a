// irk watch: follow every log source live and alert when the attacker comes
// back: from a blocked network, as a locked user, from a new source, with the
// attack's key, in a burst; and on changed accounts, keys, sudoers, sshd
// settings, new listeners and processes of locked users.
#include <signal.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "contain/block.h"
#include "contain/firewall.h"
#include "contain/kill.h"
#include "core/config.h"
#include "core/json.h"
#include "core/operator.h"
#include "core/proc.h"
#include "core/text.h"
#include "core/time.h"
#include "watch/alert_command.h"
#include "watch/respond.h"
#include "watch/watcher.h"

namespace irk::cli {
namespace {

// --exec gets this long per alert.
constexpr int kExecMillis = 10000;

struct WatchCliOptions {
  std::vector<std::string> files;
  std::string since;
  std::string exec;
  std::string duration;  // --for: stop after this long; empty: until a signal
  bool respond = false;
  bool syslog = false;
  bool journal = false;
};

// The stop and reload signals, read from a descriptor in the watch loop, so
// no handler runs in the middle of a write.
Result<Fd> BlockSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  if (sigprocmask(SIG_BLOCK, &signals, nullptr) != 0) return Fail("watch: cannot block signals");
  Fd fd(signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
  if (fd.get() < 0) return Fail("watch: signalfd failed");
  return fd;
}

// The signal waiting on `fd`, or 0.
uint32_t ReadSignal(int fd) {
  signalfd_siginfo info{};
  return read(fd, &info, sizeof(info)) == sizeof(info) ? info.ssi_signo : 0;
}

watch::ResponseGuard Guard() {
  watch::ResponseGuard guard;
  const Operator me = CurrentOperator();
  guard.addresses.host_addresses = contain::HostAddresses();
  guard.addresses.operator_addresses = contain::OperatorAddresses(me.ssh_source);
  guard.operator_user = me.login_user;
  guard.operator_lineage = contain::Lineage(ReadProcesses("/proc"), getpid());
  return guard;
}

class AlertOutput {
 public:
  AlertOutput(const Globals& globals, CaseStore& store, const WatchCliOptions& options)
      : globals_(globals),
        store_(store),
        options_(options),
        terminal_(!globals.json && isatty(STDOUT_FILENO)),
        exec_argv_(watch::SplitCommand(options.exec)) {}

  void SetResponder(std::unique_ptr<watch::Responder> responder) {
    responder_ = std::move(responder);
  }

  void Alert(const watch::Alert& alert) {
    ClearSummary();
    const std::string json = alert.Json();
    if (globals_.json) {
      std::printf("%s\n", json.c_str());
    } else {
      std::printf("%s\n", alert.Line().c_str());
      for (const auto& line : alert.lines) {
        std::printf("    %s\n", EscapeForTerminal(line).c_str());
      }
    }
    std::fflush(stdout);
    if (auto record = store_.Append("watch.alert", json); !record.ok()) {
      Warn(record.error().message);
    }
    if (options_.syslog) syslog(LOG_WARNING, "%s", alert.Line().c_str());
    if (!exec_argv_.empty()) {
      if (auto status = watch::RunAlertCommand(exec_argv_, json + "\n", kExecMillis);
          !status.ok()) {
        Warn(status.error().message);
      }
    }
    if (responder_) Respond(alert);
  }

  // "watching 3 files and the journal: 1234 lines, 56 events, 2 alerts",
  // refreshed in place on a terminal only.
  void Summary(const watch::Watcher& watcher) {
    if (!terminal_) return;
    const auto& c = watcher.counts();
    std::printf("\r\x1b[Kwatching %zu files%s: %lu lines, %lu events, %lu alerts",
                watcher.FollowedFiles().size(),
                watcher.following_journal() ? " and the journal" : "",
                static_cast<unsigned long>(c.lines), static_cast<unsigned long>(c.events),
                static_cast<unsigned long>(c.alerts));
    std::fflush(stdout);
    summary_shown_ = true;
  }

  void ClearSummary() {
    if (!summary_shown_) return;
    std::printf("\r\x1b[K");
    summary_shown_ = false;
  }

  void Note(const std::string& text) {
    ClearSummary();
    if (globals_.json) {
      JsonObject object;
      object.Add("type", "note").Add("time", FormatRfc3339(Now())).Add("text", text);
      std::printf("%s\n", object.str().c_str());
    } else {
      std::printf("%s  %s\n", FormatRfc3339(Now()).c_str(), EscapeForTerminal(text).c_str());
    }
    std::fflush(stdout);
  }

 private:
  void Respond(const watch::Alert& alert) {
    std::vector<std::string> refused;
    for (const contain::Plan& plan : responder_->Plans(alert, refused)) {
      auto action = contain::ApplyPlan(store_, plan, [](const contain::JournaledStep&) {});
      if (!action.ok()) {
        Warn(action.error().message);
        continue;
      }
      Note(fmt::format("responded: {} {} ({}, action {}; irk undo {} reverts it)", plan.action,
                       plan.target, action->State(), action->id, action->id));
    }
    for (const auto& why : refused) Note("respond: " + why);
  }

  const Globals& globals_;
  CaseStore& store_;
  const WatchCliOptions& options_;
  bool terminal_;
  bool summary_shown_ = false;
  std::vector<std::string> exec_argv_;
  std::unique_ptr<watch::Responder> responder_;
};

int RunWatch(const Globals& globals, const WatchCliOptions& options) {
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  watch::WatchOptions watch_options;
  // Absolute, as the history's reader (through the root) and the cursors name them.
  for (const auto& file : options.files) {
    std::error_code error;
    watch_options.files.push_back(std::filesystem::absolute(file, error).string());
  }
  watch_options.journal = options.journal;
  if (!options.since.empty()) {
    watch_options.since = ParseTimeArgument(options.since, Now());
    if (!watch_options.since) {
      return ReportError(Fail(fmt::format("--since {}: not a time", options.since)));
    }
  }
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (!options.duration.empty()) {
    const auto seconds = ParseDuration(options.duration);
    if (!seconds || *seconds <= 0) {
      return ReportError(
          Fail(fmt::format("--for {}: not a duration (30s, 10m, 2h)", options.duration)));
    }
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*seconds);
  }
  if (!options.exec.empty() && watch::SplitCommand(options.exec).empty()) {
    return ReportError(Fail("--exec: no command"));
  }
  if (options.respond && !globals.LiveHost()) {
    return ReportError(Fail("--respond acts on this host; it does not go with --root"));
  }
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto signals = BlockSignals();
  if (!signals.ok()) return ReportError(signals.error());

  const auto problem = [](const Error& error) { Warn(error.message); };
  auto watcher = watch::Watcher::Start(*store, *root, *config, watch_options, problem);
  if (!watcher.ok()) return ReportError(watcher.error());
  AlertOutput output(globals, *store, options);
  if (options.respond) {
    auto firewall = contain::OpenNftables();
    if (!firewall.ok()) return ReportError(firewall.error().Wrap("--respond"));
    output.SetResponder(std::make_unique<watch::Responder>(std::move(*firewall), Guard()));
  }
  if (options.syslog) openlog("irk", LOG_PID, LOG_AUTHPRIV);

  const auto& knowledge = (*watcher)->knowledge();
  JsonArray files;
  for (const auto& file : (*watcher)->FollowedFiles()) files.Add(file);
  JsonObject start;
  start.Add("files", files).Add("journal", (*watcher)->following_journal());
  start.Add("blocked", knowledge.blocked.size()).Add("locked", knowledge.locked_users.size());
  start.Add("respond", options.respond);
  if (auto record = store->Append("watch.start", start.str()); !record.ok()) {
    return ReportError(record.error());
  }
  output.Note(fmt::format(
      "watching {}{}; {}, {}, {}{}", Counted((*watcher)->FollowedFiles().size(), "log file"),
      (*watcher)->following_journal() ? " and the journal" : "",
      Counted(knowledge.blocked.size(), "blocked network"),
      Counted(knowledge.locked_users.size(), "locked user"),
      Counted(knowledge.keys.size(), "attack key"), options.respond ? "; responding" : ""));

  const auto on_alert = [&output](const watch::Alert& alert) { output.Alert(alert); };
  while (!deadline || std::chrono::steady_clock::now() < *deadline) {
    auto woke = (*watcher)->Step(signals->get(), 1000, on_alert, problem);
    if (!woke.ok()) {
      output.ClearSummary();
      return ReportError(woke.error());
    }
    output.Summary(**watcher);
    if (!*woke) continue;
    const uint32_t signal = ReadSignal(signals->get());
    if (signal == SIGHUP) {
      if (auto status = (*watcher)->Reload(); !status.ok()) {
        Warn(status.error().message);
      } else {
        output.Note(fmt::format("reloaded the case: {}, {}",
                                Counted(knowledge.blocked.size(), "blocked network"),
                                Counted(knowledge.locked_users.size(), "locked user")));
      }
    } else if (signal == SIGTERM || signal == SIGINT) {
      break;
    }
  }
  output.ClearSummary();
  const Status saved = (*watcher)->SaveCursors();
  const auto& counts = (*watcher)->counts();
  JsonObject stop;
  stop.Add("lines", counts.lines).Add("events", counts.events).Add("alerts", counts.alerts);
  if (auto record = store->Append("watch.stop", stop.str()); !record.ok()) {
    Warn(record.error().message);
  }
  if (!saved.ok()) return ReportError(saved.error());
  output.Note(fmt::format("stopped: {} lines, {} events, {} alerts", counts.lines, counts.events,
                          counts.alerts));
  return counts.alerts > 0 ? kExitFindings : kExitOk;
}

}  // namespace

Command AddWatchCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<WatchCliOptions>();
  auto* app = parent.add_subcommand("watch",
                                    "Follow every log live and alert when the attacker comes back");
  app->add_option("files", options->files,
                  "Follow these log files instead of the default ones (auth.log, secure, ...)");
  app->add_option("--since", options->since,
                  "Start at this time (2026-11-26T13:00:00Z, 2h) instead of where the last watch "
                  "stopped, or now")
      ->type_name("TIME");
  app->add_flag("--respond", options->respond,
                "Block the address and kill the session of an intruder at once (journaled; "
                "irk undo reverts it)");
  app->add_option("--for", options->duration,
                  "Stop by itself after this long (10m, 2h), as SIGTERM would")
      ->type_name("DURATION");
  app->add_flag("--syslog", options->syslog, "Send each alert to syslog too (authpriv.warning)");
  app->add_option("--exec", options->exec,
                  "Run CMD for each alert with the alert as JSON on its stdin (no shell; "
                  "words split at spaces; 10 s at most)")
      ->type_name("CMD");
  app->add_flag("--journal", options->journal,
                "Follow the systemd journal even where a text auth log exists");
  app->footer(
      "Follows each log from its end (or from where the last watch of this case\n"
      "stopped: cursors are kept in the case), through every rotation, and the\n"
      "journal where no text auth log exists. Alerts, each with its log lines:\n"
      "  blocked-address, blocked-network  any event from an address irk blocked,\n"
      "                                    or from its /24 or /48 ([watch] prefixes)\n"
      "  blocked-packets  packets irk's block dropped, by source (nftables counters;\n"
      "                   once a minute at most per source)\n"
      "  locked-user      any attempt as a user irk locked, from anywhere\n"
      "  new-source       a login from a source never seen for that user\n"
      "  attacker-key     a login with a key the attack used\n"
      "  attacker-client  a login whose client announced the attack's software version\n"
      "                   (sshd's LogLevel DEBUG only; alert only, never --respond)\n"
      "  burst            failures from a new source ([watch] burst_failures in\n"
      "                   burst_seconds)\n"
      "  new-account, new-uid0, account-changed, keys-changed, sudoers-changed,\n"
      "  sshd-config-changed             the files behind them changed\n"
      "  new-listener, locked-user-process   from /proc, every second\n"
      "Every alert is journaled (watch.alert). SIGINT or SIGTERM stops and saves\n"
      "the cursors, and so does the end of --for; SIGHUP re-reads what the case\n"
      "blocks and locks. Exit 1 when there were alerts.\n"
      "Example: irk watch --respond --exec /usr/local/bin/page");
  return Command{app, [&globals, options] { return RunWatch(globals, *options); }};
}

}  // namespace irk::cli
