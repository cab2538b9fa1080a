#!/usr/bin/env bash
# The static irk (make static, docs/static.md) as a responder carries it:
# linked statically, answering exactly as the full build does on the same
# image and log, and saying clearly, with exit status 2, what it lacks.
# Exits 77 (skipped) when build-static/irk has not been built.
#   tests/static/static_test.sh STATIC_IRK FULL_IRK WHOIS_RESPONDER WHOIS_DATA
set -uo pipefail
static=${1:?usage: static_test.sh STATIC_IRK FULL_IRK WHOIS_RESPONDER WHOIS_DATA}
full=${2:?}
responder=${3:?}
whois_data=${4:?}
if [ ! -x "$static" ]; then
  echo "static_test: skipped: $static is not built (make static)"
  exit 77
fi

work=$(mktemp -d /tmp/irk-static-test.XXXXXX)
responder_pid=
cleanup() {
  if [ -n "$responder_pid" ]; then kill "$responder_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "ok: $*"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# expect_error NAME TEXT COMMAND...: the command exits 2 and its stderr holds TEXT.
expect_error() {
  local name=$1 text=$2 status=0
  shift 2
  "$@" >"$work/out" 2>"$work/err" || status=$?
  if [ "$status" -eq 2 ] && grep -qF -- "$text" "$work/err"; then
    ok "$name"
  else
    fail "$name: exit $status, stderr: $(cat "$work/err")"
  fi
}

# Linked statically: no interpreter, no shared library from the host.
if file -L "$static" | grep -q "statically linked"; then ok "file says statically linked"; else
  fail "file: $(file -L "$static")"; fi
ldd_says=$(ldd "$static" 2>&1 || true)
if grep -q "not a dynamic executable" <<<"$ldd_says"; then ok "ldd: not a dynamic executable"
else fail "ldd: $ldd_says"; fi
if "$static" --help | grep -q "This is a static irk"; then ok "irk --help says it is static"; else
  fail "irk --help: $("$static" --help 2>&1 | tail -3)"; fi
version=$("$static" --version)
for missing in "static build" "systemd journal" "nftables" "RDAP" "SMTP"; do
  if grep -qF "$missing" <<<"$version"; then ok "--version names: $missing"; else
    fail "--version does not name '$missing': $version"; fi
done

# A small image: a host name, an auth.log with failures and a login, wtmp.
image="$work/img"
mkdir -p "$image/etc" "$image/var/log" "$image/run"
echo web1 >"$image/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
  >"$image/etc/passwd"
cat >"$image/var/log/auth.log" <<'LOG'
Nov 26 13:02:11 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 51234 ssh2
Nov 26 13:02:15 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 51234 ssh2
Nov 26 13:05:00 web1 sshd[4300]: Accepted publickey for alice from 198.51.100.4 port 40022 ssh2: ED25519 SHA256:abc
Nov 26 13:05:00 web1 sshd[4300]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)
Nov 26 13:06:01 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh
LOG
cp "$whois_data/../login_records/wtmp_x86_64" "$image/var/log/wtmp"
touch -d "2026-11-26 14:00:00 UTC" "$image/var/log/auth.log"

# The same answers as the full build, each in a new case at the same path
# (the timeline shows the case's own records).
same() {
  local name=$1
  shift
  local status_full=0 status_static=0
  rm -rf "$work/case"
  IRK_TEST_NOW=2026-11-26T14:00:00Z "$full" --case "$work/case" "$@" \
    >"$work/full.out" 2>"$work/full.err" || status_full=$?
  rm -rf "$work/case"
  IRK_TEST_NOW=2026-11-26T14:00:00Z "$static" --case "$work/case" "$@" \
    >"$work/static.out" 2>"$work/static.err" || status_static=$?
  if [ "$status_full" -ne "$status_static" ]; then
    fail "$name: full build exit $status_full, static $status_static: $(cat "$work/static.err")"
  elif [ ! -s "$work/full.out" ]; then
    fail "$name: no output: $(cat "$work/full.err")"
  elif ! cmp -s "$work/full.out" "$work/static.out"; then
    fail "$name: the output differs:"
    diff "$work/full.out" "$work/static.out" | head -20
  else
    ok "$name: the same $(wc -l <"$work/full.out") lines as the full build"
  fi
}
same "irk status --root IMAGE --json" --root "$image" status --json
same "irk events --json auth.log" events --json "$image/var/log/auth.log"
same "irk timeline --root IMAGE --json" --root "$image" timeline --json

