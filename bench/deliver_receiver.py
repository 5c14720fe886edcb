#!/usr/bin/env python3
"""A deliberately minimal CloudEvents HTTP receiver for bench/deliver_bench.sh: it answers 202
and counts events without parsing them (batch: occurrences of '"specversion"' in the body;
structured and binary: one per request), so the sender, not the receiver, is what is measured.
Not a conformance check -- tests/integration/receiver/ (the official JS SDK) is that.

Usage: deliver_receiver.py PORT_FILE   (listens on a free loopback port, writes it to PORT_FILE;
GET /count answers the number of events received so far)."""

import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Type", "").startswith("application/cloudevents-batch"):
            Handler.count += body.count(b'"specversion"')
        else:
            Handler.count += 1
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        text = str(Handler.count).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args):
        pass


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w", encoding="ascii") as handle:
        handle.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
