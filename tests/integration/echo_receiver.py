"""A receiver that refuses every request and quotes it back in its answer, as many real ones do
("invalid token ...", a debug echo, a proxy's error page): the request line, the URL, the
headers (credentials first) and the start of the body, in one of the encodings receivers use.
The secret-scrubbing tests check that nothing of a secret survives into costwatch's state,
output or HTTP answers."""

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# How a receiver may write its quote.
STYLES = ("json-slashes", "json-unicode", "percent-upper", "percent-lower", "cut", "html")


def _quote(handler, body: bytes) -> dict:
    """The credential headers first, then the request line and URL, then the rest: what is
    quoted first survives the cut of costwatch's messages."""
    credential = re.compile("auth|key|token", re.I)
    return {
        "auth": [f"{n}: {v}" for n, v in handler.headers.items() if credential.search(n)],
        "request": f"{handler.command} {handler.path} {handler.request_version}",
        "url": f"http://{handler.headers.get('Host', '')}{handler.path}",
        "headers": [f"{n}: {v}" for n, v in handler.headers.items() if not credential.search(n)],
        "body": body[:64].decode("utf-8", "replace"),
    }


def render(style: str, quote: dict, cut_inside: list) -> bytes:
    """The answer body: the quote written in `style`. "cut" stops the plain text quote in the
    middle of the first of `cut_inside` it holds, as a receiver that cuts its echo to N bytes."""
    text = json.dumps(quote)
    if style == "json-slashes":
        out = text.replace("/", "\\/")
    elif style == "json-unicode":
        out = text.replace("/", "\\u002f").replace(":", "\\u003a")
    elif style == "percent-upper":
        out = urllib.parse.quote(text, safe="")
    elif style == "percent-lower":
        out = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(text, safe=""))
    elif style == "html":
        out = text.replace("&", "&amp;").replace("/", "&#x2F;").replace('"', "&quot;")
    elif style == "cut":
        plain = "\n".join(quote["auth"] + [quote["request"], quote["url"]] + quote["headers"])
        cuts = [plain.find(token) + len(token) // 2 for token in cut_inside if token in plain]
        out = plain[:min(cuts)] if cuts else plain
    else:
        raise ValueError(style)
    return out.encode("utf-8")


class EchoReceiver:
    """One receiver answering `status` (4xx: costwatch dead-letters; 5xx: it retries) with the
    quote in `style`; records what it received."""

    def __init__(self, style: str, status: int, cut_inside=()):
        self.style, self.status, self.cut_inside = style, status, list(cut_inside)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers)})
                reply = render(receiver.style, _quote(self, body), receiver.cut_inside)
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
