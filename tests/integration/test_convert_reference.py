#!/usr/bin/env python3
"""`costwatch convert` must write byte for byte what tools/reference/convert_reference.py writes.

Builds a small recorded dataset (daily, hourly and monthly answers; dimension, tag and cost
category group-bys; an ungrouped answer; awkward strings and amounts) in a temporary directory,
converts it with the costwatch binary named by $COSTWATCH_BIN and with the Python reference, and
compares the outputs. The checks of the reference alone run without the binary too.

Run: COSTWATCH_BIN=build/src/cli/costwatch python3 tests/integration/test_convert_reference.py
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(REPO, "tools", "reference", "convert_reference.py")
COSTWATCH = os.environ.get("COSTWATCH_BIN", "")

ID_RE = re.compile(r"^[0-9a-f]{32}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

ODD = [
    'AWS Marketplace: "Acme" Widgets',
    "Back\\slash \\\\ and \\u0041 literally",
    "Control\x01\x02\x1f chars \b\f\n\r\t end",
    "DEL\x7f NEL\x85 LS\u2028 PS\u2029",
    "Non-ASCII \u00dcberwachung \u2013 \u30c7\u30fc\u30bf \U0001f680",
    "Slash/Separated </script>",
    "",
]


def usd(amount):
    return {"Amount": amount, "Unit": "USD"}


def metrics(cost, unblended=None, usage=None):
    m = {"AmortizedCost": usd(cost), "UnblendedCost": usd(unblended or cost)}
    if usage is not None:
        m["UsageQuantity"] = {"Amount": usage, "Unit": "N/A"}
    return m


def answer(definitions, results, accounts=None, token=None):
    a = {}
    if token:
        a["NextPageToken"] = token
    if definitions is not None:
        a["GroupDefinitions"] = [{"Type": t, "Key": k} for t, k in definitions]
    a["ResultsByTime"] = results
    if accounts is not None:
        a["DimensionValueAttributes"] = [{"Value": v, "Attributes": {"description": n}}
                                         for v, n in accounts]
    return a


def period(start, end, groups=None, total=None, estimated=False):
    r = {"TimePeriod": {"Start": start, "End": end}, "Total": total or {}, "Groups": groups or []}
    if estimated is not None:
        r["Estimated"] = estimated
    return r


def group(keys, m):
    return {"Keys": keys, "Metrics": m}


def dataset():
    """name -> GetCostAndUsage answer."""
    files = {}

    # DAILY, SERVICE x LINKED_ACCOUNT, account names (one account unnamed), odd service names.
    accounts = [("111111111111", "prod-web"), ("222222222222", 'Zo\u00eb\'s "sandbox"\\x')]
    amounts = ["0.2672917174", "-0.0000001", "0", "12.5", "1234567.0000000001", "-3.2100000000",
               "0.0000000001", "1e-7"]
    results = []
    for d in range(3):
        groups = []
        for s, service in enumerate(["Amazon Relational Database Service", "Tax"] + ODD):
            for a, account in enumerate(["111111111111", "222222222222", "333333333333"]):
                amount = amounts[(d + s + a) % len(amounts)]
                groups.append(group([service, account],
                                    metrics(amount, amounts[(s + a) % len(amounts)],
                                            usage="%d.5" % (s * a) if s % 2 else None)))
        results.append(period("2023-01-%02d" % (27 + d), "2023-01-%02d" % (28 + d), groups,
                              estimated=(d == 2)))
    results.append(period("2023-01-30", "2023-01-31"))  # grouped, no groups: no event
    files["daily-service-account.json"] = answer(
        [("DIMENSION", "SERVICE"), ("DIMENSION", "LINKED_ACCOUNT")], results, accounts)

    # HOURLY, TAG team x SERVICE, across midnight.
    results = []
    for h in range(22, 27):
        day, hour = 27 + h // 24, h % 24
        start = "2023-01-%02dT%02d:00:00Z" % (day, hour)
        end = "2023-01-%02dT%02d:00:00Z" % (27 + (h + 1) // 24, (h + 1) % 24)
        groups = [group([tag, service], metrics("0.00%d%d" % (h, i)))
                  for i, (tag, service) in enumerate([
                      ("team$web", "AWS Lambda"), ("team$", "AWS Lambda"),
                      ("team$data \u00e9quipe", "Amazon Simple Storage Service"),
                      ("team$a$b", "Amazon EC2"), ("team$" + ODD[2], ODD[0])])]
        results.append(period(start, end, groups, estimated=(h > 24)))
    files["hourly-tag-service.json"] = answer([("TAG", "team"), ("DIMENSION", "SERVICE")],
                                              results, [])

    # MONTHLY, COST_CATEGORY x TAG, a partial last month.
    results = []
    for start, end in [("2023-01-01", "2023-02-01"), ("2023-02-01", "2023-03-01"),
                       ("2023-03-01", "2023-03-15")]:
        results.append(period(start, end, [
            group(["Cost Center$Engineering", "env$prod"], metrics("1020.123456789")),
            group(["Cost Center$", "env$"], metrics("-15.5", "-15.50")),
            group(["Cost Center$R&D \"lab\"", "env$st\u00e4ging"], metrics("0.01")),
        ], estimated=(start == "2023-03-01")))
    files["monthly-costcategory-tag.json"] = answer(
        [("COST_CATEGORY", "Cost Center"), ("TAG", "env")], results)

    # MONTHLY, two tags share one "tags" object.
    files["monthly-two-tags.json"] = answer([("TAG", "env"), ("TAG", "owner")], [
        period("2023-01-01", "2023-02-01", [
            group(["env$prod", "owner$alice"], metrics("5")),
            group(["env$prod", "owner$"], metrics("6")),
        ])])

    # DAILY, REGION x USAGE_TYPE -> region, usageType; LINKED_ACCOUNT second elsewhere.
    files["daily-region-usagetype.json"] = answer(
        [("DIMENSION", "REGION"), ("DIMENSION", "USAGE_TYPE")], [
            period("2023-02-01", "2023-02-02", [
                group(["us-east-1", "USE1-BoxUsage:t3.micro"], metrics("0.2496", usage="24")),
                group(["NoRegion", "Tax"], metrics("0.01")),
            ], estimated=None)])
    files["daily-tag-account.json"] = answer(
        [("TAG", "team"), ("DIMENSION", "LINKED_ACCOUNT")], [
            period("2023-02-01", "2023-02-02", [
                group(["team$web", "111111111111"], metrics("1")),
                group(["team$web", "444444444444"], metrics("2")),
            ])], [("111111111111", "prod-web")])

    # Ungrouped: Total is the row; one period without Estimated; metrics in odd order.
    files["daily-ungrouped.json"] = answer(None, [
        period("2023-01-27", "2023-01-28",
               total={"UnblendedCost": usd("10.5"), "BlendedCost": usd("10.4"),
                      "AmortizedCost": usd("-0.0000001")}),
        period("2023-01-28", "2023-01-29", total={"UnblendedCost": usd("0"),
                                                  "BlendedCost": usd("0"),
                                                  "AmortizedCost": usd("0")}, estimated=None),
        period("2023-01-29", "2023-01-30", total={"UnblendedCost": usd("1"),
                                                  "BlendedCost": usd("1"),
                                                  "AmortizedCost": usd("1")}, estimated=True),
    ], token="next-page-token-is-ignored")

    # A MONTHLY query over a single day: looks daily unless --granularity says otherwise.
    files["monthly-single-day.json"] = answer([("DIMENSION", "SERVICE")], [
        period("2023-03-15", "2023-03-16", [group(["AWS Lambda"], metrics("3.3"))])])
    return files


def write_dataset(directory):
    paths = []
    for name, a in sorted(dataset().items()):
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8") as f:
            # As `aws ce get-cost-and-usage --output json` prints it.
            f.write(json.dumps(a, indent=4, ensure_ascii=False) + "\n")
        paths.append(path)
    # The same kind of answer compact and ASCII-escaped (\uXXXX, surrogate pairs), as the raw
    # HTTP body may come.
    path = os.path.join(directory, "raw-escaped.json")
    with open(path, "w", encoding="ascii") as f:
        f.write(json.dumps(dataset()["hourly-tag-service.json"], ensure_ascii=True,
                           separators=(",", ":")))
    paths.append(path)
    return paths


def run(command):
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (command[0], done.returncode,
                                                   done.stderr.decode("utf-8", "replace")))
    return done.stdout


def reference(*args):
    return run([sys.executable, REFERENCE] + list(args))


def events(output):
    return [json.loads(line) for line in output.decode("utf-8").split("\n") if line]


class ReferenceTest(unittest.TestCase):
    """The reference's own output, checked against docs/events.md."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.paths = write_dataset(cls.tmp.name)
        cls.output = reference(*cls.paths)
        cls.events = events(cls.output)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def by_file(self, name):
        return events(reference(os.path.join(self.tmp.name, name)))

    def test_lines_are_compact_utf8_events(self):
        self.assertTrue(self.output.endswith(b"\n"))
        for line in self.output.split(b"\n")[:-1]:
            event = json.loads(line)
            attributes = ["specversion", "id", "source", "type", "datacontenttype", "time"]
            if "partitionkey" in event:
                attributes.append("partitionkey")
            self.assertEqual(list(event), attributes + ["data"])
            self.assertEqual(event["specversion"], "1.0")
            self.assertRegex(event["id"], ID_RE)
            self.assertRegex(event["time"], TIME_RE)
            self.assertEqual(event["source"], "cloud.amazon.billing")
            self.assertEqual(event["datacontenttype"], "application/json")
            self.assertNotIn(b"\\u00e9", line)  # non-ASCII stays UTF-8
        for text in ['"Control\\u0001\\u0002\\u001f chars \\b\\f\\n\\r\\t end"',
                     '"Back\\\\slash \\\\\\\\ and \\\\u0041 literally"',
                     '"DEL\x7f NEL\x85 LS\u2028 PS\u2029"', '"Slash/Separated </script>"',
                     '"Non-ASCII \u00dcberwachung \u2013 \u30c7\u30fc\u30bf \U0001f680"']:
            self.assertTrue(text.encode("utf-8") in self.output, text)

    def test_doc_example(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "example.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(answer([("DIMENSION", "SERVICE")], [period("2023-01-27", "2023-01-28", [
                    group(["Amazon Relational Database Service"],
                          {"AmortizedCost": usd("0.2672917174")})])]), f)
            line = reference(path)
        fields = (b"20:cloud.amazon.billing,20:amazon.billing.daily,10:2023-01-27,9:DIMENSION,"
                  b"7:SERVICE,34:Amazon Relational Database Service,13:AmortizedCost,"
                  b"12:0.2672917174,3:USD,")
        expected_id = hashlib.sha256(fields).hexdigest()[:32]
        self.assertEqual(expected_id, "9d6d25ec85e586199c0949b41d55c9b9")
        self.assertEqual(line.decode(), (
            '{"specversion":"1.0","id":"%s","source":"cloud.amazon.billing",'
            '"type":"amazon.billing.daily","datacontenttype":"application/json",'
            '"time":"2023-01-27T00:00:00Z","partitionkey":"Amazon Relational Database Service",'
            '"data":{"date":"2023-01-27",'
            '"service":"Amazon Relational Database Service","estimated":false,'
            '"amortizedCost":{"amount":"0.2672917174","unit":"USD"}}}\n') % expected_id)

    def test_ids_are_unique_here(self):
        ids = [e["id"] for e in self.events]
        # raw-escaped.json repeats hourly-tag-service.json: exactly those ids repeat.
        hourly = [e["id"] for e in self.by_file("hourly-tag-service.json")]
        self.assertEqual(len(set(ids)), len(ids) - len(hourly))

    def test_changed_amount_changes_id_estimated_does_not(self):
        base = dataset()["monthly-two-tags.json"]
        with tempfile.TemporaryDirectory() as d:
            def convert(a):
                path = os.path.join(d, "a.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(a, f)
                return events(reference(path))
            before = convert(base)
            base["ResultsByTime"][0]["Groups"][0]["Metrics"]["AmortizedCost"]["Amount"] = "5.0"
            base["ResultsByTime"][0]["Estimated"] = True
            after = convert(base)
        self.assertNotEqual(before[0]["id"], after[0]["id"])
        self.assertEqual(before[1]["id"], after[1]["id"])
        self.assertEqual((before[1]["data"]["estimated"], after[1]["data"]["estimated"]),
                         (False, True))

    def test_data_members(self):
        daily = self.by_file("daily-service-account.json")
        self.assertEqual(len(daily), 3 * 9 * 3)
        e = daily[0]["data"]
        self.assertEqual(list(e), ["date", "service", "account", "accountName", "estimated",
                                   "amortizedCost", "unblendedCost"])
        self.assertEqual(e["accountName"], "prod-web")
        names = {d["data"]["account"]: d["data"].get("accountName") for d in daily}
        self.assertEqual(names["333333333333"], None)
        self.assertEqual(names["222222222222"], 'Zo\u00eb\'s "sandbox"\\x')
        self.assertEqual([d["data"]["estimated"] for d in daily[::27]], [False, False, True])
        self.assertIn("usageQuantity", daily[3]["data"])

        hourly = self.by_file("hourly-tag-service.json")
        self.assertEqual(hourly[0]["type"], "amazon.billing.hourly")
        self.assertEqual(hourly[0]["data"]["start"], "2023-01-27T22:00:00Z")
        self.assertEqual(hourly[0]["time"], "2023-01-27T22:00:00Z")
        self.assertEqual(list(hourly[0]["data"])[:3], ["start", "tags", "service"])
        self.assertEqual([h["data"]["tags"]["team"] for h in hourly[:4]],
                         ["web", "", "data \u00e9quipe", "a$b"])

        monthly = self.by_file("monthly-costcategory-tag.json")
        self.assertEqual({m["type"] for m in monthly}, {"amazon.billing.monthly"})
        self.assertEqual(monthly[0]["data"]["costCategories"], {"Cost Center": "Engineering"})
        self.assertEqual(monthly[1]["data"]["costCategories"], {"Cost Center": ""})
        self.assertEqual(monthly[-1]["data"]["date"], "2023-03-01")
        self.assertEqual(monthly[-1]["data"]["estimated"], True)

        two = self.by_file("monthly-two-tags.json")
        self.assertEqual(two[0]["data"]["tags"], {"env": "prod", "owner": "alice"})
        self.assertEqual(two[1]["data"]["tags"], {"env": "prod", "owner": ""})

        region = self.by_file("daily-region-usagetype.json")
        self.assertEqual(list(region[0]["data"])[:3], ["date", "region", "usageType"])
        self.assertEqual(region[0]["data"]["estimated"], False)

        tag_account = self.by_file("daily-tag-account.json")
        self.assertEqual(list(tag_account[0]["data"])[:4],
                         ["date", "tags", "account", "accountName"])
        self.assertNotIn("accountName", tag_account[1]["data"])

        ungrouped = self.by_file("daily-ungrouped.json")
        self.assertEqual(len(ungrouped), 3)
        self.assertEqual(list(ungrouped[0]["data"]),
                         ["date", "estimated", "unblendedCost", "blendedCost", "amortizedCost"])
        self.assertEqual(ungrouped[0]["data"]["amortizedCost"]["amount"], "-0.0000001")

    def test_granularity_and_source_flags(self):
        path = os.path.join(self.tmp.name, "monthly-single-day.json")
        self.assertEqual(events(reference(path))[0]["type"], "amazon.billing.daily")
        forced = events(reference("--granularity", "MONTHLY", "--source", "urn:x:y", path))[0]
        self.assertEqual(forced["type"], "amazon.billing.monthly")
        self.assertEqual(forced["source"], "urn:x:y")
        self.assertNotEqual(forced["id"], events(reference(path))[0]["id"])


@unittest.skipUnless(COSTWATCH, "COSTWATCH_BIN is not set")
class CostwatchMatchesReferenceTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.paths = write_dataset(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertSameOutput(self, *args):
        expected = reference(*args)
        actual = run([COSTWATCH, "convert"] + list(args))
        if actual != expected:
            a, e = actual.split(b"\n"), expected.split(b"\n")
            for n, (x, y) in enumerate(zip(a, e), 1):
                if x != y:
                    self.fail("line %d differs\ncostwatch: %s\nreference: %s"
                              % (n, x.decode("utf-8", "replace"), y.decode("utf-8", "replace")))
            self.fail("costwatch wrote %d lines, the reference %d" % (len(a) - 1, len(e) - 1))
        return actual

    def test_each_file(self):
        for path in self.paths:
            with self.subTest(file=os.path.basename(path)):
                self.assertSameOutput(path)

    def test_all_files_at_once(self):
        output = self.assertSameOutput(*self.paths)
        self.assertGreater(output.count(b"\n"), 100)

    def test_flags(self):
        single = os.path.join(self.tmp.name, "monthly-single-day.json")
        self.assertSameOutput("--granularity", "MONTHLY", single)
        self.assertSameOutput("--source", "urn:example:billing", *self.paths)
        self.assertSameOutput("--granularity", "DAILY", "--source", "https://example.com/b?x=\"1\"",
                              os.path.join(self.tmp.name, "daily-service-account.json"))

    def test_same_ids_across_runs(self):
        first = run([COSTWATCH, "convert"] + self.paths)
        second = run([COSTWATCH, "convert"] + self.paths)
        self.assertEqual(first, second)
        for event in events(first):
            self.assertRegex(event["id"], ID_RE)
            self.assertRegex(event["time"], TIME_RE)


if __name__ == "__main__":
    unittest.main()
