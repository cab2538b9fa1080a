// Sending the abuse drafts: what goes where, read back from the .eml files,
// and the hand-over either to the local mail transfer agent (`sendmail -t`)
// or to an SMTP server through libcurl (smtp_curl.cc; smtp_absent.cc in a
// build without it).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/result.h"

namespace irk::report {

inline constexpr std::string_view kDefaultSendmail = "/usr/sbin/sendmail";

// The To:, Cc:, Subject: and Message-ID: of a message, header lines
// unfolded and RFC 2047 words left as they are; only the header (up to the
// first empty line, at most 64 KiB) is read. Empty fields when absent.
struct Envelope {
  std::string to;
  std::string cc;
  std::string subject;
  std::string message_id;
};
Envelope ReadEnvelope(std::string_view message);

// The recipients of a message: the addresses of To: and then Cc:, split at
// commas, blanks around them dropped, each once. An error naming the first
// that is not one plain mailbox (IsPlainMailbox: no display name, no angle
// brackets, no CR or LF), and when there is none at all; such a draft was
// not written by irk and is not sent.
Result<std::vector<std::string>> Recipients(const Envelope& envelope);

// Runs `sendmail -t -oi` (execve, no shell, the environment emptied but for
// PATH) with `message` on its stdin and waits for it. An exit status other
// than 0, or a program that cannot be run, is an error naming it.
Status Sendmail(const std::string& program, std::string_view message);

// An SMTP server to send through, from the [report] table of irk.toml.
struct SmtpServer {
  std::string url;  // "smtp://host:25" or "smtps://host:465"; never with a user in it
  std::string user;
  std::string password;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
};

// Reads report.smtp (or `url`, from --smtp, when not empty), report.smtp_user,
// report.smtp_timeout (seconds for one message, 1 to 600, default 60; the
// connect timeout is the smaller of 10 s and it) and the password: `password`
// (IRK_SMTP_PASSWORD) when not null, else the file report.smtp_password_file,
// which must be a regular file no one but its owner can read. A URL other
// than smtp:// or smtps:// with a host, or with a user or password in it, is
// an error; so is a user without a password. An empty url: no SMTP server set.
Result<SmtpServer> SmtpFromConfig(const Config& config, const std::string& url,
                                  const char* password);

// True when built with libcurl (IRK_WITH_CURL), which SmtpSend needs.
bool HasSmtp();

// Why a build without libcurl (IRK_WITH_CURL off, the static irk) has no SMTP.
inline constexpr std::string_view kNoSmtp =
    "this static irk has no SMTP (built without libcurl); send through the local mail "
    "system instead: irk report --send DIR without --smtp (sendmail -t)";

// Sends `message` as it is through `server`: MAIL FROM `from`, RCPT TO each
// of `to` (plain mailboxes, checked by the caller; a recipient the server
// refuses fails the whole message), then the data, libcurl doubling leading
// dots. smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when
// the server offers it, and insists on it when a user is set (the password
// never goes in clear). Certificates and host names are verified. Bounded by
// the server's timeouts. An error names the server and what went wrong;
// always an error, saying kNoSmtp, without libcurl.
Status SmtpSend(const SmtpServer& server, const std::string& from,
                const std::vector<std::string>& to, std::string_view message);

}  // namespace irk::report
