// The whois client (RFC 3912: one query line over TCP, the answer until the
// server closes) and rwhois (until "%ok"), bounded in time and size, with a
// map that sends any server name to another host and port.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace irk::whois {

struct Endpoint {
  std::string host;  // a name (resolved once) or an address
  uint16_t port = 43;
};

// Server name -> where to reach it instead ("whois.arin.net" ->
// 127.0.0.1:4343), from `IRK_WHOIS_MAP` or `--server-map`.
using ServerMap = std::map<std::string, Endpoint, std::less<>>;

// Parses "NAME=HOST:PORT,NAME=HOST:PORT" (an IPv6 HOST in brackets); names
// are lower-cased. An empty text is an empty map.
Result<ServerMap> ParseServerMap(std::string_view text);

struct Limits {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{20000};  // one query, connect to last byte
  size_t max_answer = 1 << 20;                     // bytes
};

// Sends `query` and CRLF to `endpoint` and returns the answer: everything
// until the server closes, or for `rwhois` until a line "%ok" or "%error".
// Errors name the endpoint: a failed or timed-out connect, a reset (a
// truncated answer), an answer over limits.max_answer, no end before
// limits.total_timeout. Never runs a program; resolves endpoint.host only
// when it is not an address.
Result<std::string> Query(const Endpoint& endpoint, std::string_view query, bool rwhois,
                          const Limits& limits);

// The query line `server` wants for an address or handle: "n + ADDR" for
// ARIN, "-B ADDR" for the RIPE-database registries (RIPE, APNIC, AFRINIC),
// the text itself elsewhere (IANA, LACNIC, rwhois, NIRs).
std::string QueryLine(std::string_view server, std::string_view text);

}  // namespace irk::whois
