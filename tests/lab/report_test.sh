#!/usr/bin/env bash
# irk report on the lab's real daemon logs: attacker1 guesses the lab user's
# FTP password, logs in over ssh, and is blocked inside the server's
# namespaces; the report (md, html, json), the abuse draft and the CSIRT
# notice must carry attacker1's own lines. Needs root; exits 77 without it.
#   tests/lab/report_test.sh IRK_BINARY
set -euo pipefail
irk=$(realpath "${1:?usage: report_test.sh IRK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=tests/lab/test_lib.sh
source "$here/test_lib.sh"
lab_test_up irkre- irkreport

if lab attack ftp-login --password wrong --count 4 >/dev/null 2>&1; then
  echo "FAIL: a wrong FTP password was accepted"; exit 1
fi
lab attack ssh-password >/dev/null 2>&1
sleep 1  # rsyslogd writes asynchronously

attacker=$LAB_ATTACKER1_ADDR
cat > "$work/contacts.json" <<JSON
{"query":"$attacker","netblock":{"range":"10.77.1.0 - 10.77.1.255","cidrs":["10.77.1.0/24"],"name":"LAB-ATTACKER1","handle":"LAB1"},"org":"Lab","country":"ZZ","asn":"AS64512","abuse":{"email":"abuse@attacker1.example","phone":"","source":"abuse-c"},"chain":[]}
JSON
printf '[report]\nname = "Lab Admin"\nemail = "admin@server.example"\norganisation = "Lab"\n' \
  > "$work/irk.toml"
# Inside the server's namespaces: its network (for the block) and its /var/log.
in_server() {
  nsenter -t "$LAB_SSHD_PID" -m -n "$irk" --case "$work/case" --config "$work/irk.toml" "$@"
}
in_server block "$attacker" --reason lab --yes > "$work/block.out" 2>&1 ||
  { cat "$work/block.out"; echo "FAIL: irk block"; exit 1; }

in_server report --contacts "$work/contacts.json" > "$work/report.md"
in_server report --format json --contacts "$work/contacts.json" > "$work/report.json"
in_server report --format html --contacts "$work/contacts.json" --out "$work/html" > /dev/null
in_server report --abuse --contacts "$work/contacts.json" --out "$work/drafts" > "$work/abuse.out"
in_server report --csirt --contacts "$work/contacts.json" --out "$work/csirt" > /dev/null

ftp_line="[$LAB_USER] FAIL LOGIN: Client \"$attacker\""
ssh_line="Accepted password for $LAB_USER from $attacker"
check "md: attacker1 is blocked and reported" "$work/report.md" "Reported because: blocked"
check "md: its FTP failures, raw" "$work/report.md" "FAIL LOGIN: Client"
check "md: the block with its state" "$work/report.md" "### block" "applied"
check "md: the abuse contact" "$work/report.md" "abuse@attacker1"
check "json: 4 failures, 1 login" "$work/report.json" '"type":"source"' "\"addr\":\"$attacker\"" \
  '"failures":4' '"successes":1'
check "json: the ssh line as logged" "$work/report.json" "$ssh_line"
check "json: the journal verified" "$work/report.json" '"type":"report"' '"intact":true'
check "html: the FTP line, escaped" "$work/html/report.html" \
  "[$LAB_USER] FAIL LOGIN: Client &quot;$attacker&quot;"
check "abuse: one draft to the contact" "$work/abuse.out" "to abuse@attacker1.example  for $attacker"
if python3 "$here/../report/check_eml.py" "$work/drafts" abuse@attacker1.example "$ftp_line" \
  > "$work/eml.out" 2>&1; then echo "ok: the draft parses and holds the FTP line"; else
  cat "$work/eml.out"; echo "FAIL: the draft"; failures=$((failures + 1)); fi
if python3 "$here/../report/check_iodef.py" "$work/csirt/iodef.xml" "$attacker" "$ssh_line" \
  > "$work/iodef.out" 2>&1; then echo "ok: IODEF holds the ssh line"; else
  cat "$work/iodef.out"; echo "FAIL: the IODEF document"; failures=$((failures + 1)); fi
check "csirt: severity high" "$work/csirt/csirt-notice.txt" "8. Severity: high"

if [ "$failures" -ne 0 ]; then
  echo "--- report.md"; cat "$work/report.md"; echo "--- auth.log"; cat "$LAB_AUTH_LOG"
  echo "--- vsftpd.log"; cat "$LAB_VSFTPD_LOG"
  exit 1
fi
echo "lab report: all checks passed"
