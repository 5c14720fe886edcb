"""What the alarm integration tests share: the config of one source and one file sink, a
webhook receiver, and the figures computed independently from the events costwatch wrote."""

import json
import os
import threading
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from costwatch_cli import parse_lines

# One source by service with UnblendedCost, and a file sink "archive"; a test adds its
# notifiers and alarms.
SOURCE_AND_ARCHIVE = """\
state_path: {directory}/state.db
sources:
  - name: aws
    metrics: [UnblendedCost]
    group_by: [SERVICE]
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
    fsync: false
"""


class Receiver:
    """A webhook receiver answering each POST with the next scripted status (200 when the
    script is empty), recording every request."""

    def __init__(self):
        self.requests = []
        self.script = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def notifications(self):
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def cents(amount: Decimal) -> str:
    """How notifications show an amount: cents, half away from zero (half up for the positive
    amounts here)."""
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def archived_events(directory: str) -> list:
    """The events of the file sink, each line a whole JSON object."""
    with open(os.path.join(directory, "events.jsonl"), encoding="utf-8") as handle:
        return parse_lines(handle.read())


def month_to_date(events, month_start) -> Decimal:
    """The exact UnblendedCost of the daily events from month_start on."""
    total = Decimal(0)
    for event in events:
        if event["type"] == "amazon.billing.daily" and \
                event["data"]["date"] >= month_start.isoformat():
            total += Decimal(event["data"]["unblendedCost"]["amount"])
    return total
