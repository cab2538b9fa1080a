// irk check: what changed since the baseline, most urgent first.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/integrity_options.h"
#include "core/json.h"
#include "core/table.h"
#include "integrity/check.h"
#include "integrity/package_check.h"

namespace irk::cli {
namespace {

struct CheckArgs {
  IntegrityOptions options;
  std::vector<std::string> paths;
  bool packages = false;
  std::string save_configs;  // --save-configs DIR
  std::string debs;          // --debs DIR: .deb archives on this host (clean media)
  bool from_debs = false;    // --from-debs: the system's own /var/cache/apt/archives
};

Color SeverityColor(integrity::Severity severity) {
  switch (severity) {
    case integrity::Severity::kPrivilege:
      return Color::kRed;
    case integrity::Severity::kExecutable:
    case integrity::Severity::kPersistence:
      return Color::kYellow;
    case integrity::Severity::kOther:
      break;
  }
  return Color::kNone;
}

void PrintJson(const std::vector<integrity::Finding>& findings) {
  for (const auto& finding : findings) {
    JsonObject attributes;
    for (const auto& change : finding.attributes) {
      JsonObject values;
      if (change.old_value != "(none)") values.Add("old", change.old_value);
      if (change.new_value != "(none)") values.Add("new", change.new_value);
      attributes.Add(change.attribute, values);
    }
    JsonObject object;
    object.Add("path", finding.path)
        .Add("change", integrity::ChangeName(finding.change))
        .Add("severity", integrity::SeverityName(finding.severity));
    if (!finding.reason.empty()) object.Add("reason", finding.reason);
    object.Add("attributes", attributes);
    std::printf("%s\n", object.str().c_str());
  }
}

void PrintTable(const std::vector<integrity::Finding>& findings, bool color) {
  Table table({"SEVERITY", "CHANGE", "PATH", "WHY", "ATTRIBUTE", "OLD", "NEW"});
  for (const auto& finding : findings) {
    const Color paint = SeverityColor(finding.severity);
    const std::string severity(integrity::SeverityName(finding.severity));
    const std::string change(integrity::ChangeName(finding.change));
    if (finding.change != integrity::Change::kChanged) {
      // Added or removed: the entry's description on one line.
      std::string description;
      for (const auto& a : finding.attributes) {
        if (!description.empty()) description += ' ';
        description += a.attribute + "=" +
                       (finding.change == integrity::Change::kAdded ? a.new_value : a.old_value);
      }
      table.AddRow(
          {Cell(severity, paint), change, finding.path, finding.reason, "", "", description});
      continue;
    }
    bool first = true;
    for (const auto& a : finding.attributes) {
      if (first) {
        table.AddRow({Cell(severity, paint), change, finding.path, finding.reason, a.attribute,
                      a.old_value, a.new_value});
      } else {
        table.AddRow({"", "", "", "", a.attribute, a.old_value, a.new_value});
      }
      first = false;
    }
  }
  std::fputs(table.Render(color).c_str(), stdout);
}

// The change a package finding amounts to, in `irk check`'s terms.
std::string_view PackageChange(integrity::PackageProblem problem) {
  switch (problem) {
    case integrity::PackageProblem::kMissing:
    case integrity::PackageProblem::kConffileMissing:
      return "removed";
    case integrity::PackageProblem::kUnowned:
      return "added";
    default:
      return "changed";
  }
}

int RunPackageCheck(const Globals& globals, const CheckArgs& args) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  integrity::PackageCheckOptions options;
  options.workers = args.options.workers;
  if (!args.debs.empty()) {
    options.debs_dir = args.debs;
    options.debs_in_root = false;
  } else if (args.from_debs) {
    options.debs_dir = "/var/cache/apt/archives";
  }
  auto report = integrity::CheckPackages(*root, options);
  if (!report.ok()) return ReportError(report.error());

