"""The sinks end to end: costwatch's events, delivered by the real sinks (through the test-only
deliver_tool) to an independent receiver built on the official CloudEvents JavaScript SDK
(receiver/receiver.js), in all three HTTP content modes, plus the outcomes the delivery engine
relies on (retry, Retry-After, rejection, timeouts) and the file and stdout sinks."""

import datetime
import json
import os
import subprocess
import time
import unittest
import urllib.request

from costwatch_cli import TempDir, parse_lines, run_costwatch

HERE = os.path.dirname(os.path.abspath(__file__))
RECEIVER_DIR = os.path.join(HERE, "receiver")
CASES = os.path.join(HERE, "..", "data", "cloudevents", "percent-encoding-cases.json")
TOKEN = "Bearer test-token-4f1d"

# Services that stress JSON and header encoding: quotes, backslashes, control characters and
# non-ASCII (2-, 3- and 4-byte UTF-8).
SERVICES = ['Amazon "Quoted" Service', "Back\\slash\\Service", "Café Ünïcode 日本語 😀",
            "Tab\tand\nnewline", "plain", "100% Discount", "a+b=c&d?e#f/g:h"]
# A source that needs percent-encoding in a ce-source header (its '%' signs) yet is a valid
# URI-reference, which the SDK's schema demands (so no raw spaces, quotes or non-ASCII).
ODD_SOURCE = "https://billing.example/acme%20corp/caf%C3%A9?share=100%25"


def answer(services):
    return {
        "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
        "ResultsByTime": [{
            "TimePeriod": {"Start": "2023-01-27", "End": "2023-01-28"},
            "Total": {},
            "Groups": [{"Keys": [s], "Metrics": {
                "AmortizedCost": {"Amount": f"0.{i}2672917174", "Unit": "USD"}}}
                for i, s in enumerate(services)],
            "Estimated": True,
        }],
        "DimensionValueAttributes": [],
    }


def deliver_tool():
    path = os.environ.get("DELIVER_TOOL")
    if not path:
        raise RuntimeError("DELIVER_TOOL is not set (ctest sets it to the built tool)")
    return path


def ensure_node_modules():
    if not os.path.isdir(os.path.join(RECEIVER_DIR, "node_modules", "cloudevents")):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=RECEIVER_DIR,
                       check=True, timeout=300, stdin=subprocess.DEVNULL)


