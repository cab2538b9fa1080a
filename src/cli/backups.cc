// irk backups: the generations of backup sources (list), every version of a
// file across them with a verdict and the last known-good one (history), and
// who can reach the backups (audit).
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "backups/audit.h"
#include "backups/gather.h"
#include "cli/backup_references.h"
#include "cli/command.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"

namespace irk::cli {
namespace {

struct BackupsArgs {
  std::vector<std::string> list_sources;
  std::vector<std::string> audit_sources;
  std::vector<std::string> paths;
  BackupOptions options;
};

int List(const Globals& globals, const std::vector<std::string>& sources) {
  auto generations = backups::FindAllGenerations(sources);
  if (!generations.ok()) return ReportError(generations.error());
  if (globals.json) {
    for (const auto& g : *generations) {
      std::printf("%s\n", JsonObject()
                              .Add("type", "generation")
                              .Add("source", g.source)
                              .Add("name", g.name)
                              .Add("kind", backups::GenerationKindName(g.kind))
                              .Add("location", g.location.string())
                              .Add("time", FormatRfc3339(g.time))
                              .Add("time_from", g.time_from)
                              .str()
                              .c_str());
    }
    return kExitOk;
  }
  Table table({"TIME (UTC)", "FROM", "KIND", "SOURCE", "GENERATION", "TREE OR FILE"});
  for (const auto& g : *generations) {
    table.AddRow({FormatShort(g.time), g.time_from,
                  std::string(backups::GenerationKindName(g.kind)), g.source, g.name,
                  g.location.string()});
  }
  std::fputs(table.Render(globals.Color()).c_str(), stdout);
  return kExitOk;
}

Color VerdictColor(backups::Verdict verdict) {
  switch (verdict) {
    case backups::Verdict::kBaseline:
    case backups::Verdict::kPackage:
      return Color::kGreen;
    case backups::Verdict::kDiffers:
    case backups::Verdict::kUnreadable:
      return Color::kRed;
    case backups::Verdict::kMissing:
      return Color::kYellow;
    case backups::Verdict::kUnknown:
      break;
  }
  return Color::kNone;
}

std::string Owner(const backups::Version& v) { return fmt::format("{}:{}", v.uid, v.gid); }

std::string Mtime(const backups::Version& v) {
  return FormatShort(Timestamp{v.mtime_ns / 1000000000, 0});
}

void PrintHistoryJson(const backups::History& history,
                      const std::vector<backups::Generation>& generations) {
  for (const auto& group : history.groups) {
    const auto& first = history.entries[group.first];
    const auto& v = first.version;
    JsonArray names;
    for (size_t i = group.first; i <= group.last; ++i) {
      names.Add(generations[history.entries[i].generation].source + " " +
                generations[history.entries[i].generation].name);
    }
    JsonObject object;
    object.Add("type", "version")
        .Add("path", history.path)
        .Add("generations", names)
        .Add("time_first", FormatRfc3339(generations[first.generation].time))
        .Add("time_last", FormatRfc3339(generations[history.entries[group.last].generation].time))
        .Add("verdict", backups::VerdictName(first.verdict));
    if (v.present) {
      object.Add("file_type", integrity::FileTypeName(v.type))
          .Add("size", v.size)
          .Add("mode", integrity::FormatMode(v.mode))
          .Add("uid", v.uid)
          .Add("gid", v.gid)
          .Add("mtime", integrity::FormatNanoseconds(v.mtime_ns));
      if (!v.sha256.empty()) object.Add("sha256", v.sha256);
      if (!v.target.empty()) object.Add("target", v.target);
    }
    if (!v.problem.empty()) object.Add("problem", v.problem);
    std::printf("%s\n", object.str().c_str());
  }
  JsonObject good;
  good.Add("type", "last_good").Add("path", history.path);
  if (history.last_good) {
    const auto& entry = history.entries[history.last_good->entry];
    const auto& g = generations[entry.generation];
    JsonArray cautions;
    for (const auto& c : history.last_good->cautions) cautions.Add(c);
    good.Add("source", g.source)
        .Add("generation", g.name)
        .Add("location", g.location.string())
        .Add("time", FormatRfc3339(g.time))
        .Add("sha256", entry.version.sha256)
        .Add("verdict", backups::VerdictName(entry.verdict))
        .Add("rule", history.last_good->rule)
        .Add("trusted", history.last_good->trusted)
        .Add("cautions", cautions);
  } else {
    good.AddNull("generation");
  }
  std::printf("%s\n", good.str().c_str());
}

void PrintHistoryTable(const backups::History& history,
                       const std::vector<backups::Generation>& generations, bool color) {
  std::printf("%s\n", Paint(EscapeForTerminal(history.path), Color::kBold, color).c_str());
  Table table(
      {"GENERATIONS", "TIME (UTC)", "SHA256", "SIZE", "MODE", "OWNER", "MTIME (UTC)", "VERDICT"});
  for (const auto& group : history.groups) {
    const auto& first = history.entries[group.first];
    const auto& last = history.entries[group.last];
    const auto& v = first.version;
    const auto& g1 = generations[first.generation];
    const auto& g2 = generations[last.generation];
    const size_t count = group.last - group.first + 1;
    std::string names = count == 1 ? g1.name : fmt::format("{} … {} ({})", g1.name, g2.name, count);
    std::string when =
        count == 1 ? FormatShort(g1.time) : FormatShort(g1.time) + " … " + FormatShort(g2.time);
    std::string verdict(backups::VerdictName(first.verdict));
    if (!v.problem.empty()) verdict += ": " + v.problem;
    if (!v.present && v.problem.empty()) {
      table.AddRow({names, when, "", "", "", "", "", Cell(verdict, VerdictColor(first.verdict))});
      continue;
    }
    const std::string hash = !v.sha256.empty()   ? v.sha256.substr(0, 16)
                             : !v.target.empty() ? "-> " + v.target
                                                 : std::string(integrity::FileTypeName(v.type));
    table.AddRow({names, when, hash, std::to_string(v.size), integrity::FormatMode(v.mode),
                  Owner(v), Mtime(v), Cell(verdict, VerdictColor(first.verdict))});
  }
  std::fputs(table.Render(color).c_str(), stdout);
  if (history.last_good) {
    const auto& entry = history.entries[history.last_good->entry];
    const auto& g = generations[entry.generation];
    std::printf(
        "Last known good: %s in %s (%s), sha256 %s: %s%s\n", EscapeForTerminal(g.name).c_str(),
        EscapeForTerminal(g.source).c_str(), FormatShort(g.time).c_str(),
        entry.version.sha256.c_str(), history.last_good->rule.c_str(),
        history.last_good->cautions.empty()
            ? ""
            : fmt::format(" (caution: {})", fmt::join(history.last_good->cautions, "; ")).c_str());
  } else {
    std::printf(
        "Last known good: none found (no version matches a trusted reference; give "
        "--since, the compromise time)\n");
  }
  std::printf("\n");
}

int HistoryCommand(const Globals& globals, const BackupsArgs& args) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto request = MakeHistoryRequest(globals, args.options, args.paths, *root);
  if (!request.ok()) return ReportError(request.error());
  auto generations = backups::FindAllGenerations(args.options.sources);
  if (!generations.ok()) return ReportError(generations.error());
  const auto report = backups::GatherHistories(*generations, *request, *root);
  for (const auto& warning : report.warnings) Warn(warning);
  bool differs = false;
  JsonArray picks;
  for (const auto& history : report.histories) {
    if (globals.json) {
      PrintHistoryJson(history, *generations);
    } else {
      PrintHistoryTable(history, *generations, globals.Color());
    }
    for (const auto& entry : history.entries) {
      differs = differs || entry.verdict == backups::Verdict::kDiffers;
    }
    JsonObject pick;
    pick.Add("path", history.path);
    if (history.last_good) {
      const auto& entry = history.entries[history.last_good->entry];
      pick.Add("generation", (*generations)[entry.generation].location.string())
          .Add("sha256", entry.version.sha256)
          .Add("rule", history.last_good->rule);
    }
    picks.Add(pick);
  }
  if (auto appended = store->Append(
          "backups.history",
          JsonObject().Add("generations", generations->size()).Add("paths", picks).str());
      !appended.ok()) {
    return ReportError(appended.error());
  }
  return differs ? kExitFindings : kExitOk;
}

int Audit(const Globals& globals, const std::vector<std::string>& sources) {
  bool warned = false;
  Table table({"SOURCE", "CHECK", "LEVEL", "DETAIL"});
  for (const auto& source : sources) {
    auto generations = backups::FindGenerations(source);
    std::vector<backups::AuditFinding> findings = backups::AuditSource(
        source, generations.ok() ? *generations : std::vector<backups::Generation>(), globals.root,
        Now());
    if (!generations.ok()) {
      findings.push_back(
          {source, "generations", backups::AuditLevel::kWarning, generations.error().message});
    }
    for (const auto& f : findings) {
      warned = warned || f.level == backups::AuditLevel::kWarning;
      const std::string level(backups::AuditLevelName(f.level));
      if (globals.json) {
        std::printf("%s\n", JsonObject()
                                .Add("source", f.source)
                                .Add("check", f.check)
                                .Add("level", level)
                                .Add("detail", f.detail)
                                .str()
                                .c_str());
      } else {
        table.AddRow({f.source, f.check,
                      Cell(level, f.level == backups::AuditLevel::kWarning ? Color::kRed
                                  : f.level == backups::AuditLevel::kOk    ? Color::kGreen
                                                                           : Color::kNone),
                      f.detail});
      }
    }
  }
  if (!globals.json) std::fputs(table.Render(globals.Color()).c_str(), stdout);
  return warned ? kExitFindings : kExitOk;
}

}  // namespace

