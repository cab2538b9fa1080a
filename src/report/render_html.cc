// The HTML report: one file with inline CSS and SVG, no script, nothing
// fetched, readable on screen and on paper. Host text is escaped everywhere
// it appears (element text, attribute values, SVG <title>s), and a
// Content-Security-Policy forbids scripts besides.
#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "core/text.h"
#include "report/render.h"

namespace irk::report {
namespace {

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}
.meta{color:#555}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dt{font-weight:600}dd{margin:0}
pre{background:#f6f6f6;border:1px solid #ddd;padding:.5em;overflow-x:auto;font-size:12px;
white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e3e3;padding:.2em .5em;
text-align:left;vertical-align:top}th{background:#f0f0f0}td:first-child{white-space:nowrap}
.fail{color:#b00020}.ok{color:#006b2d}.act{color:#0b57d0}.bad{color:#b00020;font-weight:700}
svg{max-width:100%;height:auto;font:11px system-ui,sans-serif}
section.source{break-inside:avoid-page}
@media print{body{margin:0;max-width:none;font-size:11px}pre{font-size:9px;border:none}
h2{break-after:avoid}a{color:inherit;text-decoration:none}}
)";

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The time span the timeline chart covers, widened to at least a minute.
struct Span {
  int64_t from = 0, to = 60;
  double X(int64_t t, double left, double width) const {
    return left + width * static_cast<double>(t - from) / static_cast<double>(to - from);
  }
};

Span ChartSpan(const Report& r, const std::vector<TimelineRow>& rows) {
  Span span;
  bool any = false;
  const auto widen = [&](int64_t t) {
    span.from = any ? std::min(span.from, t) : t;
    span.to = any ? std::max(span.to, t) : t;
    any = true;
  };
  for (const auto& s : r.sources) {
    for (const auto& line : s.lines) widen(line.time.seconds);
  }
  for (const auto& row : rows) {
    if (row.what == "action") widen(row.time.seconds);
  }
  if (span.to - span.from < 60) span.to = span.from + 60;
  return span;
}

// Attempts per source over time: one lane per source (at most 12), failed
// attempts as bars per time bin (height by count), logins as green marks,
// our actions as blue lines across every lane.
void AppendTimelineChart(std::string& out, const Report& r, const std::vector<TimelineRow>& rows) {
  constexpr size_t kMaxLanes = 12;
  constexpr int kBins = 80;
  constexpr double kLeft = 150, kWidth = 760, kLane = 34;
  const size_t lanes = std::min(kMaxLanes, r.sources.size());
  const double height = 40 + kLane * static_cast<double>(lanes) + 30;
  const Span span = ChartSpan(r, rows);
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 940 {:.0f}\" role=\"img\" "
      "aria-label=\"attempts per source over time\">\n",
      height);
  for (size_t i = 0; i < lanes; ++i) {
    const Source& s = r.sources[i];
    const double y = 30 + kLane * static_cast<double>(i);
    out += fmt::format(
        "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\">{}</text>"
        "<line x1=\"{:.0f}\" y1=\"{:.0f}\" x2=\"{:.0f}\" y2=\"{:.0f}\" stroke=\"#ddd\"/>\n",
        kLeft - 8, y + kLane / 2 + 4, EscapeMarkup(s.addr), kLeft, y + kLane - 4, kLeft + kWidth,
        y + kLane - 4);
    std::vector<int> bins(kBins, 0);
    for (const auto& line : s.lines) {
      if (line.outcome != "failure") continue;
      const auto bin =
          static_cast<int>((line.time.seconds - span.from) * kBins / (span.to - span.from + 1));
      ++bins[static_cast<size_t>(std::clamp(bin, 0, kBins - 1))];
    }
    const int most = std::max(1, *std::max_element(bins.begin(), bins.end()));
    for (int b = 0; b < kBins; ++b) {
      if (bins[static_cast<size_t>(b)] == 0) continue;
      const double h =
          4 + (kLane - 10) * std::log1p(bins[static_cast<size_t>(b)]) / std::log1p(most);
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#d93025\">"
          "<title>{} failed attempts</title></rect>\n",
          kLeft + kWidth * b / kBins, y + kLane - 4 - h, kWidth / kBins - 1, h,
          bins[static_cast<size_t>(b)]);
    }
    for (const auto& line : s.lines) {
      if (line.outcome != "success" || (line.kind != "auth" && line.kind != "session")) continue;
      out += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"#188038\"><title>{} {} {} "
          "{}</title></circle>\n",
          span.X(line.time.seconds, kLeft, kWidth), y + kLane / 2, FormatRfc3339(line.time),
          EscapeMarkup(line.service), line.kind, EscapeMarkup(line.user));
    }
  }
  const double bottom = 30 + kLane * static_cast<double>(lanes);
  for (const auto& row : rows) {
    if (row.what != "action") continue;
    const double x = span.X(row.time.seconds, kLeft, kWidth);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"22\" x2=\"{0:.1f}\" y2=\"{1:.0f}\" stroke=\"#0b57d0\" "
        "stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>{2} {3} ({4})</title></line>\n",
        x, bottom, FormatRfc3339(row.time), EscapeMarkup(row.text), EscapeMarkup(row.detail));
  }
  out += fmt::format(
      "<text x=\"{:.0f}\" y=\"14\">{}</text><text x=\"{:.0f}\" y=\"14\" "
      "text-anchor=\"end\">{}</text>\n",
      kLeft, FormatRfc3339(Timestamp{span.from, 0}), kLeft + kWidth,
      FormatRfc3339(Timestamp{span.to, 0}));
  out += fmt::format(
      "<g transform=\"translate({:.0f},{:.0f})\"><rect width=\"10\" height=\"10\" "
      "fill=\"#d93025\"/><text x=\"14\" y=\"9\">failed attempts</text><circle cx=\"130\" cy=\"5\" "
      "r=\"5\" fill=\"#188038\"/><text x=\"140\" y=\"9\">logins</text><line x1=\"200\" y1=\"0\" "
      "x2=\"200\" y2=\"10\" stroke=\"#0b57d0\" stroke-width=\"2\"/><text x=\"206\" y=\"9\">our "
      "actions</text></g>\n</svg>\n",
      kLeft, bottom + 12);
}

