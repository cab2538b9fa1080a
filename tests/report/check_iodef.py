#!/usr/bin/env python3
"""Checks that an IODEF document is well-formed XML with the structure of
RFC 7970 that irk writes; exits 1 naming the first problem."""
import sys
import xml.etree.ElementTree as ET

NS = "{urn:ietf:params:xml:ns:iodef-2.0}"


def fail(message):
    print(f"check_iodef: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    path, source, raw_line = sys.argv[1], sys.argv[2], sys.argv[3]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        fail(f"{path}: not well-formed: {error}")
    if root.tag != NS + "IODEF-Document" or root.get("version") != "2.00":
        fail(f"root is {root.tag} version {root.get('version')}")
    incident = root.find(NS + "Incident")
    if incident is None or incident.get("purpose") != "reporting":
        fail("no Incident with purpose reporting")
    order = [child.tag.replace(NS, "") for child in incident]
    for required in ("IncidentID", "GenerationTime", "Contact"):
        if required not in order:
            fail(f"Incident lacks {required}: {order}")
    # RFC 7970 orders the children: times before GenerationTime, Contact before EventData.
    if order.index("IncidentID") != 0 or order.index("GenerationTime") > order.index("Contact"):
        fail(f"children out of order: {order}")
    if incident.find(NS + "Contact").get("role") != "creator":
        fail("the Contact is not the creator")
    addresses = [a.text for a in incident.iter(NS + "Address")]
    if source not in addresses:
        fail(f"{source} not among the source addresses {addresses}")
    items = [i.text for i in incident.iter(NS + "RecordItem")]
    if not any(raw_line in (item or "") for item in items):
        fail(f"the raw line {raw_line!r} is in no RecordItem")
    print(f"{path}: IODEF with {len(addresses)} addresses and {len(items)} log lines")


main()