def make_events(directory, source=None, services=SERVICES):
    path = os.path.join(directory, f"answer-{len(os.listdir(directory))}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(answer(services), handle, ensure_ascii=False)
    args = ["convert", path] + (["--source", source] if source else [])
    code, out, err = run_costwatch(args)
    if code != 0:
        raise AssertionError(f"costwatch convert failed: {err}")
    return out


class Receiver:
    """receiver.js on a free loopback port, writing what it receives to a file."""

    def __init__(self, directory, *extra):
        self.out = os.path.join(directory, "received.jsonl")
        port_file = os.path.join(directory, "port")
        self.log = open(os.path.join(directory, "receiver.log"), "wb")
        self.process = subprocess.Popen(
            ["node", "receiver.js", "--port", "0", "--out", self.out, "--port-file", port_file]
            + list(extra), cwd=RECEIVER_DIR, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not (os.path.exists(port_file) and os.path.getsize(port_file) > 0):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("receiver.js did not start: " + self.log_text())
            time.sleep(0.05)
        with open(port_file, encoding="ascii") as handle:
            self.url = f"http://127.0.0.1:{handle.read().strip()}/events"

    def log_text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def control(self, **fault):
        request = urllib.request.Request(self.url.replace("/events", "/control"),
                                         data=json.dumps(fault).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204

    def received(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def run_tool(args, events_text, timeout=120):
    result = subprocess.run([deliver_tool()] + args, input=events_text.encode("utf-8"),
                            capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"deliver_tool failed: {result.stderr.decode()}")
    return result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class SinksReceiverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ensure_node_modules()

    def setUp(self):
        self._dir = TempDir()
        self.dir = self._dir.__enter__()
        self.receiver = Receiver(self.dir, "--require-header", f"Authorization: {TOKEN}")
        events_dir = os.path.join(self.dir, "answers")
        os.mkdir(events_dir)
        self.events_text = make_events(events_dir) + make_events(events_dir, source=ODD_SOURCE)
        self.events = parse_lines(self.events_text)

    def tearDown(self):
        self.receiver.close()
        self._dir.__exit__(None, None, None)

    def deliver(self, *args, events_text=None):
        out, _ = run_tool(["--type", "http", "--url", self.receiver.url,
                           "--header", f"Authorization: {TOKEN}"] + list(args),
                          self.events_text if events_text is None else events_text)
        return parse_lines(out)

    def assert_received_all(self, mode):
        received = self.receiver.received()
        errors = [r for r in received if "error" in r]
        self.assertEqual(errors, [], self.receiver.log_text())
        self.assertEqual(len(received), len(self.events))
        for sent, got in zip(self.events, received):
            self.assertEqual(got["mode"], mode)
            expected = {k: v for k, v in sent.items() if k != "data"}
            attributes = dict(got["attributes"])
            # The SDK keeps time as a Date; compare the instant, not its spelling.
            self.assertEqual(instant(attributes.pop("time")), instant(expected.pop("time")))
            self.assertEqual(attributes, expected)
            self.assertEqual(got["data"], sent["data"])
        self.assertIn(ODD_SOURCE, {r["attributes"]["source"] for r in received})
        self.assertEqual({r["data"]["service"] for r in received}, set(SERVICES))

    def test_the_events_need_percent_encoding(self):
        # Guards the premise of the binary test: the odd source does not pass unencoded.
        self.assertIn("%", ODD_SOURCE)
        self.assertEqual(len(self.events), 2 * len(SERVICES))

    def test_structured_mode(self):
        outcomes = self.deliver("--mode", "structured")
        self.assertEqual([o["outcome"] for o in outcomes], ["delivered"] * len(self.events))
        self.assert_received_all("structured")

    def test_binary_mode(self):
        outcomes = self.deliver("--mode", "binary")
        self.assertEqual([o["outcome"] for o in outcomes], ["delivered"] * len(self.events))
        self.assert_received_all("binary")

    def test_batch_mode(self):
        outcomes = self.deliver("--mode", "batch", "--batch-size", "4")
        self.assertEqual([o["events"] for o in outcomes], [4, 4, 4, 2])
        self.assertEqual({o["outcome"] for o in outcomes}, {"delivered"})
        self.assert_received_all("batch")

    def test_server_error_is_retried(self):
        self.receiver.control(status=500)
        outcome = self.deliver("--mode", "structured", events_text=self.events_text.split("\n")[0])
        self.assertEqual(outcome[0]["outcome"], "retry")
        self.assertNotIn("retry_after_ms", outcome[0])
        self.assertIn("HTTP 500", outcome[0]["message"])

    def test_throttling_is_retried_after_retry_after(self):
        self.receiver.control(status=429, retryAfter="7")
        outcome = self.deliver("--mode", "batch", events_text=self.events_text)
        self.assertEqual(outcome, [{"batch": 0, "events": len(self.events), "outcome": "retry",
                                    "retry_after_ms": 7000,
                                    "message": "HTTP 429: injected 429"}])

    def test_bad_request_is_rejected(self):
        self.receiver.control(status=400)
        outcome = self.deliver("--mode", "binary", events_text=self.events_text.split("\n")[0])
        self.assertEqual(outcome[0]["outcome"], "rejected")

    def test_invalid_event_is_rejected_by_the_sdk(self):
        event = dict(self.events[0])
        del event["type"]  # a required attribute
        outcome = self.deliver("--mode", "structured", events_text=json.dumps(event))
        self.assertEqual(outcome[0]["outcome"], "rejected")
        self.assertIn("invalid CloudEvent", outcome[0]["message"])
        self.assertIn("error", self.receiver.received()[0])

    def test_missing_authorization_is_rejected_and_never_echoed(self):
        out, _ = run_tool(["--type", "http", "--url", self.receiver.url, "--mode", "batch",
                           "--header", "Authorization: Bearer wrong-token-0000"],
                          self.events_text)
        outcome = parse_lines(out)
        self.assertEqual(outcome[0]["outcome"], "rejected")
        self.assertIn("HTTP 401", outcome[0]["message"])
        self.assertNotIn("wrong-token", out)
        self.assertEqual(self.receiver.received(), [])

    def test_slow_receiver_beyond_the_timeout_is_retried(self):
        self.receiver.control(delayMs=3000, count=1)
        started = time.monotonic()
        outcome = self.deliver("--mode", "structured", "--timeout-ms", "500",
                               events_text=self.events_text.split("\n")[0])
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual(outcome[0]["outcome"], "retry")
        self.assertIn("timed out", outcome[0]["message"])

    def test_recovers_after_a_fault(self):
        self.receiver.control(status=503, count=1)
        first = self.deliver("--mode", "batch", "--batch-size", "100")
        self.assertEqual(first[0]["outcome"], "retry")
        second = self.deliver("--mode", "batch", "--batch-size", "100")
        self.assertEqual(second[0]["outcome"], "delivered")
        self.assertEqual(len([r for r in self.receiver.received() if "attributes" in r]),
                         len(self.events))


class ReceiverDecodingTest(unittest.TestCase):
    def test_every_shared_decode_case(self):
        ensure_node_modules()
        result = subprocess.run(["node", "receiver.js", "--decode-cases", CASES], cwd=RECEIVER_DIR,
                                capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stdout.decode() + result.stderr.decode())
        self.assertIn(b"9/9 decode cases pass", result.stdout)


class LocalSinksTest(unittest.TestCase):
    def test_file_sink_writes_the_events_and_rotates(self):
        with TempDir() as directory:
            os.mkdir(os.path.join(directory, "answers"))
            text = make_events(os.path.join(directory, "answers"))
            path = os.path.join(directory, "out.jsonl")
            out, _ = run_tool(["--type", "file", "--path", path], text)
            self.assertEqual({o["outcome"] for o in parse_lines(out)}, {"delivered"})
            with open(path, encoding="utf-8") as handle:
                self.assertEqual(handle.read(), text)
            # A second run with a small max-bytes rotates the first file away.
            run_tool(["--type", "file", "--path", path, "--max-bytes", "100"], text)
            with open(path + ".1", encoding="utf-8") as handle:
                self.assertEqual(handle.read(), text)
            with open(path, encoding="utf-8") as handle:
                self.assertEqual(handle.read(), text)

    def test_stdout_sink_writes_the_events(self):
        with TempDir() as directory:
            text = make_events(directory)
            out, err = run_tool(["--type", "stdout"], text)
            self.assertEqual(out, text)
            self.assertIn(f"delivered {len(text.splitlines())} of", err)


if __name__ == "__main__":
    unittest.main()
