#!/usr/bin/env bash
# End to end: irk report on a system image whose logs hold hostile lines.
#   report_test.sh IRK html   the HTML report in headless Chromium: no script runs, a screenshot
#   report_test.sh IRK abuse  the drafts parsed back by Python's email module; --send through a
#                             fake sendmail
#   report_test.sh IRK csirt  the IODEF document checked by xml.etree, the CISA-style notice
set -euo pipefail

irk=$1
mode=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/irk-report-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export IRK_TEST_NOW=2026-11-26T14:00:00Z

fail() { echo "report_test: $*" >&2; exit 1; }

image=$tmp/image
mkdir -p "$image/var/log" "$image/etc"
echo web1 > "$image/etc/hostname"
{
  for i in 0 1 2 3 4 5; do
    echo "Thu Nov 26 13:01:1$i 2026 [pid 1234] [alice] FAIL LOGIN: Client \"203.0.113.7\""
  done
  echo "Thu Nov 26 13:01:20 2026 [pid 1234] [<script>document.title='PWNED'</script>] FAIL LOGIN: Client \"203.0.113.7\""
  echo "Thu Nov 26 13:01:21 2026 [pid 1234] [<img/src=x/onerror=document.title='PWNED'>] FAIL LOGIN: Client \"203.0.113.7\""
} > "$image/var/log/vsftpd.log"
{
  echo "Nov 26 13:05:00 web1 sshd[4300]: Accepted password for alice from 203.0.113.7 port 40022 ssh2"
  echo "Nov 26 13:06:00 web1 sshd[4400]: Failed password for invalid user <svg/onload=document.title='PWNED'> from 198.51.100.4 port 5000 ssh2"
} > "$image/var/log/auth.log"
touch -d 2026-11-26T13:10:00Z "$image/var/log/vsftpd.log" "$image/var/log/auth.log"

cat > "$tmp/contacts.json" <<'JSON'
{"query":"203.0.113.7","netblock":{"range":"203.0.113.0 - 203.0.113.255","cidrs":["203.0.113.0/24"],"name":"EXAMPLE-NET","handle":"EX1-RIPE"},"org":"Example Hosting","country":"NL","asn":"AS64500","abuse":{"email":"abuse@example.net","phone":"+31 20 555 0100","source":"abuse-c"},"chain":[{"server":"whois.iana.org","protocol":"whois"}]}
JSON
cat > "$tmp/irk.toml" <<'TOML'
[report]
name = "Ada Admin"
email = "security@example.org"
organisation = "Example Org"
phone = "+1 555 0100"
TOML

run() { "$irk" --case "$tmp/case" --root "$image" --config "$tmp/irk.toml" "$@"; }
raw_line='Thu Nov 26 13:01:10 2026 [pid 1234] [alice] FAIL LOGIN: Client "203.0.113.7"'

