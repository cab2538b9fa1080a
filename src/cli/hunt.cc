// irk hunt: sniffers, deleted or hidden processes, preloads, listeners,
// extra root accounts, setuid files, keys, persistence, foreign kernel
// modules, trust files and programs in /tmp, most severe first.
#include <cstdio>
#include <map>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"
#include "hunt/hunt.h"

namespace irk::cli {
namespace {

struct HuntOptions {
  std::vector<std::string> only;
  bool all = false;  // info findings too
};

Color SeverityColor(hunt::Severity severity) {
  switch (severity) {
    case hunt::Severity::kHigh:
      return Color::kRed;
    case hunt::Severity::kMedium:
      return Color::kYellow;
    default:
      return Color::kNone;
  }
}

int RunHunt(const Globals& globals, const HuntOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  hunt::HuntOptions hunt_options;
  hunt_options.now = Now();
  for (const std::string& kind : options.only) {
    const auto& kinds = hunt::Kinds();
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      return ReportError(
          Fail(fmt::format("--only {}: no such kind (irk hunt --help lists them)", kind)));
    }
    hunt_options.kinds.insert(kind);
  }

  const std::vector<hunt::Finding> findings = hunt::Hunt(*root, hunt_options);
  std::map<hunt::Severity, int> counts;
  for (const auto& f : findings) ++counts[f.severity];

  if (globals.json) {
    for (const auto& f : findings) {
      JsonObject evidence;
      for (const auto& [name, value] : f.evidence) evidence.Add(name, value);
      JsonObject object;
      object.Add("kind", f.kind)
          .Add("severity", hunt::SeverityName(f.severity))
          .Add("summary", f.summary)
          .Add("pid", f.pid);
      if (!f.path.empty()) object.Add("path", f.path);
      if (!f.user.empty()) object.Add("user", f.user);
      object.Add("evidence", evidence);
      std::printf("%s\n", object.str().c_str());
    }
  } else {
    Table table({"SEVERITY", "KIND", "FINDING"});
    size_t hidden = 0;
    for (const auto& f : findings) {
      if (f.severity == hunt::Severity::kInfo && !options.all) {
        ++hidden;
        continue;
      }
      table.AddRow({Cell(std::string(hunt::SeverityName(f.severity)), SeverityColor(f.severity)),
                    f.kind, f.summary});
    }
    if (table.rows() > 0) {
      std::printf("%s", table.Render(globals.Color()).c_str());
    } else {
      std::printf("Nothing suspicious found%s.\n", root->live() ? "" : " in the image");
    }
    if (hidden > 0) {
      std::printf("%zu informational finding%s (listeners, authorized keys): --all shows them.\n",
                  hidden, hidden == 1 ? "" : "s");
    }
    if (!root->live()) {
      std::printf(
          "An image has no running processes: sniffers, listeners, hidden and deleted "
          "processes and kernel modules were not looked for.\n");
    }
  }

  JsonObject summary;
  summary.Add("root", root->dir().string())
      .Add("high", counts[hunt::Severity::kHigh])
      .Add("medium", counts[hunt::Severity::kMedium])
      .Add("low", counts[hunt::Severity::kLow])
      .Add("info", counts[hunt::Severity::kInfo]);
  if (auto record = store->Append("hunt", summary.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return counts[hunt::Severity::kHigh] + counts[hunt::Severity::kMedium] > 0 ? kExitFindings
                                                                             : kExitOk;
}

}  // namespace

Command AddHuntCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<HuntOptions>();
  auto* app = parent.add_subcommand(
      "hunt", "Look for sniffers, hidden or deleted processes, backdoors and persistence");
  app->add_option("--only", options->only, "Only these kinds (repeatable or comma-separated)")
      ->delimiter(',')
      ->type_name("KIND");
  app->add_flag("--all", options->all, "Also list informational findings (listeners, keys)");
  app->footer(
      "Kinds: sniffer (promiscuous interfaces, packet sockets and their processes),\n"
      "deleted_binary, hidden_process (in no /proc listing but alive), preload\n"
      "(/etc/ld.so.preload, LD_PRELOAD), listener (every listening socket and its\n"
      "process), uid0, no_password, setuid (setuid/setgid/capabilities outside the\n"
      "package lists), authorized_key, persistence (cron, at, systemd, rc.local,\n"
      "profile, motd, udev, PAM: not from a package or changed in 7 days),\n"
      "kernel_module (loaded but not in /lib/modules), trust (.rhosts, hosts.equiv),\n"
      "tmp_executable (/tmp, /var/tmp, /dev/shm).\n"
      "Everything is read from /proc, /sys and the files themselves: never ps,\n"
      "netstat or lsof. With --root only the file kinds apply.\n"
      "Exit 1 when anything of high or medium severity is found.");
  return Command{app, [&globals, options] { return RunHunt(globals, *options); }};
}

}  // namespace irk::cli
