#!/usr/bin/env bash
# Smoke test of the lab itself: real sshd and vsftpd, attacked by real clients,
# write what we expect; teardown leaves no namespace, process or user behind.
# Exit 77 (skipped) when not root or without network namespaces.
# IRK_LAB_TEST_FAIL=1 adds a check that fails, to show teardown still happens.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$here/lab

if [ "$(id -u)" -ne 0 ]; then
  echo "lab_test: skipped: needs root (network namespaces, a lab user)"
  exit 77
fi
if ! ip netns list >/dev/null 2>&1 || ! ip netns add "${IRK_LAB_PREFIX:-irk-}probe" 2>/dev/null; then
  echo "lab_test: skipped: ip netns is unavailable here"
  exit 77
fi
ip netns delete "${IRK_LAB_PREFIX:-irk-}probe"
for tool in /usr/sbin/sshd vsftpd rsyslogd sshpass curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "lab_test: skipped: $tool is missing (run scripts/install-deps)"
    exit 77
  fi
done

dir=$(mktemp -d /tmp/irk-lab-test.XXXXXX)
user=${IRK_LAB_USER:-irklab}
failures=0

finish() {
  local rc=$? clean=1 left
  "$lab" down --dir "$dir" || clean=0
  # Teardown guarantees: nothing of the lab is left, whatever happened above.
  left=$(ip netns list | awk '{print $1}' | grep -E "^${IRK_LAB_PREFIX:-irk-}" || true)
  if [ -n "$left" ]; then echo "FAIL: namespaces left: $left"; clean=0; fi
  if getent passwd "$user" >/dev/null; then echo "FAIL: user $user left"; clean=0; fi
  if [ -n "$(pgrep -f "$dir/etc/" || true)" ]; then echo "FAIL: lab daemons left"; clean=0; fi
  if [ "$clean" = 1 ]; then echo "lab_test: teardown clean"; else rc=1; fi
  # Keep the logs of a failed run for whoever reads the test output.
  if [ "$rc" -eq 0 ]; then rm -rf "$dir"; else echo "lab_test: logs kept in $dir/log"; fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok: $what"
  else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
attack_exits() {  # attack_exits STATUS lab-attack-arguments...
  local want=$1 rc=0; shift
  "$lab" attack "$@" --dir "$dir" >/dev/null || rc=$?
  [ "$rc" -eq "$want" ]
}
# Log lines arrive through rsyslog: wait a little for them.
logged() {  # logged FILE EXTENDED-REGEX
  local _
  for _ in $(seq 30); do
    grep -qE "$2" "$1" && return 0
    sleep 0.1
  done
  echo "  no line matching /$2/ in $1"
  return 1
}

"$lab" up --dir "$dir"
# shellcheck disable=SC1091
. "$dir/lab.env"
a1=${LAB_ATTACKER1_ADDR//./\\.}
a2=${LAB_ATTACKER2_ADDR//./\\.}

check "ssh, unknown user from attacker1 is refused" \
  attack_exits 1 ssh-password --from attacker1 --user nosuchuser --password guess
check "ssh, lab user with a wrong password is refused" \
  attack_exits 1 ssh-password --from attacker1 --password wrong
check "ssh, lab user with the right password from attacker2 logs in" \
  attack_exits 0 ssh-password --from attacker2
check "ssh, lab key from attacker2 logs in" attack_exits 0 ssh-key --from attacker2
check "ftp, wrong password from attacker1 is refused" \
  attack_exits 1 ftp-login --from attacker1 --password wrong
check "ftp, right password from attacker2 logs in" attack_exits 0 ftp-login --from attacker2
check "login runs a command as the lab user" \
  test "$("$lab" attack login --dir "$dir" --from attacker2 -- id -un 2>/dev/null)" = "$LAB_USER"

check "auth.log: invalid user from attacker1" \
  logged "$LAB_AUTH_LOG" "sshd\[[0-9]+\]: Failed password for invalid user nosuchuser from $a1 port [0-9]+ ssh2"
check "auth.log: wrong password from attacker1" \
  logged "$LAB_AUTH_LOG" "sshd\[[0-9]+\]: Failed password for $LAB_USER from $a1 port [0-9]+ ssh2"
check "auth.log: accepted password from attacker2" \
  logged "$LAB_AUTH_LOG" "sshd\[[0-9]+\]: Accepted password for $LAB_USER from $a2 port [0-9]+ ssh2"
check "auth.log: accepted publickey from attacker2" \
  logged "$LAB_AUTH_LOG" "sshd\[[0-9]+\]: Accepted publickey for $LAB_USER from $a2 port [0-9]+ ssh2: ED25519 SHA256:"
check "auth.log: traditional syslog header" \
  logged "$LAB_AUTH_LOG" "^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} $LAB_SERVER_HOSTNAME sshd\["
check "auth.rfc3339.log: RFC 3339 header" \
  logged "$LAB_AUTH_LOG_RFC3339" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{2}:[0-9]{2} $LAB_SERVER_HOSTNAME sshd\["
check "auth.log: pam_unix failure for vsftpd from attacker1" \
  logged "$LAB_AUTH_LOG" "pam_unix\(vsftpd:auth\): authentication failure;.* rhost=$a1 +user=$LAB_USER"
check "vsftpd.log: FAIL LOGIN from attacker1" \
  logged "$LAB_VSFTPD_LOG" "\[$LAB_USER\] FAIL LOGIN: Client \"$a1\""
check "vsftpd.log: OK LOGIN from attacker2" \
  logged "$LAB_VSFTPD_LOG" "\[$LAB_USER\] OK LOGIN: Client \"$a2\""
check "btmp: failed ssh logins recorded" test -s "$LAB_BTMP"
if [ "${IRK_LAB_TEST_FAIL:-0}" = 1 ]; then
  check "deliberately failing check (IRK_LAB_TEST_FAIL=1)" false
fi

if [ "$failures" -gt 0 ]; then
  echo "lab_test: $failures checks failed"
  exit 1
fi
echo "lab_test: all checks passed"
