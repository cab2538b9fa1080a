#!/usr/bin/env bash
# `make demo` as a test: tests/lab/demo with this build's irk, checked step by
# step while the lab is still up (demo_checks.sh), then checked to have left
# the host as it found it: no namespace of its prefix, no lab user, no
# /etc/ftpusers line, no process it started, no lab folder. Needs root;
# exits 77 without it.
#   tests/lab/demo_test.sh IRK_BINARY
set -euo pipefail
irk=$(realpath "${1:?usage: demo_test.sh IRK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then echo "skipped: needs root (network namespaces, a lab user)"; exit 77; fi
if ! ip netns list >/dev/null 2>&1; then echo "skipped: ip netns unavailable"; exit 77; fi

# A prefix and user of its own, so it never meets another test's lab or a demo.
export IRK_LAB_PREFIX=irkdt- IRK_LAB_USER=irkdemotest
work=$(mktemp -d)
dir=$work/demo
cleanup() {
  # The demo tears down on its own; this is for a demo killed before its trap ran.
  "$here/lab" down --dir "$dir/lab" --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

rc=0
timeout 900 "$here/demo" --irk "$irk" --dir "$dir" --then "$here/demo_checks.sh" >"$work/demo.out" 2>&1 ||
  rc=$?
if [ "$rc" = 0 ]; then ok "the demo ran and its checks passed"; else
  fail "the demo exited $rc"; cat "$work/demo.out"; fi
grep -E '^(ok|FAIL): ' "$work/demo.out" || true
check_printed() {
  if grep -qF -- "$2" "$work/demo.out"; then ok "$1"; else fail "$1"; fi
}
check_printed "the demo prints the report's path" "the report:       $dir/report/report.html"
check_printed "the demo prints the drafts' path" "abuse drafts:     $dir/report/abuse"
check_printed "the demo prints the CSIRT notice's path" "$dir/report/csirt/csirt-notice.txt"

# The host as it was.
namespaces=$(ip netns list | awk '{print $1}')
if grep -q "^$IRK_LAB_PREFIX" <<<"$namespaces"; then
  fail "a namespace of the lab remains: $(grep "^$IRK_LAB_PREFIX" <<<"$namespaces" | tr '\n' ' ')"
else ok "no namespace of the lab remains"; fi
if getent passwd "$IRK_LAB_USER" >/dev/null; then fail "the user $IRK_LAB_USER remains"; else
  ok "the lab user is gone"; fi
if [ -f /etc/ftpusers ] && grep -qxF "$IRK_LAB_USER" /etc/ftpusers; then
  fail "/etc/ftpusers still names $IRK_LAB_USER"
else ok "/etc/ftpusers does not name the lab user"; fi
for what in sniffer:sniffer held:"held session's ssh client"; do
  pid=$(cat "$dir/${what%%:*}.pid" 2>/dev/null || echo "")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then fail "the ${what#*:} (pid $pid) still runs"; else
    ok "the ${what#*:} is gone"; fi
done
if pgrep -f "$dir/lab/intruder/sniff.py" >/dev/null; then fail "a sniffer process remains"; else
  ok "no sniffer process remains"; fi
if [ -e "$dir/lab" ]; then fail "the lab folder remains"; else ok "the lab folder is gone"; fi
if [ -s "$dir/report/report.html" ]; then ok "the report is kept"; else fail "the report is not kept"; fi
if grep -rqF "irkdemo trojan" "$dir/case"; then ok "the case keeps the trojan"; else
  fail "the trojan is not in the case"; fi

if [ "$failures" -ne 0 ]; then exit 1; fi
echo "lab demo: all checks passed"