case $mode in
  html)
    browser=$(command -v chromium || true)
    [ -n "$browser" ] || fail "chromium is not installed (scripts/install-deps installs it)"
    run report --format html --contacts "$tmp/contacts.json" --out "$tmp/out" > /dev/null
    html=$tmp/out/report.html
    grep -q "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" "$html" ||
      fail "the <script> line is not escaped in $html"
    grep -q "<svg xmlns" "$html" || fail "no inline SVG chart"
    if grep -Eq '(src|href)="(https?:)?//' "$html"; then fail "the report fetches something"; fi
    # No network: a proxy nobody listens on; and a fresh network namespace when we may.
    flags=(--headless --no-sandbox --disable-gpu --proxy-server=127.0.0.1:9
           --user-data-dir="$tmp/profile" --no-first-run --disable-extensions)
    netns=()
    if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then netns=(unshare -n); fi
    "${netns[@]}" "$browser" "${flags[@]}" --dump-dom "file://$html" > "$tmp/dom.html" 2> "$tmp/chromium.err" ||
      { cat "$tmp/chromium.err" >&2; fail "chromium --dump-dom failed"; }
    grep -q "<title>Incident report IRK-" "$tmp/dom.html" || fail "the title changed: a script ran"
    if grep -q "PWNED</title>" "$tmp/dom.html"; then fail "a script set the title"; fi
    grep -q "&lt;img/src=x/onerror=document.title='PWNED'&gt;" "$tmp/dom.html" ||
      fail "the <img onerror> line is not shown as text"
    grep -q "&lt;svg/onload=document.title='PWNED'&gt;" "$tmp/dom.html" ||
      fail "the <svg onload> line is not shown as text"
    "${netns[@]}" "$browser" "${flags[@]}" --window-size=1280,2000 \
      --screenshot="$tmp/report.png" "file://$html" 2> "$tmp/chromium.err" ||
      { cat "$tmp/chromium.err" >&2; fail "chromium --screenshot failed"; }
    [ -s "$tmp/report.png" ] || fail "no screenshot"
    if [ -n "${IRK_REPORT_SCREENSHOT:-}" ]; then cp "$tmp/report.png" "$IRK_REPORT_SCREENSHOT"; fi
    echo "html: escaped, no script ran, screenshot $(stat -c %s "$tmp/report.png") bytes"
    ;;
  abuse)
    run report --abuse --contacts "$tmp/contacts.json" --out "$tmp/drafts" > "$tmp/abuse.out"
    grep -q "to abuse@example.net  for 203.0.113.7" "$tmp/abuse.out" || { cat "$tmp/abuse.out"; fail "no draft listed"; }
    grep -q "198.51.100.4  no abuse contact known" "$tmp/abuse.out" || { cat "$tmp/abuse.out"; fail "the source without contact is not listed"; }
    [ "$(ls "$tmp/drafts" | wc -l)" -eq 1 ] || fail "expected exactly one draft: $(ls "$tmp/drafts")"
    python3 "$here/check_eml.py" "$tmp/drafts" abuse@example.net "$raw_line"
    # --send hands each draft to sendmail -t; a fake one keeps what it got.
    cat > "$tmp/sendmail" <<SH
#!/bin/sh
echo "\$@" > "$tmp/sendmail.args"
cat > "$tmp/sent.eml"
SH
    chmod +x "$tmp/sendmail"
    if run report --send "$tmp/drafts" --sendmail "$tmp/sendmail" > "$tmp/send.out" 2>&1; then
      fail "sent without --yes and without a terminal"
    fi
    [ ! -e "$tmp/sent.eml" ] || fail "sendmail ran without confirmation"
    IRK_SENDMAIL=$tmp/sendmail run report --send "$tmp/drafts" --yes > "$tmp/send.out"
    grep -q "to:      abuse@example.net" "$tmp/send.out" || { cat "$tmp/send.out"; fail "--send does not show the recipient"; }
    [ "$(cat "$tmp/sendmail.args")" = "-t -oi" ] || fail "sendmail got $(cat "$tmp/sendmail.args")"
    cmp -s "$tmp/sent.eml" "$tmp/drafts/01-abuse_example.net.eml" || fail "sendmail got another message"
    run --json journal | grep -q '"kind":"report.send"' || fail "the sending is not journaled"
    echo "abuse: draft parsed back, sent through the fake sendmail"
    ;;
  csirt)
    run report --csirt --contacts "$tmp/contacts.json" --out "$tmp/csirt" > /dev/null
    python3 "$here/check_iodef.py" "$tmp/csirt/iodef.xml" 203.0.113.7 "$raw_line"
    notice=$tmp/csirt/csirt-notice.txt
    for element in "1. Date and time (UTC)" "2. Location: host web1" "3. Type of activity" \
                   "4. Narrative" "5. Systems and people affected: 1 host; 1 account" \
                   "6. Organisation: Example Org" "7. Point of contact: Ada Admin" \
                   "8. Severity: high" "9. Critical infrastructure sector" "10. Others informed"; do
      grep -qF "$element" "$notice" || { cat "$notice"; fail "the notice lacks '$element'"; }
    done
    echo "csirt: IODEF well-formed, notice has the ten key elements"
    ;;
  *) fail "unknown mode $mode" ;;
esac
