// irk check: what changed since the baseline, most urgent first.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/integrity_options.h"
#include "core/json.h"
#include "core/table.h"
#include "integrity/check.h"

namespace irk::cli {
namespace {

struct CheckArgs {
  IntegrityOptions options;
  std::vector<std::string> paths;
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

int RunCheck(const Globals& globals, const CheckArgs& args) {
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
  app->add_option("path", args->paths, "Only these paths (absolute, as the system names them)")
      ->type_name("PATH");
  AddIntegrityOptions(*app, args->options, /*verifying=*/true, /*scanning=*/true);
  app->footer(
      "Findings come most urgent first: setuid, setgid or capabilities gained; then binaries\n"
      "in PATH and libraries; then cron, systemd, sudoers, SSH keys and configs, PAM and the\n"
      "account files; then the rest. Each changed attribute is shown old -> new. With --json,\n"
      "one object a line: path, change (added, removed, changed), severity, reason and\n"
      "attributes ({\"mode\":{\"old\":\"0755\",\"new\":\"4755\"}}).\n"
      "The baseline's signature is checked first: an unsigned or altered baseline, or a\n"
      "wrong key, is refused (exit 2) unless --trust-unsigned. Exit 1 when anything changed.");
  return Command{app, [&globals, args] { return RunCheck(globals, *args); }};
}

}  // namespace irk::cli