// The network a source belongs to: its whois CIDR, else its /24 or /48.
std::string NetworkOf(const Source& s) {
  if (s.contact && !s.contact->cidrs.empty()) {
    return s.contact->cidrs.front() + (s.contact->netname.empty() ? "" : " " + s.contact->netname);
  }
  const auto ip = IpAddress::Parse(s.addr);
  if (!ip) return s.addr;
  return Network::Around(*ip, ip->is_v4() ? 24 : 48).ToString();
}

// Failed attempts per network as horizontal bars.
void AppendNetworkChart(std::string& out, const Report& r) {
  std::map<std::string, uint64_t> by_network;
  for (const auto& s : r.sources) by_network[NetworkOf(s)] += s.failures + s.successes;
  std::vector<std::pair<std::string, uint64_t>> bars(by_network.begin(), by_network.end());
  std::stable_sort(bars.begin(), bars.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (bars.size() > 15) bars.resize(15);
  uint64_t most = 1;
  for (const auto& [name, count] : bars) most = std::max(most, count);
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 940 {}\" role=\"img\" "
      "aria-label=\"attempts by network\">\n",
      10 + 24 * bars.size());
  for (size_t i = 0; i < bars.size(); ++i) {
    const double w = 560.0 * static_cast<double>(bars[i].second) / static_cast<double>(most);
    const size_t y = 6 + 24 * i;
    out += fmt::format(
        "<text x=\"290\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"300\" y=\"{}\" "
        "width=\"{:.1f}\" height=\"16\" fill=\"#e8710a\"/><text x=\"{:.1f}\" y=\"{}\">{}</text>\n",
        y + 12, EscapeMarkup(bars[i].first), y, w, 306 + w, y + 12, bars[i].second);
  }
  out += "</svg>\n";
}