# What it lacks, each said clearly. The journal is one of the default log
# sources, whose problems are warnings as in the full build (the other
# sources are still read): the warning names the files and the way out.
journal_image="$work/journal-img"
mkdir -p "$journal_image/var/log/journal/5f0e4c1a2b3d4e5f60718293a4b5c6d7"
echo "not readable without libsystemd" \
  >"$journal_image/var/log/journal/5f0e4c1a2b3d4e5f60718293a4b5c6d7/system.journal"
status=0
"$static" --case "$work/case-static" --root "$journal_image" events >"$work/out" 2>"$work/err" ||
  status=$?
if [ "$status" -eq 0 ] && grep -qF "cannot read the systemd journal" "$work/err" &&
  grep -qF "system.journal" "$work/err"; then
  ok "events on an image with only a journal warns"
else
  fail "events on a journal image: exit $status: $(cat "$work/err")"
fi
# The rest stop with exit status 2.
expect_error "isolate" "cannot change nftables" \
  "$static" --case "$work/case-static" isolate --dry-run
expect_error "block --list" "cannot change nftables" \
  "$static" --case "$work/case-static" block --list
# block falls back to hosts.deny, saying why; --dry-run changes nothing.
status=0
"$static" --case "$work/case-static" block --dry-run 203.0.113.7 >"$work/out" 2>"$work/err" || status=$?
if [ "$status" -eq 0 ] && grep -qF "cannot change nftables" "$work/err" &&
  grep -qF "hosts.deny" "$work/out"; then
  ok "block falls back to /etc/hosts.deny"
else
  fail "block --dry-run: exit $status: $(cat "$work/out" "$work/err")"
fi
expect_error "whois --update-bootstrap" "has no RDAP" \
  "$static" --case "$work/case-static" whois --update-bootstrap
# SMTP: nothing is sent, and the message points to sendmail.
mkdir -p "$work/drafts"
printf 'To: abuse@example.net\r\nSubject: test\r\n\r\nbody\r\n' >"$work/drafts/01.eml"
printf '[report]\nemail = "security@example.org"\n' >"$work/irk.toml"
expect_error "report --send --smtp" "has no SMTP (built without libcurl); send through the local" \
  "$static" --case "$work/case-static" --config "$work/irk.toml" report --send "$work/drafts" \
  --smtp smtp://127.0.0.1:1 --yes

# whois asks the port-43 servers (local ones here), saying once that RDAP is off.
coproc RESPONDER { exec python3 "$responder" "$whois_data"; }
responder_pid=$RESPONDER_PID
read -r -t 10 map <&"${RESPONDER[0]}" || map=
status=0
IRK_WHOIS_MAP=$map "$static" --case "$work/case-static" whois --json 192.0.2.7 \
  >"$work/out" 2>"$work/err" || status=$?
if [ "$status" -eq 0 ] && [ "$(grep -c "has no RDAP" "$work/err")" -eq 1 ] &&
  grep -qF '"email":"abuse@example.net"' "$work/out"; then
  ok "whois over port 43 with RDAP off"
else
  fail "whois 192.0.2.7: exit $status: $(cat "$work/out" "$work/err")"
fi

if [ "$failures" -ne 0 ]; then
  echo "static: $failures checks failed"
  exit 1
fi
echo "static: all checks passed"
