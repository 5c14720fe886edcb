"""`costwatch alarm provision|list|status|delete` against moto's CloudWatch and SNS.

costwatch talks to a small recording proxy in front of moto (one ThreadedMotoServer serves
both services), so the tests can see which actions it sent, and the proxy can answer
ListSubscriptionsByTopic as real AWS does for an address that has not clicked its confirmation
link yet (SubscriptionArn "PendingConfirmation"); moto confirms e-mail subscriptions at once.
What costwatch created is checked independently with boto3 against moto.
"""

import http.server
import json
import logging
import os
import re
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
from moto.server import ThreadedMotoServer

from costwatch_cli import TempDir, run_costwatch

SECRET = "AlarmTestSecretKeyThatMustNeverBePrinted01"
READ_ACTIONS = {"DescribeAlarms", "ListSubscriptionsByTopic", "ListTopics", "ListMetrics"}
NO_DATA_WARNING = "billing alerts are not enabled"


class RecordingProxy:
    """Forwards every POST to moto, records its Action, and optionally rewrites subscription
    ARNs in ListSubscriptionsByTopic replies to PendingConfirmation."""

    def __init__(self, target):
        self.target = target
        self.actions = []
        self.pending = False
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                action = urllib.parse.parse_qs(body.decode()).get("Action", [""])[0]
                proxy.actions.append(action)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection")}
                request = urllib.request.Request(proxy.target + self.path, data=body,
                                                 headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(request, timeout=30) as reply:
                        status, payload = reply.status, reply.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                if proxy.pending and action == "ListSubscriptionsByTopic":
                    payload = re.sub(rb"<SubscriptionArn>[^<]*</SubscriptionArn>",
                                     b"<SubscriptionArn>PendingConfirmation</SubscriptionArn>",
                                     payload)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class AlarmProvisionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request
        cls.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.moto.start()
        host, port = cls.moto.get_host_and_port()
        cls.moto_url = f"http://{host}:{port}"
        cls.proxy = RecordingProxy(cls.moto_url)

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        cls.moto.stop()

    def setUp(self):
        self._tmp = TempDir()
        home = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        self.proxy.actions.clear()
        self.proxy.pending = False
        # A region other than us-east-1 everywhere: billing alarms must ignore it.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "AWS_CONFIG_FILE": os.path.join(home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": self.proxy.url,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def aws(self, service, region="us-east-1"):
        return boto3.client(service, region_name=region, endpoint_url=self.moto_url,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def alarm(self, *args, expect=0):
        code, out, err = run_costwatch(["alarm"] + list(args), env=self.env)
        self.assertNotIn(SECRET, out + err)
        self.assertEqual(code, expect, f"stdout: {out}\nstderr: {err}")
        return out, err

    def provision(self, name, *extra, threshold="10"):
        return self.alarm("provision", "--name", name, "--threshold", threshold, *extra)

    def describe(self, name, region="us-east-1"):
        alarms = self.aws("cloudwatch", region).describe_alarms(
            AlarmNames=["costwatch-" + name])["MetricAlarms"]
        return alarms[0] if alarms else None

    def subscriptions(self, topic_arn):
        return sorted(s["Endpoint"] for s in self.aws("sns").list_subscriptions_by_topic(
            TopicArn=topic_arn)["Subscriptions"])

    def topic_arns(self):
        return [t["TopicArn"] for t in self.aws("sns").list_topics()["Topics"]]

    def test_provision_creates_in_us_east_1_then_changes_nothing(self):
        out, _ = self.provision("monthly", "--email", "a@example.com", "--email", "b@example.com")
        self.assertIn("created alarm costwatch-monthly", out)
        alarm = self.describe("monthly")
        self.assertIsNotNone(alarm)
        self.assertEqual(alarm["Namespace"], "AWS/Billing")
        self.assertEqual(alarm["MetricName"], "EstimatedCharges")
        self.assertEqual(alarm["Dimensions"], [{"Name": "Currency", "Value": "USD"}])
        self.assertEqual(alarm["Threshold"], 10.0)
        self.assertEqual(alarm["ComparisonOperator"], "GreaterThanOrEqualToThreshold")
        self.assertEqual(alarm["Statistic"], "Maximum")
        self.assertEqual(alarm["Period"], 21600)
        self.assertEqual(alarm["EvaluationPeriods"], 1)
        self.assertEqual(alarm["TreatMissingData"], "ignore")
        topic = alarm["AlarmActions"][0]
        self.assertEqual(alarm["AlarmActions"], [topic])
        self.assertTrue(topic.startswith("arn:aws:sns:us-east-1:"), topic)
        self.assertTrue(topic.endswith(":costwatch-monthly"), topic)
        self.assertEqual(self.subscriptions(topic), ["a@example.com", "b@example.com"])
        # Nothing in the configured region.
        self.assertIsNone(self.describe("monthly", region="eu-west-1"))

        self.proxy.actions.clear()
        out, _ = self.provision("monthly", "--email", "b@example.com", "--email", "a@example.com")
        self.assertTrue(out.startswith("unchanged:"), out)
        self.assertTrue(set(self.proxy.actions) <= READ_ACTIONS, self.proxy.actions)
        self.assertEqual(self.describe("monthly")["AlarmConfigurationUpdatedTimestamp"],
                         alarm["AlarmConfigurationUpdatedTimestamp"])

        out, _ = self.provision("monthly", "--email", "a@example.com", threshold="12.50")
        self.assertIn("unsubscribed b@example.com", out)
        self.assertIn("updated alarm costwatch-monthly: threshold 10 -> 12.5", out)
        self.assertEqual(self.describe("monthly")["Threshold"], 12.5)
        self.assertEqual(self.subscriptions(topic), ["a@example.com"])

    def test_service_and_linked_account_dimensions(self):
        self.provision("ec2", "--email", "a@example.com", "--service", "AmazonEC2",
                       "--linked-account", "123456789012", "--currency", "EUR")
        dimensions = {d["Name"]: d["Value"] for d in self.describe("ec2")["Dimensions"]}
        self.assertEqual(dimensions, {"Currency": "EUR", "ServiceName": "AmazonEC2",
                                      "LinkedAccount": "123456789012"})
        out, _ = self.provision("ec2", "--email", "a@example.com", "--service", "AmazonEC2",
                                "--currency", "EUR")
        self.assertIn("updated alarm costwatch-ec2: dimensions", out)
        dimensions = {d["Name"]: d["Value"] for d in self.describe("ec2")["Dimensions"]}
        self.assertEqual(dimensions, {"Currency": "EUR", "ServiceName": "AmazonEC2"})

    def test_status_shows_pending_confirmation_and_the_billing_data_warning(self):
        # GBP: no other test puts billing data for it.
        emails = ["--email", "a@example.com", "--email", "b@example.com", "--currency", "GBP"]
        self.proxy.pending = True  # as real AWS answers until the links are clicked
        self.provision("pending", *emails)
        out, err = self.alarm("status", "--name", "pending")
        self.assertIn("costwatch-pending", out)
        self.assertRegex(out, r"State:\s+(OK|ALARM|INSUFFICIENT_DATA)\n")  # moto starts at OK
        self.assertIn("email a@example.com  PendingConfirmation", out)
        self.assertIn("email b@example.com  PendingConfirmation", out)
        self.assertIn(NO_DATA_WARNING, err)
        out, _ = self.provision("pending", *emails)
        self.assertTrue(out.startswith("unchanged:"), out)  # no second confirmation e-mail

        out, err = self.alarm("status", "--name", "pending", "--output", "json")
        status = json.loads(out)
        self.assertEqual([s["status"] for s in status["subscriptions"]],
                         ["PendingConfirmation", "PendingConfirmation"])
        self.assertFalse(status["billing_data"])
        self.assertEqual(status["threshold"], "10")
        self.assertEqual(status["currency"], "GBP")

        self.proxy.pending = False  # moto's own answer: confirmed
        self.aws("cloudwatch").put_metric_data(Namespace="AWS/Billing", MetricData=[{
            "MetricName": "EstimatedCharges", "Value": 4.2,
            "Dimensions": [{"Name": "Currency", "Value": "GBP"}]}])
        out, err = self.alarm("status", "--name", "pending")
        self.assertIn("email a@example.com  confirmed", out)
        self.assertNotIn(NO_DATA_WARNING, err)
        self.assertIn("Billing data: yes", out)

    def test_list_and_delete_twice(self):
        self.provision("list-a", "--email", "a@example.com")
        self.provision("list-b", "--email", "a@example.com", threshold="250.75")
        out, _ = self.alarm("list")
        self.assertRegex(out, r"list-a\s+\S+\s+10 USD")
        self.assertRegex(out, r"list-b\s+\S+\s+250.75 USD")
        listed = {a["name"]: a for a in json.loads(self.alarm("list", "--output", "json")[0])}
        self.assertEqual(listed["list-b"]["threshold"], "250.75")
        self.assertEqual(listed["list-b"]["alarm_name"], "costwatch-list-b")

        topic = self.describe("list-a")["AlarmActions"][0]
        out, _ = self.alarm("delete", "--name", "list-a")
        self.assertIn("deleted alarm costwatch-list-a", out)
        self.assertIn("deleted subscription a@example.com", out)
        self.assertIn("deleted SNS topic " + topic, out)
        self.assertIsNone(self.describe("list-a"))
        self.assertNotIn(topic, self.topic_arns())
        out, _ = self.alarm("delete", "--name", "list-a")
        self.assertIn("nothing to delete", out)
        _, err = self.alarm("status", "--name", "list-a", expect=1)
        self.assertIn("no alarm costwatch-list-a", err)
        self.assertNotIn("list-a", self.alarm("list")[0])

    def test_delete_finds_a_topic_left_without_its_alarm(self):
        self.provision("orphan", "--email", "a@example.com")
        self.aws("cloudwatch").delete_alarms(AlarmNames=["costwatch-orphan"])
        out, _ = self.alarm("delete", "--name", "orphan")
        self.assertIn("deleted SNS topic", out)
        self.assertFalse([t for t in self.topic_arns() if t.endswith(":costwatch-orphan")])

    def test_bad_input_is_one_line_and_exit_2(self):
        cases = [
            (["--threshold", "ten", "--email", "a@example.com"], "--threshold"),
            (["--threshold", "-5", "--email", "a@example.com"], "--threshold"),
            (["--threshold", "10", "--email", "not-an-address"], "--email"),
            (["--threshold", "10", "--email", "a@example.com", "--linked-account", "12"],
             "--linked-account"),
            (["--threshold", "10"], "--email"),
        ]
        for args, flag in cases:
            with self.subTest(args=args):
                _, err = self.alarm("provision", "--name", "bad", *args, expect=2)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertIn(flag, err)
        _, err = self.alarm("status", "--name", "no spaces allowed", expect=2)
        self.assertIn("--name", err)
        self.assertEqual(self.proxy.actions, [])


if __name__ == "__main__":
    unittest.main()
