"""Local alarm rules end to end: costwatch backfill pulls from the Cost Explorer stand-in,
evaluates the rules on what it stored, and delivers the notifications to a real HTTP receiver
(the generic webhook) and, as amazon.billing.alarm CloudEvents, to a file sink.

The expected figures are computed here, independently, from the cost events costwatch wrote,
with Python's decimal module: exact sums, rounded half up to cents as the notifications show.
"""

import datetime as dt
import os
import unittest
from decimal import Decimal

from alarm_fixtures import (SOURCE_AND_ARCHIVE, Receiver, archived_events, cents,
                            month_to_date)
from costwatch_cli import TempDir, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
MONTH_START = TODAY.replace(day=1)

CONFIG = SOURCE_AND_ARCHIVE + """\
notifiers:
  - name: hook
    type: webhook
    url: {hook_url}
    headers:
      Authorization: Bearer hook-secret-token
  - name: events
    type: cloudevent
    sinks: [archive]
    source: urn:example:billing-alarms
alarms:
  - name: monthly
    type: month_to_date
    threshold: "0.01"
  - name: never
    type: month_to_date
    threshold: 999999999
    notify: [hook]
"""


class LocalAlarmsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.stop)

    def backfill(self, directory):
        config = os.path.join(directory, "costwatch.yaml")
        with open(config, "w") as handle:
            handle.write(CONFIG.format(directory=directory, hook_url=self.receiver.url))
        start = min(MONTH_START, TODAY - dt.timedelta(days=3))
        return run_costwatch(["backfill", "--config", config, "--endpoint-url", self.standin.url,
                              "--from", start.isoformat(),
                              "--to", (TODAY + dt.timedelta(days=1)).isoformat()],
                             env=aws_env(), timeout=120)

    def test_a_crossed_threshold_is_notified_once_with_exact_figures(self):
        with TempDir() as directory:
            code, _, err = self.backfill(directory)
            self.assertEqual(code, 0, err)
            self.assertIn("alarms: 1 notification queued", err)
            self.assertNotIn("hook-secret-token", err)

            events = archived_events(directory)
            expected = month_to_date(events, MONTH_START)
            self.assertGreater(expected, Decimal("0.01"), "the stand-in has costs this month")

            notes = self.receiver.notifications()
            self.assertEqual(len(notes), 1, notes)
            note = notes[0]
            self.assertEqual(self.receiver.requests[0]["headers"]["Authorization"],
                             "Bearer hook-secret-token")
            self.assertEqual(note["rule"], "monthly")
            self.assertEqual(note["state"], "ALARM")
            self.assertEqual(note["amount"], cents(expected))
            self.assertEqual(note["threshold"], "0.01")
            self.assertEqual(note["unit"], "USD")
            self.assertEqual(note["periodStart"], MONTH_START.isoformat())
            self.assertFalse(note["test"])
            self.assertTrue(note["top"], "top services are listed")
            self.assertEqual(note["top"][0]["amount"],
                             max((cents(Decimal(t["amount"])) for t in note["top"]),
                                 key=Decimal))

            # The same notification as a CloudEvent in the file sink, same id.
            alarm_events = [e for e in events if e["type"] == "amazon.billing.alarm"]
            self.assertEqual(len(alarm_events), 1)
            self.assertEqual(alarm_events[0]["id"], note["id"])
            self.assertEqual(alarm_events[0]["source"], "urn:example:billing-alarms")
            self.assertEqual(alarm_events[0]["data"]["amount"], cents(expected))

            # status shows both alarms; the one far below its threshold stayed quiet.
            code, out, err = run_costwatch(["status", "--config",
                                            os.path.join(directory, "costwatch.yaml")])
            self.assertEqual(code, 0, err)
            self.assertRegex(out, r"monthly: ALARM since ")
            self.assertRegex(out, r"never: OK since ")
            self.assertIn("notifiers:\n  hook: 0 waiting, 1 delivered", out)

            # Pulling again changes nothing: no second notification.
            code, _, err = self.backfill(directory)
            self.assertEqual(code, 0, err)
            self.assertEqual(len(self.receiver.requests), 1)

    def test_a_failed_notification_is_retried_until_delivered(self):
        self.receiver.script = [503, 500]
        with TempDir() as directory:
            code, _, err = self.backfill(directory)
            self.assertEqual(code, 0, err)
            ids = [n["id"] for n in self.receiver.notifications()]
            self.assertEqual(len(ids), 3, ids)
            self.assertEqual(len(set(ids)), 1, "a retry sends the same notification")

    def test_alarm_test_sends_through_every_notifier_of_the_rule(self):
        with TempDir() as directory:
            code, _, err = self.backfill(directory)
            self.assertEqual(code, 0, err)
            config = os.path.join(directory, "costwatch.yaml")
            before = len(archived_events(directory))
            code, _, err = run_costwatch(["alarm", "test", "monthly", "--config", config])
            self.assertEqual(code, 0, err)
            self.assertIn("notifier 'hook': delivered", err)
            self.assertIn("notifier 'events' to sink 'archive': delivered", err)
            test = self.receiver.notifications()[-1]
            self.assertTrue(test["test"])
            self.assertTrue(test["title"].startswith("[TEST] "))
            after = archived_events(directory)
            self.assertEqual(len(after), before + 1)
            self.assertTrue(after[-1]["data"]["test"])

            # A notifier that refuses the test makes the command fail, saying which.
            self.receiver.script = [400]
            code, _, err = run_costwatch(["alarm", "test", "never", "--config", config])
            self.assertEqual(code, 1)
            self.assertIn("notifier 'hook': not delivered", err)
            code, _, err = run_costwatch(["alarm", "test", "montly", "--config", config])
            self.assertEqual(code, 2)
            self.assertIn("no alarm rule is named 'montly'", err)


if __name__ == "__main__":
    unittest.main()
