#!/usr/bin/env bash
# The checks of demo_test.sh that need the lab still up: `tests/lab/demo
# --then demo_checks.sh` runs this after irk respond, before its teardown.
#   tests/lab/demo_checks.sh DEMO_DIR
# Exits 1 when a check fails (after printing what it saw).
set -euo pipefail
dir=${1:?usage: demo_checks.sh DEMO_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
# shellcheck disable=SC1091
source "$dir/lab/lab.env"
tree=$LAB_DIR/srv
attacker=$LAB_ATTACKER1_ADDR
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# section N NAME: what irk respond printed for its step N (NAME), from its
# heading to the next, in a file whose name it prints.
section() {
  awk -v n="$1" '/^== Step [0-9]+ of [0-9]+: / { on = ($3 == n) } on' "$dir/respond.out" \
    >"$dir/section-$2.out"
  echo "$dir/section-$2.out"
}

for step in triage contain watch entry hunt assess recover report; do
  check "respond --list: $step done" "$dir/respond-list.out" ". $step " " done "
done

# Nobody came back: the watch's only alerts, if any, are the packets the
# block drops from the attacker's cut session, which its client still sends.
watch_section=$(section 3 watch)
alerts=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+  [a-z0-9-]+  ' "$watch_section" |
  grep -vE '  (watching|stopped:) ' || true)
if [ -z "$alerts" ] || ! grep -vqF "  blocked-packets  " <<<"$alerts"; then
  ok "watch: nobody came back (alerts: ${alerts:+only packets the block dropped}${alerts:-none})"
else
  fail "watch: alerts other than dropped packets"
  sed 's/^/  | /' <<<"$alerts"
fi
check "status: every step done" "$dir/status.out" "Procedure (irk respond: every step done or skipped)"
check "status: the block is in force" "$dir/status.out" "block" "$attacker "
check "status: the lock is in force" "$dir/status.out" "lock" "$LAB_USER "
check "status: the firewall holds the block" "$dir/status.out" "Firewall now: not isolated; 1 network blocked"

ruleset=$(ip netns exec "$LAB_NS_SERVER" nft list ruleset 2>&1 || true)
if grep -qF "$attacker" <<<"$ruleset"; then
  ok "the attacker's address is in the server's nftables set"
else fail "the attacker's address is not in the server's nftables ruleset"; fi
rc=0
"$here/lab" attack ssh-password --dir "$LAB_DIR" >/dev/null 2>&1 || rc=$?
if [ "$rc" = 2 ]; then ok "attacker1 cannot connect"; else fail "attacker1's ssh login exited $rc, wanted 2"; fi

shadow_password=$(awk -F: -v u="$LAB_USER" '$1 == u { print $2 }' /etc/shadow)
if [[ $shadow_password == '!'* ]]; then ok "the lab user's password is locked in /etc/shadow"; else
  fail "the lab user's shadow password is not locked: '${shadow_password:0:3}...'"; fi
if [ -e "$LAB_HOME/.ssh/authorized_keys" ]; then fail "authorized_keys is still in the home"; else
  ok "authorized_keys left the home"; fi
if grep -rqF "irkdemo-intruder" "$dir/case"; then ok "the intruder's key is in the case"; else
  fail "the intruder's key is not in the case"; fi

held=$(cat "$dir/held.pid")
if kill -0 "$held" 2>/dev/null; then fail "the held session's client (pid $held) still runs"; else
  ok "the held session is gone"; fi
if pgrep -u "$LAB_USER" >/dev/null; then fail "processes of $LAB_USER remain: $(pgrep -u "$LAB_USER" | tr '\n' ' ')"; else
  ok "no process of $LAB_USER remains"; fi

check "entry names vsftpd" "$(section 4 entry)" "vsftpd"
check "hunt reports the sniffer" "$(section 5 hunt)" "ETH_P_ALL" "python3"
check "check reports the replaced binary" "$(section 6 assess)" "$tree/bin/ls"
if cmp -s /usr/bin/ls "$tree/bin/ls"; then ok "ls is back byte for byte after recover"; else
  fail "$tree/bin/ls differs from the original"; fi

report=$dir/report
check "report.md holds the FTP failures, raw" "$report/report.md" "[$LAB_USER] FAIL LOGIN: Client \"$attacker\""
check "report.md holds the ssh login, raw" "$report/report.md" "Accepted password for $LAB_USER from $attacker"
check "report.html holds the FTP failures, escaped" "$report/report.html" \
  "[$LAB_USER] FAIL LOGIN: Client &quot;$attacker&quot;"
check "report.json holds the ssh login" "$report/report.json" "Accepted password for $LAB_USER from $attacker"
if python3 "$here/../report/check_eml.py" "$report/abuse" abuse@attacker1.example \
  "[$LAB_USER] FAIL LOGIN: Client \"$attacker\"" >"$dir/eml.out" 2>&1; then
  ok "the abuse draft goes to the contact and holds the FTP line"
else cat "$dir/eml.out"; fail "the abuse draft"; fi
for file in csirt/csirt-notice.txt csirt/iodef.xml; do
  if [ -s "$report/$file" ]; then ok "$file exists"; else fail "$file is missing"; fi
done
check "the CSIRT notice names the attacker" "$report/csirt/csirt-notice.txt" "$attacker"

if [ "$failures" -ne 0 ]; then
  echo "--- respond.out"; cat "$dir/respond.out"
  exit 1
fi
echo "demo checks: all passed"
