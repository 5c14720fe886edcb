"""No secret of the config survives a receiver that quotes the request back.

costwatch run pulls from the Cost Explorer stand-in and delivers events to two HTTP sinks and an
alarm notification to Slack, Teams and two webhooks; every one of them is an echo receiver
(echo_receiver.py) that refuses with the request line, the URL and the headers quoted in its
answer: JSON with escaped slashes or \\u002f, percent-encoded in upper or lower case, HTML
entities, or cut off in the middle of a token. costwatch alarm test sends through the same
notifiers. Then the state database's bytes, `costwatch status`, /api/health and every stderr
are searched for each secret in each of those encodings, and for any 6 characters in a row of
each token."""

import base64
import http.client
import os
import signal
import socket
import subprocess
import time
import unittest
import urllib.parse

from costwatch_cli import TempDir, costwatch_bin, run_costwatch
from echo_receiver import EchoReceiver
from standin import StandIn, aws_env

SLACK_PATH = "/services/T0KQ7W2MX/B0ZR4P8VN/Zq7Kx2Wm9Rt4Yp6Lc3Vb8Nd5"
TEAMS_PATH = ("/workflows/Wf7Kq2Xz9Lp4Rt6Mb3Nc8Vd5Hj1Gs0Ya/triggers/manual/paths/invoke"
              "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
              "&sig=Hk4Tq9Xw2Lm7Pz5Rb8Nc3Vj6Yd1Fg0Sa")
HOOK_PATH = "/alerts/Wx4Qz8Kt2Mp6Rv9L"
HOOK_TOKEN = "hk-7Gq2Xw9Lp4Rz6Mb3Tn8Vc5"
CUT_PATH = "/notify/Jd3Hs8Gf2Kq7Lx5P"
CUT_TOKEN = "ct-4Ry8Tw2Qp6Zm9Xk3"
CUT_URL_PATH = "/notify/Qm8Rt3Wz6Kp2Lx9V"
SINK_TOKEN = "sk-9Fh3Jq7Lw2Xz5Rp8Mv4"
SINK_KEY = "ak-6Tz2Wq8Lp4Kx7Rm3"
BASIC_PASSWORD = "pw-5Kq8Xz2Rt7Lm4Wp9"
BASIC = base64.b64encode(f"ingest:{BASIC_PASSWORD}".encode()).decode()
SERVER_TOKEN = "srv-3Lq9Xw7Kz2Rp5Mt8"

# The parts of the secrets no quote of them may keep 6 characters of.
TOKENS = ["T0KQ7W2MX", "B0ZR4P8VN", "Zq7Kx2Wm9Rt4Yp6Lc3Vb8Nd5", "Wf7Kq2Xz9Lp4Rt6Mb3Nc8Vd5Hj1Gs0Ya",
          "Hk4Tq9Xw2Lm7Pz5Rb8Nc3Vj6Yd1Fg0Sa", "Wx4Qz8Kt2Mp6Rv9L", HOOK_TOKEN, "Jd3Hs8Gf2Kq7Lx5P",
          "Qm8Rt3Wz6Kp2Lx9V", CUT_TOKEN, SINK_TOKEN, SINK_KEY, BASIC_PASSWORD, BASIC, SERVER_TOKEN]

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: aws
    metrics: [UnblendedCost]
    group_by: [SERVICE]
    lookback_days: 2
sinks:
  - name: events-json
    type: http
    url: {sink_json}/ingest
    headers:
      Authorization: "Bearer ${{SINK_TOKEN}}"
      X-Api-Key: {sink_key}
  - name: events-pct
    type: http
    url: {sink_pct}/ingest
    headers:
      Authorization: Basic {basic}
notifiers:
  - name: slack
    type: slack
    webhook_url: {slack}
  - name: teams
    type: teams
    webhook_url: {teams}
  - name: hook-lower
    type: webhook
    url: {hook}
    headers:
      Authorization: Bearer {hook_token}
  - name: hook-cut
    type: webhook
    url: {hook_cut}
    headers:
      Authorization: Bearer {cut_token}
  - name: hook-cut-url
    type: webhook
    url: {hook_cut_url}
  - name: hook-html
    type: webhook
    url: {hook_html}
    headers:
      Authorization: Bearer {hook_token}
alarms:
  - name: monthly
    type: month_to_date
    threshold: "0.01"
server:
  listen: 127.0.0.1:{port}
  token: ${{SERVER_TOKEN}}
