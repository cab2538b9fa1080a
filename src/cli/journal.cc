// irk journal: list the case's journal; irk journal verify: check its chain.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/json.h"
#include "core/table.h"

namespace irk::cli {
namespace {

int ListJournal(const Globals& globals, size_t limit) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto records = store->Records();
  if (!records.ok()) return ReportError(records.error());
  const size_t first = limit > 0 && records->size() > limit ? records->size() - limit : 0;

  if (globals.json) {
    for (size_t i = first; i < records->size(); ++i) {
      const auto& r = (*records)[i];
      JsonObject object;
      object.Add("seq", r.seq)
          .Add("time", r.time)
          .AddRaw("operator", r.operator_json)
          .Add("command", r.command)
          .Add("kind", r.kind)
          .AddRaw("details", r.details_json)
          .Add("prev_hash", r.prev_hash)
          .Add("hash", r.hash);
      std::printf("%s\n", object.str().c_str());
    }
    return kExitOk;
  }
  Table table({"SEQ", "TIME (UTC)", "KIND", "COMMAND"});
  for (size_t i = first; i < records->size(); ++i) {
    const auto& r = (*records)[i];
    table.AddRow({std::to_string(r.seq), r.time.substr(0, 19), r.kind, r.command});
  }
  std::fputs(table.Render(globals.Color()).c_str(), stdout);
  std::printf("\n%zu records in %s; `irk journal verify` checks that none was changed.\n",
              records->size(), store->database_path().c_str());
  return kExitOk;
}

int VerifyJournal(const Globals& globals) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  auto check = store->Verify();
  if (!check.ok()) return ReportError(check.error());

  JsonObject details;
  details.Add("intact", check->intact).Add("records", check->records);
  if (check->first_bad) details.Add("first_bad", *check->first_bad).Add("problem", check->problem);
  details.Add("head", check->head_hash);
  if (globals.json) {
    std::printf("%s\n", details.str().c_str());
  } else if (check->intact) {
    std::printf("journal intact: %lld records, chain head %s\n",
                static_cast<long long>(check->records), check->head_hash.c_str());
  } else {
    const std::string headline = fmt::format("journal TAMPERED at record {}:", *check->first_bad);
    std::printf("%s %s\n", Paint(headline, Color::kRed, globals.Color()).c_str(),
                check->problem.c_str());
    std::printf("(%lld records read; every record from %lld on is suspect)\n",
                static_cast<long long>(check->records), static_cast<long long>(*check->first_bad));
  }
  // The check itself is evidence: when it was done and what it found.
  if (auto record = store->Append("journal.verify", details.str()); !record.ok()) {
    Warn(record.error().message);
  }
  return check->intact ? kExitOk : kExitFindings;
}

}  // namespace

Command AddJournalCommand(CLI::App& parent, Globals& globals) {
  auto* app = parent.add_subcommand(
      "journal", "List the case journal: every action irk took and what it learned");
  auto* verify = app->add_subcommand(
      "verify",
      "Check the journal's hash chain; exit 1 naming the first record that was altered, "
      "deleted, inserted or reordered");
  auto limit = std::make_shared<size_t>(0);
  app->add_option("-n,--last", *limit, "Show only the last N records")->type_name("N");
  app->footer(
      "Each record holds the UTC time, the operator (the login user behind sudo, the\n"
      "terminal, the SSH source), the command line, and a SHA-256 over the previous\n"
      "record's hash and its own content. `irk journal verify` exits 1 when the chain\n"
      "is broken.");
  return Command{app, [&globals, verify, limit] {
                   return verify->parsed() ? VerifyJournal(globals) : ListJournal(globals, *limit);
                 }};
}

}  // namespace irk::cli
