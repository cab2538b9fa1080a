#!/usr/bin/env bash
# irk entry on the lab's real daemon logs: an attacker guesses the lab user's
# FTP password, gets it right, then logs in over ssh; irk entry names vsftpd
# with the lines behind it. Needs root; exits 77 (skipped) without it.
#   tests/lab/entry_test.sh IRK_BINARY
set -euo pipefail
irk=$(realpath "${1:?usage: entry_test.sh IRK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
lab_test_up irken- irkentry

# Five wrong FTP passwords, then the right one, then the ssh login, all from
# attacker1.
if lab attack ftp-login --password wrong --count 5 >/dev/null 2>&1; then
  echo "FAIL: a wrong FTP password was accepted"; exit 1
fi
lab attack ftp-login >/dev/null 2>&1
sleep 1  # the ssh login must come after the FTP success, in whole seconds
lab attack ssh-password >/dev/null 2>&1
sleep 1  # rsyslogd writes asynchronously

# Inside the server's namespaces: /var/log is the lab's, with auth.log and
# vsftpd.log among irk's default sources.
rc=0
nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" entry --json "$LAB_USER" \
  > "$work/entry.json" || rc=$?
check "the ssh login from attacker1 is the one explained" "$work/entry.json" '"type":"login"' \
  '"service":"sshd"' "\"user\":\"$LAB_USER\"" "\"source\":\"$LAB_ATTACKER1_ADDR\""
check "vsftpd: five failures, then a success" "$work/entry.json" '"type":"service"' \
  '"service":"vsftpd"' '"score":4' '"failures":5' '"successes":1' "\"users\":[\"$LAB_USER\"]"
check "vsftpd's own lines support it" "$work/entry.json" '"service":"vsftpd"' \
  "[$LAB_USER] FAIL LOGIN: Client \\\"$LAB_ATTACKER1_ADDR\\\"" \
  "[$LAB_USER] OK LOGIN: Client \\\"$LAB_ATTACKER1_ADDR\\\""
check "the verdict names vsftpd" "$work/entry.json" '"type":"verdict"' \
  "likely way in: vsftpd: 5 failed logins as $LAB_USER, then 1 success"
if [ "$rc" -eq 1 ]; then echo "ok: exit 1 for a way in found"; else
  echo "FAIL: irk entry exited $rc, expected 1"; failures=$((failures + 1)); fi

# The same from the host, reading the lab's logs as named files, and as text.
"$irk" --case "$work/case" entry "$LAB_ATTACKER1_ADDR" --source "$LAB_AUTH_LOG" \
  --source "$LAB_VSFTPD_LOG" > "$work/entry.txt" || true
check "the text verdict (host view, by address)" "$work/entry.txt" \
  "Verdict: likely way in: vsftpd: 5 failed logins as $LAB_USER, then 1 success"

if [ "$failures" -ne 0 ]; then
  echo "--- entry.json"; cat "$work/entry.json"; echo "--- entry.txt"; cat "$work/entry.txt"
  echo "--- auth.log"; cat "$LAB_AUTH_LOG"; echo "--- vsftpd.log"; cat "$LAB_VSFTPD_LOG"
  exit 1
fi
echo "lab entry: all checks passed"
