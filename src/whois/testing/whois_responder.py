#!/usr/bin/env python3
"""Local whois servers for irk's tests: one listener per registry on 127.0.0.1.

Usage: whois_responder.py DATA_DIR

Answers come from DATA_DIR/<registry>-<query>.txt (':' in the query written
'_'), the query stripped of the registry's flags ("n + ", "-B "). Besides the
registries it runs misbehaving servers: slow (a byte every 200 ms, forever),
silent (half an answer, then nothing), huge (bytes without end), truncated
(half an answer, then a reset). The first line on stdout is the server map,
NAME=127.0.0.1:PORT,... Runs until killed. Only ever listens on loopback.
"""
import os
import socket
import struct
import sys
import threading
import time

REGISTRIES = {
    "iana": "whois.iana.org",
    "arin": "whois.arin.net",
    "ripe": "whois.ripe.net",
    "apnic": "whois.apnic.net",
    "lacnic": "whois.lacnic.net",
    "afrinic": "whois.afrinic.net",
    "rwhois": "rwhois.example.com",
}
MISBEHAVING = ["slow", "silent", "huge", "truncated"]
PARTIAL = b"% This is a partial answer\n\ninetnum: 192.0.2.0 - 192.0.2.255\nnetname: HAL"


def read_query(conn):
    data = b""
    while b"\n" not in data and len(data) < 4096:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    text = data.split(b"\n")[0].decode("utf-8", "replace").strip()
    for flag in ("n + ", "-B "):
        if text.startswith(flag):
            text = text[len(flag):]
    return text


def answer(data_dir, registry, query):
    name = "%s-%s.txt" % (registry, query.replace(":", "_").replace("/", "_"))
    path = os.path.join(data_dir, name)
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return f.read()
    if registry == "rwhois":
        return b"%error 230 No Objects Found\n"
    return b"% No entries found for the selected source(s).\n"


def serve_one(conn, data_dir, kind):
    try:
        query = read_query(conn)
        if kind == "slow":
            while True:
                conn.sendall(b"%")
                time.sleep(0.2)
        elif kind == "silent":
            conn.sendall(PARTIAL)
            time.sleep(3600)
        elif kind == "huge":
            block = b"remarks: " + b"x" * 1000 + b"\n"
            while True:
                conn.sendall(block)
        elif kind == "truncated":
            conn.sendall(PARTIAL)
            time.sleep(0.2)
            # A reset, not a close: the client must see the answer was cut off.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            conn.sendall(answer(data_dir, kind, query))
            if kind == "rwhois":
                # rwhois keeps the connection open for more queries.
                time.sleep(3600)
    except OSError:
        pass
    finally:
        conn.close()


def listen(data_dir, kind):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)

    def loop():
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=serve_one, args=(conn, data_dir, kind), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return sock.getsockname()[1]


def main():
    data_dir = sys.argv[1]
    entries = []
    for kind, name in REGISTRIES.items():
        entries.append("%s=127.0.0.1:%d" % (name, listen(data_dir, kind)))
    for kind in MISBEHAVING:
        entries.append("%s=127.0.0.1:%d" % (kind, listen(data_dir, kind)))
    print(",".join(entries), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
