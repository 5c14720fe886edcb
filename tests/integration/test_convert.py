"""costwatch convert: files, stdin, and every kind of bad input."""

import json
import os
import unittest

from costwatch_cli import TempDir, parse_lines, run_costwatch

ANSWER = {
    "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    "ResultsByTime": [{
        "TimePeriod": {"Start": "2023-01-27", "End": "2023-01-28"},
        "Total": {},
        "Groups": [
            {"Keys": ["Amazon Relational Database Service"],
             "Metrics": {"AmortizedCost": {"Amount": "0.2672917174", "Unit": "USD"}}},
            {"Keys": ["AWS Lambda"],
             "Metrics": {"AmortizedCost": {"Amount": "-0.0000001", "Unit": "USD"}}},
        ],
        "Estimated": False,
    }],
    "DimensionValueAttributes": [],
}


def write(directory, name, content):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content if isinstance(content, str) else json.dumps(content, indent=4))
    return path


class ConvertTest(unittest.TestCase):
    def test_converts_files_in_order(self):
        with TempDir() as directory:
            second = dict(ANSWER, ResultsByTime=[dict(ANSWER["ResultsByTime"][0],
                                                      TimePeriod={"Start": "2023-01-28",
                                                                  "End": "2023-01-29"})])
            code, out, err = run_costwatch(["convert", write(directory, "a.json", ANSWER),
                                            write(directory, "b.json", second)])
        self.assertEqual(code, 0, err)
        events = parse_lines(out)
        self.assertEqual([e["data"]["date"] for e in events], ["2023-01-27"] * 2 + ["2023-01-28"] * 2)
        self.assertEqual(events[0]["data"]["amortizedCost"], {"amount": "0.2672917174", "unit": "USD"})
        self.assertEqual(events[1]["data"]["amortizedCost"]["amount"], "-0.0000001")
        self.assertEqual(err, "")

    def test_reads_stdin(self):
        with TempDir() as directory:
            path = write(directory, "a.json", ANSWER)
            _, from_file, _ = run_costwatch(["convert", path])
            with open(path, "rb") as handle:
                code, from_stdin, err = run_costwatch(["convert", "-"], input_bytes=handle.read())
        self.assertEqual(code, 0, err)
        self.assertEqual(from_stdin, from_file)
        self.assertEqual(len(parse_lines(from_stdin)), 2)

    def test_source_and_granularity_flags(self):
        with TempDir() as directory:
            path = write(directory, "a.json", ANSWER)
            code, out, err = run_costwatch(["convert", "--source", "urn:acme:billing",
                                            "--granularity", "monthly", path])
        self.assertEqual(code, 0, err)
        event = parse_lines(out)[0]
        self.assertEqual(event["source"], "urn:acme:billing")
        self.assertEqual(event["type"], "amazon.billing.monthly")

    def test_bad_input_is_one_line_and_prints_no_event_of_that_file(self):
        cases = [
            ("missing.json", None, "missing.json: No such file or directory"),
            ("empty.json", "", "not valid JSON"),
            ("truncated.json", json.dumps(ANSWER)[:-40], "not valid JSON"),
            ("list.json", "[1, 2]", "expected a JSON object"),
            ("other.json", '{"Items": []}', "no ResultsByTime array"),
            ("amount.json", json.dumps(ANSWER).replace('"0.2672917174"', '"12,5"'),
             'ResultsByTime[0].Groups[0].Metrics.AmortizedCost.Amount: "12,5" is not a decimal'),
            ("keys.json", json.dumps(ANSWER).replace('["AWS Lambda"]', '["AWS Lambda", "x"]'),
             "ResultsByTime[0].Groups[1].Keys: expected 1 keys"),
            ("period.json", json.dumps(ANSWER).replace('"2023-01-27"', '"27.01.2023"'),
             "TimePeriod.Start \"27.01.2023\" is not a date or hour"),
        ]
        with TempDir() as directory:
            for name, content, message in cases:
                with self.subTest(file=name):
                    path = os.path.join(directory, name)
                    if content is not None:
                        write(directory, name, content)
                    code, out, err = run_costwatch(["convert", path])
                    self.assertEqual(code, 1)
                    self.assertEqual(out, "")
                    self.assertEqual(err.count("\n"), 1, err)
                    self.assertTrue(err.startswith("costwatch: error: "), err)
                    self.assertIn(message, err)
                    self.assertIn(name, err)
            code, out, err = run_costwatch(["convert", directory])
            self.assertEqual(code, 1)
            self.assertEqual(out, "")

    def test_a_bad_file_stops_after_the_good_ones_before_it(self):
        with TempDir() as directory:
            good = write(directory, "good.json", ANSWER)
            bad = write(directory, "bad.json", '{"ResultsByTime": [')
            code, out, err = run_costwatch(["convert", good, bad, good])
        self.assertEqual(code, 1)
        self.assertEqual(len(parse_lines(out)), 2)  # the first file only, whole lines
        self.assertIn("bad.json: not valid JSON", err)

    def test_bad_flags(self):
        for args, message in [(["convert"], "files is required"),
                              (["convert", "--granularity", "weekly", "x.json"],
                               "granularity must be DAILY, HOURLY or MONTHLY"),
                              (["conver", "x.json"], 'unknown command "conver" (did you mean convert?)')]:
            with self.subTest(args=args):
                code, out, err = run_costwatch(args)
                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn(message, err)


if __name__ == "__main__":
    unittest.main()
