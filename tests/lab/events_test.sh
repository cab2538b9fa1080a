#!/usr/bin/env bash
# irk events on what real daemons wrote in the lab: real sshd, vsftpd and
# rsyslogd attacked by real clients from two attacker namespaces. Needs root;
# exits 77 (skipped) without it.
#   tests/lab/events_test.sh IRK_BINARY
set -euo pipefail
irk=${1:?usage: events_test.sh IRK_BINARY}
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then echo "skipped: needs root (network namespaces, a lab user)"; exit 77; fi
if ! ip netns list >/dev/null 2>&1; then echo "skipped: ip netns unavailable"; exit 77; fi

# A prefix and user of its own, so it never meets the smoke test's lab.
export IRK_LAB_PREFIX=irkev- IRK_LAB_USER=irkevents
work=$(mktemp -d)
lab_dir="$work/lab"
cleanup() { "$here/lab" down --dir "$lab_dir" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

"$here/lab" up --dir "$lab_dir" >/dev/null
# shellcheck disable=SC1091
source "$lab_dir/lab.env"

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

failures=0
# check DESCRIPTION PATTERN...: some event line matches every pattern.
check() {
  local what=$1 line
  shift
  line=$(cat "$work/events.json")
  for pattern in "$@"; do line=$(grep -F -- "$pattern" <<<"$line" || true); done
  if [ -n "$line" ]; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
check "unknown user's failed password from attacker1" '"service":"sshd"' '"kind":"auth"' \
  '"outcome":"failure"' '"user":"nosuchuser"' '"user_valid":false' "\"addr\":\"$LAB_ATTACKER1_ADDR\""
check "lab user's wrong password from attacker1" '"outcome":"failure"' "\"user\":\"$LAB_USER\"" \
  "\"addr\":\"$LAB_ATTACKER1_ADDR\"" '"method":"password"'
check "lab user's login from attacker2" '"kind":"auth"' '"outcome":"success"' \
  "\"user\":\"$LAB_USER\"" "\"addr\":\"$LAB_ATTACKER2_ADDR\"" "\"host\":\"$LAB_SERVER_HOSTNAME\""
check "vsftpd's failed login from attacker1" '"service":"vsftpd"' '"outcome":"failure"' \
  "\"user\":\"$LAB_USER\"" "\"addr\":\"$LAB_ATTACKER1_ADDR\""
check "PAM session for the lab user" '"kind":"session"' "\"user\":\"$LAB_USER\""
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
