"""The web dashboard end to end: costwatch backfill pulls two months from the Cost Explorer
stand-in with two local alarm rules and an HTTP sink nobody answers, then `costwatch serve`
serves the page, and Debian's headless chromium (driven by playwright-core, browser/) loads it.

What the page shows is read back from the rendered page and checked against the state
database, recomputed here with Python's decimal module from the stored rows: the month's total
and every service's amount (exact and as displayed), the alarm states, each sink's outbox depth
and the paid requests. The page must load without console errors or failed requests, and
choosing last month must show last month's figures. A screenshot is saved (its path is printed;
DASHBOARD_SCREENSHOT overrides it)."""

import datetime as dt
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
import unittest
import urllib.error
import urllib.request
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from costwatch_cli import TempDir, costwatch_bin, run_costwatch
from standin import StandIn, aws_env

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER_DIR = os.path.join(HERE, "browser")
TODAY = dt.datetime.now(dt.timezone.utc).date()
MONTH_START = TODAY.replace(day=1)
PREVIOUS_START = (MONTH_START - dt.timedelta(days=1)).replace(day=1)

CONFIG = """\
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
  - name: partner
    type: http
    url: http://127.0.0.1:{closed_port}/events
    timeout: 2s
alarms:
  - name: monthly-low
    type: month_to_date
    threshold: 1
  - name: monthly-high
    type: month_to_date
    threshold: 100000000
"""


def ensure_node_modules():
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=BROWSER_DIR,
                       check=True, timeout=300, stdin=subprocess.DEVNULL)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def money(amount: Decimal) -> str:
    """How the page shows a USD amount: cents, half away from zero, thousands grouped."""
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


class StoredFigures:
    """The figures of the state database, read with Python's sqlite3 and summed with decimal."""

    def __init__(self, path):
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            self.rows = [json.loads(text)["data"] for (text,) in database.execute(
                "SELECT event_json FROM cost_rows WHERE source = 'aws' AND granularity = 'DAILY'")]
            self.alarms = {(rule, alarm): state for rule, alarm, state in database.execute(
                "SELECT rule, alarm, state FROM alarm_states")}
            self.outbox = defaultdict(int, database.execute(
                "SELECT sink, count(*) FROM outbox GROUP BY sink"))
            self.dead = defaultdict(int, database.execute(
                "SELECT sink, count(*) FROM dead_letters GROUP BY sink"))
            self.paid_month = database.execute(
                "SELECT coalesce(sum(count), 0) FROM paid_requests WHERE day >= ?",
                (MONTH_START.isoformat(),)).fetchone()[0]
        finally:
            database.close()

    def by_service(self, start, end):
        totals = defaultdict(Decimal)
        for data in self.rows:
            if start <= dt.date.fromisoformat(data["date"]) < end:
                totals[data["service"]] += Decimal(data["unblendedCost"]["amount"])
        return totals


def next_month(first):
    return (first + dt.timedelta(days=32)).replace(day=1)


class DashboardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ensure_node_modules()
        cls._dir = TempDir()
        cls.dir = cls._dir.__enter__()
        cls.standin = StandIn().start()
        cls.config = os.path.join(cls.dir, "costwatch.yaml")
        with open(cls.config, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(directory=cls.dir, closed_port=free_port()))
        cls.env = aws_env()
        code, _, err = run_costwatch(
            ["backfill", "--config", cls.config, "--endpoint-url", cls.standin.url, "--from",
             PREVIOUS_START.isoformat(), "--to", (TODAY + dt.timedelta(days=1)).isoformat()],
            env=cls.env, timeout=300)
        assert code == 0, err
        cls.server = None
        try:
            cls.url = cls.start_server()
            cls.screenshot = os.environ.get("DASHBOARD_SCREENSHOT") or os.path.join(
                os.path.dirname(costwatch_bin()), "dashboard.png")
            result = subprocess.run(
                ["node", os.path.join(BROWSER_DIR, "dashboard_check.js"), cls.url + "/",
                 cls.screenshot, PREVIOUS_START.strftime("%Y-%m")],
                capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
            assert result.returncode == 0, result.stderr.decode()
            cls.page = json.loads(result.stdout)
            print(f"\ndashboard screenshot: {cls.screenshot} (loaded in {cls.page['loadMs']} ms)")
        except BaseException:
            cls.tearDownClass()
            raise
        cls.stored = StoredFigures(os.path.join(cls.dir, "state.db"))

    @classmethod
    def start_server(cls):
        """costwatch serve on a free port; its URL, from the line it prints when serving."""
        cls.server_log = open(os.path.join(cls.dir, "serve.log"), "w+b")
        cls.server = subprocess.Popen(
            [costwatch_bin(), "serve", "--config", cls.config, "--listen", "127.0.0.1:0"],
            env=cls.env, stdin=subprocess.DEVNULL, stdout=cls.server_log, stderr=cls.server_log)
        deadline = time.monotonic() + 15
        while True:
            cls.server_log.seek(0)
            log = cls.server_log.read().decode(errors="replace")
            found = re.search(r"on (http://127\.0\.0\.1:\d+)/", log)
            if found:
                return found.group(1)
            if cls.server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("costwatch serve did not start: " + log)
            time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.terminate()
            try:
                cls.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait()
            cls.server = None
            cls.server_log.close()
        cls.standin.stop()
        cls._dir.__exit__(None, None, None)

    def get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def report(self, month):
        status, _, body = self.get(f"/api/report?month={month}")
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def assert_month(self, shown, start):
        """The page's figures for the month starting `start` against the stored rows of the
        days the report covers (a running month ends before today: today is not complete)."""
        answer = self.report(start.strftime("%Y-%m"))
        end = min(next_month(start), TODAY)
        self.assertEqual((answer["from"], answer["to"]), (start.isoformat(), end.isoformat()))
        expected = self.stored.by_service(start, end)
        self.assertIsNone(shown["error"])
        total = sum(expected.values(), Decimal(0))
        self.assertEqual(Decimal(shown["totalExact"]), total)
        self.assertEqual(shown["total"], money(total))
        self.assertIn(start.strftime("%Y-%m"), shown["totalTitle"])
        got = {group["key"]: group for group in shown["groups"]}
        # Every service that cost something is listed; a service listed for its cost last
        # month alone shows zero.
        self.assertLessEqual({s for s, amount in expected.items() if amount != 0}, set(got))
        for service, group in got.items():
            self.assertEqual(Decimal(group["exact"]), expected.get(service, Decimal(0)), service)
            self.assertEqual(group["amount"], money(expected.get(service, Decimal(0))), service)
        # Largest first, as the breakdown is sorted.
        amounts = [Decimal(group["exact"]) for group in shown["groups"]]
        self.assertEqual(amounts, sorted(amounts, reverse=True))
        return expected

    def test_the_page_loads_cleanly(self):
        problems = self.page["problems"]
        self.assertEqual(problems["console"], [])
        self.assertEqual(problems["failed"], [])
        self.assertEqual(problems["http"], [])
        self.assertLess(self.page["loadMs"], 5000)
        self.assertTrue(os.path.getsize(self.screenshot) > 10000)

    def test_the_month_matches_the_database(self):
        expected = self.assert_month(self.page["first"], MONTH_START)
        if TODAY.day > 1:
            self.assertGreater(len(expected), 3)
        self.assertEqual(self.page["first"]["dailyRows"], (TODAY - MONTH_START).days)
        self.assertGreater(self.page["first"]["bars"], 0)
        # Charts carry titles for screen readers.
        self.assertEqual(len(self.page["first"]["chartTitles"]), 2)

    def test_choosing_last_month_shows_last_month(self):
        self.assertIn("month=" + PREVIOUS_START.strftime("%Y-%m"), self.page["hash"])
        self.assert_month(self.page["previous"], PREVIOUS_START)

    def test_alarm_states_match_the_database(self):
        shown = {(a["rule"], a["alarm"]): a["state"] for a in self.page["first"]["alarms"]}
        self.assertEqual(shown, self.stored.alarms)
        self.assertEqual(shown[("monthly-low", "")], "ALARM")
        self.assertEqual(shown[("monthly-high", "")], "OK")
        self.assertEqual(self.page["first"]["alarmCount"], "1 of 2 in ALARM")
        # The threshold below the spend is drawn; both are (the high one far above).
        self.assertEqual(self.page["first"]["thresholds"], 2)

    def test_delivery_health_matches_the_database(self):
        sinks = {s["name"]: s for s in self.page["first"]["sinks"]}
        self.assertEqual(set(sinks), {"archive", "partner"})
        for name, sink in sinks.items():
            self.assertEqual(int(sink["outbox"]), self.stored.outbox[name], name)
            self.assertEqual(int(sink["dead"]), self.stored.dead[name], name)
        # Nobody answers the partner: its events wait.
        self.assertGreater(int(sinks["partner"]["outbox"]), 0)
        self.assertEqual(int(sinks["archive"]["outbox"]), 0)
        paid = self.stored.paid_month
        self.assertGreater(paid, 0)
        self.assertEqual(self.page["first"]["paidMonth"],
                         f"{paid} · {money(Decimal(paid) / 100)}")
        self.assertEqual(self.page["first"]["sources"], ["aws"])

    def test_the_apis_refuse_bad_parameters(self):
        status, headers, body = self.get("/api/report?month=2026-13")
        self.assertEqual(status, 400)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertIn("month=2026-13", json.loads(body)["error"])
        status, _, _ = self.get("/api/report?by=region")
        self.assertEqual(status, 400)

    def test_the_assets_are_embedded_with_their_types(self):
        for path, kind in [("/", "text/html"), ("/app.js", "text/javascript"),
                           ("/style.css", "text/css"), ("/favicon.svg", "image/svg+xml")]:
            status, headers, body = self.get(path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["Content-Type"].startswith(kind), path)
            self.assertTrue(headers.get("ETag"), path)
        total = sum(entry["bytes"] for entry in self.page["transferred"])
        print(f"dashboard transfer on first load: {total} bytes")


if __name__ == "__main__":
    unittest.main()
