"""HTTP front end of the stand-in: AWS JSON 1.1 framing, SigV4 checks, fault injection,
and the /_standin/ control endpoints.

Request flow for ``POST /`` (the CE API):
count the request -> apply the next fault, if any -> verify SigV4 -> dispatch on
X-Amz-Target -> answer JSON. Faults come *before* authentication so a test can make any
request fail, exactly as a throttling front end or a broken network would.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import faults as faults_module
from errors import ApiError, status_error
from query import CostExplorer
from sigv4 import IncomingRequest, Verifier, check_not_denied

TARGET_PREFIX = "AWSInsightsIndexService."
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
CONTROL_PREFIX = "/_standin/"
ERROR_TYPE_SUFFIX = "http://internal.amazon.com/coral/com.amazon.coral.service/"


class Stats:
    """Counters of CE API requests (each one is a paid request on real AWS)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.connections = 0  # connections that carried API requests: shows reuse
            self.by_operation: dict = {}
            self.by_status: dict = {}

    def count_request(self, operation: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_operation[operation] = self.by_operation.get(operation, 0) + 1

    def count_connection(self) -> None:
        with self._lock:
            self.connections += 1

    def count_status(self, status: int) -> None:
        with self._lock:
            self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"requests": self.requests, "connections": self.connections,
                    "by_operation": dict(self.by_operation),
                    "by_status": dict(self.by_status)}


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # tests may open many connections at once

    def __init__(self, address, engine: CostExplorer, verifier: Verifier | None,
                 payer_account: str, quiet: bool = False):
        super().__init__(address, Handler)
        self.engine = engine
        self.verifier = verifier  # None: authentication disabled
        self.payer_account = payer_account
        self.quiet = quiet
        self.faults = faults_module.FaultQueue()
        self.stats = Stats()
        self.operations = {
            "GetCostAndUsage": engine.get_cost_and_usage,
            "GetDimensionValues": engine.get_dimension_values,
            "GetCostForecast": engine.get_cost_forecast,
        }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like AWS endpoints
    server: StandInServer

    def version_string(self) -> str:
        return "Server"  # what AWS endpoints answer in the Server header

    def setup(self) -> None:
        super().setup()  # a handler serves one connection, however many requests it carries
        self._connection_counted = False

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        """Silence http.server's default log; we log one line per request ourselves."""

    def _log(self, text: str) -> None:
        # Only method, path, operation, access key id and status are logged -- never the
        # Authorization header, a signature, a secret or a session token.
        if not self.server.quiet:
            sys.stderr.write(f"ce-standin: {self.address_string()} {text}\n")
            sys.stderr.flush()

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, *, request_id: str, api: bool = True,
              content_type: str = JSON_CONTENT_TYPE, error_code: str | None = None) -> None:
        """Send a complete response; ``api`` responses are counted in the stats."""
        self.send_response(status)
        self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if error_code:
            self.send_header("x-amzn-ErrorType", f"{error_code}:{ERROR_TYPE_SUFFIX}")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if api:
            self.server.stats.count_status(status)

    def _send_json(self, status: int, document, request_id: str) -> None:
        """A control-API (or 404) response, not counted in the stats."""
        self._send(status, json.dumps(document, ensure_ascii=False).encode(),
                   request_id=request_id, api=False)

    def _send_error(self, error: ApiError, request_id: str) -> None:
        self._send(error.status, json.dumps(error.body(), ensure_ascii=False).encode(),
                   request_id=request_id, error_code=error.code)

    def _cut(self, partial: bytes | None = None, status: int = 200) -> None:
        """Drop the connection, optionally after the headers and part of a body."""
        if partial is not None:
            self.send_response(status)
            self.send_header("Content-Type", JSON_CONTENT_TYPE)
            self.send_header("Content-Length", str(len(partial) * 2))
            self.end_headers()
            self.wfile.write(partial)
            self.wfile.flush()
        self.close_connection = True
        self.server.stats.count_status("cut")
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ------------------------------------------------------------------ routing

    def do_GET(self):
        self._control("GET")

    def do_DELETE(self):
        self._control("DELETE")

    def do_POST(self):
        if self.path.startswith(CONTROL_PREFIX):
            self._control("POST")
        elif self.path.split("?")[0] == "/":
            self._api()
        else:
            self._read_body()
            self._send_json(404, {"message": "Not Found"}, str(uuid.uuid4()))

    def _control(self, method: str) -> None:
        """The test-control API; unauthenticated, never counted as CE requests."""
        body = self._read_body() if method == "POST" else b""
        request_id = str(uuid.uuid4())
        path = self.path.split("?")[0]
        server = self.server
        if (method, path) == ("GET", "/_standin/health"):
            self._send_json(200, {"status": "ok"}, request_id)
        elif (method, path) == ("GET", "/_standin/stats"):
            self._send_json(200, dict(server.stats.snapshot(),
                                      faults_applied=server.faults.applied,
                                      faults_pending=server.faults.pending()), request_id)
        elif (method, path) == ("GET", "/_standin/faults"):
            self._send_json(200, {"faults": server.faults.pending()}, request_id)
        elif (method, path) in (("POST", "/_standin/faults"), ("DELETE", "/_standin/faults")):
            if method == "DELETE":
                server.faults.clear()
                self._send_json(200, {"faults": []}, request_id)
                return
            try:
                document = json.loads(body or b"{}")
                server.faults.extend(document.get("faults", []))
            except (ValueError, AttributeError, faults_module.FaultError) as exc:
                self._send_json(400, {"message": f"bad fault list: {exc}"}, request_id)
                return
            self._send_json(200, {"faults": server.faults.pending()}, request_id)
        elif (method, path) == ("POST", "/_standin/restate"):
            try:
                day = dt.date.fromisoformat(json.loads(body or b"{}")["day"])
            except (ValueError, KeyError, TypeError) as exc:
                self._send_json(400, {"message": f"expected {{\"day\": \"YYYY-MM-DD\"}}: {exc}"},
                                request_id)
                return
            revision = server.engine.dataset.restate(day)
            self._send_json(200, {"day": day.isoformat(), "revision": revision}, request_id)
        elif (method, path) == ("POST", "/_standin/reset"):
            server.faults.clear()
            server.stats.reset()
            self._send_json(200, {"status": "reset"}, request_id)
        else:
            self._send_json(404, {"message": f"no control endpoint {method} {path}"},
                            request_id)

    # ------------------------------------------------------------------ the CE API

    def _api(self) -> None:
        started = time.monotonic()
        body = self._read_body()
        request_id = str(uuid.uuid4())
        target = self.headers.get("X-Amz-Target") or ""
        operation = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target
        server = self.server
        server.stats.count_request(operation or "<none>")
        if not self._connection_counted:  # connections that carried API requests only
            server.stats.count_connection()
            self._connection_counted = True

        fault = server.faults.take(operation)
        if fault and fault["kind"] == "slow":
            time.sleep(fault["seconds"])
            fault = None
        outcome = self._apply_fault(fault, request_id) if fault else None
        if outcome is None:
            status, document, error_code, caller = self._answer(operation, body)
            payload = json.dumps(document, ensure_ascii=False).encode()
            if fault and fault["kind"] == "truncated":
                payload = payload[:max(1, len(payload) // 2)]
                status, error_code, outcome = 200, None, "truncated"
            self._send(status, payload, request_id=request_id, error_code=error_code)
            outcome = outcome or (error_code or "ok")
        else:
            caller = None
        self._log(f"POST / {operation or '-'} key={caller or '-'} -> {outcome} "
                  f"({(time.monotonic() - started) * 1000:.0f} ms)")

    def _apply_fault(self, fault: dict, request_id: str) -> str | None:
        """Answer the request according to ``fault``; None means "answer normally"
        (a truncated answer needs the normal body first)."""
        kind = fault["kind"]
        if kind == "throttle":
            self._send_error(ApiError("LimitExceededException", "Rate exceeded"), request_id)
        elif kind == "status":
            error = status_error(fault["status"])
            self._send_error(error, request_id)
        elif kind == "error":
            self._send_error(ApiError(fault["code"], fault["message"], fault["status"]),
                             request_id)
        elif kind == "cut":
            self._cut(b'{"ResultsByTime":[{"TimePeriod":{"Start":"20'
                      if fault["when"] == "mid-body" else None)
        elif kind == "malformed":
            self._send(200, b"<html><body>502 Bad Gateway</body></html> {not json",
                       request_id=request_id)
        else:
            return None
        return f"fault:{kind}"

    def _answer(self, operation: str, body: bytes) -> tuple:
        """(status, JSON document, error code or None, caller access key or None)."""
        caller = None
        try:
            server = self.server
            if server.verifier is not None:
                credential = server.verifier.verify(
                    IncomingRequest("POST", self.path, self.headers, body))
                caller = credential.access_key
                check_not_denied(credential, operation, server.payer_account)
            handler = server.operations.get(operation)
            if handler is None:
                raise ApiError("UnknownOperationException", "")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if content_type not in (JSON_CONTENT_TYPE, "application/json"):
                raise ApiError("SerializationException",
                               f"Unsupported Content-Type '{content_type}'; expected "
                               f"{JSON_CONTENT_TYPE}")
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                raise ApiError("SerializationException", "Request body is not valid JSON")
            if not isinstance(request, dict):
                raise ApiError("SerializationException", "Request body must be a JSON object")
            return 200, handler(request), None, caller
        except ApiError as error:
            return error.status, error.body(), error.code, caller
