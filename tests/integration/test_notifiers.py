"""The notifiers end to end, through the test-only notify_tool: e-mail to a real SMTP server
(aiosmtpd from Debian's python3-aiosmtpd, smtp_server.py) with STARTTLS, implicit TLS and AUTH,
and Slack, Teams and the generic webhook to a real HTTP server answering 200, 500, 429 and 400.
What arrives is checked with Python's own parsers (email, json)."""

import email
import email.policy
import http.server
import json
import os
import subprocess
import threading
import time
import unittest

from costwatch_cli import TempDir

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PYTHON = "/usr/bin/python3"  # the one with python3-aiosmtpd
PASSWORD = "pa55-Secret-smtp-4f1d"
WEBHOOK_TOKEN = "Bearer hook-token-9c2e"
SLACK_PATH = "/slack/T000/B000/slack-s3cret-path"

NOTIFICATION = {
    "id": "5c1f0e4b9a7d4e2f8b3a6c9d0e1f2a3b",
    "rule": "monthly-10usd",
    "kind": "month_to_date",
    "previousState": "OK",
    "state": "ALARM",
    "reminder": False,
    "test": False,
    "title": "ALARM: Amazon Relational Database Service \u2014 caf\u00e9 over 10 USD",
    "reason": "Month-to-date spend 12.40 USD crossed the threshold 10 USD.",
    "scope": "all services",
    "amount": "12.40",
    "threshold": "10",
    "unit": "USD",
    "periodStart": "2026-11-01",
    "periodEnd": "2026-12-01",
    "forecast": "15.75",
    "top": [{"name": "Amazon Elastic Compute Cloud - Compute", "amount": "8.10"},
            {"name": "Amazon Relational Database Service \u2014 caf\u00e9", "amount": "3.20"},
            {"name": "\u65e5\u672c\u8a9e " + "long " * 40, "amount": "0.0000001"}],
    "time": "2026-11-29T16:50:10Z",
}
EXPECTED_TEXT = ["12.40 USD", "10 USD", "2026-11-01 to 2026-11-30", "15.75 USD",
                 "Amazon Elastic Compute Cloud - Compute", "8.10 USD",
                 "Amazon Relational Database Service \u2014 caf\u00e9", "3.20 USD",
                 "\u65e5\u672c\u8a9e " + "long " * 39 + "long"]


def notify_tool():
    path = os.environ.get("NOTIFY_TOOL")
    if not path:
        raise RuntimeError("NOTIFY_TOOL is not set (ctest sets it to the built tool)")
    return path


def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


class SmtpServer:
    """smtp_server.py in a subprocess, saving messages to its own directory."""

    def __init__(self, directory, mode, cert, key, user=None, password=None):
        self.out = os.path.join(directory, f"smtp-{mode}")
        os.mkdir(self.out)
        port_file = os.path.join(self.out, "port")
        self.log = open(os.path.join(directory, f"smtp-{mode}.log"), "wb")
        args = [SYSTEM_PYTHON, os.path.join(HERE, "smtp_server.py"), "--out", self.out,
                "--port-file", port_file, "--mode", mode, "--cert", cert, "--key", key]
        if user:
            args += ["--user", user, "--password", password]
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"smtp_server.py ({mode}) did not start: {self.log_text()}")
            time.sleep(0.05)
        with open(port_file, encoding="ascii") as handle:
            self.port = int(handle.read())

    def log_text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def messages(self):
        """(parsed message, metadata) for each message received, in order."""
        names = sorted((n for n in os.listdir(self.out) if n.endswith(".eml")),
                       key=lambda n: int(n.split(".")[0]))
        out = []
        for name in names:
            with open(os.path.join(self.out, name), "rb") as handle:
                raw = handle.read()
            with open(os.path.join(self.out, name[:-4] + ".json"), encoding="utf-8") as handle:
                meta = json.load(handle)
            out.append((raw, email.message_from_bytes(raw, policy=email.policy.default), meta))
        return out

    def auth_attempts(self):
        path = os.path.join(self.out, "auth.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers by the last path segment: ok 200, accepted 202, fail 500, throttle 429 with
    Retry-After: 7, bad 400; records every request."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append({"path": self.path, "headers": dict(self.headers),
                                     "body": body})
        answer = self.path.rstrip("/").rsplit("/", 1)[-1]
        status = {"ok": 200, "accepted": 202, "fail": 500, "throttle": 429, "bad": 400}.get(
            answer, 404)
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "7")
        reply = b"ok" if status < 300 else b"no: " + self.path.encode()
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


class NotifiersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._dir = TempDir()
        cls.dir = cls._dir.__enter__()
        cls.cert, cls.key = make_certificate(cls.dir)
        cls.starttls = SmtpServer(cls.dir, "starttls", cls.cert, cls.key, "costwatch", PASSWORD)
        cls.smtps = SmtpServer(cls.dir, "smtps", cls.cert, cls.key, "costwatch", PASSWORD)
        cls.plain = SmtpServer(cls.dir, "plain", cls.cert, cls.key)
        cls.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cls.http.received = []
        cls.http_thread = threading.Thread(target=cls.http.serve_forever, daemon=True)
        cls.http_thread.start()
        cls.base = f"http://127.0.0.1:{cls.http.server_address[1]}"
        cls.config = os.path.join(cls.dir, "costwatch.yaml")
        cls.write_config()

    @classmethod
    def tearDownClass(cls):
        cls.http.shutdown()
        for server in (cls.starttls, cls.smtps, cls.plain):
            server.close()
        cls._dir.__exit__(None, None, None)

    @classmethod
    def write_config(cls):
        def email(name, url, extra="", to="[ops@example.com, finance@example.org]"):
            return (f"  - name: {name}\n    type: email\n    smtp_url: {url}\n"
                    f"    from: costwatch@example.com\n    to: {to}\n"
                    f"    ca_file: {cls.cert}\n    timeout: 20s\n{extra}")
        auth = "    username: costwatch\n    password: ${SMTP_PASSWORD}\n"
        local = "smtp://127.0.0.1"
        notifiers = (
            email("mail", f"{local}:{cls.starttls.port}", auth)
            + email("mail-smtps", f"smtps://127.0.0.1:{cls.smtps.port}", auth)
            + email("mail-wrong-password", f"{local}:{cls.starttls.port}",
                    "    username: costwatch\n    password: not-the-password\n")
            + email("mail-tempfail", f"{local}:{cls.starttls.port}", auth,
                    "[ok@example.com, tempfail@example.com]")
            + email("mail-reject", f"{local}:{cls.starttls.port}", auth, "[reject@example.com]")
            + email("mail-no-tls-server", f"{local}:{cls.plain.port}", auth)
            + email("mail-plain-relay", f"{local}:{cls.plain.port}", "    starttls: none\n")
            + email("mail-nobody-listens", f"{local}:1", auth))
        for answer in ("ok", "fail", "throttle", "bad"):
            notifiers += (f"  - name: slack-{answer}\n    type: slack\n"
                          f"    webhook_url: {cls.base}{SLACK_PATH}/{answer}\n"
                          f"  - name: teams-{answer}\n    type: teams\n"
                          f"    webhook_url: {cls.base}/teams/{answer}\n"
                          f"  - name: hook-{answer}\n    type: webhook\n"
                          f"    url: {cls.base}/hook/{answer}\n"
                          f"    headers:\n      Authorization: \"${{HOOK_TOKEN}}\"\n")
        with open(cls.config, "w", encoding="utf-8") as handle:
            handle.write("sources:\n  - name: main\nsinks:\n  - name: out\n    type: stdout\n"
                         "notifiers:\n" + notifiers)

    def send(self, notifier, notification=None):
        env = dict(os.environ, SMTP_PASSWORD=PASSWORD, HOOK_TOKEN=WEBHOOK_TOKEN)
        result = subprocess.run(
            [notify_tool(), "--config", self.config, "--notifier", notifier],
            input=json.dumps(notification or NOTIFICATION, ensure_ascii=False).encode(),
            capture_output=True, timeout=120, env=env)
        out = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
        for secret in (PASSWORD, WEBHOOK_TOKEN, "slack-s3cret-path"):
            self.assertNotIn(secret, out, "a secret in notify_tool's output")
        self.assertEqual(result.returncode, 0, out)
        return json.loads(result.stdout)

    def assert_good_email(self, raw, message, subject):
        self.assertNotIn(PASSWORD.encode(), raw)
        self.assertEqual(message["Subject"], subject)
        self.assertEqual(message["From"].addresses[0].addr_spec, "costwatch@example.com")
        self.assertEqual([a.addr_spec for a in message["To"].addresses],
                         ["ops@example.com", "finance@example.org"])
        self.assertIsNotNone(message["Date"].datetime)
        self.assertEqual(message["Message-ID"], f"<{NOTIFICATION['id']}@example.com>")
        self.assertEqual(message["MIME-Version"], "1.0")
        self.assertEqual(message.get_content_type(), "multipart/alternative")
        parts = list(message.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
        for part in parts:
            self.assertEqual(part.get_content_charset(), "utf-8")
            self.assertIn(part["Content-Transfer-Encoding"], ("quoted-printable", "base64"))
        text = parts[0].get_content()
        html = parts[1].get_content()
        for expected in EXPECTED_TEXT + [NOTIFICATION["reason"]]:
            self.assertIn(expected, text)
            self.assertIn(expected, html)
        # Every line of the message as sent fits SMTP's limit.
        self.assertTrue(all(len(line) <= 998 for line in raw.split(b"\r\n")))

    def test_email_over_starttls_with_auth(self):
        before = len(self.starttls.messages())
        result = self.send("mail")
        self.assertEqual(result["outcome"], "delivered", result)
        raw, message, meta = self.starttls.messages()[before]
        self.assert_good_email(raw, message, NOTIFICATION["title"])
        self.assertEqual(meta["mail_from"], "costwatch@example.com")
        self.assertEqual(meta["rcpt_tos"], ["ops@example.com", "finance@example.org"])
        self.assertTrue(meta["tls"], "the message went over STARTTLS")
        self.assertTrue(meta["authenticated"])
        self.assertEqual(meta["login"], "costwatch")
        attempts = self.starttls.auth_attempts()
        self.assertTrue(attempts)
        self.assertTrue(all(a["tls"] for a in attempts), attempts)

    def test_email_over_implicit_tls_and_a_test_subject(self):
        notification = dict(NOTIFICATION, test=True)
        before = len(self.smtps.messages())
        result = self.send("mail-smtps", notification)
        self.assertEqual(result["outcome"], "delivered", result)
        raw, message, meta = self.smtps.messages()[before]
        self.assert_good_email(raw, message, "[TEST] " + NOTIFICATION["title"])
        self.assertIn("test notification", message.get_body(("plain",)).get_content())
        self.assertTrue(meta["tls"])
        self.assertTrue(meta["authenticated"])
        self.assertTrue(all(a["tls"] for a in self.smtps.auth_attempts()))

    def test_smtp_failures(self):
        wrong = self.send("mail-wrong-password")
        self.assertEqual(wrong["outcome"], "rejected", wrong)
        self.assertIn("535", wrong["message"])
        self.assertNotIn("not-the-password", wrong["message"])
        tempfail = self.send("mail-tempfail")
        self.assertEqual(tempfail["outcome"], "retry", tempfail)
        self.assertIn("451", tempfail["message"])
        rejected = self.send("mail-reject")
        self.assertEqual(rejected["outcome"], "rejected", rejected)
        self.assertIn("550", rejected["message"])
        nobody = self.send("mail-nobody-listens")
        self.assertEqual(nobody["outcome"], "retry", nobody)

    def test_starttls_required_never_falls_back_to_clear_text(self):
        before = len(self.plain.messages())
        result = self.send("mail-no-tls-server")
        self.assertEqual(result["outcome"], "retry", result)
        self.assertEqual(len(self.plain.messages()), before, "nothing sent in clear text")
        # A relay configured as plain on purpose gets the message (without AUTH).
        relay = self.send("mail-plain-relay")
        self.assertEqual(relay["outcome"], "delivered", relay)
        raw, message, meta = self.plain.messages()[before]
        self.assert_good_email(raw, message, NOTIFICATION["title"])
        self.assertFalse(meta["tls"])

    def received(self, prefix):
        return [r for r in self.http.received if r["path"].startswith(prefix)]

    def test_slack(self):
        result = self.send("slack-ok")
        self.assertEqual(result["outcome"], "delivered", result)
        request = self.received(SLACK_PATH + "/ok")[-1]
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        payload = json.loads(request["body"])
        self.assertEqual(payload["text"], NOTIFICATION["title"])
        self.assertEqual([b["type"] for b in payload["blocks"]],
                         ["header", "section", "section", "section", "context"])
        self.assertLessEqual(len(payload["blocks"][0]["text"]["text"]), 150)
        shown = json.dumps(payload, ensure_ascii=False)
        for expected in EXPECTED_TEXT:
            self.assertIn(json.dumps(expected, ensure_ascii=False)[1:-1], shown)
        self.check_failures("slack")

    def test_teams(self):
        result = self.send("teams-ok")
        self.assertEqual(result["outcome"], "delivered", result)
        payload = json.loads(self.received("/teams/ok")[-1]["body"])
        self.assertEqual(payload["type"], "message")
        attachment = payload["attachments"][0]
        self.assertEqual(attachment["contentType"], "application/vnd.microsoft.card.adaptive")
        self.assertEqual(attachment["content"]["type"], "AdaptiveCard")
        self.assertEqual(attachment["content"]["version"], "1.4")
        facts = {f["title"]: f["value"] for e in attachment["content"]["body"]
                 if e["type"] == "FactSet" for f in e["facts"]}
        self.assertEqual(facts["Amount"], "12.40 USD")
        self.assertEqual(facts["Forecast"], "15.75 USD")
        self.assertEqual(facts["Amazon Relational Database Service \u2014 caf\u00e9"], "3.20 USD")
        self.check_failures("teams")

    def test_webhook_posts_the_notification_json(self):
        result = self.send("hook-ok")
        self.assertEqual(result["outcome"], "delivered", result)
        request = self.received("/hook/ok")[-1]
        self.assertEqual(request["headers"]["Authorization"], WEBHOOK_TOKEN)
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        self.assertEqual(json.loads(request["body"]), NOTIFICATION)
        self.check_failures("hook")

    def check_failures(self, notifier):
        failed = self.send(f"{notifier}-fail")
        self.assertEqual(failed["outcome"], "retry", failed)
        self.assertIn("HTTP 500", failed["message"])
        throttled = self.send(f"{notifier}-throttle")
        self.assertEqual(throttled["outcome"], "retry", throttled)
        self.assertEqual(throttled["retry_after_ms"], 7000)
        bad = self.send(f"{notifier}-bad")
        self.assertEqual(bad["outcome"], "rejected", bad)
        self.assertIn("HTTP 400", bad["message"])


if __name__ == "__main__":
    unittest.main()
