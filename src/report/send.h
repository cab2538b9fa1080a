// Sending the abuse drafts: what goes where, read back from the .eml files,
// and the hand-over to the local mail transfer agent (`sendmail -t`).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace irk::report {

inline constexpr std::string_view kDefaultSendmail = "/usr/sbin/sendmail";

// The To: and Subject: of a message, header lines unfolded and RFC 2047
// words left as they are; only the header (up to the first empty line, at
// most 64 KiB) is read. Empty fields when absent.
struct Envelope {
  std::string to;
  std::string subject;
};
Envelope ReadEnvelope(std::string_view message);

// Runs `sendmail -t -oi` (execve, no shell, the environment emptied but for
// PATH) with `message` on its stdin and waits for it. An exit status other
// than 0, or a program that cannot be run, is an error naming it.
Status Sendmail(const std::string& program, std::string_view message);

}  // namespace irk::report
