#include "report/csirt.h"

#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "report/render.h"

namespace irk::report {
namespace {

std::string AddressCategory(std::string_view addr) {
  const auto ip = IpAddress::Parse(addr);
  if (!ip) return "site-uri";
  return ip->is_v4() ? "ipv4-addr" : "ipv6-addr";
}

bool AnyLogin(const Report& r) {
  for (const auto& s : r.sources) {
    if (s.successes > 0) return true;
  }
  return false;
}

}  // namespace

std::string IodefXml(const Report& r, const Reporter& us) {
  const Summary summary = Summarize(r);
  const auto first = r.FirstSeen();
  const auto last = r.LastSeen();
  const bool breached = AnyLogin(r);
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<IODEF-Document version=\"2.00\" xml:lang=\"en\" "
      "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n"
      "  <Incident purpose=\"reporting\" restriction=\"private\">\n";
  x += fmt::format("    <IncidentID name=\"{}\">{}</IncidentID>\n",
                   EscapeMarkup(us.email.empty() ? "localhost" : MailDomain(us.email)),
                   EscapeMarkup(r.incident_id));
  if (!r.case_created.empty()) {
    x += fmt::format("    <DetectTime>{}</DetectTime>\n", EscapeMarkup(r.case_created));
  }
  if (first) x += fmt::format("    <StartTime>{}</StartTime>\n", FormatRfc3339(*first));
  if (last) x += fmt::format("    <EndTime>{}</EndTime>\n", FormatRfc3339(*last));
  x += fmt::format("    <GenerationTime>{}</GenerationTime>\n", FormatRfc3339(r.generated));
  x += fmt::format("    <Description>{}</Description>\n", EscapeMarkup(summary.what));
  x += fmt::format(
      "    <Assessment>\n      <SystemImpact type=\"takeover-account\" completion=\"{}\" "
      "severity=\"{}\"/>\n    </Assessment>\n",
      breached ? "succeeded" : "failed", breached ? "high" : "medium");
  x += "    <Contact role=\"creator\" type=\"organization\">\n";
  x += fmt::format("      <ContactName>{}</ContactName>\n",
                   EscapeMarkup(us.organisation.empty() ? us.name : us.organisation));
  if (!us.email.empty()) {
    x += fmt::format("      <Email><EmailTo>{}</EmailTo></Email>\n", EscapeMarkup(us.email));
  }
  if (!us.phone.empty()) {
    x += fmt::format("      <Telephone><TelephoneNumber>{}</TelephoneNumber></Telephone>\n",
                     EscapeMarkup(us.phone));
  }
  x += "    </Contact>\n";
  for (const auto& s : r.sources) {
    x += "    <EventData>\n";
    x += fmt::format(
        "      <Description>{}: {} failed and {} successful login attempts</Description>\n",
        EscapeMarkup(s.addr), s.failures, s.successes);
    x += fmt::format("      <StartTime>{}</StartTime>\n      <EndTime>{}</EndTime>\n",
                     FormatRfc3339(s.first), FormatRfc3339(s.last));
    x += "      <Flow>\n";
    x += fmt::format(
        "        <System category=\"source\">\n          <Node><Address "
        "category=\"{}\">{}</Address></Node>\n        </System>\n",
        AddressCategory(s.addr), EscapeMarkup(s.addr));
    x += fmt::format(
        "        <System category=\"target\">\n          <Node><Location>{}</Location></Node>\n",
        EscapeMarkup(r.host.empty() ? "the reporting host" : r.host));
    for (const auto& service : s.services) {
      x += fmt::format(
          "          <Service ip-protocol=\"6\"><ServiceName><Description>{}</Description>"
          "</ServiceName></Service>\n",
          EscapeMarkup(service));
    }
    x += "        </System>\n      </Flow>\n";
    if (!s.lines.empty()) {
      x += "      <Record>\n        <RecordData>\n";
      x += fmt::format("          <DateTime>{}</DateTime>\n", FormatRfc3339(s.lines.front().time));
      x += "          <Description>log lines: time in UTC, file:line, the line as "
           "logged</Description>\n";
      for (const auto& line : s.lines) {
        x += fmt::format("          <RecordItem dtype=\"string\">{}  {}:{}  {}</RecordItem>\n",
                         FormatRfc3339(line.time), EscapeMarkup(line.file), line.line,
                         EscapeMarkup(line.raw));
      }
      x += "        </RecordData>\n      </Record>\n";
    }
    x += "    </EventData>\n";
  }
  x += "  </Incident>\n</IODEF-Document>\n";
  return x;
}

std::string CsirtNotice(const Report& r, const Reporter& us, const std::string& sector) {
  const Summary summary = Summarize(r);
  const bool breached = AnyLogin(r);
  std::string affected;
  size_t logged_into = 0;
  for (const auto& a : r.accounts) {
    if (a.successes == 0) continue;
    ++logged_into;
    affected += (affected.empty() ? "" : ", ") + a.user;
  }
  std::set<std::string> informed;
  for (const auto& s : r.sources) {
    if (s.contact && !s.contact->abuse_email.empty()) informed.insert(s.contact->abuse_email);
  }
  std::string informed_text;
  for (const auto& mailbox : informed)
    informed_text += (informed_text.empty() ? "" : ", ") + mailbox;
  std::string text = fmt::format("Incident notification {}\n\n", r.incident_id);
  text += fmt::format("1. Date and time (UTC): {} Detected: case opened {}. Reported {}.\n",
                      summary.when, r.case_created.empty() ? "-" : r.case_created,
                      FormatRfc3339(r.generated));
  text += fmt::format("2. Location: host {} (time zone {}).\n",
                      r.host.empty() ? "(unknown)" : r.host, r.zone);
  text += fmt::format("3. Type of activity: {}.\n",
                      breached ? "unauthorized access: password guessing followed by a login"
                               : "attempted unauthorized access: password guessing");
  text += fmt::format("4. Narrative: {} {} Response: {}\n", summary.what, summary.how_found,
                      summary.response);
  text += fmt::format("5. Systems and people affected: 1 host; {} account{} logged into{}.\n",
                      logged_into, logged_into == 1 ? "" : "s",
                      affected.empty() ? "" : " (" + affected + ")");
  text += fmt::format("6. Organisation: {}.\n",
                      us.organisation.empty() ? "(not configured)" : us.organisation);
  text +=
      fmt::format("7. Point of contact: {}{}{}.\n", us.name.empty() ? "(not configured)" : us.name,
                  us.email.empty() ? "" : ", " + us.email, us.phone.empty() ? "" : ", " + us.phone);
  text += fmt::format("8. Severity: {}.\n", breached ? "high (an account was logged into)"
                                                     : "medium (attempts only, no login seen)");
  text += fmt::format("9. Critical infrastructure sector: {}.\n",
                      sector.empty() ? "not stated" : sector);
  text += fmt::format("10. Others informed: {}.\n",
                      informed.empty() ? "none yet"
                                       : "abuse contacts of the source networks (" + informed_text +
                                             "), drafts by irk report --abuse");
  text += "\nSources:\n";
  for (const auto& s : r.sources) {
    text += fmt::format("  {}  {} failed, {} succeeded, {} to {}\n", s.addr, s.failures,
                        s.successes, FormatRfc3339(s.first), FormatRfc3339(s.last));
  }
  text +=
      fmt::format("\nThe journal of the case holds {} records, {}; head hash {}.\n",
                  r.journal.records, r.journal.intact ? "intact" : "ALTERED", r.journal.head_hash);
  text += "The log lines are in the attached IODEF document (iodef.xml).\n";
  // The notice is text for a person: control characters from host text are shown, not sent.
  std::string safe;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    safe += EscapeForTerminal(std::string_view(text).substr(start, end - start));
    if (end == std::string::npos) break;
    safe += '\n';
    start = end + 1;
  }
  return safe;
}

}  // namespace irk::report
