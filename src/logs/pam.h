// Parsing of PAM module messages ("pam_unix(sshd:auth): …", "PAM 2 more
// authentication failures; …"), which appear under any program that uses
// PAM: sshd, login, su, sudo, vsftpd, cron, systemd-user, passwd, chpasswd.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Parses `message` (the text after "prog[pid]: "). Pure, no allocation: the
// event's views point into `message` or are string literals.
//
// Returns kUnrecognized for a message that does not start with a PAM shape
// ("pam_<module>(<service>:<type>): ", "pam_<module>: " or "PAM "), so the
// engine can try ParsePam first on any program's line; and for a PAM-shaped
// message whose text it does not know (a coverage gap). Returns kNotAnEvent
// for known messages that record nothing ("PAM service(sshd) ignoring max
// retries; 5 > 3", pam_systemd and pam_env notes).
//
// Events:
// - "authentication failure; logname= uid= euid= tty= ruser= rhost=H  user=U"
//   (pam_unix, pam_sss, pam_ldap, any module), and "PAM 2 more authentication
//   failures; …": kAuth, failure, user U (absent when the message has no
//   user=), addr H when H is an IP address or host name, reason "authentication
//   failure" or "2 more authentication failures". The values sit between
//   fixed keys, and `ruser` and `user` can hold anything; rhost is read as
//   the first " rhost=" whose value (no spaces) is followed by " user=" or
//   the end. A hostile ruser like "x rhost=192.0.2.1" therefore cannot set the
//   address, nor can anything in the user name, which comes after it. Only a
//   ruser that itself contains a whole "rhost=H user=…" tail is ambiguous;
//   sshd sets no ruser, so the attacker-typed user name is the case this
//   reading protects.
// - "check pass; user unknown", "bad username [U]": kAuth, failure,
//   user_valid false.
// - "<error>; user=U" (pam_ldap): kAuth, failure, reason the error text.
// - "received for user U: 7 (Authentication failure)" (pam_sss): kAuth,
//   failure, reason the text in parentheses.
// - "session opened for user U(uid=N) by …" and the older "session opened
//   for user U by …": kSession, success. "session closed for user U":
//   kSession, outcome none. CRON's and systemd-user's sessions are sessions
//   too: consumers that want only logins filter by the event's service.
// - pam_faillock "Consecutive login failures for user U account temporarily
//   locked", "User U is temporarily locked out …", pam_tally2 "user U (N)
//   tally N, deny N", "Tally overflowed for user U", pam_unix "account U has
//   expired (…)", pam_succeed_if "requirement "…" not met by user "U"":
//   kRefused, failure, reason in the log's words.
// - "password changed for U" under a chauthtok type (passwd, chpasswd):
//   kAccount, success, reason "password changed".
Parsed ParsePam(std::string_view message);

}  // namespace irk::logs
