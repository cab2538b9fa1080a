// irk restore: put back a good version of a tampered file from a backup, as
// a plan (the tampered file kept in the case) that `irk undo` reverts.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "backups/gather.h"
#include "backups/restore.h"
#include "cli/backup_references.h"
#include "cli/command.h"
#include "cli/plan_apply.h"

namespace irk::cli {
namespace {

struct RestoreArgs {
  std::string path;
  bool last_good = false;
  std::string to_dir;
  BackupOptions options;
  ApplyFlags flags;
};

// The generation to restore from: --from GEN itself, or with --last-good the
// one the history picks.
Result<backups::Generation> ChooseGeneration(const Globals& globals, const RestoreArgs& args,
                                             const backups::HistoryRequest& request,
                                             const Root& root) {
  if (!args.last_good) {
    if (args.options.sources.size() != 1) {
      return Fail("give one generation with --from GEN, or --last-good with the sources");
    }
    return backups::GenerationAt(args.options.sources.front());
  }
  auto generations = backups::FindAllGenerations(args.options.sources);
  if (!generations.ok()) return generations.error();
  const auto report = backups::GatherHistories(*generations, request, root);
  for (const auto& warning : report.warnings) Warn(warning);
  const auto& history = report.histories.front();
  if (!history.last_good) {
    return Fail(
        fmt::format("{}: no last known-good version (none matches a trusted reference; "
                    "give --since, the compromise time)",
                    request.paths.front()));
  }
  const auto& entry = history.entries[history.last_good->entry];
  const auto& chosen = (*generations)[entry.generation];
  if (!globals.json) {
    std::printf("Last known good: %s in %s: %s\n", chosen.name.c_str(), chosen.source.c_str(),
                history.last_good->rule.c_str());
  }
  return chosen;
}

int Run(const Globals& globals, const RestoreArgs& args) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto request = MakeHistoryRequest(globals, args.options, {args.path}, *root);
  if (!request.ok()) return ReportError(request.error());
  auto generation = ChooseGeneration(globals, args, *request, *root);
  if (!generation.ok()) return ReportError(generation.error());

  backups::InodeCache cache;
  backups::ReadOptions read;
  read.keep_content = true;
  read.other = request->other;
  std::vector<std::string> contents;
  auto versions = backups::ReadVersions(*generation, request->paths, read, cache, &contents);
  if (!versions.ok()) return ReportError(versions.error());

  backups::RestoreRequest restore;
  restore.path = request->paths.front();
  restore.generation = *generation;
  restore.version = versions->front();
  restore.content = std::move(contents.front());
  restore.verdict = backups::Judge(restore.version, request->references.front());
  restore.force = args.flags.force;
  restore.to_dir = args.to_dir;
  auto files = contain::HostFiles::Open(args.to_dir.empty() ? globals.root : args.to_dir);
  if (!files.ok()) return ReportError(files.error());
  auto plan = backups::MakeRestorePlan(
      std::make_shared<const contain::HostFiles>(std::move(*files)), restore);
  if (!plan.ok()) return ReportError(plan.error());
  return ConfirmAndApply(globals, *store, *plan, args.flags);
}

}  // namespace

Command AddRestoreCommand(CLI::App& parent, Globals& globals) {
  auto args = std::make_shared<RestoreArgs>();
  auto* app = parent.add_subcommand(
      "restore",
      "Put back a good version of a tampered file from a backup, keeping the tampered "
      "one in the case");
  app->add_option("path", args->path, "The file, absolute, as the system names it")
      ->required()
      ->type_name("PATH");
  app->add_option("--from", args->options.sources,
                  "The generation (a snapshot folder, an archive, REPO::ID for a restic "
                  "snapshot, REPO::ARCHIVE for a borg archive), or with --last-good the backup "
                  "sources")
      ->required()
      ->type_name("GEN|SOURCE");
  app->add_flag("--last-good", args->last_good,
                "Restore the last known-good version `irk backups history` picks");
  app->add_option("--to", args->to_dir,
                  "Write the version into this folder (as DIR/NAME) instead of over PATH")
      ->type_name("DIR");
  AddBackupOptions(*app, args->options);
  AddApplyFlags(app, args->flags);
  app->get_option("--force")->description(
      "Restore an executable even when it matches neither the signed baseline nor the package "
      "hash");
  app->footer(
      "The plan moves the current file into the case (with its metadata) and writes the good\n"
      "version through a temporary file beside it, verified, with its mode, owner and xattrs,\n"
      "renamed into place. `irk undo` moves the restored file into the case and puts the\n"
      "tampered one back. Archive entries with absolute names or '..', paths through a link,\n"
      "and special files are refused.\n"
      "\n"
      "GEN names one generation: a snapshot folder, an archive, REPO::ID for a restic\n"
      "snapshot (its id or short id, as `irk backups list` or `restic snapshots` shows) or\n"
      "REPO::ARCHIVE for a borg archive (its name, as `borg list` shows).\n"
      "\n"
      "  irk restore /etc/passwd --from /mnt/backup/2026-11-19 --dry-run\n"
      "  irk restore /etc/passwd --from /mnt/borg-repo::web1-2026-11-19 --dry-run\n"
      "  irk restore /etc/passwd --from /mnt/restic-repo::b0a0be3b --dry-run\n"
      "  irk restore /usr/bin/ls --last-good --from /mnt/backup --since 2026-11-20 --yes");
  return Command{app, [&globals, args] { return Run(globals, *args); }};
}

}  // namespace irk::cli
