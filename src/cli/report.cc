// irk report: the incident report from the case and the logs, as Markdown,
// HTML or JSON lines.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/event_filter.h"
#include "cli/plan_apply.h"
#include "core/config.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/text.h"
#include "logs/event_reader.h"
#include "report/abuse.h"
#include "report/contacts.h"
#include "report/csirt.h"
#include "report/model.h"
#include "report/render.h"
#include "report/send.h"
#include "whois/whois.h"

namespace irk::cli {
namespace {

constexpr size_t kMaxContactsBytes = 64 << 20;
constexpr size_t kMaxHostnameBytes = 256;

struct ReportOptions {
  std::string format = "md";
  std::string out;                   // --out DIR; "" for stdout
  std::string contacts;              // --contacts FILE
  std::vector<std::string> sources;  // --source FILE
  std::string since, until;
  size_t top = 10;
  bool journal = false;
  std::vector<std::string> abuse;  // --abuse ADDR|CIDR...: only these sources' drafts
  CLI::Option* abuse_option = nullptr;
  std::string send;  // --send DIR
  std::string sendmail = std::string(report::kDefaultSendmail);
  std::string smtp;  // --smtp URL
  bool yes = false;
  bool csirt = false;
};

// Writes `text` to DIR/NAME, creating DIR (0700) when missing; a link in
// NAME's place is refused.
Result<std::string> WriteOut(const std::string& dir, const std::string& name,
                             std::string_view text) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(fmt::format("create {}: {}", dir, ec.message()));
  const std::string path = (std::filesystem::path(dir) / name).string();
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(fmt::format("write {}: {}", path, std::strerror(errno)));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      close(fd);
      return Fail(fmt::format("write {}: {}", path, std::strerror(error)));
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return Fail(fmt::format("write {}: {}", path, std::strerror(errno)));
  return path;
}

Result<std::vector<report::SourceContact>> ReadContacts(const std::string& file) {
  if (file.empty()) return std::vector<report::SourceContact>{};
  auto host = Root::Open("/");
  if (!host.ok()) return host.error();
  std::error_code ec;
  const std::string path = std::filesystem::absolute(file, ec).lexically_normal().string();
  auto text = host->ReadFile(path, kMaxContactsBytes);
  if (!text.ok()) return text.error().Wrap("contacts");
  return report::ParseContacts(*text, file);
}

std::string HostName(const Root& root) {
  auto text = root.ReadFile("/etc/hostname", kMaxHostnameBytes);
  if (!text.ok()) return "";
  return text->substr(0, text->find_first_of("\r\n"));
}

Result<std::vector<Network>> ParseNetworks(const std::vector<std::string>& texts) {
  std::vector<Network> networks;
  for (const auto& text : texts) {
    if (text.empty()) continue;  // --abuse given without addresses
    const auto network = Network::Parse(text);
    if (!network)
      return Fail(
          fmt::format("--abuse {}: not an address or network (203.0.113.7, 203.0.113.0/24)", text));
    networks.push_back(*network);
  }
  return networks;
}

// Reads the case and the logs into the report.
Result<report::Report> Gather(const Globals& globals, const ReportOptions& options,
                              CaseStore& store, const std::vector<Network>& named) {
  auto root = Root::Open(globals.root);
  if (!root.ok()) return root.error();
  auto filter = MakeEventFilter(EventFilterOptions{options.since, options.until, "", "", ""});
  if (!filter.ok()) return filter.error();
  auto contacts = ReadContacts(options.contacts);
  if (!contacts.ok()) return contacts.error();
  // What `irk whois` found and cached in the case; --contacts wins a tie.
  auto cached = whois::CachedResults(store);
  if (!cached.ok()) return cached.error();
  for (const auto& result : *cached) {
    auto contact = report::ParseSourceContact(whois::ToJson(result));
    if (!contact.ok()) return contact.error().Wrap("whois cache " + result.query);
    contacts->push_back(std::move(contact).value());
  }
  auto records = store.Records();
  if (!records.ok()) return records.error();
  auto chain = store.Verify();
  if (!chain.ok()) return chain.error();
  const logs::TimeZone zone = LoadZoneOrUtc(*root);

  report::Selection selection{named, options.top};
  std::vector<Network> preferred = report::BlockedNetworks(contain::ReadActions(*records));
  preferred.insert(preferred.end(), named.begin(), named.end());
  report::EventTally tally(std::move(preferred));
  const logs::EventSink sink = [&tally](const logs::Event& event) { tally.Add(event); };
  const report::ReportContext context{Now(),
                                      HostName(*root),
                                      std::string(zone.name()),
                                      root->dir().string(),
                                      store.dir().string(),
                                      filter->since,
                                      filter->until};
  auto host = Root::Open("/");
  if (!host.ok()) return host.error();
  logs::EventReader reader(*root, zone, *filter);
  logs::EventReader file_reader(*host, zone, std::move(filter).value());
  reader.ReadDefaultSources(options.journal, sink, [](const Error& e) { Warn(e.message); });
  for (const auto& name : options.sources) {
    std::error_code ec;
    const std::string file = std::filesystem::absolute(name, ec).lexically_normal().string();
    if (auto status = file_reader.ReadNamedFile(file, sink); !status.ok()) return status.error();
  }
  return report::BuildReport(context, *records, std::move(chain).value(), std::move(tally),
                             *contacts, selection);
}

void Journal(CaseStore& store, std::string_view kind, const JsonObject& details) {
  if (auto record = store.Append(kind, details.str()); !record.ok()) Warn(record.error().message);
}

// Who we are, from [report]; an error for `what` when our address is not set.
Result<report::Reporter> OurReporter(const Config& config, std::string_view what) {
  auto us = report::ReporterFromConfig(config);
  if (!us.ok()) return us.error();
  if (us->email.empty()) {
    return Fail(
        fmt::format("{}: set your own address as email in the [report] table of "
                    "irk.toml (docs/config.md); the drafts go out from it",
                    what));
  }
  return us;
}

// --abuse: one draft per abuse mailbox into --out, and the list of what went
// where and which sources have no contact.
int WriteDrafts(const Globals& globals, const ReportOptions& options, CaseStore& store,
                const report::Report& built, const std::vector<Network>& named) {
  if (options.out.empty()) return ReportError(Fail("--abuse: needs --out DIR for the drafts"));
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  auto us = OurReporter(*config, "--abuse");
  if (!us.ok()) return ReportError(us.error());
  const auto drafts = report::AbuseDrafts(built, *us, named);
  JsonArray files;
  for (const auto& draft : drafts) {
    auto path = WriteOut(options.out, draft.file_name, draft.message);
    if (!path.ok()) return ReportError(path.error());
    std::string sources;
    for (const auto& s : draft.sources) sources += (sources.empty() ? "" : " ") + s;
    std::printf("%s  to %s  for %s\n", EscapeForTerminal(*path).c_str(),
                EscapeForTerminal(draft.to).c_str(), EscapeForTerminal(sources).c_str());
    files.Add(JsonObject().Add("file", *path).Add("to", draft.to));
  }
  JsonArray without;
  for (const auto& s : built.sources) {
    const auto ip = IpAddress::Parse(s.addr);
    bool chosen = named.empty();
    for (const auto& n : named) chosen = chosen || (ip && n.Contains(*ip));
    if (!chosen || (s.contact && !s.contact->abuse_email.empty())) continue;
    std::printf("%s  no abuse contact known (no draft)\n", EscapeForTerminal(s.addr).c_str());
    without.Add(s.addr);
  }
  if (drafts.empty()) std::printf("no drafts written: no reported source has an abuse contact\n");
  Journal(store, "report.abuse",
          JsonObject()
              .Add("incident_id", built.incident_id)
              .Add("drafts", files)
              .Add("without_contact", without));
  return kExitOk;
}

// One draft of --send DIR: its file, text and where it goes.
struct Outgoing {
  std::filesystem::path file;
  std::string message;
  std::string sha256;
  report::Envelope envelope;
  std::vector<std::string> recipients;
  std::string sent_at;  // when the case journaled it (or its Message-ID) sent; "" when not yet
};

// The drafts the case journaled as sent, by "sha256 HEX" and by
// "message-id <ID>" (a draft written again for the same incident and
// mailbox has a new Date: but the same Message-ID:), with the time.
Result<std::map<std::string, std::string>> SentBefore(CaseStore& store) {
  auto records = store.Records();
  if (!records.ok()) return records.error();
  std::map<std::string, std::string> sent;
  for (const auto& record : *records) {
    if (record.kind != "report.sent") continue;
    const auto details = nlohmann::json::parse(record.details_json, nullptr, false);
    if (!details.is_object()) continue;
    for (const char* key : {"sha256", "message-id"}) {
      const auto value = details.find(key);
      if (value != details.end() && value->is_string() && !value->get<std::string>().empty()) {
        sent.emplace(std::string(key) + " " + value->get<std::string>(), record.time);
      }
    }
  }
  return sent;
}

// The .eml drafts in DIR, sorted, each read back and its recipients
// checked; an error naming the first draft irk would not send.
Result<std::vector<Outgoing>> ReadDrafts(const std::string& dir, CaseStore& store) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  // Root::ReadFile takes absolute paths only.
  const auto absolute = std::filesystem::absolute(dir, ec).lexically_normal();
  for (const auto& entry : std::filesystem::directory_iterator(absolute, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".eml") {
      files.push_back(entry.path());
    }
  }
  if (ec) return Fail(fmt::format("--send {}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  if (files.empty()) return Fail(fmt::format("--send {}: no .eml drafts", dir));
  auto sent = SentBefore(store);
  if (!sent.ok()) return sent.error();
  auto host = Root::Open("/");
  if (!host.ok()) return host.error();
  std::vector<Outgoing> drafts;
  for (const auto& file : files) {
    auto text = host->ReadFile(file.string(), kMaxContactsBytes);
    if (!text.ok()) return text.error();
    Outgoing draft{file, std::move(text).value(), "", {}, {}, ""};
    draft.sha256 = Sha256Hex(draft.message);
    draft.envelope = report::ReadEnvelope(draft.message);
    auto recipients = report::Recipients(draft.envelope);
    if (!recipients.ok()) return recipients.error().Wrap(file.string());
    draft.recipients = std::move(recipients).value();
    for (const std::string& key :
         {"sha256 " + draft.sha256, "message-id " + draft.envelope.message_id}) {
      if (auto it = sent->find(key); it != sent->end()) draft.sent_at = it->second;
    }
    drafts.push_back(std::move(draft));
  }
  return drafts;
}

// --send DIR: shows each draft's recipients and subject and the way out
// (sendmail, or the SMTP server of --smtp or [report] smtp), asks, and sends
// each draft the case has not journaled as sent, journaling each one sent.
int SendDrafts(const Globals& globals, const ReportOptions& options, CaseStore& store) {
  auto drafts = ReadDrafts(options.send, store);
  if (!drafts.ok()) return ReportError(drafts.error());
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  auto smtp = report::SmtpFromConfig(*config, options.smtp, std::getenv("IRK_SMTP_PASSWORD"));
  if (!smtp.ok()) return ReportError(smtp.error());
  std::string from, via = options.sendmail + " -t";
  if (!smtp->url.empty()) {
    if (!report::HasSmtp()) return ReportError(Fail(std::string(report::kNoSmtp)));
    auto us = OurReporter(*config, "--send over SMTP");
    if (!us.ok()) return ReportError(us.error());
    from = us->email;
    via = smtp->url;
  }
  size_t pending = 0;
  for (const Outgoing& draft : *drafts) {
    std::printf("%s\n  to:      %s\n", EscapeForTerminal(draft.file.string()).c_str(),
                EscapeForTerminal(draft.envelope.to).c_str());
    if (!draft.envelope.cc.empty()) {
      std::printf("  cc:      %s\n", EscapeForTerminal(draft.envelope.cc).c_str());
    }
    std::printf("  subject: %s\n", EscapeForTerminal(draft.envelope.subject).c_str());
    if (!draft.sent_at.empty()) {
      std::printf("  already sent %s: not again\n", draft.sent_at.c_str());
    } else {
      ++pending;
    }
  }
  if (pending == 0) {
    std::printf("nothing to send: the case journaled every draft as sent\n");
    return kExitOk;
  }
  std::string way = "through " + EscapeForTerminal(via);
  if (!smtp->user.empty()) way += " as " + EscapeForTerminal(smtp->user);
  if (!from.empty()) way += ", from " + from;
  std::printf("%s\n", way.c_str());
  if (!options.yes && !AskOnTerminal(fmt::format("\nSend these {} messages?", pending))) {
    return ReportError(Fail("not sent: confirm on a terminal or add --yes"));
  }
  JsonArray sent, failed;
  size_t failures = 0;
  for (const Outgoing& draft : *drafts) {
    if (!draft.sent_at.empty()) continue;
    const Status status = smtp->url.empty()
                              ? report::Sendmail(options.sendmail, draft.message)
                              : report::SmtpSend(*smtp, from, draft.recipients, draft.message);
    if (!status.ok()) {
      Warn(status.error().Wrap("not sent " + draft.file.string()).message);
      failed.Add(draft.file.string());
      ++failures;
      continue;
    }
    std::printf("sent %s\n", EscapeForTerminal(draft.file.string()).c_str());
    sent.Add(draft.file.string());
    JsonArray to;
    for (const auto& address : draft.recipients) to.Add(address);
    Journal(store, "report.sent",
            JsonObject()
                .Add("file", draft.file.string())
                .Add("sha256", draft.sha256)
                .Add("message-id", draft.envelope.message_id)
                .Add("to", to)
                .Add("via", via));
  }
  Journal(store, "report.send",
          JsonObject().Add("via", via).Add("sent", sent).Add("failed", failed));
  if (failures > 0) {
    std::printf("not sent: %zu of %zu (irk report --send %s again sends only those)\n", failures,
                pending, EscapeForTerminal(options.send).c_str());
    return kExitError;
  }
  return kExitOk;
}

// --csirt: the IODEF document and the plain-text notice into --out.
int WriteCsirt(const Globals& globals, const ReportOptions& options, CaseStore& store,
               const report::Report& built) {
  if (options.out.empty()) return ReportError(Fail("--csirt: needs --out DIR"));
  auto config = LoadConfig(globals.config_path);
  if (!config.ok()) return ReportError(config.error());
  auto us = report::ReporterFromConfig(*config);
  if (!us.ok()) return ReportError(us.error());
  auto sector = config->String("report.sector", "");
  if (!sector.ok()) return ReportError(sector.error());
  JsonArray files;
  for (const auto& [name, text] :
       {std::pair{"iodef.xml", report::IodefXml(built, *us)},
        std::pair{"csirt-notice.txt", report::CsirtNotice(built, *us, *sector)}}) {
    auto path = WriteOut(options.out, name, text);
    if (!path.ok()) return ReportError(path.error());
    std::printf("%s\n", EscapeForTerminal(*path).c_str());
    files.Add(*path);
  }
  Journal(store, "report.csirt",
          JsonObject().Add("incident_id", built.incident_id).Add("files", files));
  return kExitOk;
}

int RunReport(const Globals& globals, const ReportOptions& options) {
  auto store = OpenCase(globals);
  if (!store.ok()) return ReportError(store.error());
  if (!options.send.empty()) return SendDrafts(globals, options, *store);
  auto named = ParseNetworks(options.abuse);
  if (!named.ok()) return ReportError(named.error());
  auto built = Gather(globals, options, *store, *named);
  if (!built.ok()) return ReportError(built.error());
  if (options.abuse_option->count() > 0) {
    return WriteDrafts(globals, options, *store, *built, *named);
  }
  if (options.csirt) return WriteCsirt(globals, options, *store, *built);

  std::string text;
  if (options.format == "json")
    text = report::RenderJson(*built);
  else if (options.format == "html")
    text = report::RenderHtml(*built);
  else
    text = report::RenderMarkdown(*built);
  std::string written = "-";
  if (options.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    auto path = WriteOut(options.out, "report." + options.format, text);
    if (!path.ok()) return ReportError(path.error());
    std::printf("%s\n", EscapeForTerminal(*path).c_str());
    written = *path;
  }
  Journal(*store, "report",
          JsonObject()
              .Add("format", options.format)
              .Add("incident_id", built->incident_id)
              .Add("sources", built->sources.size())
              .Add("out", written));
  return kExitOk;
}

}  // namespace

Command AddReportCommand(CLI::App& parent, Globals& globals) {
  auto options = std::make_shared<ReportOptions>();
  auto* app = parent.add_subcommand(
      "report", "The incident report: what happened, when, from where, and what was done");
  app->add_option("--format", options->format,
                  "md (Markdown), html (one self-contained file) or json (JSON lines)")
      ->check(CLI::IsMember({"md", "html", "json"}))
      ->capture_default_str();
  app->add_option("--out", options->out, "Write report.FORMAT into DIR instead of stdout")
      ->type_name("DIR");
  app->add_option("--contacts", options->contacts,
                  "Whois data of the sources: JSON lines as `irk whois ADDR --json` prints them")
      ->type_name("FILE");
  app->add_option("--top", options->top,
                  "Also report the N sources with the most failed and successful attempts")
      ->capture_default_str();
  app->add_option("--source", options->sources, "Also read this log file (repeatable)")
      ->type_name("FILE");
  app->add_option("--since", options->since, "Only log lines at or after T")->type_name("T");
  app->add_option("--until", options->until, "Only log lines before T")->type_name("T");
  app->add_flag("--journal", options->journal,
                "Read the journal too (by default only where no auth.log or secure exists)");
  options->abuse_option =
      app->add_option("--abuse", options->abuse,
                      "Write one e-mail draft per abuse contact into --out (only for these "
                      "sources when given)")
          ->type_name("[ADDR|CIDR...]")
          ->expected(0, -1);
  app->add_option("--send", options->send,
                  "Show the drafts in DIR and where they go, then send those not sent yet")
      ->type_name("DIR");
  app->add_option("--smtp", options->smtp,
                  "Send through this SMTP server instead of sendmail (overrides [report] smtp)")
      ->type_name("URL");
  app->add_option("--sendmail", options->sendmail, "The sendmail program for --send")
      ->envname("IRK_SENDMAIL")
      ->type_name("PATH")
      ->capture_default_str();
  app->add_flag("--yes", options->yes, "--send without asking");
  app->add_flag("--csirt", options->csirt,
                "Write iodef.xml (RFC 7970) and csirt-notice.txt (CISA's key elements) into --out");
  app->footer(
      "The report covers the sources the case blocked, the top N sources by attempts, and\n"
      "their log lines exactly as read, each with its time in UTC; the containing actions\n"
      "with their undo state, the findings journaled by hunt, check, entry and who, and\n"
      "the result of `irk journal verify`. Whois data comes from what `irk whois ADDR`\n"
      "cached in the case, and from --contacts; sources with neither are listed as having\n"
      "no abuse contact known (run irk whois for each).\n"
      "--abuse drafts (.eml, RFC 5322) carry a short polite text, the lines in UTC, and a\n"
      "XARF v4 JSON attachment per source; they go out from the [report] email of irk.toml.\n"
      "Nothing is sent until `irk report --send DIR`: it shows where each draft goes, asks\n"
      "(--yes does not), and hands each to sendmail -t, or, with --smtp URL or smtp in\n"
      "[report], to that server: smtp://HOST:25 (STARTTLS when offered, required with a\n"
      "user) or smtps://HOST:465, from the [report] email; smtp_user with the password in\n"
      "IRK_SMTP_PASSWORD or smtp_password_file (mode 600); smtp_timeout seconds (60).\n"
      "Each draft sent is journaled (report.sent, with its SHA-256 and Message-ID) and\n"
      "never sent again, even when written anew; a failure names the draft and the\n"
      "server, and the others still go.");
  return Command{app, [&globals, options] { return RunReport(globals, *options); }};
}

}  // namespace irk::cli
