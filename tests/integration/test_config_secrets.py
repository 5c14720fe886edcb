"""What the config lets through about secrets, through the real binary: user information in URLs
(config check and run refuse it in the same words and print no password), credentials over
plain HTTP, the warnings at every start of run, serve, backfill and config check, the file
sink's permissions whatever the umask, and the YAML alias bomb."""

import datetime as dt
import os
import re
import selectors
import signal
import stat
import subprocess
import time
import unittest

from costwatch_cli import TempDir, costwatch_bin, run_costwatch
from standin import StandIn, aws_env

PASSWORD = "PASSWORD-4d9Kq2"
USER_INFO_REFUSED = "invalid URL: user information (user:password@) is not allowed in a URL"

FILE_SINK = """\
state_path: {directory}/state.db
sources:
  - name: aws
    lookback_days: 1
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
    fsync: false
"""


def write(directory, text, name="costwatch.yaml"):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.format(directory=directory))
    return path


def stderr_until(process, needle, timeout=30.0):
    """Reads the process's stderr until `needle` appears (or it exits); returns what was read."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen = b""
    deadline = time.monotonic() + timeout
    while needle.encode() not in seen and time.monotonic() < deadline:
        if not selector.select(timeout=0.5):
            continue
        chunk = os.read(process.stderr.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
    return seen.decode("utf-8")


class ConfigSecretsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn().start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()

    def test_user_information_is_refused_alike_and_never_printed(self):
        with TempDir() as directory:
            config = write(directory, FILE_SINK.replace(
                "    lookback_days: 1\n",
                f"    lookback_days: 1\n    endpoint_url: http://ce:{PASSWORD}@127.0.0.1:1/\n"))
            code, out, err = run_costwatch(["config", "check", config])
            self.assertEqual(code, 2, err)
            self.assertIn(f"{config}:5:19: sources[0].endpoint_url: {USER_INFO_REFUSED}", err)
            code, run_out, run_err = run_costwatch(["run", "--once", "--config", config],
                                                   env=aws_env())
            self.assertNotEqual(code, 0)
            self.assertIn(f"sources[0].endpoint_url: {USER_INFO_REFUSED}", run_err)
            # The flag, which bypasses the file, is refused in the same words.
            plain = write(directory, FILE_SINK, "plain.yaml")
            code, flag_out, flag_err = run_costwatch(
                ["run", "--once", "--config", plain, "--endpoint-url",
                 f"http://ce:{PASSWORD}@127.0.0.1:1/"], env=aws_env())
            self.assertEqual(code, 1)
            self.assertIn(USER_INFO_REFUSED, flag_err)
            for text in (out, err, run_out, run_err, flag_out, flag_err):
                self.assertNotIn(PASSWORD, text)

    def test_credentials_over_plain_http_are_refused_unless_allowed(self):
        sink = ("  - name: hook\n    type: http\n    url: http://192.0.2.10:8080/events\n"
                "    headers:\n      Authorization: Bearer tok-3Jq8Xw\n")
        with TempDir() as directory:
            config = write(directory, FILE_SINK + sink)
            expected = ("sinks[1]: the Authorization header would cross the network in clear "
                        "text (http:// to a host that is not this machine); use https://, or set "
                        "allow_plaintext_credentials: true")
            code, _, err = run_costwatch(["config", "check", config])
            self.assertEqual(code, 2, err)
            self.assertIn(f"{config}:12:10: {expected}", err)
            code, _, err = run_costwatch(["run", "--once", "--config", config], env=aws_env())
            self.assertEqual(code, 1, err)
            self.assertIn(expected, err)
            self.assertNotIn("tok-3Jq8Xw", err)

            allowed = write(directory, FILE_SINK + sink + "    allow_plaintext_credentials: true\n",
                            "allowed.yaml")
            code, out, err = run_costwatch(["config", "check", allowed])
            self.assertEqual(code, 0, err)
            self.assertIn("sink 'hook': WARNING: credentials go over http:// in clear text", err)
            self.assertIn("clear text allowed", out)

    def test_unverified_tls_is_warned_about_at_every_start(self):
        warning = ("sink 'hook': WARNING: tls.verify is false: the receiver's certificate is not "
                   "checked")
        sink = ("  - name: hook\n    type: http\n    url: https://127.0.0.1:1/events\n"
                "    tls:\n      verify: false\n")
        with TempDir() as directory:
            config = write(directory, FILE_SINK + sink)
            code, _, err = run_costwatch(["config", "check", config])
            self.assertEqual(code, 0, err)
            self.assertIn(warning, err)
            # backfill warns before it looks at --source.
            code, _, err = run_costwatch(["backfill", "--config", config, "--from", "2024-01-01",
                                          "--to", "2024-01-02", "--source", "none"], env=aws_env())
            self.assertEqual(code, 2, err)
            self.assertIn(warning, err)
            for command in (["run", "--config", config, "--endpoint-url", self.standin.url],
                            ["serve", "--config", config, "--listen", "127.0.0.1:0"]):
                process = subprocess.Popen([costwatch_bin()] + command, env=aws_env(),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           stdin=subprocess.DEVNULL)
                try:
                    err = stderr_until(process, warning)
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.communicate(timeout=30)
                self.assertIn(warning, err, command[0])

    def test_event_files_are_private_whatever_the_umask(self):
        with TempDir() as directory:
            config = write(directory, FILE_SINK + "    max_size: 4096\n    max_files: 1\n")
            today = dt.datetime.now(dt.timezone.utc).date()
            # With no umask at all, the files would be world-writable if the sink left the mode
            # to it.
            result = subprocess.run(
                [costwatch_bin(), "backfill", "--config", config, "--endpoint-url",
                 self.standin.url, "--from", str(today - dt.timedelta(days=20)), "--to",
                 str(today)],
                env=aws_env(), capture_output=True, timeout=120, umask=0, stdin=subprocess.DEVNULL)
            self.assertEqual(result.returncode, 0, result.stderr.decode())
            for name in ("events.jsonl", "events.jsonl.1"):
                mode = stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode)
                self.assertEqual(mode, 0o600, f"{name}: {oct(mode)}")

    def test_a_billion_laughs_is_refused_at_once(self):
        # Mappings all the way, so that the filter (a mapping) would be walked whole.
        levels = ['a0: &a0 {k: ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]}']
        for level in range(1, 9):
            levels.append(f"a{level}: &a{level} {{k: [" + ",".join([f"*a{level - 1}"] * 10) + "]}")
        bomb = "\n".join(levels) + ("\nsources:\n  - name: x\n    filter: *a8\n"
                                    "sinks: [{name: s, type: stdout}]\n")
        self.assertLess(len(bomb), 600)
        with TempDir() as directory:
            config = write(directory, bomb.replace("{", "{{").replace("}", "}}"))
            started = time.monotonic()
            for command in (["config", "check", config], ["run", "--once", "--config", config]):
                code, _, err = run_costwatch(command, env=aws_env(), timeout=30)
                self.assertNotEqual(code, 0, command)
                self.assertRegex(err, re.escape(config) + r":4:\d+: the aliases \(\*name\) up to "
                                 r"here stand for more than 10000 nodes")
            self.assertLess(time.monotonic() - started, 10)


if __name__ == "__main__":
    unittest.main()
