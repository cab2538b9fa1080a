// The report as JSON lines.
#include "core/json.h"
#include "report/render.h"

namespace irk::report {
namespace {

JsonObject ContactJson(const SourceContact& c) {
  JsonArray cidrs;
  for (const auto& cidr : c.cidrs) cidrs.Add(cidr);
  JsonObject abuse;
  abuse.Add("email", c.abuse_email).Add("phone", c.abuse_phone).Add("source", c.abuse_source);
  JsonObject contact;
  contact.Add("query", c.query)
      .Add("cidrs", cidrs)
      .Add("netname", c.netname)
      .Add("org", c.org)
      .Add("country", c.country)
      .Add("asn", c.asn)
      .Add("abuse", abuse);
  return contact;
}

JsonObject SourceJson(const Source& s) {
  JsonArray reasons, services, users, lines;
  for (const auto& r : s.reasons) reasons.Add(r);
  for (const auto& name : s.services) services.Add(name);
  for (const auto& [user, t] : s.users) {
    users.Add(
        JsonObject().Add("user", user).Add("failures", t.failures).Add("successes", t.successes));
  }
  for (const auto& l : s.lines) {
    lines.Add(JsonObject()
                  .Add("time", FormatRfc3339(l.time))
                  .Add("time_text", l.time_text)
                  .Add("zone", l.zone)
                  .Add("file", l.file)
                  .Add("line", l.line)
                  .Add("service", l.service)
                  .Add("kind", l.kind)
                  .Add("outcome", l.outcome)
                  .Add("user", l.user)
                  .Add("raw", l.raw));
  }
  JsonObject object;
  object.Add("type", "source")
      .Add("addr", s.addr)
      .Add("reasons", reasons)
      .Add("events", s.events)
      .Add("failures", s.failures)
      .Add("successes", s.successes)
      .Add("first", FormatRfc3339(s.first))
      .Add("last", FormatRfc3339(s.last))
      .Add("services", services)
      .Add("users", users);
  if (s.contact)
    object.Add("contact", ContactJson(*s.contact));
  else
    object.AddNull("contact");
  object.Add("lines", lines).Add("lines_left_out", s.lines_left_out);
  return object;
}

JsonObject EntryJson(std::string_view type, const CaseEntry& e) {
  JsonObject object;
  // The details are the journal's own JSON object, written by irk.
  object.Add("type", type)
      .Add("seq", e.seq)
      .Add("time", e.time)
      .Add("kind", e.kind)
      .AddRaw("details", e.details_json);
  return object;
}

}  // namespace

std::string RenderJson(const Report& r) {
  const Summary summary = Summarize(r);
  JsonArray without;
  for (const auto& a : summary.without_contact) without.Add(a);
  JsonObject journal;
  journal.Add("intact", r.journal.intact)
      .Add("records", r.journal.records)
      .Add("first_bad", r.journal.first_bad)
      .Add("problem", r.journal.problem)
      .Add("head_hash", r.journal.head_hash);
  JsonObject head;
  head.Add("type", "report")
      .Add("incident_id", r.incident_id)
      .Add("generated", FormatRfc3339(r.generated))
      .Add("host", r.host)
      .Add("zone", r.zone)
      .Add("root", r.root)
      .Add("case", r.case_dir)
      .Add("case_created", r.case_created);
  if (r.since) head.Add("since", FormatRfc3339(*r.since));
  if (r.until) head.Add("until", FormatRfc3339(*r.until));
  if (const auto first = r.FirstSeen()) head.Add("first_seen", FormatRfc3339(*first));
  if (const auto last = r.LastSeen()) head.Add("last_seen", FormatRfc3339(*last));
  head.Add("what", summary.what)
      .Add("how_found", summary.how_found)
      .Add("response", summary.response)
      .Add("without_contact", without)
      .Add("events_read", r.events_read)
      .Add("journal", journal);
  std::string out = head.str() + "\n";
  for (const auto& s : r.sources) out += SourceJson(s).str() + "\n";
  for (const auto& a : r.accounts) {
    JsonArray from;
    for (const auto& addr : a.logged_in_from) from.Add(addr);
    JsonObject object;
    object.Add("type", "account")
        .Add("user", a.user)
        .Add("failures", a.failures)
        .Add("successes", a.successes)
        .Add("logged_in_from", from);
    if (a.first_success) object.Add("first_success", FormatRfc3339(*a.first_success));
    out += object.str() + "\n";
  }
  for (const auto& a : r.actions) {
    JsonArray steps;
    for (const auto& step : a.steps) {
      steps.Add(JsonObject()
                    .Add("index", step.index)
                    .Add("description", step.description)
                    .Add("outcome", step.outcome)
                    .Add("detail", step.detail)
                    .Add("undo_outcome", step.undo_outcome));
    }
    out += JsonObject()
               .Add("type", "action")
               .Add("id", a.id)
               .Add("time", a.time)
               .Add("action", a.action)
               .Add("target", a.target)
               .Add("state", a.State())
               .Add("steps", steps)
               .str() +
           "\n";
  }
  for (const auto& e : r.findings) out += EntryJson("finding", e).str() + "\n";
  for (const auto& e : r.restores) out += EntryJson("restore", e).str() + "\n";
  return out;
}

}  // namespace irk::report
