// Parsers for the FTP daemons' trail: vsftpd, proftpd, pure-ftpd and wu-ftpd
// messages into Events. Pure functions on one message: no I/O, no allocation.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Each parser takes one message: the text after "prog[pid]: " in syslog, or
// after the daemon's own stamp in its own file (which the line framing
// strips). A parser fills kind, outcome, user, user_valid, addr and reason;
// the views point into `message` (or at a static "root" or "anonymous" where
// the log implies the user) and live as long as it does. User names and the
// texts after them are the client's: every parser reads the address from a
// part of the message that the client cannot write, so no user name can set
// it. File transfers and other file commands are known but no security
// event (kNotAnEvent): the schema has no kind for them, and the login before
// them carries who and from where.

// vsftpd's own log format, in vsftpd.log ("[pid N] " already stripped) or in
// syslog (syslog_enable=YES, also used by dual_log_enable):
//   [alice] OK LOGIN: Client "203.0.113.5"       auth, success
//   [alice] FAIL LOGIN: Client "203.0.113.5"     auth, failure
//   [ftp] OK LOGIN: Client "…", anon password "x@y"
//   CONNECT: Client "203.0.113.5"                connection, outcome none
//   CONNECT: Client "…", "Connection refused: too many sessions."  refused
//   CONNECT: Client "…", "other text"            connection, none, reason
//   [alice] OK DOWNLOAD/UPLOAD/MKDIR/DELETE/RENAME/RMDIR/CHMOD …, FTP command,
//   FTP response, DEBUG                          kNotAnEvent
// Both the user name (left of the address) and the anonymous password and
// file name (right of it) are the client's. Every reading of the message
// that fits vsftpd's exact layout is considered; when more than one fits
// (only crafted text can do that) and any of them would be an event, the
// message is kUnrecognized, so a crafted name can neither set the address nor
// forge a login.
Parsed ParseVsftpd(std::string_view message);

// proftpd, in syslog ("SERVER (HOST[ADDR]) - MESSAGE") or in its SystemLog
// ("SERVER (HOST[ADDR]): MESSAGE"). The address is read only from the
// "(HOST[ADDR])" group right after the server name, which comes before any
// client text. MESSAGE:
//   USER alice: Login successful. / ANON ftp: Login successful.   auth, success
//   USER alice (Login failed): Incorrect password                 auth, failure
//   USER evil: no such user found from HOST [ADDR] to IP:PORT     auth, failure,
//     user_valid false; the trailing ADDR must agree with the group's, else
//     kUnrecognized
//   USER alice (Login failed): User in /etc/ftpusers (or a Limit, an invalid
//   shell)                                                        refused
//   SECURITY VIOLATION: Root login attempted                      refused, user root
//   Maximum login attempts (3) exceeded, connection refused       refused
//   FTP session opened. / FTP session closed.                     connection, none
//   FTP login timed out, disconnected                             connection, failure
//   FTP no transfer timeout, disconnected (idle, stalled)         connection, none
// A message without a client group (daemon start and stop) is kNotAnEvent.
Parsed ParseProftpd(std::string_view message);

// pure-ftpd: "(USER@HOST) [LEVEL] MESSAGE", USER "?" before login, HOST an
// address or, with reverse DNS, a host name. The address is what follows the
// last '@' before the first ") [LEVEL] ", so neither a user name with '@' in
// the prefix nor one in MESSAGE can set it. MESSAGE:
//   New connection from 203.0.113.5                connection, none
//   Authentication failed for user [alice]         auth, failure
//   alice is now logged in                         auth, success
//   Anonymous user logged in                       auth, success, user anonymous
//   Logout.                                        session none; before login
//                                                  (USER "?") connection failure
//   Timeout - try typing a little faster next time connection; failure before login
//   Too many connections (N) from this IP          refused
// Transfer lines and [DEBUG] lines are kNotAnEvent.
Parsed ParsePureFtpd(std::string_view message);

// wu-ftpd: after the fixed " FROM "/" from " come the host name (or, when
// the client's identd answered, "IDENT @ HOST", IDENT one word) and
// "[ADDR]"; the user is everything after the "], " that follows.
//   FTP LOGIN FROM host.example [203.0.113.5], alice            auth, success
//   ANONYMOUS FTP LOGIN FROM host [203.0.113.5], x@y            auth, success, user anonymous
//   FAILED LOGIN 1 FROM host.example [203.0.113.5], alice       auth, failure
//   FTP LOGIN REFUSED (username in denied-uid) FROM host [ADDR], root   refused
//   repeated login failures from host.example [203.0.113.5]     refused
//   connection from host.example [203.0.113.5]                  connection, none
Parsed ParseWuFtpd(std::string_view message);

}  // namespace irk::logs