"""

QUEUES = ["events-json", "events-pct", "slack", "teams", "hook-lower", "hook-cut", "hook-cut-url",
          "hook-html"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def encodings(secret: str) -> set:
    """The forms a receiver quotes a secret in."""
    percent = urllib.parse.quote(secret, safe="")
    return {secret, secret.replace("/", "\\/"), secret.replace("/", "\\u002f"), percent,
            percent.lower(), urllib.parse.quote(percent, safe=""), secret.replace("/", "&#x2F;")}


class SecretScrubbingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.receivers = {
            "sink_json": EchoReceiver("json-slashes", 400),
            "sink_pct": EchoReceiver("percent-upper", 500),
            "slack": EchoReceiver("json-slashes", 400),
            "teams": EchoReceiver("json-unicode", 500),
            "hook": EchoReceiver("percent-lower", 400),
            "hook_cut": EchoReceiver("cut", 500, cut_inside=TOKENS),
            "hook_cut_url": EchoReceiver("cut", 400, cut_inside=["Qm8Rt3Wz6Kp2Lx9V"]),
            "hook_html": EchoReceiver("html", 403),
        }
        for receiver in self.receivers.values():
            self.addCleanup(receiver.stop)
        r = self.receivers
        self.secret_urls = [r["slack"].base + SLACK_PATH, r["teams"].base + TEAMS_PATH,
                            r["hook"].base + HOOK_PATH, r["hook_cut"].base + CUT_PATH,
                            r["hook_html"].base + HOOK_PATH, r["hook_cut_url"].base + CUT_URL_PATH]
        self.secrets = TOKENS + self.secret_urls + [
            SLACK_PATH, TEAMS_PATH, HOOK_PATH, CUT_PATH, CUT_URL_PATH, f"Bearer {HOOK_TOKEN}",
            f"Bearer {CUT_TOKEN}", f"Bearer {SINK_TOKEN}", f"Basic {BASIC}",
            f"ingest:{BASIC_PASSWORD}"]
        self.env = aws_env()
        self.env.update(SINK_TOKEN=SINK_TOKEN, SERVER_TOKEN=SERVER_TOKEN)

    def write_config(self, directory, port):
        r = self.receivers
        path = os.path.join(directory, "costwatch.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(
                directory=directory, port=port, sink_json=r["sink_json"].base,
                sink_pct=r["sink_pct"].base, sink_key=SINK_KEY, basic=BASIC,
                slack=self.secret_urls[0], teams=self.secret_urls[1], hook=self.secret_urls[2],
                hook_cut=self.secret_urls[3], hook_html=self.secret_urls[4],
                hook_cut_url=self.secret_urls[5],
                hook_token=HOOK_TOKEN, cut_token=CUT_TOKEN))
        return path

    def assert_no_secret(self, text: str, where: str):
        for secret in self.secrets:
            for form in encodings(secret):
                self.assertNotIn(form, text, f"{where} holds {form!r}:\n{text}")
        for token in TOKENS:
            for at in range(len(token) - 5):
                piece = token[at:at + 6]
                self.assertNotIn(piece, text, f"{where} holds {piece!r} of {token}:\n{text}")

    def status(self, config):
        code, out, err = run_costwatch(["status", "--config", config], env=self.env)
        self.assertEqual(code, 0, err)
        return out

    def wait_for_errors(self, config, process):
        """Until every queue has a recorded error (dead letters or a last error)."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            self.assertIsNone(process.poll(), "costwatch run stopped early")
            code, out, _ = run_costwatch(["status", "--config", config], env=self.env)
            if code != 0:  # run has not created the state yet
                time.sleep(0.2)
                continue
            lines = out.splitlines()
            failed = {line.split(":")[0].strip() for line, after in zip(lines, lines[1:])
                      if line.startswith("  ") and after.startswith("    last error ")}
            if failed >= set(QUEUES):
                return out
            time.sleep(0.5)
        raise AssertionError("not every queue recorded an error:\n" + self.status(config))

    def api_health(self, port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/api/health",
                               headers={"Authorization": f"Bearer {SERVER_TOKEN}"})
            response = connection.getresponse()
            body = response.read().decode("utf-8")
            self.assertEqual(response.status, 200, body)
            return body
        finally:
            connection.close()

    def test_echoed_secrets_reach_neither_state_nor_output(self):
        with TempDir() as directory:
            port = free_port()
            config = self.write_config(directory, port)
            process = subprocess.Popen(
                [costwatch_bin(), "run", "--config", config, "--endpoint-url", self.standin.url],
                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                status = self.wait_for_errors(config, process)
                health = self.api_health(port)
            finally:
                process.send_signal(signal.SIGTERM)
                _, run_err = process.communicate(timeout=30)
            run_err = run_err.decode("utf-8")
            self.assertEqual(process.returncode, 0, run_err)

            # The receivers did get the secrets: they were quoted for real.
            r = self.receivers
            self.assertEqual(r["slack"].requests[0]["path"], SLACK_PATH)
            self.assertEqual(r["teams"].requests[0]["path"], TEAMS_PATH)
            self.assertEqual(r["hook"].requests[0]["headers"]["Authorization"],
                             f"Bearer {HOOK_TOKEN}")
            self.assertEqual(r["sink_pct"].requests[0]["headers"]["Authorization"],
                             f"Basic {BASIC}")

            code, alarm_out, alarm_err = run_costwatch(
                ["alarm", "test", "monthly", "--config", config], env=self.env)
            self.assertEqual(code, 1, alarm_err)
            for name in ("slack", "teams", "hook-lower", "hook-cut", "hook-cut-url", "hook-html"):
                self.assertIn(f"notifier '{name}': not delivered: HTTP ", alarm_err)

            state = b""
            for name in sorted(os.listdir(directory)):
                if name.startswith("state.db"):
                    with open(os.path.join(directory, name), "rb") as handle:
                        state += handle.read()
            state_text = state.decode("latin-1")
            self.assertIn("[redacted]", state_text)
            status = self.status(config)

            for text, where in ((state_text, "the state database"), (status, "status"),
                                (health, "/api/health"), (run_err, "run's stderr"),
                                (alarm_out + alarm_err, "alarm test's output")):
                self.assert_no_secret(text, where)
            # What is left still says what happened.
            self.assertIn("HTTP 400: ", status)
            self.assertIn("HTTP 500: ", status)
            self.assertIn("[redacted]", status)
            self.assertIn("[redacted]", alarm_err)


if __name__ == "__main__":
    unittest.main()
