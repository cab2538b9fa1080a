// irk baseline init | update | show: record what the system's important
// files are now, in a signed baseline that `irk check` compares against.
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/integrity_options.h"
#include "core/config.h"
#include "core/json.h"
#include "core/table.h"
#include "core/text.h"
#include "core/time.h"
#include "integrity/check.h"
#include "integrity/scanner.h"

namespace irk::cli {
namespace {

using integrity::Baseline;
using integrity::BaselineKey;

struct BaselineArgs {
  IntegrityOptions options;
  std::vector<std::string> paths;  // init: limit to these; show: the paths to show
};

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Signs (when a key is given) and finishes `baseline`; returns its digest.
Result<std::string> SealBaseline(Baseline& baseline, const std::optional<BaselineKey>& key) {
  if (key) {
    if (auto status = baseline.Sign(*key); !status.ok()) return status.error();
  }
  auto digest = baseline.ContentDigest();
  if (!digest.ok()) return digest.error();
  if (auto status = baseline.Finish(); !status.ok()) return status.error();
  return digest;
}

void PrintSealed(const Globals& globals, const std::filesystem::path& file,
                 const integrity::ScanTotals& totals, double seconds, const std::string& digest,
                 const std::optional<BaselineKey>& key, JsonObject& details) {
  details.Add("db", file.string())
      .Add("entries", totals.entries)
      .Add("bytes_hashed", totals.bytes)
      .Add("problems", totals.problems)
      .Add("seconds", seconds)
      .Add("digest", digest)
      .Add("signature", key ? std::string(key->kind()) : std::string("none"));
  if (globals.json) {
    std::printf("%s\n", details.str().c_str());
    return;
  }
  std::printf("baseline %s: %llu entries, %s hashed in %.1f s\n", file.c_str(),
              static_cast<unsigned long long>(totals.entries),
              integrity::FormatBytes(totals.bytes).c_str(), seconds);
  std::printf("content digest %s\n  (write it down away from this host)\n", digest.c_str());
  if (key) {
    std::printf("signed with %s\n", std::string(key->kind()).c_str());
  } else {
    std::printf("%s\n", Paint("NOT SIGNED: `irk check` refuses it without --trust-unsigned; "
                              "give --key-file or --sign-key",
                              Color::kYellow, globals.Color())
                            .c_str());
  }
  if (totals.problems > 0) {
    std::printf("%llu entries could not be read completely (`irk baseline show PATH`)\n",
                static_cast<unsigned long long>(totals.problems));
  }
}

int Init(const Globals& globals, const BaselineArgs& args) {
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  auto policy = integrity::PolicyFromConfig(*config);
  if (!policy.ok()) return ReportError(policy.error());
  if (!args.paths.empty()) *policy = integrity::NarrowPolicy(*policy, args.paths);
  auto key = LoadBaselineKey(args.options, /*signing=*/true);
  if (!key.ok()) return ReportError(key.error());
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());

  const auto file = BaselinePath(globals, args.options);
  auto baseline = Baseline::Create(file, *policy, globals.root);
  if (!baseline.ok()) return ReportError(baseline.error());
  const auto start = std::chrono::steady_clock::now();
  auto totals = integrity::Scan(
      *root, *policy, integrity::ScanOptions{args.options.workers, ShowProgress()},
      [&](std::vector<integrity::FileRecord>& batch) { return baseline->Add(batch); });
  if (!totals.ok()) return ReportError(totals.error());
  auto digest = SealBaseline(*baseline, *key);
  if (!digest.ok()) return ReportError(digest.error());