void AppendSource(std::string& out, const Source& s) {
  out += fmt::format("<section class=\"source\"><h3>{}</h3><dl>\n", EscapeMarkup(s.addr));
  out += fmt::format("<dt>Reported because</dt><dd>{}</dd>\n", Joined(s.reasons));
  out += fmt::format(
      "<dt>Attempts</dt><dd><span class=\"fail\">{} failed</span>, <span class=\"ok\">{} "
      "succeeded</span>; {} events ({})</dd>\n",
      s.failures, s.successes, s.events,
      EscapeMarkup(Joined(std::vector<std::string>(s.services.begin(), s.services.end()))));
  out += fmt::format("<dt>First seen</dt><dd>{}</dd><dt>Last seen</dt><dd>{}</dd>\n",
                     FormatRfc3339(s.first), FormatRfc3339(s.last));
  std::vector<std::string> users;
  for (const auto& [user, t] : s.users) {
    users.push_back(
        fmt::format("{} ({} failed, {} succeeded)", EscapeMarkup(user), t.failures, t.successes));
  }
  if (!users.empty()) out += "<dt>Users</dt><dd>" + Joined(users) + "</dd>\n";
  if (s.contact) {
    const SourceContact& c = *s.contact;
    out += fmt::format("<dt>Network</dt><dd>{} {} ({}), {}, {}</dd>\n",
                       EscapeMarkup(Joined(c.cidrs)), EscapeMarkup(c.netname), EscapeMarkup(c.org),
                       EscapeMarkup(c.country), EscapeMarkup(c.asn));
  }
  if (s.contact && !s.contact->abuse_email.empty()) {
    out += fmt::format(
        "<dt>Abuse contact</dt><dd>{}{} (from {})</dd>\n", EscapeMarkup(s.contact->abuse_email),
        s.contact->abuse_phone.empty() ? "" : ", " + EscapeMarkup(s.contact->abuse_phone),
        EscapeMarkup(s.contact->abuse_source));
  } else {
    out += "<dt>Abuse contact</dt><dd>no abuse contact known</dd>\n";
  }
  out += "</dl>\n<p>Log lines (time in UTC, file:line, the line as read):</p>\n<pre>";
  for (const auto& line : s.lines) {
    out += fmt::format("{}  {}:{}  {}\n", FormatRfc3339(line.time), EscapeMarkup(line.file),
                       line.line, EscapeMarkup(line.raw));
  }
  out += "</pre>\n";
  if (s.lines_left_out > 0)
    out += fmt::format("<p>({} more lines left out)</p>\n", s.lines_left_out);
  out += "</section>\n";
}

