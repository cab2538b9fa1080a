// Who to tell about a source address: the whois data of its network, as
// `irk whois ADDR --json` prints it, read from JSON lines the operator or the
// whois cache supplies. The JSON is whois servers' text, so it is hostile.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"

namespace irk::report {

// The whois data of one source's network. Empty strings are fields the
// registry did not give.
struct SourceContact {
  std::string query;               // the address or network asked about
  std::vector<std::string> cidrs;  // the netblock in CIDR form
  std::string netname, org, country, asn;
  std::string abuse_email, abuse_phone;
  std::string abuse_source;  // where the address came from: "abuse-c", "OrgAbuseEmail", …
};

// Builds a contact from one object in the shape of `irk whois --json`:
// query, netblock {range, cidrs, name, handle}, org, country, asn,
// abuse {email, phone, source}, chain (ignored). Unknown members are ignored;
// a member of the wrong type, a missing query, a line over 64 KiB, more than
// 256 CIDRs, an unparsable CIDR, or an abuse e-mail that is not one plain
// address (no spaces, quotes, angle brackets, control characters, exactly one
// '@') is an error.
Result<SourceContact> ParseSourceContact(std::string_view json);

// Reads JSON lines of such objects; blank lines are skipped. Errors name
// `source` and the line number. At most 100000 lines.
Result<std::vector<SourceContact>> ParseContacts(std::string_view text, std::string_view source);

// True for one plain mailbox "local@domain" that can go into a To: or From:
// header as it is: printable ASCII without blanks, quotes, angle brackets,
// commas, semicolons or colons, exactly one '@' with text on both sides.
bool IsPlainMailbox(std::string_view email);

// The part of a plain mailbox after its '@'.
std::string MailDomain(std::string_view email);

// The most specific contact whose query (an address or a network) or one of
// whose CIDRs holds `address`: the longest prefix wins, the first on a tie.
// nullptr when none does.
const SourceContact* FindContact(const std::vector<SourceContact>& contacts,
                                 const IpAddress& address);

}  // namespace irk::report