  JsonObject details;
  PrintSealed(globals, file, *totals, Seconds(start), *digest, *key, details);
  if (auto record = store->Append("baseline.init", details.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return kExitOk;
}

int Update(const Globals& globals, const BaselineArgs& args) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto trusted = OpenBaselineWithKey(globals, args.options, /*signing=*/true);
  if (!trusted.ok()) return ReportError(trusted.error());
  const auto& file = trusted->file;
  const auto& key = trusted->key;
  integrity::Baseline* old = &trusted->baseline;
  auto policy = old->ReadPolicy();
  if (!policy.ok()) return ReportError(policy.error());

  // The old baseline is kept beside the new one, as evidence of what was accepted.
  const std::string stamp = FormatRfc3339(Now()).substr(0, 19);
  const std::filesystem::path kept = file.string() + "." + stamp;
  if (std::rename(file.c_str(), kept.c_str()) != 0) {
    return ReportError(
        Fail(fmt::format("keep {} as {}: {}", file.string(), kept.string(), std::strerror(errno))));
  }
  auto restore = [&](const Error& error) {
    std::rename(kept.c_str(), file.c_str());
    return ReportError(error);
  };
  auto fresh = Baseline::Create(file, *policy, globals.root);
  if (!fresh.ok()) return restore(fresh.error());
  const auto start = std::chrono::steady_clock::now();
  integrity::ScanTotals totals;
  auto findings = integrity::CheckAgainstBaseline(
      *old, *root, *policy, integrity::ScanOptions{args.options.workers, ShowProgress()}, {},
      [&](std::vector<integrity::FileRecord>& batch) {
        for (const auto& record : batch) {
          ++totals.entries;
          if (!record.hash.empty()) totals.bytes += record.size;
          if (record.state != integrity::ReadState::kOk) ++totals.problems;
        }
        return fresh->Add(batch);
      });
  if (!findings.ok()) return restore(findings.error());
  auto digest = SealBaseline(*fresh, key);
  if (!digest.ok()) return restore(digest.error());

  size_t counts[3] = {0, 0, 0};
  for (const auto& finding : *findings) ++counts[static_cast<int>(finding.change)];
  JsonObject details;
  details.Add("kept_as", kept.string())
      .Add("old_digest", trusted->check.digest)
      .Add("added", counts[0])
      .Add("removed", counts[1])
      .Add("changed", counts[2]);
  PrintSealed(globals, file, totals, Seconds(start), *digest, key, details);
  if (!globals.json) {
    std::printf("accepted %zu added, %zu removed, %zu changed; the old baseline is kept as %s\n",
                counts[0], counts[1], counts[2], kept.c_str());
  }
  if (auto record = store->Append("baseline.update", details.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return kExitOk;
}

int Show(const Globals& globals, const BaselineArgs& args) {
  auto trusted = OpenBaselineWithKey(globals, args.options, /*signing=*/false);
  if (!trusted.ok()) return ReportError(trusted.error());
  const auto& file = trusted->file;
  const auto& check = trusted->check;
  integrity::Baseline* baseline = &trusted->baseline;
  int exit_code = kExitOk;
  for (const std::string& path : args.paths) {
    auto found = baseline->Find(path);
    if (!found.ok()) return ReportError(found.error());
    if (!*found) {
      exit_code = ReportError(Fail(fmt::format("{}: not in the baseline {}", path, file.string())));
      continue;
    }
    const integrity::FileRecord& r = **found;
    std::vector<std::pair<std::string, std::string>> rows = {
        {"path", r.path},
        {"type", std::string(integrity::FileTypeName(r.type))},
        {"mode", integrity::FormatMode(r.mode)},
        {"uid", std::to_string(r.uid)},
        {"gid", std::to_string(r.gid)},
        {"size", std::to_string(r.size)},
        {"mtime", integrity::FormatNanoseconds(r.mtime_ns)},
        {"ctime", integrity::FormatNanoseconds(r.ctime_ns)},
        {"inode", std::to_string(r.inode)},
        {"links", std::to_string(r.links)},
    };
    if (!r.target.empty()) rows.emplace_back("target", r.target);
    for (const auto& [name, value] : r.xattrs) {
      rows.emplace_back("xattr " + name, integrity::FormatXattrValue(value));
    }
    if (!r.hash.empty()) rows.emplace_back("hash", r.hash);
    rows.emplace_back("state", std::string(integrity::ReadStateName(r.state)));
    if (!r.problem.empty()) rows.emplace_back("problem", r.problem);
    JsonArray attributes;
    for (const auto name : integrity::AttributeNames(r.attributes)) attributes.Add(name);
    if (globals.json) {
      JsonObject object;
      for (const auto& [name, value] : rows) object.Add(name, value);
      object.Add("attributes", attributes);
      std::printf("%s\n", object.str().c_str());
      continue;
    }
    Table table({"ATTRIBUTE", "VALUE"});
    for (auto& [name, value] : rows) table.AddRow({name, value});
    std::printf("%s", table.Render(globals.Color()).c_str());
  }
  if (!globals.json) {
    std::printf("(baseline %s: %s)\n", file.c_str(), check.explanation.c_str());
  }
  return exit_code;
}

}  // namespace

Command AddBaselineCommand(CLI::App& parent, Globals& globals) {
  auto args = std::make_shared<BaselineArgs>();
  auto* app = parent.add_subcommand(
      "baseline", "Record the system's important files now, signed, for `irk check` later");
  app->require_subcommand(1);
  auto* init = app->add_subcommand(
      "init", "Make a new baseline of the paths in the policy (or the PATHs given)");
  init->add_option("path", args->paths, "Only these paths (absolute, as the system names them)")
      ->type_name("PATH");
  AddIntegrityOptions(*init, args->options, /*verifying=*/false, /*scanning=*/true);
  auto* update = app->add_subcommand(
      "update",
      "Accept the system as it is now: rescan, sign a new baseline, keep the old one beside it");
  AddIntegrityOptions(*update, args->options, /*verifying=*/true, /*scanning=*/true);
  auto* show = app->add_subcommand("show", "Show what the baseline holds for PATH");
  show->add_option("path", args->paths, "Absolute paths")->required()->type_name("PATH");
  AddIntegrityOptions(*show, args->options, /*verifying=*/true, /*scanning=*/false);
  app->footer(
      "The policy comes from the [integrity] part of /etc/irk/irk.toml (see docs/config.md);\n"
      "without one, binaries, libraries, /etc, /boot, cron, SSH keys and /var/log (as growing\n"
      "logs) are recorded with every attribute and SHA-256. The baseline is one SQLite file,\n"
      "baseline.db in the case folder or --db FILE, signed over its whole content with\n"
      "--key-file (HMAC-SHA256) or --sign-key (Ed25519). Keep the key and a copy of the\n"
      "printed digest off this host: an intruder with root can rewrite anything on it.\n"
      "\n"
      "  head -c32 /dev/urandom > /media/usb/irk.key\n"
      "  irk baseline init --key-file /media/usb/irk.key\n"
      "  irk check --key-file /media/usb/irk.key");
  return Command{app, [&globals, args, init, update] {
                   if (init->parsed()) return Init(globals, *args);
                   if (update->parsed()) return Update(globals, *args);
                   return Show(globals, *args);
                 }};
}

}  // namespace irk::cli
