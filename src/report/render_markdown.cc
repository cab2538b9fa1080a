// The Markdown report.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "core/text.h"
#include "report/render.h"

namespace irk::report {
namespace {

// Host text as Markdown text within a line: control characters made
// visible, then every character that could start inline markup, an HTML tag
// or an entity backslash-escaped. (Host text never starts a line, so list
// and heading markers need no escape.)
std::string Md(std::string_view text) {
  std::string out;
  for (const char c : EscapeForTerminal(text)) {
    if (std::string_view("\\`*_[]<>#|~&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A fenced block of `lines` (each already escaped to one line), with a fence
// longer than any backtick run inside, so no line can close it.
std::string Fence(const std::vector<std::string>& lines) {
  size_t longest = 0;
  for (const auto& line : lines) {
    size_t run = 0;
    for (const char c : line) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string out = fence + "text\n";
  for (const auto& line : lines) out += line + "\n";
  return out + fence + "\n";
}

std::string LineText(const LogLine& line) {
  return fmt::format("{}  {}:{}  {}", FormatRfc3339(line.time), EscapeForTerminal(line.file),
                     line.line, EscapeForTerminal(line.raw));
}

void AppendSource(std::string& out, const Source& s) {
  out += fmt::format("### {}\n\n", Md(s.addr));
  std::string reasons;
  for (const auto& r : s.reasons) reasons += (reasons.empty() ? "" : ", ") + r;
  std::string services;
  for (const auto& name : s.services) services += (services.empty() ? "" : ", ") + name;
  out += fmt::format("- Reported because: {}\n", reasons);
  out += fmt::format("- Attempts: {} failed, {} succeeded; {} events ({})\n", s.failures,
                     s.successes, s.events, Md(services));
  out +=
      fmt::format("- First seen {}, last seen {}\n", FormatRfc3339(s.first), FormatRfc3339(s.last));
  if (!s.users.empty()) {
    std::string users;
    for (const auto& [user, t] : s.users) {
      users += fmt::format("{}{} ({} failed, {} succeeded)", users.empty() ? "" : ", ", Md(user),
                           t.failures, t.successes);
    }
    out += "- Users: " + users + "\n";
  }
  if (s.contact) {
    const SourceContact& c = *s.contact;
    std::string cidrs;
    for (const auto& cidr : c.cidrs) cidrs += (cidrs.empty() ? "" : ", ") + cidr;
    out += fmt::format("- Network: {} {} ({}), {}, {}\n", Md(cidrs), Md(c.netname), Md(c.org),
                       Md(c.country), Md(c.asn));
  }
  if (s.contact && !s.contact->abuse_email.empty()) {
    out += fmt::format("- Abuse contact: {}{} (from {})\n", Md(s.contact->abuse_email),
                       s.contact->abuse_phone.empty() ? "" : ", " + Md(s.contact->abuse_phone),
                       Md(s.contact->abuse_source));
  } else {
    out += "- Abuse contact: no abuse contact known\n";
  }
  out += "\nLog lines (time in UTC, file:line, the line as read):\n\n";
  std::vector<std::string> lines;
  for (const auto& line : s.lines) lines.push_back(LineText(line));
  out += Fence(lines);
  if (s.lines_left_out > 0) out += fmt::format("\n({} more lines left out)\n", s.lines_left_out);
  out += "\n";
}

void AppendAction(std::string& out, const contain::Action& a) {
  out += fmt::format("### {} {} (action {}, {}, {})\n\n", Md(a.action), Md(a.target), a.id,
                     a.State(), a.time);
  for (const auto& step : a.steps) {
    out += fmt::format("{}. {}: {}{}\n", step.index, Md(step.description),
                       step.outcome.empty() ? "not ended" : step.outcome,
                       step.undo_outcome.empty() ? "" : "; undo: " + step.undo_outcome);
  }
  out += "\n";
}

void AppendEntries(std::string& out, const std::vector<CaseEntry>& entries) {
  for (const auto& e : entries) {
    out += fmt::format("- {} irk {} (record {})\n\n", e.time, Md(e.kind), e.seq);
    out += Fence({EscapeForTerminal(e.details_json)});
    out += "\n";
  }
}

}  // namespace

std::string RenderMarkdown(const Report& r) {
  const Summary summary = Summarize(r);
  std::string out = fmt::format("# Incident report {}: {}\n\n", r.incident_id,
                                r.host.empty() ? "(host unknown)" : Md(r.host));
  out += fmt::format(
      "Generated {} by irk. All times are UTC; the examined system's time zone is {}.\n\n",
      FormatRfc3339(r.generated), Md(r.zone));
  out += "## Summary\n\n";
  out += "- What: " + Md(summary.what) + "\n";
  out += "- When: " + Md(summary.when) + "\n";
  out += "- How found: " + Md(summary.how_found) + "\n";
  out += "- Response: " + Md(summary.response) + "\n";
  if (!summary.without_contact.empty()) {
    std::string list;
    for (const auto& a : summary.without_contact) list += (list.empty() ? "" : ", ") + Md(a);
    out += "- No abuse contact known for: " + list + "\n";
  }
  out += fmt::format("- Journal: {}, {} records, head hash {}\n\n",
                     r.journal.intact
                         ? "intact"
                         : "ALTERED at record " + std::to_string(r.journal.first_bad.value_or(0)),
                     r.journal.records, r.journal.head_hash);

  out += "## Timeline\n\n";
  for (const auto& row : Timeline(r)) {
    const bool action = row.what == "action";
    out += fmt::format("- {} {}: {}{}\n", FormatRfc3339(row.time), row.what, Md(row.text),
                       action ? " (" + row.detail + ")" : "");
    if (row.what == "login" || row.what == "attack") {
      out += "\n" + Fence({EscapeForTerminal(row.detail)}) + "\n";
    }
  }
  out += "\n## Sources\n\n";
  if (r.sources.empty()) out += "No source made attempts in the window.\n\n";
  for (const auto& s : r.sources) AppendSource(out, s);

  out += "## Affected accounts\n\n";
  if (r.accounts.empty()) out += "None.\n";
  for (const auto& a : r.accounts) {
    std::string from;
    for (const auto& addr : a.logged_in_from) from += (from.empty() ? "" : ", ") + Md(addr);
    out += fmt::format("- {}: {} failed, {} succeeded{}\n", Md(a.user), a.failures, a.successes,
                       from.empty() ? ""
                                    : fmt::format("; logged in from {} (first {})", from,
                                                  FormatRfc3339(*a.first_success)));
  }
  out += "\n## Our actions\n\n";
  if (r.actions.empty()) out += "None recorded.\n\n";
  for (const auto& a : r.actions) AppendAction(out, a);
  out += "## Findings recorded in the case\n\n";
  if (r.findings.empty()) out += "None.\n\n";
  AppendEntries(out, r.findings);
  out += "## Restored files\n\n";
  if (r.restores.empty()) out += "None.\n\n";
  AppendEntries(out, r.restores);
  out += "## Journal verification\n\n";
  out += fmt::format("{} records, {}; head hash `{}`.\n", r.journal.records,
                     r.journal.intact
                         ? "the chain is intact"
                         : fmt::format("the chain is broken at record {}: {}",
                                       r.journal.first_bad.value_or(0), Md(r.journal.problem)),
                     r.journal.head_hash);
  return out;
}

}  // namespace irk::report
