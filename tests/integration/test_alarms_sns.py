"""The sns notifier end to end: costwatch backfill pulls from the Cost Explorer stand-in,
a local alarm rule fires, and the notification is published to a topic in moto's SNS
(eu-west-1), which delivers it to a subscribed SQS queue, read back here with boto3.

Cost Explorer calls go to the stand-in (--endpoint-url), SNS calls to moto
(AWS_ENDPOINT_URL_SNS), both with the same credentials from the environment. The expected
amount is computed here, independently, from the cost events in the file sink, with Python's
decimal module, rounded half up to cents as the notification shows it.
"""

import datetime as dt
import json
import logging
import os
import unittest
from decimal import Decimal

import boto3
from moto.server import ThreadedMotoServer

from alarm_fixtures import SOURCE_AND_ARCHIVE, archived_events, cents, month_to_date
from costwatch_cli import TempDir, run_costwatch
from standin import DEMO_SECRET_KEY, StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
MONTH_START = TODAY.replace(day=1)
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account, whatever the access key

CONFIG = SOURCE_AND_ARCHIVE + """\
notifiers:
  - name: sns-alerts
    type: sns
    topic_arn: {topic_arn}
alarms:
  - name: monthly
    type: month_to_date
    threshold: "0.01"
"""


def topic_arn(name: str) -> str:
    return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"


class SnsNotifierTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request
        cls.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.moto.start()
        host, port = cls.moto.get_host_and_port()
        cls.moto_url = f"http://{host}:{port}"
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()
        cls.moto.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()
        self.env["AWS_ENDPOINT_URL_SNS"] = self.moto_url
        tmp = TempDir()
        self.directory = tmp.__enter__()
        self.addCleanup(tmp.__exit__, None, None, None)
        self.config = os.path.join(self.directory, "costwatch.yaml")

    def aws(self, service):
        return boto3.client(service, region_name=REGION, endpoint_url=self.moto_url,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def topic_with_queue(self, name):
        """Creates topic `name` and a queue subscribed to it (SNS envelope, not raw), and
        returns the queue URL."""
        sns, sqs = self.aws("sns"), self.aws("sqs")
        arn = sns.create_topic(Name=name)["TopicArn"]
        self.assertEqual(arn, topic_arn(name))
        queue_url = sqs.create_queue(QueueName=name + "-inbox")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn,
                      Attributes={"RawMessageDelivery": "false"})
        return queue_url

    def received(self, queue_url):
        """Every message in the queue so far, as SNS envelopes (deleted once read)."""
        sqs = self.aws("sqs")
        envelopes = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=0).get("Messages", [])
            if not messages:
                return envelopes
            for message in messages:
                envelopes.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    def write_config(self, topic):
        with open(self.config, "w") as handle:
            handle.write(CONFIG.format(directory=self.directory, topic_arn=topic_arn(topic)))

    def costwatch(self, *args, timeout=60):
        code, out, err = run_costwatch(list(args), env=self.env, timeout=timeout)
        self.assertNotIn(DEMO_SECRET_KEY, out + err)
        return code, out, err

    def backfill(self):
        start = min(MONTH_START, TODAY - dt.timedelta(days=3))
        return self.costwatch("backfill", "--config", self.config,
                              "--endpoint-url", self.standin.url,
                              "--from", start.isoformat(),
                              "--to", (TODAY + dt.timedelta(days=1)).isoformat(), timeout=120)

    def month_to_date(self) -> Decimal:
        total = month_to_date(archived_events(self.directory), MONTH_START)
        self.assertGreater(total, Decimal("0.01"), "the stand-in has costs this month")
        return total

    def assert_alarm_message(self, envelope):
        amount = cents(self.month_to_date())
        self.assertEqual(envelope["Type"], "Notification")
        subject = envelope["Subject"]
        self.assertEqual(subject, f"ALARM: monthly, {amount} USD >= 0.01 USD")
        self.assertTrue(subject.isascii())
        self.assertLess(len(subject), 100)
        message = envelope["Message"]
        self.assertTrue(message.startswith(subject + "\n\n") or f"\n{subject}\n" in message,
                        message)
        self.assertIn(f"Amount: {amount} USD\n", message)
        self.assertIn("Threshold: 0.01 USD\n", message)
        self.assertIn("monthly", message)
        self.assertNotIn("<", message, "plain text, not HTML")

    def test_an_alarm_is_published_to_the_topic(self):
        queue = self.topic_with_queue("costwatch-alerts")
        self.write_config("costwatch-alerts")
        code, _, err = self.backfill()
        self.assertEqual(code, 0, err)
        self.assertIn("alarms: 1 notification queued", err)

        envelopes = self.received(queue)
        self.assertEqual(len(envelopes), 1, envelopes)
        self.assertEqual(envelopes[0]["TopicArn"], topic_arn("costwatch-alerts"))
        self.assert_alarm_message(envelopes[0])

        code, out, err = self.costwatch("status", "--config", self.config)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"monthly: ALARM since ")
        self.assertIn("notifiers:\n  sns-alerts: 0 waiting, 1 delivered", out)

        # Pulling again changes nothing: no second message.
        code, _, err = self.backfill()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.received(queue), [])

        # alarm test publishes one more, marked as a test.
        code, _, err = self.costwatch("alarm", "test", "monthly", "--config", self.config)
        self.assertEqual(code, 0, err)
        self.assertIn("notifier 'sns-alerts': delivered", err)
        envelopes = self.received(queue)
        self.assertEqual(len(envelopes), 1, envelopes)
        subject = envelopes[0]["Subject"]
        self.assertTrue(subject.startswith("[TEST] "), subject)
        self.assertFalse(subject.startswith("[TEST] [TEST]"), subject)
        self.assertTrue(subject.isascii())
        self.assertLess(len(subject), 100)
        self.assertIn("test notification", envelopes[0]["Message"])
        self.assertIn("monthly", envelopes[0]["Message"])

    def test_a_missing_topic_keeps_the_notification_queued_until_it_exists(self):
        self.write_config("costwatch-later")
        code, _, err = self.backfill()
        self.assertEqual(code, 0, err)
        self.assertIn("alarms: 1 notification queued", err)
        self.assertIn("still waiting in the outbox", err)

        code, out, err = self.costwatch("status", "--config", self.config)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"notifiers:\n  sns-alerts: 1 waiting \(oldest [^)]*\)")
        self.assertRegex(out, r"\n    last error [^\n]*: SNS Publish to " +
                         topic_arn("costwatch-later").replace(".", r"\.") + r": [^\n]+")

        # Nothing was lost: once the topic exists, the next backfill delivers the one message.
        queue = self.topic_with_queue("costwatch-later")
        code, _, err = self.backfill()
        self.assertEqual(code, 0, err)
        self.assertNotIn("alarms: 1 notification queued", err, "no new alarm, the old one")
        envelopes = self.received(queue)
        self.assertEqual(len(envelopes), 1, envelopes)
        self.assertEqual(envelopes[0]["TopicArn"], topic_arn("costwatch-later"))
        self.assert_alarm_message(envelopes[0])

        code, out, err = self.costwatch("status", "--config", self.config)
        self.assertEqual(code, 0, err)
        self.assertIn("notifiers:\n  sns-alerts: 0 waiting, 1 delivered", out)


if __name__ == "__main__":
    unittest.main()