void AppendEntries(std::string& out, const std::vector<CaseEntry>& entries) {
  if (entries.empty()) out += "<p>None.</p>\n";
  for (const auto& e : entries) {
    out += fmt::format("<p>{} irk {} (record {})</p><pre>{}</pre>\n", EscapeMarkup(e.time),
                       EscapeMarkup(e.kind), e.seq, EscapeMarkup(e.details_json));
  }
}

}  // namespace

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  for (const char c : EscapeForTerminal(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderHtml(const Report& r) {
  const Summary summary = Summarize(r);
  const std::vector<TimelineRow> rows = Timeline(r);
  const std::string title = fmt::format("Incident report {}: {}", EscapeMarkup(r.incident_id),
                                        r.host.empty() ? "(host unknown)" : EscapeMarkup(r.host));
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width\">\n"
      "<title>{0}</title><style>{1}</style></head><body>\n<h1>{0}</h1>\n"
      "<p class=\"meta\">Generated {2} by irk. All times are UTC; the examined system's time zone "
      "is {3}.</p>\n",
      title, kStyle, FormatRfc3339(r.generated), EscapeMarkup(r.zone));
  out += "<section id=\"summary\"><h2>Summary</h2><dl>\n";
  out += "<dt>What</dt><dd>" + EscapeMarkup(summary.what) + "</dd>\n";
  out += "<dt>When</dt><dd>" + EscapeMarkup(summary.when) + "</dd>\n";
  out += "<dt>How found</dt><dd>" + EscapeMarkup(summary.how_found) + "</dd>\n";
  out += "<dt>Response</dt><dd>" + EscapeMarkup(summary.response) + "</dd>\n";
  if (!summary.without_contact.empty()) {
    out += "<dt>No abuse contact known</dt><dd>" + EscapeMarkup(Joined(summary.without_contact)) +
           "</dd>\n";
  }
  out += fmt::format("<dt>Journal</dt><dd class=\"{}\">{}, {} records, head hash {}</dd>\n",
                     r.journal.intact ? "ok" : "bad",
                     r.journal.intact
                         ? "intact"
                         : fmt::format("ALTERED at record {}: {}", r.journal.first_bad.value_or(0),
                                       EscapeMarkup(r.journal.problem)),
                     r.journal.records, EscapeMarkup(r.journal.head_hash));
  out += "</dl></section>\n";

  out += "<section id=\"timeline\"><h2>Timeline</h2>\n";
  AppendTimelineChart(out, r, rows);
  out += "<table><tr><th>time (UTC)</th><th>what</th><th>event</th></tr>\n";
  for (const auto& row : rows) {
    const char* css = row.what == "login" ? "ok" : row.what == "attack" ? "fail" : "act";
    out += fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td><td>{}", FormatRfc3339(row.time),
                       css, row.what, EscapeMarkup(row.text));
    if (row.what == "action") out += " (" + EscapeMarkup(row.detail) + ")";
    if (row.what == "attack" || row.what == "login")
      out += "<pre>" + EscapeMarkup(row.detail) + "</pre>";
    out += "</td></tr>\n";
  }
  out += "</table></section>\n";

  out += "<section id=\"networks\"><h2>Sources by network</h2>\n";
  AppendNetworkChart(out, r);
  out += "</section>\n<section id=\"sources\"><h2>Sources</h2>\n";
  if (r.sources.empty()) out += "<p>No source made attempts in the window.</p>\n";
  for (const auto& s : r.sources) AppendSource(out, s);
  out += "</section>\n";

  out += "<section id=\"accounts\"><h2>Affected accounts</h2>\n";
  if (r.accounts.empty())
    out += "<p>None.</p>\n";
  else
    out +=
        "<table><tr><th>user</th><th>failed</th><th>succeeded</th><th>logged in from</th></tr>\n";
  for (const auto& a : r.accounts) {
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", EscapeMarkup(a.user),
                    a.failures, a.successes, EscapeMarkup(Joined(a.logged_in_from)));
  }
  if (!r.accounts.empty()) out += "</table>\n";
  out += "</section>\n<section id=\"actions\"><h2>Our actions</h2>\n";
  if (r.actions.empty()) out += "<p>None recorded.</p>\n";
  for (const auto& a : r.actions) {
    out += fmt::format("<h3>{} {} (action {}, {}, {})</h3><ol>\n", EscapeMarkup(a.action),
                       EscapeMarkup(a.target), a.id, a.State(), EscapeMarkup(a.time));
    for (const auto& step : a.steps) {
      out += fmt::format(
          "<li>{}: {}{}</li>\n", EscapeMarkup(step.description),
          step.outcome.empty() ? "not ended" : EscapeMarkup(step.outcome),
          step.undo_outcome.empty() ? "" : "; undo: " + EscapeMarkup(step.undo_outcome));
    }
    out += "</ol>\n";
  }
  out += "</section>\n<section id=\"findings\"><h2>Findings recorded in the case</h2>\n";
  AppendEntries(out, r.findings);
  out += "</section>\n<section id=\"restores\"><h2>Restored files</h2>\n";
  AppendEntries(out, r.restores);
  out += "</section>\n</body></html>\n";
  return out;
}

}  // namespace irk::report
