"""Small local stand-ins for the credential sources costwatch talks to besides STS (which moto
serves): EC2 instance metadata (IMDSv2 and v1), the ECS/EKS container credentials endpoint and
the IAM Identity Center portal's GetRoleCredentials. Each checks what a real one checks (the
session token, the Authorization header, the bearer token) and records the requests it saw.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCESS_KEY = "ASIAXSTANDINEXAMPLE1"
SECRET_KEY = "StandInSecretKeyThatMustNeverBePrinted0123"
SESSION_TOKEN = "StandInSessionTokenThatMustNeverBePrinted0123456789"


def expiration(minutes: int = 60) -> str:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 with a port of its own, run in a thread."""

    def __init__(self, handler_class):
        self.requests: list[tuple[str, str, dict]] = []
        owner = self

        class Handler(handler_class):
            server_owner = owner

            def log_message(self, *args):  # keep test output readable
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_owner: _Server

    def _record(self):
        self.server_owner.requests.append((self.command, self.path, dict(self.headers)))

    def _send(self, status: int, body: str = "", content_type: str = "text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Imds(_Server):
    """Instance metadata with role `role`. token_status: what PUT /latest/api/token answers
    (200 gives a token; 403/404/405 make SDKs fall back to IMDSv1)."""

    TOKEN = "imds-session-token"

    def __init__(self, role: str = "costwatch-instance", token_status: int = 200,
                 access_key: str = ACCESS_KEY):
        super().__init__(self._handler())
        self.role = role
        self.token_status = token_status
        self.access_key = access_key

    def _handler(self):
        class Handler(_Handler):
            def do_PUT(self):
                self._record()
                imds = self.server_owner
                if self.path != "/latest/api/token":
                    return self._send(404)
                if "X-aws-ec2-metadata-token-ttl-seconds" not in self.headers:
                    return self._send(400)
                if imds.token_status != 200:
                    return self._send(imds.token_status)
                return self._send(200, Imds.TOKEN)

            def do_GET(self):
                self._record()
                imds = self.server_owner
                token = self.headers.get("X-aws-ec2-metadata-token")
                if imds.token_status == 200 and token != Imds.TOKEN:
                    return self._send(401)  # IMDSv2 only: a token is required
                base = "/latest/meta-data/iam/security-credentials/"
                if self.path == base:
                    return self._send(200, imds.role)
                if self.path == base + imds.role:
                    return self._send(200, json.dumps({
                        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": imds.access_key,
                        "SecretAccessKey": SECRET_KEY, "Token": SESSION_TOKEN,
                        "Expiration": expiration()}), "application/json")
                return self._send(404)
        return Handler


class Container(_Server):
    """The container credentials endpoint at /v1/credentials, requiring `auth_token` in the
    Authorization header when given."""

    def __init__(self, auth_token: str | None = None, access_key: str = ACCESS_KEY,
                 minutes: int = 60):
        super().__init__(self._handler())
        self.auth_token = auth_token
        self.access_key = access_key
        self.minutes = minutes

    def _handler(self):
        class Handler(_Handler):
            def do_GET(self):
                self._record()
                endpoint = self.server_owner
                if self.path != "/v1/credentials":
                    return self._send(404)
                if endpoint.auth_token is not None and \
                        self.headers.get("Authorization") != endpoint.auth_token:
                    return self._send(401, '{"message":"bad token"}', "application/json")
                return self._send(200, json.dumps({
                    "AccessKeyId": endpoint.access_key, "SecretAccessKey": SECRET_KEY,
                    "Token": SESSION_TOKEN, "Expiration": expiration(endpoint.minutes)}),
                    "application/json")
        return Handler


class SsoPortal(_Server):
    """GET /federation/credentials?account_id=..&role_name=.. with x-amz-sso_bearer_token."""

    def __init__(self, access_token: str, account_id: str, role_name: str,
                 access_key: str = ACCESS_KEY):
        super().__init__(self._handler())
        self.access_token = access_token
        self.account_id = account_id
        self.role_name = role_name
        self.access_key = access_key

    def _handler(self):
        class Handler(_Handler):
            def do_GET(self):
                self._record()
                portal = self.server_owner
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path != "/federation/credentials":
                    return self._send(404)
                if self.headers.get("x-amz-sso_bearer_token") != portal.access_token:
                    return self._send(401, '{"message":"Session token not found or invalid"}',
                                      "application/json")
                if query.get("account_id") != [portal.account_id] or \
                        query.get("role_name") != [portal.role_name]:
                    return self._send(403, '{"message":"No access"}', "application/json")
                millis = int((dt.datetime.now(dt.timezone.utc).timestamp() + 3600) * 1000)
                return self._send(200, json.dumps({"roleCredentials": {
                    "accessKeyId": portal.access_key, "secretAccessKey": SECRET_KEY,
                    "sessionToken": SESSION_TOKEN, "expiration": millis}}), "application/json")
        return Handler
