"""costwatch run (with a server section) and costwatch serve over real HTTP.

/metrics is checked with Debian's promtool (format and lint), its cost gauges against the
stored rows summed with Python's decimal module, its counters against what the sink received
and what the Cost Explorer stand-in answered; /healthz and /readyz, the bearer token, a port in
use and a clean stop on SIGTERM and SIGINT.
"""

import datetime as dt
import decimal
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import unittest

from costwatch_cli import TempDir, costwatch_bin, parse_lines, run_costwatch
from standin import StandIn, aws_env

PROMTOOL = "/usr/bin/promtool"
TODAY = dt.datetime.now(dt.timezone.utc).date()
MONTH_START = TODAY.replace(day=1).isoformat()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()

CONFIG = """\
state_path: {directory}/state.db
schedule:
  daily_at: "02:00"
sources:
  - name: main
    metrics: [UnblendedCost, AmortizedCost]
    group_by: [SERVICE, LINKED_ACCOUNT]
    lookback_days: 3
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
"""


def sink_events(directory):
    with open(os.path.join(directory, "events.jsonl"), encoding="utf-8") as handle:
        return parse_lines(handle.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, headers=None, method="GET"):
    """(status, headers, body text) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """{name: {frozenset(labels): Decimal value}}; promtool has checked the format already."""
    metrics = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        pairs = {key: re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), raw)
                 for key, raw in LABEL.findall(labels or "")}
        metrics.setdefault(name, {})[frozenset(pairs.items())] = decimal.Decimal(value)
    return metrics


def stored_costs(state_path):
    """The month-to-date and previous-day sums of the stored rows, computed here with decimal,
    keyed like the gauges' labels."""
    month, previous = {}, {}
    database = sqlite3.connect(f"file:{state_path}?mode=ro", uri=True)
    try:
        rows = database.execute("SELECT event_json FROM cost_rows WHERE source = 'main'").fetchall()
    finally:
        database.close()
    for (event_json,) in rows:
        data = json.loads(event_json)["data"]
        for metric in ("UnblendedCost", "AmortizedCost"):
            member = data[metric[0].lower() + metric[1:]]
            key = frozenset({"source": "main", "granularity": "DAILY", "metric": metric,
                             "unit": member["unit"], "service": data["service"],
                             "account": data["account"]}.items())
            amount = decimal.Decimal(member["amount"])
            if MONTH_START <= data["date"] <= TODAY.isoformat():
                month[key] = month.get(key, decimal.Decimal(0)) + amount
            if data["date"] == YESTERDAY:
                previous[key] = previous.get(key, decimal.Decimal(0)) + amount
    return month, previous


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()
        self.processes = []

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.communicate()

    def write_config(self, directory, server=""):
        path = os.path.join(directory, "costwatch.yaml")
        with open(path, "w") as handle:
            handle.write(CONFIG.format(directory=directory) + server)
        return path

    def start(self, *args, env=None):
        process = subprocess.Popen([costwatch_bin()] + list(args), env=env or self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.processes.append(process)
        return process

    def stop(self, process, sig=signal.SIGTERM):
        process.send_signal(sig)
        _, err = process.communicate(timeout=30)
        self.assertEqual(process.returncode, 0, err)
        return err.decode("utf-8")

    def promtool_check(self, text):
        result = subprocess.run([PROMTOOL, "check", "metrics"], input=text.encode("utf-8"),
                                capture_output=True, timeout=60)
        problems = (result.stdout + result.stderr).decode("utf-8")
        self.assertEqual((result.returncode, problems), (0, ""), text)

    def check_costs(self, metrics, state_path):
        month, previous = stored_costs(state_path)
        self.assertTrue(month)
        self.assertEqual(metrics["costwatch_cost_month_to_date"], month)
        self.assertEqual(metrics.get("costwatch_cost_previous_day", {}), previous)

    def test_run_serves_metrics_that_match_the_state_and_the_sink(self):
        self.standin.inject({"kind": "throttle", "count": 1})
        with TempDir() as directory:
            port = free_port()
            config = self.write_config(directory, f"server:\n  listen: 127.0.0.1:{port}\n")
            process = self.start("run", "--config", config, "--endpoint-url", self.standin.url)
            wait_for(lambda: get(port, "/healthz")[0] == 200, what="/healthz")
            self.assertEqual(get(port, "/healthz")[2], "ok\n")
            wait_for(lambda: get(port, "/readyz")[0] == 200, what="/readyz to say ready")

            status, headers, text = get(port, "/metrics")
            self.assertEqual(status, 200)
            self.assertEqual(headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
            self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
            self.promtool_check(text)
            metrics = parse_metrics(text)
            self.check_costs(metrics, os.path.join(directory, "state.db"))

            events = sink_events(directory)
            sink = frozenset({"sink": "archive"}.items())
            self.assertEqual(metrics["costwatch_sink_events_delivered_total"][sink], len(events))
            self.assertEqual(metrics["costwatch_sink_outbox_depth"][sink], 0)
            self.assertEqual(metrics["costwatch_sink_delivery_failures_total"][sink], 0)
            self.assertEqual(metrics["costwatch_sink_events_dead_lettered_total"][sink], 0)

            stats = self.standin.stats()
            requests = metrics["costwatch_aws_requests_total"]
            outcome = lambda name: requests[frozenset({"source": "main", "outcome": name}.items())]
            self.assertEqual(outcome("throttled"), 1)
            self.assertEqual(outcome("ok") + outcome("throttled"), stats["requests"])
            self.assertEqual(outcome("client_error") + outcome("network_error"), 0)
            self.assertEqual(metrics["costwatch_aws_retries_total"][
                frozenset({"source": "main"}.items())], 1)
            self.assertEqual(metrics["costwatch_cost_explorer_paid_requests"][
                frozenset({"period": "day"}.items())], stats["requests"])
            self.assertEqual(metrics["costwatch_build_info"].keys(),
                             {frozenset({"version": run_costwatch(["--version"])[1].strip()}
                                        .items())})
            last_pull = metrics["costwatch_source_last_success_timestamp_seconds"][
                frozenset({"source": "main"}.items())]
            self.assertLess(abs(float(last_pull) - time.time()), 120)

            status, headers, body = get(port, "/metrics", method="HEAD")
            self.assertEqual((status, body), (200, ""))
            self.assertGreater(int(headers["Content-Length"]), 0)

            err = self.stop(process, signal.SIGTERM)
            self.assertIn("stopped", err)
            with self.assertRaises(OSError):
                get(port, "/healthz")

    def test_serve_is_not_ready_before_a_state_exists_and_ready_after(self):
        with TempDir() as directory:
            port = free_port()
            config = self.write_config(directory)
            process = self.start("serve", "--config", config, "--listen", f"127.0.0.1:{port}")
            wait_for(lambda: get(port, "/healthz")[0] == 200, what="/healthz")
            status, _, reason = get(port, "/readyz")
            self.assertEqual(status, 503)
            self.assertIn("state.db", reason)
            self.assertEqual(reason.count("\n"), 1)
            status, _, text = get(port, "/metrics")
            self.assertEqual(status, 200)
            self.promtool_check(text)
            self.assertEqual(parse_metrics(text)["costwatch_state_up"], {frozenset(): 0})

            code, _, err = run_costwatch(["run", "--once", "--config", config, "--endpoint-url",
                                          self.standin.url], env=self.env, timeout=120)
            self.assertEqual(code, 0, err)
            status, _, body = get(port, "/readyz")
            self.assertEqual((status, body), (200, "ready\n"))
            status, _, text = get(port, "/metrics")
            self.promtool_check(text)
            metrics = parse_metrics(text)
            self.assertEqual(metrics["costwatch_state_up"], {frozenset(): 1})
            self.check_costs(metrics, os.path.join(directory, "state.db"))
            events = sink_events(directory)
            self.assertEqual(metrics["costwatch_sink_events_delivered_total"][
                frozenset({"sink": "archive"}.items())], len(events))
            # serve has no daemon: no counters of its own.
            self.assertNotIn("costwatch_aws_requests_total", metrics)
            self.assertIn("stopped", self.stop(process, signal.SIGINT))

    def test_a_token_is_required_when_configured_and_never_printed(self):
        with TempDir() as directory:
            port = free_port()
            token = "tok-" + os.urandom(8).hex()
            config = self.write_config(
                directory, f"server:\n  listen: 127.0.0.1:{port}\n  token: ${{SERVE_TOKEN}}\n")
            env = dict(self.env, SERVE_TOKEN=token)
            code, out, err = run_costwatch(["config", "check", config], env=env)
            self.assertEqual(code, 0, err)
            self.assertIn(f"server: http://127.0.0.1:{port}/, bearer token <redacted>", out)
            self.assertNotIn(token, out + err)

            process = self.start("serve", "--config", config, env=env)
            wait_for(lambda: get(port, "/healthz")[0] == 401, what="the server")
            for headers in ({}, {"Authorization": "Bearer wrong"},
                            {"Authorization": f"Basic {token}"}):
                status, answer, body = get(port, "/metrics", headers)
                self.assertEqual(status, 401, headers)
                self.assertEqual(answer["WWW-Authenticate"], 'Bearer realm="costwatch"')
                self.assertNotIn(token, body)
            status, _, _ = get(port, "/metrics", {"Authorization": f"Bearer {token}"})
            self.assertEqual(status, 200)
            self.assertNotIn(token, self.stop(process))

    def test_a_port_in_use_is_one_line_naming_the_address(self):
        with TempDir() as directory, socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            config = self.write_config(directory, f"server:\n  listen: 127.0.0.1:{port}\n")
            for args in (["serve", "--config", config],
                         ["run", "--config", config, "--endpoint-url", self.standin.url]):
                code, _, err = run_costwatch(args, env=self.env, timeout=30)
                self.assertEqual(code, 1, err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn(f"cannot listen on 127.0.0.1:{port}: address already in use", err)
            # run refused before pulling anything.
            self.assertEqual(self.standin.stats()["requests"], 0)

    def test_elsewhere_without_a_token_warns(self):
        with TempDir() as directory:
            port = free_port()
            config = self.write_config(directory)
            process = self.start("serve", "--config", config, "--listen", f"0.0.0.0:{port}")
            wait_for(lambda: get(port, "/healthz")[0] == 200, what="/healthz")
            err = self.stop(process)
            self.assertIn(f"0.0.0.0:{port}: WARNING: not a loopback address and no token", err)


if __name__ == "__main__":
    unittest.main()
