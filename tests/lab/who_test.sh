#!/usr/bin/env bash
# irk who, irk logins and irk status on real ssh sessions in the lab: a user's
# habitual address is "usual", an attacker's first success "never-seen", and
# sessions show from sshd's processes even where utmp does not record them.
# Needs root; exits 77 (skipped) without it.
#   tests/lab/who_test.sh IRK_BINARY
set -euo pipefail
irk=$(realpath "${1:?usage: who_test.sh IRK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
lab_test_up irkwho- irkwho

# The user's habit: three logins from attacker1's address (standing in for
# the office). Then a failed guess and a session from there, and the
# attacker's first ever success, from attacker2, held open.
for _ in 1 2 3; do lab attack ssh-password --from attacker1 >/dev/null 2>&1; done
lab attack ssh-password --from attacker1 --user nosuchuser --password x >/dev/null 2>&1 || true
lab attack login --from attacker1 --tty --hold 120 >/dev/null 2>&1
lab attack login --from attacker2 --tty --hold 120 >/dev/null 2>&1
sleep 1  # rsyslogd writes asynchronously

session() { printf '"addr":"%s"' "$1"; }

# From the host: the lab's utmp is not the host's, so both sessions come from
# sshd's processes, and the history from the lab's files.
rc=0
"$irk" --case "$work/case" who --json --source "$LAB_AUTH_LOG" --source "$LAB_WTMP" \
  --source "$LAB_BTMP" > "$work/who.json" || rc=$?
check "habitual address is usual (host view)" "$work/who.json" "$(session "$LAB_ATTACKER1_ADDR")" \
  '"source_verdict":"usual"' '"earlier_logins":3' "\"user\":\"$LAB_USER\"" '"tty":"pts/'
check "attacker's first success is never-seen (host view)" "$work/who.json" \
  "$(session "$LAB_ATTACKER2_ADDR")" '"source_verdict":"never-seen"' '"earlier_logins":0'
check "sessions missing from the host's utmp are flagged" "$work/who.json" \
  "$(session "$LAB_ATTACKER2_ADDR")" '"in_utmp":false' '"sshd_pid":'
if [ "$rc" -eq 1 ]; then echo "ok: exit 1 for a never-seen source"; else
  echo "FAIL: irk who exited $rc, expected 1"; failures=$((failures + 1)); fi

# Inside the server's namespaces irk sees what sshd wrote: utmp, wtmp and
# /var/log/auth.log are its default sources.
nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" who --json > "$work/who-ns.json" || true
check "habitual address is usual (server view, from utmp)" "$work/who-ns.json" \
  "$(session "$LAB_ATTACKER1_ADDR")" '"source_verdict":"usual"' '"in_utmp":true' '"port":'
check "attacker's first success is never-seen (server view)" "$work/who-ns.json" \
  "$(session "$LAB_ATTACKER2_ADDR")" '"source_verdict":"never-seen"' '"in_utmp":true'

nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" status --json \
  > "$work/status.json" || true
check "status judges sessions too" "$work/status.json" '"type":"session"' \
  "$(session "$LAB_ATTACKER2_ADDR")" '"source_verdict":"never-seen"'
check "status lists the failing source of the last 24 hours" "$work/status.json" \
  '"type":"failed_source"' "\"source\":\"$LAB_ATTACKER1_ADDR\"" '"users":["nosuchuser"]'

# irk logins: each login once although auth.log and wtmp both record the tty ones.
nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" logins --json "$LAB_USER" \
  > "$work/logins.json"
check "logins: four successes from the habitual address, counted once" "$work/logins.json" \
  "\"source\":\"$LAB_ATTACKER1_ADDR\"" '"successes":4' '"failures":0' '"methods":["password"]'
check "logins: the attacker's one success" "$work/logins.json" \
  "\"source\":\"$LAB_ATTACKER2_ADDR\"" '"successes":1'
nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" logins --json > "$work/all.json"
if grep -qF '"user":"nosuchuser"' "$work/all.json"; then
  echo "FAIL: unknown user names listed without --all"; failures=$((failures + 1))
else
  echo "ok: unknown user names left out without --all"
fi
nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" logins --json --all > "$work/all.json"
check "logins --all: the unknown user's failure" "$work/all.json" '"user":"nosuchuser"' \
  '"user_valid":false' '"failures":1'

if [ "$failures" -ne 0 ]; then
  for f in who who-ns status logins all; do echo "--- $f"; cat "$work/$f.json"; done
  echo "--- auth.log"; cat "$LAB_AUTH_LOG"
  exit 1
fi
echo "lab who: all checks passed"
