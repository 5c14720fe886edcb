"""costwatch run / backfill / status against the Cost Explorer stand-in.

Proves the daemon's promises: a pull only when a planned time has passed, restated days sent
again under new ids, nothing lost or half-written across kill -9, a clean stop on SIGTERM, and
paid requests counted.
"""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest

from costwatch_cli import TempDir, costwatch_bin, parse_lines, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


CONFIG = """\
state_path: {directory}/state.db
schedule:
  daily_at: "02:00"
sources:
  - name: main
    group_by: [SERVICE, LINKED_ACCOUNT]
    lookback_days: 3
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
"""


def read_events(path):
    """Every line of the file sink, each required to be a whole JSON object."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        content = handle.read()
    return parse_lines(content)


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()

    def costwatch(self, directory, *args):
        config = os.path.join(directory, "costwatch.yaml")
        if not os.path.exists(config):
            with open(config, "w") as handle:
                handle.write(CONFIG.format(directory=directory))
        return run_costwatch(list(args) + ["--config", config, "--endpoint-url", self.standin.url]
                             if args[0] != "status" else list(args) + ["--config", config],
                             env=self.env, timeout=120)

    def expected_ids(self, start, end):
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url, "--start",
                                        start, "--end", end, "--group-by",
                                        "SERVICE,LINKED_ACCOUNT", "--quiet"], env=self.env)
        self.assertEqual(code, 0, err)
        return {e["id"]: e for e in parse_lines(out)}

    def test_defaults_print_the_last_days_once(self):
        with TempDir() as directory:
            args = ["run", "--once", "--state", os.path.join(directory, "state.db"),
                    "--endpoint-url", self.standin.url]
            code, out, err = run_costwatch(args, env=self.env)
            self.assertEqual(code, 0, err)
            events = parse_lines(out)
            self.assertEqual({e["data"]["date"] for e in events}, {day(-3), day(-2), day(-1)})
            self.assertEqual(self.standin.stats()["requests"], 1)
            # Nothing planned has passed since: no request, no event.
            code, out, err = run_costwatch(args, env=self.env)
            self.assertEqual((code, out), (0, ""), err)
            self.assertEqual(self.standin.stats()["requests"], 1)

    def test_restated_days_are_sent_again_with_new_ids(self):
        with TempDir() as directory:
            code, _, err = self.costwatch(directory, "backfill", "--from", day(-6), "--to", day(-1))
            self.assertEqual(code, 0, err)
            first = read_events(os.path.join(directory, "events.jsonl"))
            self.assertEqual(set(e["id"] for e in first), set(self.expected_ids(day(-6), day(-1))))

            self.standin.restate(day(-2))
            code, _, err = self.costwatch(directory, "backfill", "--from", day(-6), "--to", day(-1))
            self.assertEqual(code, 0, err)
            self.assertIn("restated", err)
            events = read_events(os.path.join(directory, "events.jsonl"))
            added = events[len(first):]
            # Only the restated day comes again, every event of it under a new id.
            self.assertTrue(added)
            self.assertEqual({e["data"]["date"] for e in added}, {day(-2)})
            self.assertFalse({e["id"] for e in added} & {e["id"] for e in first})
            self.assertEqual({e["id"] for e in added} - set(self.expected_ids(day(-2), day(-1))),
                             set())

    def test_kill_9_loses_nothing(self):
        with TempDir() as directory:
            config = os.path.join(directory, "costwatch.yaml")
            with open(config, "w") as handle:
                handle.write(CONFIG.format(directory=directory))
            args = [costwatch_bin(), "backfill", "--config", config, "--endpoint-url",
                    self.standin.url, "--from", day(-60), "--to", day(-1)]
            for delay in (0.3, 0.8):
                process = subprocess.Popen(args, env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
                time.sleep(delay)
                process.kill()
                process.wait()
            code, _, err = run_costwatch(args[1:], env=self.env, timeout=300)
            self.assertEqual(code, 0, err)
            events = read_events(os.path.join(directory, "events.jsonl"))
            expected = self.expected_ids(day(-60), day(-1))
            by_id = {}
            for event in events:
                # A duplicate is only ever the very same event.
                self.assertEqual(by_id.setdefault(event["id"], event), event)
            self.assertEqual(set(by_id), set(expected))

    def test_sigterm_stops_cleanly(self):
        with TempDir() as directory:
            config = os.path.join(directory, "costwatch.yaml")
            with open(config, "w") as handle:
                handle.write(CONFIG.format(directory=directory))
            process = subprocess.Popen([costwatch_bin(), "run", "--config", config,
                                        "--endpoint-url", self.standin.url], env=self.env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.time() + 30
            path = os.path.join(directory, "events.jsonl")
            while time.time() < deadline and not read_events(path):
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
            self.assertEqual(process.returncode, 0, err)
            self.assertIn(b"stopped", err)
            code, status, err = self.costwatch(directory, "status")
            self.assertEqual(code, 0, err)
            self.assertIn("archive: 0 waiting", status)

    def test_throttling_is_retried_and_paid_requests_are_counted(self):
        with TempDir() as directory:
            code, _, err = self.costwatch(directory, "run", "--once")
            self.assertEqual(code, 0, err)
        pages = self.standin.stats()["requests"]
        self.standin.reset()
        self.standin.inject({"kind": "throttle", "count": 2})
        with TempDir() as directory:
            code, _, err = self.costwatch(directory, "run", "--once")
            self.assertEqual(code, 0, err)
            self.assertEqual(self.standin.stats()["requests"], pages + 2)
            code, status, err = self.costwatch(directory, "status")
            self.assertEqual(code, 0, err)
            self.assertIn(f"paid Cost Explorer requests: {pages + 2} today "
                          f"(${(pages + 2) / 100:.2f})", status)
            self.assertIn("main: last pull", status)


    def test_rows_older_than_the_retention_are_pruned_unless_still_queued(self):
        with TempDir() as directory:
            with open(os.path.join(directory, "costwatch.yaml"), "w") as handle:
                handle.write("state_retention_days: 10\n" + CONFIG.format(directory=directory))
            code, _, err = self.costwatch(directory, "run", "--once")
            self.assertEqual(code, 0, err)
            # Rows an older pull left behind, one of them with its event still queued; and the
            # checkpoint moved back a day, so the next start pulls again.
            database = sqlite3.connect(os.path.join(directory, "state.db"))
            with database:
                for period, event_id in [(day(-30), "old"), (day(-30), "old-queued"),
                                         (day(-5), "recent")]:
                    database.execute(
                        "INSERT INTO cost_rows (source, granularity, period_start, group_key,"
                        " event_id, event_json, estimated, first_seen_ms, changed_ms,"
                        " last_seen_ms, last_fetch) VALUES ('main', 'DAILY', ?, ?, ?, '{}', 0,"
                        " 0, 0, 0, 0)", (period, f'[["{event_id}"]]', event_id))
                database.execute(
                    "INSERT INTO outbox (sink, event_id, event_json, enqueued_ms,"
                    " next_attempt_ms) VALUES ('archive', 'old-queued', '{\"id\":\"old-queued\"}',"
                    " 0, 0)")
                database.execute("UPDATE checkpoints SET fetched_ms = fetched_ms - 86400000")
            database.close()

            code, _, err = self.costwatch(directory, "run", "--once")
            self.assertEqual(code, 0, err)
            self.assertIn(f"deleted what is older than {day(-10)} (state_retention_days 10): "
                          "1 cost rows", err)
            database = sqlite3.connect(os.path.join(directory, "state.db"))
            ids = {row[0] for row in database.execute(
                "SELECT event_id FROM cost_rows WHERE period_start < ?", (day(-3),))}
            pulled = database.execute(
                "SELECT count(*) FROM cost_rows WHERE period_start >= ?", (day(-3),)).fetchone()
            database.close()
            self.assertEqual(ids, {"old-queued", "recent"})
            self.assertGreater(pulled[0], 0)
            # The queued event was delivered after the pruning; the next pull takes its row.
            self.assertIn("old-queued", [e.get("id") for e in read_events(
                os.path.join(directory, "events.jsonl"))])


if __name__ == "__main__":
    unittest.main()
