#include "report/abuse.h"

#include <fmt/format.h>

#include "core/hash.h"
#include "core/json.h"
#include "core/text.h"
#include "report/mime.h"

namespace irk::report {
namespace {

// 32 hex digits of SHA-256 laid out as a version-4 UUID.
std::string StableUuid(std::string_view seed) {
  std::string hex = Sha256Hex(seed).substr(0, 32);
  hex[12] = '4';
  hex[16] = "89ab"[hex[16] % 4];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

// A file-name part of host text: letters, digits, '.', '-' kept, the rest '_'.
std::string SafeName(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-';
    out += keep ? c : '_';
  }
  return out;
}

// The source's lines as the body and the evidence show them: the UTC time,
// the file and line, the line as read (control characters made visible).
std::string EvidenceLines(const Source& s) {
  std::string out;
  for (const auto& line : s.lines) {
    out += fmt::format("{}  {}:{}  {}\n", FormatRfc3339(line.time), EscapeForTerminal(line.file),
                       line.line, EscapeForTerminal(line.raw));
  }
  if (s.lines_left_out > 0) out += fmt::format("({} more lines left out)\n", s.lines_left_out);
  return out;
}

std::string Services(const Source& s) {
  std::string out;
  for (const auto& name : s.services) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string Body(const Report& r, const Reporter& us, const std::vector<const Source*>& sources) {
  const std::string who = us.name.empty() ? "the administrator" : us.name;
  std::string out = fmt::format(
      "Hello,\n\n"
      "this is {}{}, responsible for the host {}. We saw unauthorized access\n"
      "attempts against it from {} in your network, listed below with the log\n"
      "lines that record them.\n\n"
      "The host at your end may itself have been broken into and be used without\n"
      "its owner's knowledge. We would be grateful if you could look into it and\n"
      "stop the activity, and tell us what you find.\n\n"
      "Our reference: {} (please keep it in replies)\n"
      "All times are UTC. Our logs write times in the zone {}; each line below\n"
      "starts with its time converted to UTC, then the log file and line number,\n"
      "then the line exactly as it was logged.\n",
      who, us.organisation.empty() ? "" : " of " + us.organisation,
      r.host.empty() ? "named below" : r.host,
      sources.size() == 1 ? "an address" : fmt::format("{} addresses", sources.size()),
      r.incident_id, r.zone);
  for (const Source* s : sources) {
    out += fmt::format(
        "\nAddress {}\n"
        "  First seen: {}\n"
        "  Last seen:  {}\n"
        "  Attempts:   {} failed, {} succeeded ({} events; {})\n\n",
        s->addr, FormatRfc3339(s->first), FormatRfc3339(s->last), s->failures, s->successes,
        s->events, Services(*s));
    out += EvidenceLines(*s);
  }
  out += "\nA machine-readable copy of each address's report in XARF v4 format is\nattached.\n\n";
  out += "Contact: " + who + "\n";
  if (!us.organisation.empty()) out += "Organisation: " + us.organisation + "\n";
  out += "E-mail: " + us.email + "\n";
  if (!us.phone.empty()) out += "Phone: " + us.phone + "\n";
  out += "\nThank you for your help,\n" + who + "\n";
  return out;
}

std::string Message(const Report& r, const Reporter& us, const std::string& to,
                    const std::vector<const Source*>& sources) {
  const Source& first = *sources.front();
  const std::string body = Body(r, us, sources);
  const std::string boundary = "irk-" + Sha256Hex(body).substr(0, 32);
  const std::string date = FormatRfc3339(first.first).substr(0, 10);
  const std::string subject =
      fmt::format("[abuse] Unauthorized access from {}{} to {} on {} (UTC) [{}]", first.addr,
                  sources.size() > 1 ? fmt::format(" and {} more", sources.size() - 1) : "",
                  r.host.empty() ? "our host" : r.host, date, r.incident_id);
  std::string m;
  m += "From: " + (us.name.empty() ? us.email : EncodeHeaderText(us.name) + " <" + us.email + ">") +
       "\r\n";
  m += "To: " + to + "\r\n";
  m += "Subject: " + EncodeHeaderText(subject) + "\r\n";
  m += "Date: " + MailDate(r.generated.seconds) + "\r\n";
  m += fmt::format("Message-ID: <{}.{}@{}>\r\n", r.incident_id, Sha256Hex(to).substr(0, 16),
                   MailDomain(us.email));
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a MIME message.\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  m += QuotedPrintable(body);
  for (const Source* s : sources) {
    const std::string name = "xarf-" + SafeName(s->addr) + ".json";
    m += "--" + boundary + "\r\n";
    m += "Content-Type: application/json; charset=utf-8; name=\"" + name + "\"\r\n";
    m += "Content-Disposition: attachment; filename=\"" + name + "\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += Base64Lines(XarfJson(r, *s, us));
  }
  m += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace

Result<Reporter> ReporterFromConfig(const Config& config) {
  Reporter us;
  for (const auto& [key, field] :
       {std::pair{"report.name", &us.name}, std::pair{"report.email", &us.email},
        std::pair{"report.organisation", &us.organisation}, std::pair{"report.phone", &us.phone}}) {
    auto value = config.String(key, "");
    if (!value.ok()) return value.error();
    *field = std::move(value).value();
  }
  if (!us.email.empty() && !IsPlainMailbox(us.email)) {
    return config.KeyError("report.email", "not one plain address (user@example.org)");
  }
  return us;
}

std::string XarfJson(const Report& r, const Source& s, const Reporter& us) {
  const std::string evidence = EvidenceLines(s);
  JsonObject party;
  party.Add("org", us.organisation.empty() ? us.name : us.organisation)
      .Add("contact", us.email)
      .Add("domain", MailDomain(us.email));
  JsonArray tags;
  tags.Add("incident:" + r.incident_id);
  JsonObject xarf;
  xarf.Add("xarf_version", "4.0.0")
      .Add("report_id", StableUuid(r.incident_id + "\n" + s.addr))
      .Add("timestamp", FormatRfc3339(r.generated))
      .Add("reporter", party)
      .Add("sender", party)
      .Add("source_identifier", s.addr)
      .Add("category", "connection")
      .Add("type", "login_attack")
      .Add("protocol", "tcp")
      .Add("service", Services(s))
      .Add("destination_host", r.host)
      .Add("attempt_count", s.failures + s.successes)
      .Add("successful_logins", s.successes)
      .Add("first_seen", FormatRfc3339(s.first))
      .Add("last_seen", FormatRfc3339(s.last))
      .Add("evidence_source", "log_files")
      .Add("evidence", JsonArray().Add(JsonObject()
                                           .Add("content_type", "text/plain")
                                           .Add("description",
                                                "log lines: time in UTC, file:line, the line "
                                                "as logged")
                                           .Add("payload",
                                                [&] {
                                                  std::string b64 = Base64Lines(evidence);
                                                  std::erase(b64, '\r');
                                                  std::erase(b64, '\n');
                                                  return b64;
                                                }())
                                           .Add("hash", "sha256:" + Sha256Hex(evidence))))
      .Add("tags", tags);
  return xarf.str();
}

std::vector<Draft> AbuseDrafts(const Report& report, const Reporter& us,
                               const std::vector<Network>& only) {
  std::vector<Draft> drafts;
  std::vector<std::vector<const Source*>> groups;
  for (const auto& s : report.sources) {
    if (!s.contact || s.contact->abuse_email.empty()) continue;
    if (!only.empty()) {
      const auto ip = IpAddress::Parse(s.addr);
      bool inside = false;
      for (const auto& n : only) inside = inside || (ip && n.Contains(*ip));
      if (!inside) continue;
    }
    size_t i = 0;
    while (i < drafts.size() && drafts[i].to != s.contact->abuse_email) ++i;
    if (i == drafts.size()) {
      drafts.push_back(Draft{s.contact->abuse_email, {}, "", ""});
      groups.emplace_back();
    }
    drafts[i].sources.push_back(s.addr);
    groups[i].push_back(&s);
  }
  for (size_t i = 0; i < drafts.size(); ++i) {
    drafts[i].file_name = fmt::format("{:02}-{}.eml", i + 1, SafeName(drafts[i].to));
    drafts[i].message = Message(report, us, drafts[i].to, groups[i]);
  }
  return drafts;
}

}  // namespace irk::report
