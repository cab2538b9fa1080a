// Abuse reports to the networks the attacks came from: one e-mail draft
// (RFC 5322, MIME, UTF-8) per abuse mailbox, with the exact log lines and a
// XARF v4 JSON attachment per source. Drafts are files; nothing is sent here.
#pragma once

#include <string>
#include <vector>

#include "core/address.h"
#include "core/config.h"
#include "core/result.h"
#include "report/model.h"

namespace irk::report {

// Who we are, from the [report] table of irk.toml.
struct Reporter {
  std::string name;
  std::string email;  // a plain mailbox (IsPlainMailbox)
  std::string organisation;
  std::string phone;
};

// Reads report.name, report.email, report.organisation and report.phone.
// An email that is not one plain mailbox is an error naming the key; a
// missing one is left empty.
Result<Reporter> ReporterFromConfig(const Config& config);

// The XARF v4 report (category connection, type login_attack) of one source
// as one JSON object: report_id is a UUID (version 4 layout) derived from the
// incident and the address, so a second run gives the same id; the evidence
// is the source's log lines, base64, with their SHA-256.
std::string XarfJson(const Report& report, const Source& source, const Reporter& us);

struct Draft {
  std::string to;                    // the abuse mailbox
  std::vector<std::string> sources;  // the addresses it reports, most failures first
  std::string file_name;             // "01-abuse_at_example.net.eml": safe as a file name
  std::string message;               // the whole message, CRLF line ends
};

// One draft per abuse mailbox among the report's sources that have one and,
// when `only` is not empty, lie in one of its networks; in the order of the
// report's sources. `us.email` must be set (the caller checks).
std::vector<Draft> AbuseDrafts(const Report& report, const Reporter& us,
                               const std::vector<Network>& only);

}  // namespace irk::report
