// Which parser reads which program's messages: the one table from a syslog
// tag ("sshd", "sudo", "vsftpd", …) to the service parsers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logs/event.h"

namespace irk::logs {

// True when `program` is a service irk has a parser for, so a message of
// it that no parser recognizes is a coverage gap rather than noise.
bool IsKnownService(std::string_view program);

// The programs IsKnownService knows, sorted: the journal is asked for these.
std::vector<std::string> KnownServices();

// Parses `message` as `program` writes it. PAM module messages ("pam_unix(…",
// "PAM 2 more authentication failures") are read by the PAM parser whichever
// program logged them. Messages of programs irk does not know are
// kNotAnEvent.
Parsed ParseMessage(std::string_view program, std::string_view message);

// rsyslog's and syslog-ng's "message repeated N times: [ MSG]": the inner
// message and N (at least 1, at most 100000), or nullopt for any other text.
struct Repeated {
  std::string_view message;
  int count = 1;
};
std::optional<Repeated> UnwrapRepeated(std::string_view message);

}  // namespace irk::logs
