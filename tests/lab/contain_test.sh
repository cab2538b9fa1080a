#!/usr/bin/env bash
# irk block, lock, isolate and undo against a real sshd in the lab: logins
# from the attacker namespaces work, stop, and work again. Every firewall
# change happens inside the lab's server namespace. Needs root; exits 77
# (skipped) without it.
#   tests/lab/contain_test.sh IRK_BINARY
set -euo pipefail
irk=${1:?usage: contain_test.sh IRK_BINARY}
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then echo "skipped: needs root (network namespaces, a lab user)"; exit 77; fi
if ! ip netns list >/dev/null 2>&1; then echo "skipped: ip netns unavailable"; exit 77; fi

# A prefix and user of its own unless the caller chose them.
export IRK_LAB_PREFIX=${IRK_LAB_PREFIX:-irkct-} IRK_LAB_USER=${IRK_LAB_USER:-irkcontain}
work=$(mktemp -d)
lab_dir="$work/lab"
case_dir="$work/case"
lab() { "$here/lab" "$@" --dir "$lab_dir"; }
cleanup() {
  # Put the host back first (the lab user's shadow line and keys), then the lab.
  "$irk" --case "$case_dir" undo --all --yes >/dev/null 2>&1 || true
  "$here/lab" down --dir "$lab_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

lab up >/dev/null
# shellcheck disable=SC1091
source "$lab_dir/lab.env"
in_server() { ip netns exec "$LAB_NS_SERVER" "$irk" --case "$case_dir" "$@"; }
on_host() { "$irk" --case "$case_dir" "$@"; }

failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE DESCRIPTION COMMAND...: the command exits with CODE.
expect() {
  local want=$1 what=$2 rc=0
  shift 2
  "$@" >"$work/out" 2>&1 || rc=$?
  if [ "$rc" = "$want" ]; then ok "$what"; else fail "$what (exit $rc, wanted $want)"; sed 's/^/  | /' "$work/out"; fi
}
# check DESCRIPTION COMMAND...: the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; sed 's/^/  | /' "$work/out"; fi
}
# gone PID DESCRIPTION: the process ends within 10 s.
gone() {
  local _
  for _ in $(seq 100); do
    kill -0 "$1" 2>/dev/null || { ok "$2"; return; }
    sleep 0.1
  done
  fail "$2 (pid $1 still there)"
}

# --- block: new connections fail, the open session is cut; undo lets it back
expect 0 "attacker2 logs in before the block" lab attack ssh-password --from attacker2
held=$(lab attack login --from attacker2 --hold 120 2>/dev/null)
expect 0 "irk block attacker2 in the server namespace" in_server block "$LAB_ATTACKER2_ADDR" --reason lab --yes
check "the cut connection's sshd is named" grep -q "served by sshd" "$work/out"
# The drop is silent (it looks like a network problem), so even the reset never
# reaches attacker2's client: what must end is the session on the server.
served=$(grep -o 'served by sshd\[[0-9]*\]' "$work/out" | grep -o '[0-9][0-9]*' | head -n 1 || true)
expect 2 "attacker2 cannot connect while blocked" lab attack ssh-password --from attacker2
gone "${served:-0}" "attacker2's open session is cut on the server (sshd ${served:-?})"
kill "$held" 2>/dev/null || true
expect 0 "attacker1 still logs in" lab attack ssh-password --from attacker1
expect 0 "block --list names it" in_server block --list
check "listed" grep -qF "$LAB_ATTACKER2_ADDR" "$work/out"
expect 0 "irk undo the block" in_server undo --last --yes
expect 0 "attacker2 logs in again after undo" lab attack ssh-password --from attacker2

# --- lock: password and key logins fail and the open session dies; undo restores both
shadow_before=$(grep "^$LAB_USER:" /etc/shadow)
expect 0 "key login works before the lock" lab attack ssh-key --from attacker1
held=$(lab attack ssh-key --from attacker1 --hold 120 2>/dev/null)
expect 0 "irk lock the lab user" on_host lock "$LAB_USER" --yes
expect 1 "password login refused when locked" lab attack ssh-password --from attacker1
expect 1 "key login refused when locked" lab attack ssh-key --from attacker1
gone "$held" "the open key session dies with the lock"
expect 0 "irk undo the lock" on_host undo --last --yes
expect 0 "password login works after undo" lab attack ssh-password --from attacker1
expect 0 "key login works after undo" lab attack ssh-key --from attacker1
check "shadow line as before" [ "$(grep "^$LAB_USER:" /etc/shadow)" = "$shadow_before" ]

# --- isolate --keep attacker1: nothing but attacker1 connects; undo
expect 0 "irk isolate keeping attacker1" in_server isolate --keep "$LAB_ATTACKER1_ADDR" --confirm-within 5m --yes
expect 0 "attacker1 (kept) logs in while isolated" lab attack ssh-password --from attacker1
expect 2 "attacker2 cannot connect while isolated" lab attack ssh-password --from attacker2
in_server --no-color status >"$work/out" 2>&1 || true
check "irk status shows the isolation's dead-man timer" grep -q "Firewall now: ISOLATED, lifts itself in" "$work/out"
# shellcheck disable=SC2016  # $1 is the inner shell's
check "irk status puts confirming the isolation first" \
  sh -c 'grep -A1 -x "Left to do" "$1" | grep -q "irk isolate --confirm"' _ "$work/out"
expect 0 "irk undo the isolation" in_server undo --last --yes
expect 0 "attacker2 logs in after undo" lab attack ssh-password --from attacker2

# --- a crash after step 2 of a lock: status shows it, undo restores everything
rc=0
IRK_TEST_CRASH_AFTER_STEP=2 "$irk" --case "$case_dir" lock "$LAB_USER" --yes >/dev/null 2>&1 || rc=$?
check "the lock stopped after step 2 (exit $rc)" [ "$rc" = 99 ]
expect 1 "password login refused after the partial lock" lab attack ssh-password --from attacker1
on_host status >"$work/out" 2>&1 || true
check "irk status shows the incomplete action" grep -q "stopped mid-apply: revert it with irk undo" "$work/out"
expect 0 "irk undo the incomplete lock" on_host undo --last --yes
expect 0 "password login works after undoing the partial lock" lab attack ssh-password --from attacker1
expect 0 "key login works after undoing the partial lock" lab attack ssh-key --from attacker1
check "shadow line as before" [ "$(grep "^$LAB_USER:" /etc/shadow)" = "$shadow_before" ]

if [ "$failures" -ne 0 ]; then
  echo "--- auth.log (tail)"; tail -n 40 "$LAB_AUTH_LOG"
  exit 1
fi
echo "lab contain: all checks passed"