  std::vector<std::string> conffiles;
  for (const auto& f : report->findings) {
    if (f.problem == integrity::PackageProblem::kConffileModified) conffiles.push_back(f.path);
  }
  std::vector<std::string> saved;
  if (!args.save_configs.empty()) {
    auto copies = integrity::SaveConfigs(*root, report->findings, args.save_configs);
    if (!copies.ok()) return ReportError(copies.error());
    saved = std::move(*copies);
  }
  if (globals.json) {
    for (const auto& f : report->findings) {
      JsonObject values;
      if (!f.expected.empty()) values.Add("old", f.expected);
      if (!f.actual.empty()) values.Add("new", f.actual);
      JsonObject attributes;
      if (!values.empty()) attributes.Add("content", values);
      JsonObject object;
      object.Add("path", f.path)
          .Add("change", PackageChange(f.problem))
          .Add("problem", integrity::PackageProblemName(f.problem));
      if (!f.package.empty()) object.Add("package", f.package);
      object.Add("attributes", attributes);
      std::printf("%s\n", object.str().c_str());
    }
  } else {
    if (!report->findings.empty()) {
      Table table({"PROBLEM", "PACKAGE", "PATH", "EXPECTED", "FOUND"});
      for (const auto& f : report->findings) {
        table.AddRow({std::string(integrity::PackageProblemName(f.problem)), f.package, f.path,
                      f.expected, f.actual});
      }
      std::printf("%s\n", table.Render(globals.Color()).c_str());
    }
    std::printf("%zu packages, %zu files checked against dpkg's database", report->packages,
                report->files_checked);
    if (options.debs_dir)
      std::printf(", %zu .deb archives of installed versions", report->debs_read);
    std::printf("; %zu findings\n", report->findings.size());
    if (!report->without_md5sums.empty()) {
      std::string names;
      for (const auto& name : report->without_md5sums) names += (names.empty() ? "" : ", ") + name;
      std::printf("packages without md5sums (not checked): %s\n", names.c_str());
    }
    if (!conffiles.empty()) {
      std::printf("%zu modified config files to save before a reinstall%s\n", conffiles.size(),
                  saved.empty() ? " (--save-configs DIR copies them)" : "");
    }
    if (!saved.empty()) {
      std::printf("saved %zu config files into %s\n", saved.size(), args.save_configs.c_str());
    }
  }
  JsonObject details;
  JsonArray without;
  for (const auto& name : report->without_md5sums) without.Add(name);
  details.Add("packages", report->packages)
      .Add("files_checked", report->files_checked)
      .Add("debs_read", report->debs_read)
      .Add("findings", report->findings.size())
      .Add("modified_conffiles", conffiles.size())
      .Add("saved_configs", saved.size())
      .Add("without_md5sums", without);
  if (auto record = store->Append("check.packages", details.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return report->findings.empty() ? kExitOk : kExitFindings;
}

int RunCheck(const Globals& globals, const CheckArgs& args) {
  if (args.packages) return RunPackageCheck(globals, args);
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto root = Root::Open(globals.root);
  if (!root.ok()) return ReportError(root.error());
  auto trusted = OpenBaselineWithKey(globals, args.options, /*signing=*/false);
  if (!trusted.ok()) return ReportError(trusted.error());
  integrity::Baseline* baseline = &trusted->baseline;
  const auto& file = trusted->file;
  const auto& signature = trusted->check;
  auto policy = baseline->ReadPolicy();
  if (!policy.ok()) return ReportError(policy.error());
  if (!args.paths.empty()) *policy = integrity::NarrowPolicy(*policy, args.paths);

  auto findings = integrity::CheckAgainstBaseline(
      *baseline, *root, *policy, integrity::ScanOptions{args.options.workers, ShowProgress()},
      args.paths);
  if (!findings.ok()) return ReportError(findings.error());

  size_t counts[3] = {0, 0, 0};
  size_t critical = 0;
  for (const auto& finding : *findings) {
    ++counts[static_cast<int>(finding.change)];
    if (finding.severity == integrity::Severity::kPrivilege) ++critical;
  }
  if (globals.json) {
    PrintJson(*findings);
  } else {
    if (!findings->empty()) PrintTable(*findings, globals.Color());
    auto created = baseline->Meta("created");
    std::printf("%s%zu added, %zu removed, %zu changed since the baseline %s of %s (%s)\n",
                findings->empty() ? "" : "\n", counts[0], counts[1], counts[2], file.c_str(),
                created.ok() ? created->c_str() : "?", signature.explanation.c_str());
  }
  JsonObject details;
  details.Add("db", file.string())
      .Add("digest", signature.digest)
      .Add("signature", signature.explanation)
      .Add("added", counts[0])
      .Add("removed", counts[1])
      .Add("changed", counts[2])
      .Add("critical", critical);
  if (auto record = store->Append("check", details.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return findings->empty() ? kExitOk : kExitFindings;
}

}  // namespace

Command AddCheckCommand(CLI::App& parent, Globals& globals) {
  auto args = std::make_shared<CheckArgs>();
  auto* app = parent.add_subcommand(
      "check", "Compare the system with its signed baseline: what was added, removed or changed");
  auto* paths =
      app->add_option("path", args->paths, "Only these paths (absolute, as the system names them)")
          ->type_name("PATH");
  AddIntegrityOptions(*app, args->options, /*verifying=*/true, /*scanning=*/true);
  auto* packages = app->add_flag("--packages", args->packages,
                                 "No baseline needed: check every installed package's files "
                                 "against dpkg's own database")
                       ->excludes(paths);
  app->add_option("--save-configs", args->save_configs,
                  "With --packages: copy the modified config files here, with owner, mode and "
                  "times, to keep them through a reinstall")
      ->type_name("DIR")
      ->needs(packages);
  auto* from_debs = app->add_flag("--from-debs", args->from_debs,
                                  "With --packages: also compare with the .deb archives in the "
                                  "system's /var/cache/apt/archives (root can rewrite dpkg's "
                                  "database, not a signed archive)")
                        ->needs(packages);
  app->add_option("--debs", args->debs,
                  "With --packages: compare with the .deb archives in DIR on this host (clean "
                  "media), read with libarchive")
      ->type_name("DIR")
      ->needs(packages)
      ->excludes(from_debs);
  app->footer(
      "Findings come most urgent first: setuid, setgid or capabilities gained; then binaries\n"
      "in PATH and libraries; then cron, systemd, sudoers, SSH keys and configs, PAM and the\n"
      "account files; then the rest. Each changed attribute is shown old -> new. With --json,\n"
      "one object a line: path, change (added, removed, changed), severity, reason and\n"
      "attributes ({\"mode\":{\"old\":\"0755\",\"new\":\"4755\"}}).\n"
      "The baseline's signature is checked first: an unsigned or altered baseline, or a\n"
      "wrong key, is refused (exit 2) unless --trust-unsigned. Exit 1 when anything changed.\n"
      "\n"
      "--packages needs no baseline: each installed package's files against the MD5 sums\n"
      "dpkg keeps (read directly, never through `dpkg --verify`, which exits 0 on\n"
      "mismatches), conffiles against the status file (modified ones are the config files\n"
      "to save before a reinstall), stat overrides, and files in package folders (/usr/bin,\n"
      "cron, sudoers.d, pam.d, systemd units, PAM modules) that no package, alternative or\n"
      "diversion owns. An intruder with root can rewrite that database: --from-debs or\n"
      "--debs DIR compares with the .deb archives of the installed versions as well.");
  return Command{app, [&globals, args] { return RunCheck(globals, *args); }};
}

}  // namespace irk::cli
