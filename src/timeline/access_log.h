// Web server access logs (Apache's and nginx's common and combined formats)
// as events, so `irk entry` can count the requests from an address. The
// request, user and agent are the client's text: the parser reads the address
// from the front, which the server writes, and the stamp from the first
// `[stamp] "` (both servers escape quotes inside the fields before it).
#pragma once

#include <optional>
#include <string_view>

#include "core/time.h"
#include "logs/event.h"

namespace irk::timeline {

// One request line:
//   203.0.113.7 - alice [26/Nov/2026:13:02:11 +0100] "GET /x HTTP/1.1" 401 12 "-" "curl/8"
struct AccessLine {
  logs::EventAddress addr;     // the client, as the server wrote it
  Timestamp time;              // UTC
  std::string_view time_text;  // "26/Nov/2026:13:02:11 +0100"
  std::string_view zone;       // "+0100"
  std::string_view user;       // the authenticated user; empty for "-"
  std::string_view request;    // between the quotes, escapes left as written
  int status = 0;              // 100 to 599
};

// Parses one line; nullopt when it is not a request line of these formats
// (an unparsable address, stamp, request or status). Pure, no allocation;
// the views point into `line`.
std::optional<AccessLine> ParseAccessLine(std::string_view line);

// The event a request is: an auth failure for 401 and 407 (the server asked
// for credentials and got none that worked), refused for 403, else a
// connection; service `service` ("apache2", "nginx"), method the request.
// Views point into `line` and `service`.
logs::Event AccessEvent(const AccessLine& access, std::string_view service);

}  // namespace irk::timeline