Command AddBackupsCommand(CLI::App& parent, Globals& globals) {
  auto args = std::make_shared<BackupsArgs>();
  auto* app = parent.add_subcommand(
      "backups", "Find the last good version of a tampered file across backup generations");
  app->require_subcommand(1);
  auto* list = app->add_subcommand("list", "Show the generations each SOURCE holds, oldest first");
  list->add_option("source", args->list_sources, "Backup sources")->required()->type_name("SOURCE");
  auto* history = app->add_subcommand(
      "history", "Every version of PATH across the generations, judged, and the last good one");
  history->add_option("path", args->paths, "Absolute paths, as the backed-up system names them")
      ->required()
      ->type_name("PATH");
  history->add_option("--from", args->options.sources, "Backup sources (one or more)")
      ->required()
      ->type_name("SOURCE");
  AddBackupOptions(*history, args->options);
  auto* audit = app->add_subcommand(
      "audit", "Who can reach each backup, where it lives, secrets in it, its age, its own check");
  audit->add_option("source", args->audit_sources, "Backup sources")
      ->required()
      ->type_name("SOURCE");
  app->footer(
      "A SOURCE is a folder of snapshot folders (rsnapshot's daily.N, dated rsync --link-dest\n"
      "folders), a btrfs/snapper volume (.snapshots/N/snapshot), a ZFS dataset\n"
      "(.zfs/snapshot/NAME), a folder of archives or one archive (tar with any compression,\n"
      "GNU incremental levels too), a restic repository (restic on PATH, RESTIC_PASSWORD\n"
      "set), or a borg repository (borg on PATH; a folder whose config starts with\n"
      "[repository]; BORG_PASSPHRASE or BORG_PASSCOMMAND set when it is encrypted, irk never\n"
      "asks). Only the asked paths are read; archives are streamed, never unpacked.\n"
      "\n"
      "borg is only read: --bypass-lock (no lock written into the repository), a private\n"
      "cache and security folder removed after each call (nothing added to ~/.cache/borg\n"
      "or ~/.config/borg, no repository made known), TZ=UTC0 (borg 1.2 prints local times\n"
      "without a zone) and BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes (else borg would\n"
      "ask). audit runs `borg check --archives-only --verify-data` (reads every chunk the\n"
      "archives use; a full check would rewrite the repository's config) and `restic check`.\n"
      "\n"
      "Verdicts: baseline (matches the signed baseline: --db/--key-file, or the case's),\n"
      "package (matches dpkg's md5sums), differs, unknown (no reference), missing.\n"
      "\n"
      "  irk backups list /mnt/backup\n"
      "  BORG_PASSCOMMAND='cat /root/borg.pass' irk backups list /mnt/borg-repo\n"
      "  irk backups history /usr/bin/ls /etc/passwd --from /mnt/backup --since 2026-11-20\n"
      "  irk restore /usr/bin/ls --last-good --from /mnt/backup");
  return Command{app, [&globals, args, list, history] {
                   if (list->parsed()) return List(globals, args->list_sources);
                   if (history->parsed()) return HistoryCommand(globals, *args);
                   return Audit(globals, args->audit_sources);
                 }};
}

}  // namespace irk::cli
