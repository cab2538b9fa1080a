// RDAP (RFC 9082, 9083): which server to ask from IANA's bootstrap files
// (RFC 9224), the ip network answer read into the fields a whois answer
// gives, and the bounded HTTPS GET through libcurl (rdap_http.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"
#include "whois/answer.h"
#include "whois/client.h"

namespace irk::whois {

inline constexpr size_t kMaxRdapJson = 1 << 20;  // bytes, bootstrap files and answers alike

// The base URLs for `address` in a bootstrap file (`{"services": [[[prefix,
// ...], [url, ...]], ...]}`, IPv4 or IPv6 or both): those of the longest
// prefix that holds it, https ones first, each ending in '/'. Empty when no
// service holds it; an error when `json` is not such a file.
Result<std::vector<std::string>> BootstrapUrls(std::string_view json, const IpAddress& address);

// The "publication" time of a bootstrap file as written there, "" when it
// has none or is not JSON.
std::string BootstrapPublication(std::string_view json);

// irk's own copy of IANA's bootstrap file for IPv4 or IPv6 (data/rdap/,
// compiled in by cmake/embed_bootstrap.cmake): the RIRs' blocks, which IANA
// has not changed since 2019.
std::string_view BundledBootstrap(bool v6);

// Reads an RDAP "ip network" object: handle, name, country, the range
// (startAddress - endAddress) and its CIDRs (cidr0_cidrs, else computed),
// ARIN's origin AS, the registrant's name as org, and the abuse contact:
// the e-mail and phone (jCard, RFC 7095) of an entity with the role "abuse",
// searched through nested entities (ARIN nests it in the registrant);
// failing that, an entity's e-mail that names abuse. Bounded in size and in
// depth (8 levels, 1000 entities).
Result<WhoisAnswer> ParseRdapNetwork(std::string_view json);

// Why a build without libcurl (IRK_WITH_CURL off, the static irk) has no RDAP.
inline constexpr std::string_view kNoRdap =
    "this static irk has no RDAP (built without libcurl); whois (port 43) only";

// GETs `url` (http or https; redirects only to https, at most 3) asking for
// application/rdap+json, within limits.connect_timeout and
// limits.total_timeout, refusing more than `max_bytes`. An error for any
// status but 200. Always an error, saying kNoRdap, without libcurl.
Result<std::string> HttpGet(const std::string& url, const Limits& limits, size_t max_bytes);

}  // namespace irk::whois
