// Reading one whois answer (RFC 3912 text, as IANA, ARIN, the RIPE-database
// registries, LACNIC and rwhois servers write it): the referral to follow,
// the netblock, the organisation and the abuse contact. Pure and bounded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irk::whois {

// Where an answer sends us next.
struct Referral {
  std::string host;
  uint16_t port = 43;
  std::string protocol;  // "whois" or "rwhois"

  friend bool operator==(const Referral&, const Referral&) = default;
};

// An abuse contact and the field it was read from ("abuse-c comment",
// "RAbuseEmail", "OrgAbuseEmail", "irt abuse-mailbox", "abuse-mailbox",
// "abuse-c e-mail", "remarks", "rdap abuse entity"). An empty email means none.
struct AbuseContact {
  std::string email;
  std::string phone;
  std::string source;

  friend bool operator==(const AbuseContact&, const AbuseContact&) = default;
};

// What one answer says. Strings are the answer's own text (trimmed, never
// longer than kMaxValue bytes): hostile, so escape them before printing.
// Empty fields are unknown.
struct WhoisAnswer {
  std::optional<Referral> referral;  // IANA refer:, ARIN ReferralServer: (the last one)
  std::string range;                 // "192.0.2.0 - 192.0.2.255" or "2001:db8::/32"
  std::vector<std::string> cidrs;    // normal form, "192.0.2.0/24"
  std::string name;                  // netname / NetName
  std::string handle;                // NetHandle, ownerid
  std::string org;                   // org-name, OrgName, CustName, owner, else first descr
  std::string country;               // two letters as written
  std::string asn;                   // "AS64496" from origin / OriginAS / aut-num
  AbuseContact abuse;                // the best contact found, registries' own refused
  std::string abuse_handle;          // an abuse-c handle whose e-mail is not in this answer
};

inline constexpr size_t kMaxLine = 1024;  // longer lines are skipped, not cut
inline constexpr size_t kMaxValue = 256;  // longer values are cut

// Parses `text`, the whole answer. The most specific netblock wins: an answer
// listing several (ARIN's parent and child) yields the last one's fields.
// The abuse contact is the best ranked: the RIPE "% Abuse contact for … is"
// comment, RAbuseEmail, OrgAbuseEmail, an irt's abuse-mailbox, any other
// abuse-mailbox, the e-mail of the abuse-c handle's object, then an address
// in a remark that mentions abuse. Linear in the size of `text`.
WhoisAnswer ParseWhoisAnswer(std::string_view text);

// The e-mail and phone of the object whose nic-hdl is `handle` (LACNIC's
// person blocks), or nullopt; the source is "abuse-c e-mail".
std::optional<AbuseContact> ContactForHandle(std::string_view text, std::string_view handle);

// True for the registries' own mailboxes, which a naive walk stops at and
// which must never get an abuse report: hostmaster@arin.net, abuse@ripe.net,
// search-apnic-not-arin@apnic.net, abuse@lacnic.net and the like (any
// mailbox at a registry's own domain, and search-apnic-not-arin@ anywhere).
bool IsRegistryMailbox(std::string_view email);

// The CIDR blocks that exactly cover first..last ("192.0.2.0", "192.0.2.255"
// gives {"192.0.2.0/24"}), at most 64 of them; empty when either is not an
// address, they are of different families, or first > last.
std::vector<std::string> RangeToCidrs(std::string_view first, std::string_view last);

}  // namespace irk::whois
