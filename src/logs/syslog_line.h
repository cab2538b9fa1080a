// The header of one log line: when, which host, which program and pid, and
// the message after it. Every line format (RFC 3164 and its variants,
// RFC 5424, ISO-8601 stamps, the daemons' own files) and the journal give
// one, so the service parsers see only the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace irk::logs {

struct LineHeader {
  Timestamp time;              // UTC
  std::string_view time_text;  // the stamp as written
  std::string_view zone;       // the zone the stamp gave or that was assumed: "+02:00", "UTC"
  std::string_view host;       // "" when the format has none
  std::string_view program;    // "sshd", "sshd-session", "vsftpd", "CRON", …
  std::optional<int64_t> pid;
  std::string_view message;  // the rest of the line, after "program[pid]: "
};

}  // namespace irk::logs
