#!/usr/bin/env python3
"""Parses each abuse draft back with Python's email module and checks its
headers, its parts and the XARF JSON; exits 1 naming the first problem."""
import base64
import email
import email.policy
import hashlib
import json
import pathlib
import sys


def fail(message):
    print(f"check_eml: {message}", file=sys.stderr)
    sys.exit(1)


def check(path, expect_to, expect_line):
    raw = path.read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.defects:
        fail(f"{path}: defects {msg.defects}")
    for name in ("From", "To", "Subject", "Date", "Message-ID"):
        if msg[name] is None:
            fail(f"{path}: no {name} header")
    if msg["To"] != expect_to:
        fail(f"{path}: To is {msg['To']!r}, not {expect_to!r}")
    # Nothing from the logs became a header of its own.
    names = [n.lower() for n in msg.keys()]
    for injected in ("bcc", "cc", "x-injected"):
        if injected in names:
            fail(f"{path}: injected header {injected}")
    subject = str(msg["Subject"])
    if not subject.startswith("[abuse] Unauthorized access from "):
        fail(f"{path}: subject {subject!r}")
    if msg.get_content_type() != "multipart/mixed":
        fail(f"{path}: top type {msg.get_content_type()}")
    parts = list(msg.iter_parts())
    if len(parts) < 2:
        fail(f"{path}: {len(parts)} parts")
    body = parts[0]
    if body.get_content_type() != "text/plain" or body.get_content_charset() != "utf-8":
        fail(f"{path}: body is {body.get_content_type()} {body.get_content_charset()}")
    text = body.get_content()
    if expect_line not in text:
        fail(f"{path}: the raw line {expect_line!r} is not in the body:\n{text}")
    for needle in ("may itself have been broken into", "All times are UTC", "First seen:"):
        if needle not in text:
            fail(f"{path}: body lacks {needle!r}")
    for part in parts[1:]:
        if part.get_content_type() != "application/json":
            fail(f"{path}: attachment type {part.get_content_type()}")
        if not part.get_filename().startswith("xarf-"):
            fail(f"{path}: attachment name {part.get_filename()}")
        xarf = json.loads(part.get_payload(decode=True))
        for key in ("xarf_version", "report_id", "timestamp", "reporter", "sender",
                    "source_identifier", "category", "type", "evidence"):
            if key not in xarf:
                fail(f"{path}: XARF lacks {key}")
        evidence = xarf["evidence"][0]
        payload = base64.b64decode(evidence["payload"])
        if evidence["hash"] != "sha256:" + hashlib.sha256(payload).hexdigest():
            fail(f"{path}: evidence hash does not match its payload")
        if expect_line.encode() not in payload:
            fail(f"{path}: the raw line is not in the XARF evidence")
    return subject


def main():
    if len(sys.argv) != 4:
        fail("usage: check_eml.py DIR EXPECTED_TO EXPECTED_RAW_LINE")
    files = sorted(pathlib.Path(sys.argv[1]).glob("*.eml"))
    if not files:
        fail(f"no .eml in {sys.argv[1]}")
    for path in files:
        print(f"{path.name}: {check(path, sys.argv[2], sys.argv[3])}")


main()
