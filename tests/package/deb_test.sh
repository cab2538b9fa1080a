#!/usr/bin/env bash
# The Debian package, as an administrator meets it: built by CPack from this
# build tree, installed with dpkg, used (irk --help, man irk, completion,
# the settings file), then removed and purged without a trace.
# Needs root; exits 77 (skipped) without it or when an irk package is
# already installed here (that one is not ours to remove).
set -euo pipefail

build=${1:?usage: deb_test.sh BUILD_DIR}
if [ "$(id -u)" -ne 0 ]; then
  echo "deb_test: skipped: needs root (dpkg -i)"
  exit 77
fi
if dpkg-query -W -f='${db:Status-Status}' irk 2>/dev/null | grep -qx installed; then
  echo "deb_test: skipped: an irk package is already installed on this machine"
  exit 77
fi

work=$(mktemp -d /tmp/irk-deb-test.XXXXXX)
installed=0
cleanup() {
  if [ "$installed" = 1 ]; then dpkg --purge irk >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "deb_test: FAIL: $*" >&2
  exit 1
}

cpack --config "$build/CPackConfig.cmake" -B "$work" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/irk_*.deb)
dpkg-deb -f "$deb" Depends | grep -q libsqlite3 || fail "Depends lacks the shared libraries: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Recommends | grep -q libcurl4 || fail "Recommends lacks libcurl4, which irk loads itself"

installed=1
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
echo "deb_test: installed $(basename "$deb")"

[ "$(command -v irk)" = /usr/bin/irk ] || fail "irk is not /usr/bin/irk on PATH"
/usr/bin/irk --help | grep -q "intrusion response kit" || fail "irk --help"
[ "$(man -w irk)" = /usr/share/man/man1/irk.1 ] || fail "man -w irk: $(man -w irk 2>&1)"
MANPAGER=cat MANWIDTH=80 man irk 2>/dev/null | grep -q "irk block" || fail "man irk shows no 'irk block'"
completed=$(bash -c 'source /usr/share/bash-completion/completions/irk
  COMP_WORDS=(irk isol); COMP_CWORD=1; _irk; echo "${COMPREPLY[*]}"')
[ "$completed" = isolate ] || fail "completion of 'irk isol' gave '$completed'"
[ -f /usr/lib/systemd/system/irk-watch.service ] || fail "no irk-watch.service unit"
[ "$(stat -c '%U %a' /etc/irk/irk.toml)" = "root 644" ] || fail "/etc/irk/irk.toml owner or mode"
dpkg-query -W -f='${Conffiles}' irk | grep -q /etc/irk/irk.toml || fail "irk.toml is not a conffile"
# The installed settings file is the default one: irk reads it without complaint.
status=0
/usr/bin/irk --case "$work/case" who >"$work/who.out" 2>&1 || status=$?
[ "$status" -le 1 ] || { cat "$work/who.out"; fail "irk who with the installed irk.toml exited $status"; }

dpkg -r irk >/dev/null 2>&1 || fail "dpkg -r"
[ ! -e /usr/bin/irk ] || fail "/usr/bin/irk left after dpkg -r"
[ -e /etc/irk/irk.toml ] || fail "dpkg -r removed the settings file (only purge may)"
dpkg --purge irk >/dev/null 2>&1 || fail "dpkg --purge"
installed=0
[ ! -e /etc/irk ] || fail "/etc/irk left after purge"
[ ! -e /usr/share/man/man1/irk.1 ] || fail "man page left after purge"
echo "deb_test: removed and purged cleanly"
