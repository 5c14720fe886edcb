"""costwatch run delivering to an HTTP receiver built on the official CloudEvents JS SDK,
through the receiver being down, failing and refusing: every row arrives, none is lost, a
duplicate is only ever the same event, and refused events become dead letters."""

import datetime as dt
import os
import socket
import subprocess
import time
import unittest

from costwatch_cli import TempDir, costwatch_bin, parse_lines, run_costwatch
from standin import StandIn, aws_env
from test_sinks_receiver import Receiver, ensure_node_modules

TODAY = dt.datetime.now(dt.timezone.utc).date()

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: main
    lookback_days: 3
sinks:
  - name: hook
    type: http
    url: {url}
    mode: {mode}
{extra}
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ensure_node_modules()
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()

    def write_config(self, directory, url, mode="batch", extra="    batch_size: 40"):
        path = os.path.join(directory, "costwatch.yaml")
        with open(path, "w") as handle:
            handle.write(CONFIG.format(directory=directory, url=url, mode=mode, extra=extra))
        return path

    def run_once(self, config, timeout=120):
        return subprocess.Popen([costwatch_bin(), "run", "--once", "--config", config,
                                 "--endpoint-url", self.standin.url], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE), timeout

    def expected(self):
        start = (TODAY - dt.timedelta(days=3)).isoformat()
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url, "--start",
                                        start, "--end", TODAY.isoformat(), "--quiet"],
                                       env=self.env)
        self.assertEqual(code, 0, err)
        return {e["id"]: e for e in parse_lines(out)}

    def assert_all_received_once_per_id(self, received, expected):
        by_id = {}
        for record in received:
            if "injected" in record:  # the receiver's note of a fault it answered with
                continue
            self.assertNotIn("error", record)
            event = record["attributes"]
            # Duplicates may happen (at-least-once) but only as the very same event.
            previous = by_id.setdefault(event["id"], record)
            self.assertEqual(previous["data"], record["data"])
        self.assertEqual(set(by_id), set(expected))
        for event_id, record in by_id.items():
            self.assertEqual(record["data"], expected[event_id]["data"])
            self.assertEqual(record["attributes"]["type"], expected[event_id]["type"])

    def test_receiver_down_then_up_gets_everything(self):
        with TempDir() as directory:
            port = free_port()
            config = self.write_config(directory, f"http://127.0.0.1:{port}/events")
            process, timeout = self.run_once(config)
            time.sleep(3)  # the daemon has pulled and is backing off against a closed port
            self.assertIsNone(process.poll())
            receiver = Receiver(directory, "--port", str(port))
            try:
                _, err = process.communicate(timeout=timeout)
                self.assertEqual(process.returncode, 0, err)
                self.assert_all_received_once_per_id(receiver.received(), self.expected())
            finally:
                receiver.close()

    def test_server_errors_retry_after_and_refusals(self):
        with TempDir() as directory:
            receiver = Receiver(directory)
            try:
                # Two 500s, then a 429 asking for 2 s, then normal service.
                receiver.control(status=500, count=2)
                config = self.write_config(directory, receiver.url)
                started = time.monotonic()
                process, timeout = self.run_once(config)
                time.sleep(0.5)
                receiver.control(status=429, retryAfter="2", count=1)
                _, err = process.communicate(timeout=timeout)
                self.assertEqual(process.returncode, 0, err)
                self.assertGreaterEqual(time.monotonic() - started, 2)
                self.assert_all_received_once_per_id(receiver.received(), self.expected())

                # A restated day is sent again; the receiver refuses the batch and then the
                # first event alone: that one event becomes a dead letter, the rest arrive.
                self.standin.restate((TODAY - dt.timedelta(days=2)).isoformat())
                before = len(receiver.received())
                receiver.control(status=400, count=2)
                code, _, err = run_costwatch(["backfill", "--config", config, "--endpoint-url",
                                              self.standin.url, "--from",
                                              (TODAY - dt.timedelta(days=2)).isoformat(),
                                              "--to", (TODAY - dt.timedelta(days=1)).isoformat()],
                                             env=self.env, timeout=120)
                self.assertEqual(code, 0, err)
                self.assertIn("1 rejected (dead letters)", err)
                restated = [r for r in receiver.received()[before:] if "injected" not in r]
                self.assertTrue(restated)
                self.assertEqual({r["data"]["date"] for r in restated},
                                 {(TODAY - dt.timedelta(days=2)).isoformat()})
                code, status, err = run_costwatch(["status", "--config", config], env=self.env)
                self.assertEqual(code, 0, err)
                self.assertIn("hook: 0 waiting", status)
                self.assertIn("1 dead letters", status)
                self.assertIn("HTTP 400", status)
            finally:
                receiver.close()

    def test_kill_9_in_the_middle_of_delivery_and_a_slow_receiver(self):
        with TempDir() as directory:
            receiver = Receiver(directory)
            try:
                # One request per event, each answered after 40 ms: delivery takes seconds.
                receiver.control(delayMs=40)
                config = self.write_config(directory, receiver.url, mode="structured",
                                           extra="    timeout: 1s")
                process, _ = self.run_once(config)
                deadline = time.monotonic() + 30
                while len(receiver.received()) < 10 and time.monotonic() < deadline:
                    time.sleep(0.05)
                process.kill()
                process.communicate()
                delivered_before = len(receiver.received())
                expected = self.expected()
                self.assertGreater(delivered_before, 0)
                self.assertLess(delivered_before, len(expected))

                # Restarted against a receiver that once answers too slowly for the 1 s
                # timeout: that request is retried, and everything arrives, without a second
                # paid pull.
                requests = self.standin.stats()["requests"]
                receiver.control(delayMs=2500, count=1)
                process, timeout = self.run_once(config)
                _, err = process.communicate(timeout=timeout)
                self.assertEqual(process.returncode, 0, err)
                self.assertEqual(self.standin.stats()["requests"], requests)
                self.assert_all_received_once_per_id(receiver.received(), expected)
            finally:
                receiver.close()

    def test_binary_mode_through_the_daemon(self):
        with TempDir() as directory:
            receiver = Receiver(directory)
            try:
                config = self.write_config(directory, receiver.url, mode="binary", extra="")
                process, timeout = self.run_once(config)
                _, err = process.communicate(timeout=timeout)
                self.assertEqual(process.returncode, 0, err)
                received = receiver.received()
                self.assertEqual({r["mode"] for r in received}, {"binary"})
                self.assert_all_received_once_per_id(received, self.expected())
            finally:
                receiver.close()


if __name__ == "__main__":
    unittest.main()
