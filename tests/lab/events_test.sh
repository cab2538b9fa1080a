#!/usr/bin/env bash
# irk events on what real daemons wrote in the lab: real sshd, vsftpd and
# rsyslogd attacked by real clients from two attacker namespaces. Needs root;
# exits 77 (skipped) without it.
#   tests/lab/events_test.sh IRK_BINARY
set -euo pipefail
irk=${1:?usage: events_test.sh IRK_BINARY}
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
lab_test_up irkev- irkevents

expect_refused() {
  if "$@" >/dev/null 2>&1; then
    echo "FAIL: login should have failed: $*"
    exit 1
  fi
}
expect_refused "$here/lab" attack ssh-password --dir "$lab_dir" --from attacker1 --user nosuchuser --password x
expect_refused "$here/lab" attack ssh-password --dir "$lab_dir" --from attacker1 --password wrong
"$here/lab" attack login --dir "$lab_dir" --from attacker2 >/dev/null
expect_refused "$here/lab" attack ftp-login --dir "$lab_dir" --from attacker1 --password wrong
sleep 1  # rsyslogd writes asynchronously

"$irk" --case "$work/case" events --json --stats "$LAB_AUTH_LOG" "$LAB_VSFTPD_LOG" \
  > "$work/events.json" 2> "$work/stats.txt"
events="$work/events.json"

check "unknown user's failed password from attacker1" "$events" '"service":"sshd"' '"kind":"auth"' \
  '"outcome":"failure"' '"user":"nosuchuser"' '"user_valid":false' "\"addr\":\"$LAB_ATTACKER1_ADDR\""
check "lab user's wrong password from attacker1" "$events" '"outcome":"failure"' "\"user\":\"$LAB_USER\"" \
  "\"addr\":\"$LAB_ATTACKER1_ADDR\"" '"method":"password"'
check "lab user's login from attacker2" "$events" '"kind":"auth"' '"outcome":"success"' \
  "\"user\":\"$LAB_USER\"" "\"addr\":\"$LAB_ATTACKER2_ADDR\"" "\"host\":\"$LAB_SERVER_HOSTNAME\""
check "vsftpd's failed login from attacker1" "$events" '"service":"vsftpd"' '"outcome":"failure"' \
  "\"user\":\"$LAB_USER\"" "\"addr\":\"$LAB_ATTACKER1_ADDR\""
check "PAM session for the lab user" "$events" '"kind":"session"' "\"user\":\"$LAB_USER\""
# Every sshd line carries the daemon's pid.
if grep -F '"service":"sshd"' "$work/events.json" | grep -vqF '"pid":'; then
  echo "FAIL: an sshd event without its pid"; failures=$((failures + 1))
else
  echo "ok: every sshd event has its pid"
fi
# No line of a known service went unrecognized.
if awk 'NR > 1 && $4 != 0 { bad = 1 } END { exit !bad }' "$work/stats.txt"; then
  echo "FAIL: lines of known services no parser recognized:"; cat "$work/stats.txt"
  failures=$((failures + 1))
else
  echo "ok: no unrecognized lines"
fi

if [ "$failures" -ne 0 ]; then
  echo "--- events"; cat "$work/events.json"; echo "--- auth.log"; cat "$LAB_AUTH_LOG"
  exit 1
fi
echo "lab events: all checks passed"
