"""`costwatch report` end to end: costwatch backfill pulls two sources from the Cost Explorer
stand-in (one grouped by service and account, one by tag), `costwatch run --once` evaluates a
budget alarm that buys Cost Explorer's forecast, then the report reads the state database
alone, as a table, JSON and CSV: the cached forecast and the alarm states come from there.

Every figure is recomputed here, independently, from the cost events costwatch archived, with
Python's decimal module, and compared to the last digit. The table is checked for 80 columns,
and for colour only on a terminal (a real pty) and never with NO_COLOR; the CSV is read with
Python's csv module."""

import csv
import datetime as dt
import io
import json
import os
import pty
import select
import sqlite3
import subprocess
import unicodedata
import unittest
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from alarm_fixtures import archived_events
from costwatch_cli import TempDir, costwatch_bin, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
MONTH = TODAY.replace(day=1)
LAST_MONTH = (MONTH - dt.timedelta(days=1)).replace(day=1)
TAGGED_SOURCE = "cloud.amazon.billing.tagged"

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: aws
    metrics: [UnblendedCost]
    group_by: [SERVICE, LINKED_ACCOUNT]
  - name: teams
    metrics: [UnblendedCost]
    group_by: [TAG:team]
    event_source: {tagged}
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
    fsync: false
alarms:
  - name: month-budget
    type: budget
    source: aws
    period: month
    amount: 1000
    thresholds:
      - {{percent: 80, of: actual}}
      - {{percent: 100, of: forecast}}
"""


def one_place(value):
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def width(line):
    """Terminal columns, as a terminal counts them."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


