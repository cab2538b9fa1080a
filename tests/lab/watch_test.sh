#!/usr/bin/env bash
# irk watch against a real sshd in the lab: after irk block of attacker1 and
# irk lock of the lab user, the attacker comes back from a second address in
# the same /24 as another user, and as the locked user from elsewhere; watch
# reports each within a second, then the packets the block drops from
# attacker1 itself, and a key appended to authorized_keys.
# Restarted with --respond (from its saved cursors), it blocks a third address
# of the /24 at its first line, so its next connection fails. Every firewall
# change happens inside the lab's server namespace. Needs root; exits 77
# (skipped) without it.
#   tests/lab/watch_test.sh IRK_BINARY
set -euo pipefail
irk=$(realpath "${1:?usage: watch_test.sh IRK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
watch_pid=
keys_copy=
cleanup_watch() {
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
  if [ -n "$keys_copy" ] && [ -f "$keys_copy" ]; then cp -p "$keys_copy" "$LAB_HOME/.ssh/authorized_keys"; fi
  # Put the host back (the lab user's shadow line and keys), then the lab.
  "$irk" --case "$work/case" undo --all --yes >/dev/null 2>&1 || true
  lab_test_cleanup
}
lab_test_up irkwa- irkwatch
trap cleanup_watch EXIT
case_dir="$work/case"
in_server() { ip netns exec "$LAB_NS_SERVER" "$irk" --case "$case_dir" "$@"; }
on_host() { "$irk" --case "$case_dir" "$@"; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# code COMMAND...: prints the command's exit code; its output goes to $work/out.
code() { local rc=0; "$@" >"$work/out" 2>&1 || rc=$?; echo "$rc"; }
# is DESCRIPTION GOT WANTED: an exit code as wanted, else the output shown.
is() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1 (exit $2, wanted $3)"; sed 's/^/  | /' "$work/out"; fi
}
# reported DESCRIPTION SECONDS PATTERN...: within SECONDS a line of the watch's
# output holds every pattern.
reported() {
  local what=$1 seconds=$2 tries
  shift 2
  tries=$(awk "BEGIN { print int($seconds * 20) }")
  for _ in $(seq "$tries"); do
    local line
    line=$(cat "$watch_out")
    for pattern in "$@"; do line=$(grep -F -- "$pattern" <<<"$line" || true); done
    if [ -n "$line" ]; then ok "$what"; return; fi
    sleep 0.05
  done
  fail "$what (not within $seconds s)"
}

second=10.77.1.50
third=10.77.1.51

# The attack: a login from attacker1, which irk then blocks (in the server's
# namespace), and the lab user it came as, which irk locks.
is "attacker1 logs in" "$(code lab attack ssh-password --from attacker1)" 0
is "irk block attacker1" "$(code in_server block "$LAB_ATTACKER1_ADDR" --reason lab --yes)" 0
is "irk lock the lab user" "$(code on_host lock "$LAB_USER" --yes)" 0
sleep 0.5  # rsyslogd writes asynchronously: the lines before the watch stay before it

# start_watch OUTPUT ARGS...: irk watch on the lab's auth.log in the server's
# namespaces (so --respond blocks there), in the background.
start_watch() {
  local out=$1
  shift
  ip netns exec "$LAB_NS_SERVER" "$irk" --case "$case_dir" --json watch "$@" "$LAB_AUTH_LOG" \
    >"$work/$out" 2>"$work/$out.err" &
  watch_pid=$!
  watch_out="$work/$out"
  reported "watch started" 30 '"type":"note"' 'watching 1 log file'
}
stop_watch() {
  local rc=0
  kill -TERM "$watch_pid"
  wait "$watch_pid" || rc=$?
  watch_pid=
  if [ "$rc" -eq 1 ]; then ok "SIGTERM stops the watch (exit 1: alerts)"; else fail "watch exited $rc"; fi
}

# Only alerting: the attacker comes back from a second address of attacker1's
# /24 as another user, and as the locked user from attacker2's network.
start_watch watch.out
check "watch knows the block and the lock" "$watch_out" '1 blocked network, 1 locked user,'
lab attack ssh-password --from attacker1 --source "$second" --user nosuchuser --password x \
  >/dev/null 2>&1 || true
reported "another user from the blocked /24 is reported within a second" 1 \
  '"rule":"blocked-network"' "\"addr\":\"$second\"" '"user":"nosuchuser"'
lab attack ssh-password --from attacker2 >/dev/null 2>&1 || true
reported "the locked user from elsewhere is reported within a second" 1 '"rule":"locked-user"' \
  "\"addr\":\"$LAB_ATTACKER2_ADDR\"" "\"user\":\"$LAB_USER\""
# attacker1 itself tries again: the block drops its packets, and nftables'
# counters tell the watch.
lab attack ssh-password --from attacker1 >/dev/null 2>&1 || true
reported "packets dropped from the blocked attacker1 are reported" 3 '"rule":"blocked-packets"' \
  "\"addr\":\"$LAB_ATTACKER1_ADDR\""

# A key appended to a user's authorized_keys (the lab user's file, restored
# after; the lock moved the original into the case).
keys="$LAB_HOME/.ssh/authorized_keys"
if [ -f "$keys" ]; then keys_copy="$work/authorized_keys.orig"; cp -p "$keys" "$keys_copy"; fi
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummyKeyForTheWatchTest watch-test" >>"$keys"
reported "the appended key is reported" 10 '"rule":"keys-changed"' "$keys" 'DummyKeyForTheWatchTest'
if [ -n "$keys_copy" ]; then cp -p "$keys_copy" "$keys"; else rm -f "$keys"; fi
keys_copy=

stop_watch

# Responding, from where the first watch stopped: a third address of the /24
# is blocked at its first line, and its next connection fails.
start_watch watch-respond.out --respond
if grep -qF "$second" "$watch_out"; then fail "the restarted watch repeated old lines"; else
  ok "the restarted watch does not repeat old lines"; fi
lab attack ssh-password --from attacker1 --source "$third" >/dev/null 2>&1 || true
reported "the third address is reported within a second" 1 '"rule":"blocked-network"' \
  "\"addr\":\"$third\""
reported "--respond blocks the third address" 10 '"type":"note"' "responded: block $third"
is "the third address's next connection fails" \
  "$(code lab attack ssh-password --from attacker1 --source "$third")" 2
stop_watch
in_server status >"$work/status.out" 2>&1 || true
check "irk status counts the packets the block dropped" "$work/status.out" \
  'Firewall now: not isolated; 2 networks blocked by irk' 'dropped from 2 sources'
on_host journal --json >"$work/journal.json"
check "each alert is journaled" "$work/journal.json" 'watch.alert' "$second"
check "the response is journaled, undoable" "$work/journal.json" 'contain.plan' "$third"
check "the stop is journaled" "$work/journal.json" 'watch.stop'

if [ "$failures" -ne 0 ]; then
  for f in watch.out watch.out.err watch-respond.out watch-respond.out.err; do
    echo "--- $f"; cat "$work/$f" 2>/dev/null || true
  done
  echo "--- auth.log"; cat "$LAB_AUTH_LOG"
  exit 1
fi
echo "lab watch: all checks passed"
