// The OpenSSH parser: what one message of sshd, sshd-session or sshd-auth
// (OpenSSH 3.x to 10.x) records, as an Event. Pure: no I/O, no allocation.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Parses `message`, the text after "sshd[pid]: " (or "sshd-session[pid]: ",
// "sshd-auth[pid]: "). Fills kind, outcome, user, user_valid, addr, port,
// method, key and reason; every string field is a view into `message`, but
// for the user "root" of ROOT LOGIN REFUSED, a string literal.
//
// The user name, the client's strings and disconnect texts are the
// attacker's, so each message is read from its fixed structure, mostly from
// the right: in "Invalid user x from 192.0.2.1 from 198.51.100.2 port 22" the
// address is 198.51.100.2 and the user "x from 192.0.2.1". Where a message
// has hostile text on both sides of the address and more than one reading
// fits (a certificate's key ID after the address of "Failed publickey", a
// disconnect text after "Disconnecting <user> <addr> port <n>: "), the event
// keeps its kind and outcome but leaves user, addr, port and key out.
//
// Kinds and outcomes:
// - auth: Failed (failure), Accepted (success), Postponed and Partial
//   (outcome none, reason "Postponed" or "Partial": a method that needs more,
//   or one factor of a multi-factor login passed, which is no login yet),
//   Invalid/Illegal user, error: PAM: <failure> for, maximum authentication
//   attempts exceeded, Too many authentication failures (all failure).
//   user_valid is false for "invalid user"/"illegal user", true otherwise.
// - refused (failure): User … not allowed because <reason>, ROOT LOGIN
//   REFUSED (user "root"),
//   Access denied … by PAM account configuration, tcp_wrappers' refused
//   connect, PerSourcePenalties and MaxStartups drops, a key used from a
//   host its from= option does not permit.
// - connection: "Connection from" (opened: outcome none); a connection that
//   ended before authentication (failure: [preauth], "authenticating user",
//   "invalid user", "<addr> port <n>" without a user, which since 7.5 means
//   nobody had logged in, identification, banner, kex and negotiation
//   errors, timeouts); one closed after authentication ("user <user>", or
//   the older forms without port: outcome none).
// - session: "Starting session" (success) and "Close session" (none), both
//   VERBOSE; PAM's "session opened" lines are the PAM parser's.
// - service (outcome none): Server listening on, Received signal N;
//   terminating, Received SIGHUP; restarting.
//
// Messages that name no address, whose address the engine must take from
// earlier lines of the same pid: "Disconnecting: Too many authentication
// failures [for <user>]", "Access denied for user … by PAM account
// configuration", "User … not allowed because account is locked" and
// "… shell … does not exist", "kex_exchange_identification: …",
// "fatal: Read from socket failed", "fatal: Write failed", "Timeout, client
// not responding.", "Disconnecting: <reason>", and any auth message whose
// address was ambiguous (see above).
//
// Returns kNotAnEvent for sshd messages that record no security event (key
// and certificate details that an Accepted line repeats, "User child is on
// pid", DNS checks, MaxStartups throttling notes, "input_userauth_request:
// invalid user", which always follows the "Invalid user" line of the same
// attempt, the summary "PAM n more authentication failures", debug output);
// kUnrecognized for anything else, including every message starting with
// "pam_" (the PAM parser's), malformed variants (a port outside 1..65535,
// a field that is no address) and messages longer than 4096 bytes.
Parsed ParseSshd(std::string_view message);

}  // namespace irk::logs
