// irk whois: who runs an address, and where to send the abuse report: the
// netblock, organisation, country, origin AS and abuse contact, with the
// servers asked; cached in the case.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/table.h"
#include "core/text.h"
#include "whois/whois.h"

namespace irk::cli {
namespace {

struct WhoisOptions {
  std::string target;
  std::string server_map;
  std::string bootstrap;  // IRK_RDAP_BOOTSTRAP
  std::string bootstrap_from = whois::kIanaBootstrap;
  bool no_cache = false;
  bool no_rdap = false;
  bool update_bootstrap = false;
};

int UpdateBootstrap(CaseStore& store, const WhoisOptions& options) {
  auto files = whois::UpdateBootstrap(store, options.bootstrap_from, whois::Limits{});
  if (!files.ok()) return ReportError(files.error().Wrap("update the rdap bootstrap"));
  for (const auto& file : *files) std::printf("updated %s\n", file.c_str());
  return kExitOk;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

void PrintTable(const whois::WhoisResult& result, bool color) {
  std::vector<std::string> chain;
  for (const auto& hop : result.chain) chain.push_back(hop.server + " (" + hop.protocol + ")");
  Table table({"FIELD", "VALUE"});
  table.AddRow({"address", result.query});
  table.AddRow({"netblock", result.netblock.range});
  table.AddRow({"cidrs", Join(result.netblock.cidrs, ", ")});
  table.AddRow({"name", result.netblock.name});
  table.AddRow({"handle", result.netblock.handle});
  table.AddRow({"org", result.org});
  table.AddRow({"country", result.country});
  table.AddRow({"origin", result.asn});
  table.AddRow({"abuse e-mail", result.abuse.email.empty()
                                    ? Cell("none found", Color::kYellow)
                                    : Cell(result.abuse.email, Color::kBold)});
  table.AddRow({"abuse phone", result.abuse.phone});
  table.AddRow({"from", result.abuse.source});
  table.AddRow({"asked", Join(chain, " -> ")});
  table.AddRow({"looked up", result.time});
  if (!result.bootstrap.empty()) {
    std::string bootstrap = result.bootstrap;
    if (!result.bootstrap_publication.empty()) {
      bootstrap += " (published " + result.bootstrap_publication + ")";
    }
    table.AddRow({"rdap bootstrap", bootstrap});
  }
  std::printf("%s", table.Render(color).c_str());
}

int RunWhois(const Globals& globals, const WhoisOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  whois::LookupOptions lookup;
  auto servers = whois::ParseServerMap(options.server_map);
  if (!servers.ok()) return ReportError(servers.error().Wrap("--server-map"));
  lookup.servers = std::move(servers).value();
  lookup.use_cache = !options.no_cache;
  lookup.rdap_bootstrap = options.bootstrap;
  lookup.rdap = !options.no_rdap;
  if (options.update_bootstrap) return UpdateBootstrap(*store, options);
  if (options.target.empty()) return ReportError(Fail("whois: an address or host name is needed"));

  auto address = IpAddress::Parse(options.target);
  if (!address) {
    auto resolved = whois::ResolveHost(options.target);
    if (!resolved.ok()) return ReportError(resolved.error());
    address = *resolved;
    std::fprintf(stderr, "irk: %s resolved to %s (one DNS look-up)\n",
                 EscapeForTerminal(options.target).c_str(), address->ToString().c_str());
  }
  auto result = whois::Lookup(*store, *address, lookup);
  if (!result.ok()) return ReportError(result.error());
  for (const auto& note : result->notes) Warn(note);
  if (globals.json) {
    std::printf("%s\n", whois::ToJson(*result).c_str());
  } else {
    PrintTable(*result, globals.Color());
  }
  return kExitOk;
}

}  // namespace

Command AddWhoisCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<WhoisOptions>();
  auto* app = parent.add_subcommand(
      "whois", "Find who runs an address and its abuse contact (RDAP and whois, cached)");
  app->add_option("target", options->target, "The address (or a host name, resolved once)")
      ->type_name("ADDR|HOST");
  app->add_flag("--no-cache", options->no_cache, "Ask the servers again even when the case knows");
  app->add_option("--server-map", options->server_map,
                  "Send whois server names elsewhere: NAME=HOST:PORT,... (air-gapped sites, tests)")
      ->envname("IRK_WHOIS_MAP")
      ->type_name("MAP");
  app->add_flag("--no-rdap", options->no_rdap,
                "Ask no RDAP server: whois over port 43 only (air-gapped sites, tests)")
      ->envname("IRK_NO_RDAP");
  app->add_option("--rdap-bootstrap", options->bootstrap,
                  "Use only this RDAP bootstrap file (IANA's format), not the case's or irk's")
      ->envname("IRK_RDAP_BOOTSTRAP")
      ->type_name("FILE");
  app->add_flag("--update-bootstrap", options->update_bootstrap,
                "Fetch IANA's RDAP bootstrap files (ipv4.json, ipv6.json) into the case");
  app->add_option("--bootstrap-from", options->bootstrap_from,
                  "Where --update-bootstrap fetches them from")
      ->type_name("URL")
      ->capture_default_str();
  app->footer(
      "RDAP first: the server IANA's bootstrap names for the address. irk carries a\n"
      "copy; --update-bootstrap fetches IANA's newest into the case, which then wins;\n"
      "IRK_RDAP_BOOTSTRAP names another file; --no-rdap asks no RDAP server. The answer\n"
      "says which bootstrap named the server and its publication date. When RDAP gives\n"
      "no abuse contact, whois: from whois.iana.org along its refer:, then ARIN's\n"
      "ReferralServer: (whois and rwhois), asking each registry in its own way\n"
      "(ARIN `n + ADDR`; RIPE, APNIC and AFRINIC `-B ADDR`). The abuse contact is\n"
      "the best the answers give: RIPE's abuse-c line, ARIN's RAbuseEmail then\n"
      "OrgAbuseEmail, an irt's abuse-mailbox, LACNIC's abuse-c handle (asked for),\n"
      "AFRINIC's remarks, RDAP's entity with the role abuse; the registries' own\n"
      "mailboxes (hostmaster@arin.net, search-apnic-not-arin@apnic.net, ...) never.\n"
      "Every raw answer is kept in CASE/whois/ and journaled; the result is cached in\n"
      "the case (--no-cache asks again). An address is never looked up in DNS.\n"
      "Example: irk whois 192.0.2.7    irk whois --json 2001:db8::7");
  return Command{app, [&globals, options] { return RunWhois(globals, *options); }};
}

}  // namespace irk::cli
