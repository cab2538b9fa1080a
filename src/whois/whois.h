// Who is responsible for an address: the netblock, organisation and abuse
// contact from RDAP and the whois referral walk (IANA, then the registry,
// then ARIN's rwhois referrals), cached in the case with every raw answer
// kept there as evidence. What `irk whois` prints and `irk report` mails to.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/address.h"
#include "core/case_store.h"
#include "core/result.h"
#include "whois/answer.h"
#include "whois/client.h"

namespace irk::whois {

struct Netblock {
  std::string range;               // "192.0.2.0 - 192.0.2.255" as the registry wrote it
  std::vector<std::string> cidrs;  // normal form
  std::string name;
  std::string handle;
};

// One server asked, in the order asked.
struct Hop {
  std::string server;    // "whois.iana.org", "rwhois.example.com:4321", an RDAP URL's host
  std::string protocol;  // "whois", "rwhois" or "rdap"
};

// The answer to "who runs ADDR". Strings come from the registries' answers:
// hostile, escape them before printing. Empty fields are unknown.
struct WhoisResult {
  std::string query;  // the address, normal form
  Netblock netblock;  // the most specific block any server gave
  std::string org;
  std::string country;
  std::string asn;     // "AS64496"
  AbuseContact abuse;  // source names the server: "whois.ripe.net abuse-c comment"
  std::vector<Hop> chain;
  std::string time;  // RFC 3339 UTC of the look-up
  // The RDAP bootstrap that named the server asked: "bundled" (irk's own
  // copy), "case" (CASE/rdap/, from --update-bootstrap) or the file given;
  // with its publication time. Empty when it named none.
  std::string bootstrap;
  std::string bootstrap_publication;
  std::vector<std::string> notes;  // what went wrong on the way (a dead rwhois); not cached
};

// One JSON object with the fields query, netblock {range, cidrs, name,
// handle}, org, country, asn, abuse {email, phone, source}, chain
// [{server, protocol}], time, rdap_bootstrap {source, publication}; empty
// strings left out.
std::string ToJson(const WhoisResult& result);

// Reads what ToJson wrote (bounded: at most 64 KiB); an error for anything else.
Result<WhoisResult> FromJson(std::string_view json);

struct LookupOptions {
  ServerMap servers;  // IRK_WHOIS_MAP, --server-map
  Limits limits;
  // The RDAP bootstrap file to use (IRK_RDAP_BOOTSTRAP), and then only it;
  // empty: the case's copy from UpdateBootstrap for the address's family,
  // else the bundled one (BundledBootstrap).
  std::filesystem::path rdap_bootstrap;
  bool rdap = true;       // false (--no-rdap): whois over port 43 only
  bool use_cache = true;  // false: ask again even when the case knows the answer
};

// An RDAP bootstrap file's text and where it came from.
struct Bootstrap {
  std::string text;
  std::string source;  // WhoisResult::bootstrap: "bundled", "case" or the file
};

// The bootstrap for `address`: options.rdap_bootstrap when set (and then
// only it), else the case's copy for the address's family (CASE/rdap/,
// fetched by UpdateBootstrap, so newer), else the bundled one. An error
// when the named file cannot be read.
Result<Bootstrap> ChooseBootstrap(const CaseStore& store, const LookupOptions& options,
                                  const IpAddress& address);

// The newest cached result for `address`, or nullopt when the case has none.
Result<std::optional<WhoisResult>> CachedResult(CaseStore& store, const IpAddress& address);

// The newest cached result of every address the case looked up, by address.
Result<std::vector<WhoisResult>> CachedResults(CaseStore& store);

// Looks `address` up (the cache first, unless told not to): RDAP through the
// bootstrap's server when there is one, then, when RDAP gave no abuse
// contact, the whois walk (filling only the gaps RDAP left) from whois.iana.org following
// refer: and ReferralServer: at most 6 hops, never a server twice. Each raw
// answer is written to CASE/whois/ and journaled (kind "whois", with its
// SHA-256); the result is cached. Fails for private and loopback addresses
// and when no server answered at all.
Result<WhoisResult> Lookup(CaseStore& store, const IpAddress& address,
                           const LookupOptions& options);

// IANA's RDAP bootstrap files, where irk fetches them by default.
inline constexpr const char* kIanaBootstrap = "https://data.iana.org/rdap/";

// Fetches ipv4.json and ipv6.json from `base_url` into CASE/rdap/, each
// checked to be a bootstrap file before it replaces the copy there, and
// journals each (kind "whois.bootstrap"). Returns the files written.
Result<std::vector<std::filesystem::path>> UpdateBootstrap(CaseStore& store,
                                                           const std::string& base_url,
                                                           const Limits& limits);

// The first address of `host`, resolved once through the system resolver.
Result<IpAddress> ResolveHost(const std::string& host);

}  // namespace irk::whois
