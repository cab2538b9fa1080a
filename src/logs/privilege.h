// Parsing of su and sudo messages: who took which account's privileges, and
// whether they got them.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Both parsers fill a kPrivilege event with:
// - user: the invoking user, the one who ran su or sudo;
// - command: for su, the target account ("root"); for sudo, the COMMAND=
//   value (sudo's run-as USER= is not kept: read it in `raw`);
// - outcome: success, or failure with `reason` in the log's words.
// Pure, no allocation: the views point into `message`. A message the parser
// does not know gives kUnrecognized.

// su's messages: util-linux "(to root) alice on pts/0" (success) and "FAILED
// SU (to root) alice on pts/0"; shadow's sulog lines "+ pts/0 alice:root" and
// "- pts/0 alice:root", and "Successful su for root by alice", "FAILED su for
// root by alice". The invoking user and the tty are read from the right,
// where only an existing account's name and a tty can stand, so a target name
// typed as "x) mallory on pts/9" cannot set them.
Parsed ParseSu(std::string_view message);

// sudo's log lines, "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ;
// COMMAND=/bin/bash" (with or without leading spaces, with newer sudo's GROUP=,
// TSID=, ENV=, CHROOT= fields), and the refusals that put a reason before the
// fields: "alice : 3 incorrect password attempts ; TTY=…", "user NOT in
// sudoers", "command not allowed", "a password is required". The invoking
// user is everything before the first " : " (sudo's own name for the real
// user, which cannot contain it). The fields are read from the left up to the
// first " ; COMMAND=", and the command is everything after it to the end, so
// a command's own " ; USER=x" or " ; COMMAND=y" stays part of the command.
// sudo writes PWD= and ENV= unescaped: a directory named "x ; COMMAND=y" can
// cut the command short, but cannot change the user or the outcome. A line
// without a COMMAND= field is an event without a command.
Parsed ParseSudo(std::string_view message);

}  // namespace irk::logs
