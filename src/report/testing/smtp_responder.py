#!/usr/bin/env python3
"""Local SMTP servers for irk's tests: three listeners on 127.0.0.1.

Usage: smtp_responder.py OUT_DIR

  ok      takes every message: OUT_DIR/N.eml holds its data (dots undoubled),
          OUT_DIR/N.txt the commands of connection N, one a line (EHLO,
          MAIL FROM, RCPT TO, ..., AUTH if a client ever sent one).
  refuse  answers every RCPT TO with 550, records the commands like ok.
  hang    accepts the connection and never says a word.
  tls     as ok, inside TLS from the start (smtps) with a self-signed
          certificate for 127.0.0.1 (localhost-cert.pem beside this script),
          which no client that verifies certificates accepts.

No listener offers STARTTLS or AUTH. The first line on stdout is
NAME=127.0.0.1:PORT,... Runs until killed. Only ever listens on loopback.
"""
import itertools
import os
import socketserver
import ssl
import sys
import threading
import time

COUNTER = itertools.count(1)
LOCK = threading.Lock()


def lines(conn):
    data = b""
    while True:
        while b"\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        line, data = data.split(b"\r\n", 1)
        yield line


def serve(conn, out_dir, refuse):
    with LOCK:
        n = next(COUNTER)
    # Each command is on disk before its answer goes out.
    log = open(os.path.join(out_dir, "%d.txt" % n), "w")
    conn.sendall(b"220 smtp.test ESMTP irk test responder\r\n")
    reader = lines(conn)
    for line in reader:
        verb = line[:4].upper()
        log.write(line.decode("latin-1") + "\n")
        log.flush()
        if verb == b"EHLO":
            conn.sendall(b"250-smtp.test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n")
        elif verb == b"RCPT" and refuse:
            conn.sendall(b"550 5.1.1 no such mailbox here\r\n")
        elif verb == b"DATA":
            conn.sendall(b"354 go ahead\r\n")
            body = []
            for data_line in reader:
                if data_line == b".":
                    break
                body.append(data_line[1:] if data_line.startswith(b".") else data_line)
            with open(os.path.join(out_dir, "%d.eml" % n), "wb") as f:
                f.write(b"".join(part + b"\r\n" for part in body))
            conn.sendall(b"250 2.0.0 queued\r\n")
        elif verb == b"QUIT":
            conn.sendall(b"221 bye\r\n")
            break
        elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            conn.sendall(b"250 ok\r\n")
        else:
            conn.sendall(b"502 not here\r\n")
    log.close()


def tls_context():
    here = os.path.dirname(os.path.abspath(__file__))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(here, "localhost-cert.pem"),
                            os.path.join(here, "localhost-key.pem"))
    return context


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def listen(out_dir, kind):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            conn = self.request
            if kind == "hang":
                time.sleep(3600)  # holds the connection open, silent
                return
            if kind == "tls":
                try:
                    conn = tls_context().wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused the certificate
            serve(conn, out_dir, kind == "refuse")

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    out_dir = sys.argv[1]
    entries = ["%s=127.0.0.1:%d" % (kind, listen(out_dir, kind)) for kind in ("ok", "refuse", "hang", "tls")]
    print(",".join(entries), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
