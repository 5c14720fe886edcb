"""costwatch run delivering to Kafka: librdkafka's mock cluster (tests/sinks/kafka_mock_cluster,
real brokers on loopback) read back by an independent consumer, kcat, whose records are decoded
by the official CloudEvents JavaScript SDK's Kafka binding. Through produce errors pushed by the
mock and an outage of every broker: every event arrives, none is lost, a duplicate is only ever
the same event, and an event leaves the outbox only once the brokers acknowledged it."""

import datetime as dt
import json
import os
import shutil
import subprocess
import time
import unittest

from costwatch_cli import TempDir, costwatch_bin, parse_lines, run_costwatch
from standin import StandIn, aws_env
from test_sinks_receiver import RECEIVER_DIR, ensure_node_modules

TODAY = dt.datetime.now(dt.timezone.utc).date()
PARTITIONS = 3
NOT_ENOUGH_REPLICAS = 19  # Kafka error codes the mock answers produce requests with
REQUEST_TIMED_OUT = 7
NOT_LEADER_FOR_PARTITION = 6
PRODUCE_API = 0

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: main
    lookback_days: 3
sinks:
  - name: bin
    type: kafka
    brokers: [{bootstrap}]
    topic: bin.{{type}}
    timeout: 2s
  - name: st
    type: kafka
    brokers: {brokers}
    topic: st.{{source}}
    mode: structured
    compression: zstd
    batch_size: 7
    timeout: 2s
"""


class MockCluster:
    """A kafka_mock_cluster child process; commands go to its stdin, one answer per line."""

    def __init__(self):
        path = os.environ.get("KAFKA_MOCK_CLUSTER")
        if not path:
            raise RuntimeError("KAFKA_MOCK_CLUSTER is not set (ctest sets it to the built tool)")
        self.process = subprocess.Popen([path, "3"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.bootstrap = self.process.stdout.readline().strip()
        if not self.bootstrap:
            raise RuntimeError("the mock cluster did not start")

    def command(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != "ok":
            raise AssertionError(f"mock cluster: {line}: {answer}")

    def set_brokers(self, state):
        for broker in (1, 2, 3):
            self.command(f"{state} {broker}")

    def set_rtt(self, milliseconds):
        for broker in (1, 2, 3):
            self.command(f"rtt {broker} {milliseconds}")

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def kcat(bootstrap, topic):
    """Every record of the topic as kcat prints it with -J (headers, key, payload)."""
    result = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-J", "-e", "-q",
                             "-X", "log_level=0"], capture_output=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise AssertionError(f"kcat failed: {result.stderr.decode()}")
    return result.stdout.decode("utf-8")


def decode_with_sdk(kcat_output):
    """The records decoded by the CloudEvents JS SDK's Kafka binding."""
    result = subprocess.run(["node", os.path.join(RECEIVER_DIR, "kafka_decode.js")],
                            input=kcat_output.encode("utf-8"), capture_output=True, timeout=60)
    if result.returncode != 0:
        raise AssertionError(f"kafka_decode.js failed: {result.stderr.decode()}")
    return parse_lines(result.stdout.decode("utf-8"))


def headers_of(record):
    flat = record.get("headers") or []
    return dict(zip(flat[0::2], flat[1::2]))


class RunKafkaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("kcat") is None:
            raise AssertionError("kcat is not installed (scripts/bootstrap installs it)")
        ensure_node_modules()
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()
        self.cluster = MockCluster()
        for topic in ("bin.amazon.billing.daily", "st.cloud.amazon.billing"):
            self.cluster.command(f"topic {topic} {PARTITIONS}")

    def tearDown(self):
        self.cluster.close()

    def write_config(self, directory):
        path = os.path.join(directory, "costwatch.yaml")
        with open(path, "w") as handle:
            handle.write(CONFIG.format(directory=directory, bootstrap=self.cluster.bootstrap,
                                       brokers=json.dumps(self.cluster.bootstrap.split(","))))
        return path

    def run_once(self, config):
        return subprocess.Popen([costwatch_bin(), "run", "--once", "--config", config,
                                 "--endpoint-url", self.standin.url], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def expected(self):
        start = (TODAY - dt.timedelta(days=3)).isoformat()
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url, "--start",
                                        start, "--end", TODAY.isoformat(), "--quiet"],
                                       env=self.env)
        self.assertEqual(code, 0, err)
        events = {e["id"]: e for e in parse_lines(out)}
        self.assertGreater(len(events), 10)
        return events

    def assert_binary_topic(self, expected):
        output = kcat(self.cluster.bootstrap, "bin.amazon.billing.daily")
        records = parse_lines(output)
        by_id = {}
        for record in records:
            headers = headers_of(record)
            event = expected[headers["ce_id"]]
            # kcat sees the binding's headers: every attribute as ce_<name>, unencoded,
            # datacontenttype as content-type; the data as the value; partitionkey as the key.
            attributes = {k: v for k, v in event.items() if k not in ("data", "datacontenttype")}
            self.assertEqual(headers, {**{"ce_" + k: v for k, v in attributes.items()},
                                       "content-type": event["datacontenttype"]})
            self.assertEqual(json.loads(record["payload"]), event["data"])
            self.assertEqual(record["key"], event["partitionkey"])
            # A duplicate is only ever the very same record.
            previous = by_id.setdefault(headers["ce_id"], record["payload"])
            self.assertEqual(previous, record["payload"])
        self.assertEqual(set(by_id), set(expected))
        # One key, one partition: a restatement follows the figure it replaces.
        partitions = {}
        for record in records:
            self.assertEqual(partitions.setdefault(record["key"], record["partition"]),
                             record["partition"])
        self.assertGreater(len(set(partitions.values())), 1)

        # The CloudEvents SDK reads the same events out of the records.
        decoded = decode_with_sdk(output)
        self.assertEqual(len(decoded), len(records))
        for item in decoded:
            self.assertNotIn("error", item)
            event, original = item["event"], expected[item["event"]["id"]]
            self.assertEqual(event["data"], original["data"])
            for name in ("source", "type", "specversion", "datacontenttype", "partitionkey"):
                self.assertEqual(event[name], original[name], name)
            self.assertEqual(event["time"].replace(".000Z", "Z"), original["time"])
            self.assertEqual(item["key"], original["partitionkey"])
        return len(records)

    def assert_structured_topic(self, expected):
        output = kcat(self.cluster.bootstrap, "st.cloud.amazon.billing")
        records = parse_lines(output)
        by_id = {}
        for record in records:
            self.assertEqual(headers_of(record),
                             {"content-type": "application/cloudevents+json; charset=UTF-8"})
            event = json.loads(record["payload"])
            self.assertEqual(event, expected[event["id"]])
            self.assertEqual(record["key"], event["partitionkey"])
            by_id.setdefault(event["id"], record["payload"])
            self.assertEqual(by_id[event["id"]], record["payload"])
        self.assertEqual(set(by_id), set(expected))
        for item in decode_with_sdk(output):
            self.assertNotIn("error", item)
            self.assertEqual(item["event"]["data"], expected[item["event"]["id"]]["data"])
        return len(records)

    def assert_outboxes_empty(self, config):
        code, status, err = run_costwatch(["status", "--config", config], env=self.env)
        self.assertEqual(code, 0, err)
        for sink in ("bin", "st"):
            self.assertRegex(status, sink + r": 0 waiting, \d+ delivered .*, 0 dead letters")

    def test_both_modes_through_the_daemon(self):
        with TempDir() as directory:
            config = self.write_config(directory)
            code, summary, err = run_costwatch(["config", "check", config])
            self.assertEqual(code, 0, err)
            self.assertIn("sink bin: kafka " + self.cluster.bootstrap.split(",")[0], summary)
            process = self.run_once(config)
            _, err = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, err)
            expected = self.expected()
            # No fault: each event exactly once.
            self.assertEqual(self.assert_binary_topic(expected), len(expected))
            self.assertEqual(self.assert_structured_topic(expected), len(expected))
            self.assert_outboxes_empty(config)

    def test_pushed_errors_and_an_outage_lose_nothing(self):
        with TempDir() as directory:
            config = self.write_config(directory)
            # Produce requests fail first (the producer retries them within one delivery)...
            self.cluster.command(f"errors {PRODUCE_API} 6 {NOT_ENOUGH_REPLICAS} "
                                 f"{REQUEST_TIMED_OUT} {NOT_LEADER_FOR_PARTITION} "
                                 f"{NOT_ENOUGH_REPLICAS} {REQUEST_TIMED_OUT} "
                                 f"{NOT_ENOUGH_REPLICAS}")
            # ...and slowly, so that every broker goes away in the middle of the delivery.
            self.cluster.set_rtt(400)
            process = self.run_once(config)
            time.sleep(2.5)
            self.cluster.set_brokers("down")
            time.sleep(6)  # deliveries time out (2 s) and are retried with backoff
            self.assertIsNone(process.poll(), "the daemon finished while every broker was down")
            code, status, err = run_costwatch(["status", "--config", config], env=self.env)
            self.assertEqual(code, 0, err)
            self.assertRegex(status, r"st: [1-9]\d* waiting")
            self.assertIn("not acknowledged", status)
            self.cluster.set_rtt(0)
            self.cluster.set_brokers("up")
            _, err = process.communicate(timeout=180)
            self.assertEqual(process.returncode, 0, err)

            expected = self.expected()
            self.assertGreaterEqual(self.assert_binary_topic(expected), len(expected))
            self.assertGreaterEqual(self.assert_structured_topic(expected), len(expected))
            self.assert_outboxes_empty(config)


if __name__ == "__main__":
    unittest.main()
