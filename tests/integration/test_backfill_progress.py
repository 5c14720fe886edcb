"""The progress line of `costwatch backfill` on a terminal, and its absence elsewhere.

costwatch runs with its stderr on a real pseudo-terminal (Python's pty), the terminal size set
through the pty as a terminal emulator would. The figures the last frame shows are checked
against the stand-in's request count and the rows the per-month notes report.
"""

import datetime as dt
import fcntl
import os
import re
import struct
import subprocess
import termios
import unittest

from costwatch_cli import TempDir, costwatch_bin, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
FROM = (TODAY.replace(day=1) - dt.timedelta(days=70)).replace(day=1)  # three months back
TO = TODAY - dt.timedelta(days=1)
MONTHS = (TO.year - FROM.year) * 12 + (TO - dt.timedelta(days=1)).month - FROM.month + 1

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: main
    group_by: [SERVICE]
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
"""

NOTE = re.compile(r"source 'main': \S+ to \S+: (\d+) rows .* (\d+) paid requests?")
FIGURES = re.compile(r"(\d+)/(\d+) months  main \d{4}-\d{2}  ([\d,]+) rows?, ([\d,]+) pages?, "
                     r"([\d,]+) paid requests? \(\$(\d+\.\d\d)\)")


def number(text: str) -> int:
    return int(text.replace(",", ""))


class BackfillProgressTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Small pages, so that each month takes several requests and the line moves in between.
        cls.standin = StandIn(page_size=100).start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()

    def backfill_args(self, directory):
        config = os.path.join(directory, "costwatch.yaml")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(directory=directory))
        return ["backfill", "--config", config, "--endpoint-url", self.standin.url,
                "--from", FROM.isoformat(), "--to", TO.isoformat()]

    def backfill_on_terminal(self, columns, term="xterm-256color", lang="C.UTF-8"):
        """Runs a backfill with stderr on a pty `columns` wide; returns (exit code, stderr)."""
        with TempDir() as directory:
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            env = dict(aws_env(), TERM=term, LANG=lang)
            env.pop("LC_ALL", None)
            env.pop("LC_CTYPE", None)
            process = subprocess.Popen([costwatch_bin()] + self.backfill_args(directory),
                                       env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=slave)
            os.close(slave)
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other side closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(master)
            code = process.wait(timeout=120)
        return code, b"".join(chunks).decode("utf-8")

    @staticmethod
    def frames(output):
        """What each redraw showed: the text after a carriage return, up to the erase."""
        return [part.split("\x1b[K")[0] for part in output.split("\r")[1:]
                if part.startswith("backfill ")]

    def test_the_last_frame_shows_every_month_row_page_and_paid_request(self):
        code, output = self.backfill_on_terminal(columns=120)
        self.assertEqual(code, 0, output)
        notes = [NOTE.search(line) for line in output.replace("\r", "\n").splitlines()]
        notes = [note for note in notes if note]
        self.assertEqual(len(notes), MONTHS, output)
        rows = sum(int(note.group(1)) for note in notes)
        requests = self.standin.stats()["requests"]
        self.assertGreater(requests, MONTHS, "pages of 100 rows should need several per month")

        frames = self.frames(output)
        self.assertGreater(len(frames), MONTHS)
        for frame in frames:
            self.assertLess(len(frame), 120, frame)
        last = FIGURES.search(frames[-1])
        self.assertIsNotNone(last, frames[-1])
        self.assertEqual((int(last.group(1)), int(last.group(2))), (MONTHS, MONTHS))
        self.assertEqual(number(last.group(3)), rows)
        self.assertEqual(number(last.group(4)), requests)  # no retries: one request per page
        self.assertEqual(number(last.group(5)), requests)
        self.assertEqual(last.group(6), f"{requests // 100}.{requests % 100:02d}")
        self.assertIn("█" * 30, frames[-1])
        # The figures only grow, and the line is erased before the process ends.
        pages = [number(m.group(4)) for m in map(FIGURES.search, frames) if m]
        self.assertEqual(pages, sorted(pages))
        self.assertTrue(output.rstrip("\n").endswith("\x1b[K") or "\r\x1b[K" in output)

    def test_a_narrow_terminal_drops_the_bar_and_keeps_the_figures(self):
        code, output = self.backfill_on_terminal(columns=64)
        self.assertEqual(code, 0, output)
        frames = self.frames(output)
        self.assertTrue(frames)
        for frame in frames:
            self.assertLessEqual(len(frame), 63, frame)
            self.assertNotIn("█", frame)
        self.assertRegex(frames[-1], rf"^backfill {MONTHS}/{MONTHS} months  [\d,]+ rows, "
                                     r"[\d,]+ pages, [\d,]+ paid \(\$\d+\.\d\d\)$")

    def test_an_ascii_locale_draws_the_bar_in_ascii(self):
        code, output = self.backfill_on_terminal(columns=160, lang="C")
        self.assertEqual(code, 0, output)
        self.assertIn("#" * 30, self.frames(output)[-1])
        self.assertNotIn("█", output)

    def test_a_dumb_terminal_gets_only_the_notes(self):
        code, output = self.backfill_on_terminal(columns=120, term="dumb")
        self.assertEqual(code, 0, output)
        self.assertNotIn("\x1b[K", output)
        self.assertEqual(len([line for line in output.splitlines() if NOTE.search(line)]), MONTHS)

    def test_a_pipe_gets_only_the_notes(self):
        with TempDir() as directory:
            code, _, err = run_costwatch(self.backfill_args(directory),
                                         env=dict(aws_env(), TERM="xterm"), timeout=120)
        self.assertEqual(code, 0, err)
        self.assertNotIn("\r", err)
        self.assertNotIn("\x1b", err)
        self.assertEqual(len([line for line in err.splitlines() if NOTE.search(line)]), MONTHS)


if __name__ == "__main__":
    unittest.main()