class Expected:
    """The report's figures from the archived daily events of one source."""

    def __init__(self, events, key_of, start, end, previous_start, previous_end):
        self.days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
        self.amount = defaultdict(Decimal)
        self.previous = defaultdict(Decimal)
        self.daily = defaultdict(lambda: [Decimal(0)] * len(self.days))
        self.total = Decimal(0)
        self.total_previous = Decimal(0)
        for data in events:
            day = dt.date.fromisoformat(data["date"])
            amount = Decimal(data["unblendedCost"]["amount"])
            key = key_of(data)
            if start <= day < end:
                self.amount[key] += amount
                self.daily[key][(day - start).days] += amount
                self.total += amount
            elif previous_start <= day < previous_end:
                self.previous[key] += amount
                self.total_previous += amount

    def keys(self):
        return set(self.amount) | set(self.previous)

    def check_group(self, test, group):
        key = group["key"]
        amount, previous = self.amount[key], self.previous[key]
        test.assertEqual(Decimal(group["amount"]), amount, key)
        test.assertEqual(Decimal(group["previous"]), previous, key)
        test.assertEqual(Decimal(group["change"]), amount - previous, key)
        test.assertEqual(group["share"], str(one_place(amount * 100 / self.total)))
        if previous == 0:
            test.assertIsNone(group["changePercent"])
        else:
            test.assertEqual(Decimal(group["changePercent"]),
                             one_place((amount - previous) * 100 / abs(previous)))
        daily = self.daily[key] if key in self.daily else [Decimal(0)] * len(self.days)
        test.assertEqual([Decimal(a) for a in group["daily"]], daily, key)


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._dir = TempDir()
        cls.dir = cls._dir.__enter__()
        cls.standin = StandIn().start()
        cls.config = os.path.join(cls.dir, "costwatch.yaml")
        with open(cls.config, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(directory=cls.dir, tagged=TAGGED_SOURCE))
        cls.env = aws_env()
        for source in ("aws", "teams"):
            code, _, err = run_costwatch(
                ["backfill", "--config", cls.config, "--endpoint-url", cls.standin.url,
                 "--source", source, "--from", LAST_MONTH.isoformat(), "--to",
                 (TODAY + dt.timedelta(days=1)).isoformat()], env=cls.env, timeout=400)
            assert code == 0, err
        code, _, err = run_costwatch(
            ["run", "--once", "--config", cls.config, "--endpoint-url", cls.standin.url],
            env=cls.env, timeout=300)
        assert code == 0, err
        events = [e for e in archived_events(cls.dir) if e["type"] == "amazon.billing.daily"]
        cls.aws_events = [e["data"] for e in events if e["source"] != TAGGED_SOURCE]
        cls.team_events = [e["data"] for e in events if e["source"] == TAGGED_SOURCE]
        cls.requests = cls.standin.stats()["requests"]

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()
        cls._dir.__exit__(None, None, None)

    def report(self, *args, env=None):
        code, out, err = run_costwatch(["report", "--config", self.config, *args],
                                       env=env or self.env)
        self.assertEqual(code, 0, err)
        return out

    def this_month(self, events, key_of):
        elapsed = TODAY - MONTH
        previous_end = min(LAST_MONTH + elapsed, MONTH)
        return Expected(events, key_of, MONTH, TODAY, LAST_MONTH, previous_end)

    def check_json(self, report, expected, source, by):
        self.assertEqual((report["month"], report["from"], report["to"]),
                         (MONTH.strftime("%Y-%m"), MONTH.isoformat(), TODAY.isoformat()))
        self.assertEqual((report["by"], report["source"], report["metric"], report["unit"]),
                         (by, source, "UnblendedCost", "USD"))
        self.assertEqual(report["days"], [d.isoformat() for d in expected.days])
        total = report["total"]
        self.assertEqual(Decimal(total["amount"]), expected.total)
        self.assertEqual(Decimal(total["previous"]), expected.total_previous)
        self.assertEqual(Decimal(total["change"]), expected.total - expected.total_previous)
        self.assertEqual(Decimal(report["changePercent"]),
                         one_place((expected.total - expected.total_previous) * 100 /
                                   abs(expected.total_previous)))
        groups = report["groups"]
        self.assertEqual({g["key"] for g in groups}, expected.keys())
        amounts = [Decimal(g["amount"]) for g in groups]
        self.assertEqual(amounts, sorted(amounts, reverse=True))
        self.assertEqual(sum(amounts), expected.total)
        for group in groups:
            expected.check_group(self, group)
        # Nothing is exact but a string: amounts are never JSON numbers.
        for group in groups:
            for name in ("amount", "previous", "change", "share"):
                self.assertIsInstance(group[name], str)
        return groups

    @unittest.skipIf(TODAY.day == 1, "no day of this month is complete on the 1st")
    def test_json_by_service_matches_the_events(self):
        report = json.loads(self.report("--source", "aws", "--output", "json"))
        expected = self.this_month(self.aws_events, lambda d: d.get("service", ""))
        self.check_json(report, expected, "aws", "service")
        # The budget alarm bought Cost Explorer's forecast from today to the month's end for
        # the source's whole scope today: the report adds it to the month to date.
        with sqlite3.connect(os.path.join(self.dir, "state.db")) as db:
            bought = db.execute("SELECT amount FROM forecasts WHERE day = ?",
                                (TODAY.isoformat(),)).fetchall()
            states = db.execute("SELECT rule, alarm, state, amount, threshold, unit, reason "
                                "FROM alarm_states ORDER BY rule, alarm").fetchall()
        self.assertEqual(len(bought), 1, bought)
        forecast = report["forecast"]
        self.assertEqual(forecast["kind"], "cost-explorer")
        self.assertEqual(Decimal(forecast["amount"]), expected.total + Decimal(bought[0][0]))
        self.assertEqual((forecast["lower"], forecast["upper"]), (None, None))
        alarms = [(a["rule"], a["alarm"], a["state"], a["amount"], a["threshold"], a["unit"],
                   a["reason"]) for a in report["alarms"]]
        self.assertEqual(sorted(alarms), states)
        self.assertEqual({a[1] for a in alarms}, {"actual-80%", "forecast-100%"})
        for alarm in report["alarms"]:
            self.assertRegex(alarm["since"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(self.standin.stats()["requests"], self.requests, "a report buys nothing")

    @unittest.skipIf(TODAY.day == 1, "no day of this month is complete on the 1st")
    def test_json_by_account_names_the_accounts(self):
        report = json.loads(self.report("--source", "aws", "--by", "account", "-o", "json"))
        expected = self.this_month(self.aws_events, lambda d: d.get("account", ""))
        groups = self.check_json(report, expected, "aws", "account")
        names = {d["account"]: d["accountName"] for d in self.aws_events if "accountName" in d}
        self.assertTrue(names, "the stand-in names its accounts")
        for group in groups:
            if group["key"] in names:
                self.assertEqual(group["name"], f"{group['key']} ({names[group['key']]})")

    @unittest.skipIf(TODAY.day == 1, "no day of this month is complete on the 1st")
    def test_json_by_tag_of_the_tagged_source(self):
        report = json.loads(self.report("--source", "teams", "--by", "tag:team", "-o", "json"))
        expected = self.this_month(self.team_events,
                                   lambda d: d.get("tags", {}).get("team", ""))
        groups = self.check_json(report, expected, "teams", "tag:team")
        self.assertIn("(untagged)", [g["name"] for g in groups])
        # No alarm bought a forecast for this source: the run rate, projected exactly.
        days_in_month = ((MONTH + dt.timedelta(days=32)).replace(day=1) - MONTH).days
        forecast = report["forecast"]
        self.assertEqual(forecast["kind"], "run-rate")
        self.assertEqual(Decimal(forecast["amount"]),
                         (expected.total * days_in_month / (TODAY - MONTH).days).quantize(
                             Decimal("1E-10"), rounding=ROUND_HALF_UP))

    @unittest.skipIf(TODAY.day == 1, "no day of this month is complete on the 1st")
    def test_csv_has_a_row_per_group_and_a_column_per_day(self):
        out = self.report("--source", "aws", "--output", "csv")
        self.assertIn("\r\n", out)
        rows = list(csv.reader(io.StringIO(out, newline="")))
        expected = self.this_month(self.aws_events, lambda d: d.get("service", ""))
        days = [d.isoformat() for d in expected.days]
        self.assertEqual(rows[0], ["key", "name", "amount", "share", "previous", "change",
                                   "change_percent"] + days)
        by_json = {g["key"]: g for g in json.loads(
            self.report("--source", "aws", "-o", "json"))["groups"]}
        self.assertEqual(len(rows), len(by_json) + 2)
        for row in rows[1:-1]:
            group = by_json[row[0]]
            self.assertEqual(row[1:7], [group["name"], group["amount"], group["share"] or "",
                                        group["previous"], group["change"],
                                        group["changePercent"] or ""])
            self.assertEqual([Decimal(a) for a in row[7:]], expected.daily[row[0]])
        self.assertEqual(rows[-1][:3], ["(total)", "Total", str(Decimal(rows[-1][2]))])
        self.assertEqual(Decimal(rows[-1][2]), expected.total)

    @unittest.skipIf(TODAY.day == 1, "no day of this month is complete on the 1st")
    def test_table_fits_80_columns_top_10_and_the_rest(self):
        out = self.report("--source", "aws")
        self.assertNotIn("\x1b", out, "no colour when stdout is not a terminal")
        lines = out.splitlines()
        for line in lines:
            self.assertLessEqual(width(line), 80, line)
        expected = self.this_month(self.aws_events, lambda d: d.get("service", ""))
        ranked = sorted(expected.keys(), key=lambda k: (-expected.amount[k], k))
        self.assertGreater(len(ranked), 10, "the stand-in has many services")
        heading = next(i for i, line in enumerate(lines) if line.startswith("Service"))
        rows = lines[heading + 1:heading + 13]
        for key, row in zip(ranked[:10], rows):
            amount = expected.amount[key].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            self.assertIn(f" {amount} ", row)
            name = row.split("  ")[0].rstrip()
            if name.endswith("\u2026"):
                self.assertTrue(key.startswith(name[:-1]), (key, name))
            else:
                self.assertEqual(name, key)
        rest = sum(expected.amount[k] for k in ranked[10:])
        self.assertTrue(rows[10].startswith(f"{len(ranked) - 10} other services"), rows[10])
        self.assertIn(f" {rest.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} ", rows[10])
        total = expected.total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        self.assertTrue(rows[11].startswith("Total"))
        self.assertIn(f" {total} ", rows[11])
        self.assertTrue(any(c in rows[11] for c in "\u2581\u2582\u2583\u2584\u2585\u2586\u2587"
                            "\u2588"), "the total has a sparkline")
        self.assertIn("(Cost Explorer forecast)", out)
        alarms = lines[lines.index("Alarms") + 1:]
        self.assertTrue(alarms[0].startswith("  ALARM month-budget actual-80%: "), alarms)

    def run_on_a_terminal(self, extra_env):
        """Runs the table report with stdout on a pseudo-terminal; returns what it printed."""
        controller, terminal = pty.openpty()
        env = dict(self.env, **extra_env)
        process = subprocess.Popen(
            [costwatch_bin(), "report", "--config", self.config, "--source", "aws"],
            stdout=terminal, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        os.close(terminal)
        chunks = []
        while True:
            ready, _, _ = select.select([controller], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal's other side closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(controller)
        self.assertEqual(process.wait(timeout=30), 0, process.stderr.read())
        process.stderr.close()
        return b"".join(chunks).decode("utf-8")

    def test_colour_only_on_a_terminal_and_never_with_no_color(self):
        env = {k: v for k, v in self.env.items() if k != "NO_COLOR"}
        coloured = self.run_on_a_terminal({})
        if "NO_COLOR" in os.environ:
            self.env = env
            coloured = self.run_on_a_terminal({})
        self.assertIn("\x1b[1m", coloured)
        self.assertIn("\x1b[31mALARM\x1b[0m month-budget", coloured)
        plain = self.run_on_a_terminal({"NO_COLOR": "1"})
        self.assertNotIn("\x1b", plain)
        self.assertIn("Total", plain)

    def test_past_month_has_no_forecast_and_says_what_is_missing(self):
        report = json.loads(self.report("--source", "aws", "--month",
                                        LAST_MONTH.strftime("%Y-%m"), "-o", "json"))
        next_month = MONTH
        self.assertEqual((report["from"], report["to"]),
                         (LAST_MONTH.isoformat(), next_month.isoformat()))
        self.assertIsNone(report["forecast"])
        before = (LAST_MONTH - dt.timedelta(days=1)).replace(day=1)
        expected = Expected(self.aws_events, lambda d: d.get("service", ""), LAST_MONTH,
                            MONTH, before, LAST_MONTH)
        self.assertEqual(Decimal(report["total"]["amount"]), expected.total)
        self.assertEqual(Decimal(report["total"]["previous"]), 0)
        self.assertIsNone(report["changePercent"])
        self.assertIn(f"`costwatch backfill --from {before.isoformat()}` fills them in.",
                      report["notes"][-1])

    def test_bad_flags_are_one_line_errors(self):
        cases = [
            (["--source", "aws", "--month", "2026-13"], 2, "--month must be YYYY-MM"),
            (["--source", "aws", "--by", "region"], 2,
             "--by must be service, account or tag:KEY, not region"),
            (["--source", "aws", "--by", "tag:team"], 2,
             "source 'aws' does not group by TAG:team"),
            ([], 2, "the config has several sources (aws, teams); choose one with --source"),
            (["--source", "gcp"], 2, "the config has no source 'gcp'"),
            (["--source", "aws", "--output", "yaml"], 2, "yaml"),
            (["--source", "aws", "--month", "2999-01"], 2, "month 2999-01 has not begun"),
        ]
        for args, status, message in cases:
            code, out, err = run_costwatch(["report", "--config", self.config, *args],
                                           env=self.env)
            self.assertEqual(code, status, (args, err))
            self.assertEqual(out, "")
            self.assertIn(message, err)
            self.assertEqual(len(err.strip().splitlines()), 1, err)


if __name__ == "__main__":
    unittest.main()
