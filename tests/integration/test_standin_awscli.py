"""The Cost Explorer stand-in answers the real AWS CLI correctly.

The AWS CLI (Debian's v2, with its own botocore) is an independent client: if it signs,
sends, retries and parses against the stand-in like against AWS, our own C++ client can
trust the stand-in as a test double. Correctness is proven against ground truth computed
here directly from the dataset module's line items -- not through the stand-in's HTTP
layer or query engine -- with amounts compared as exact strings.

Also covers, without the CLI (fast raw HTTP): expired signatures, missing authentication,
unknown operations and the malformed/truncated/cut/status faults.
"""

from __future__ import annotations

import datetime as dt
import decimal
import http.client
import json
import os
import subprocess
import unittest
from decimal import Decimal
from unittest import mock

from standin import (DEMO_ACCESS_KEY, DEMO_SECRET_KEY, DENIED_ACCESS_KEY, StandIn, aws_env,
                     standin_module)

AWS_CLI = "/usr/bin/aws"
TODAY = dt.date(2024, 3, 2)  # leap-year February; the last 3 days straddle a month boundary
SEED = 7
PAGE_SIZE = 500
# Estimated: the open month (from 2024-03-01) and the last three days (from 2024-02-29).
ESTIMATED_FROM = dt.date(2024, 2, 29)
COST_METRICS = {"AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost",
                "UnblendedCost"}
ODD_SERVICES = ['Amazon Kinesis "Data" Firehose', "Backslash\\Service",
                "Überwachung – Ägypten 東京"]

dataset_module = standin_module("dataset")


# --------------------------------------------------------------------------- ground truth

def fmt(amount: Decimal) -> str:
    """CE amount text: plain decimal, no trailing zeros, "0" for zero."""
    if amount == 0:
        return "0"
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def reference_periods(start: dt.datetime, end: dt.datetime, granularity: str) -> list:
    step = {"HOURLY": dt.timedelta(hours=1), "DAILY": dt.timedelta(days=1)}.get(granularity)
    result, cursor = [], start
    while cursor < end:
        if step is None:  # MONTHLY: up to the 1st of the next month
            month = cursor.replace(day=1, hour=0) + dt.timedelta(days=32)
            boundary = month.replace(day=1)
        else:
            boundary = cursor + step
        result.append((cursor, min(boundary, end)))
        cursor = boundary
    return result


def reference(data, start: str, end: str, granularity: str, metrics: list, group_by=(),
              keep=lambda item: True) -> dict:
    """{(Start, End): {"Estimated", "Total", "Groups": {keys: metrics}}} from line items."""
    def parse(text):
        if "T" in text:
            return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
        return dt.datetime.strptime(text, "%Y-%m-%d")

    def label(moment):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if granularity == "HOURLY" else "%Y-%m-%d")

    def key_of(item):
        keys = []
        for kind, key in group_by:
            if kind == "DIMENSION":
                keys.append(item.dims[key])
            elif kind == "TAG":
                keys.append(key + "$" + item.tags.get(key, ""))
            else:
                keys.append(key + "$" + item.cost_categories.get(key, ""))
        return tuple(keys)

    result = {}
    for p_start, p_end in reference_periods(parse(start), parse(end), granularity):
        days = [p_start.date() + dt.timedelta(days=n)
                for n in range(max(1, (p_end - p_start).days))]
        if granularity == "HOURLY":
            items = [i for i in data.hourly_items(p_start.date())
                     if i.start.replace(tzinfo=None) == p_start]
        else:
            items = [i for day in days for i in data.daily_items(day)]
        sums, units = {}, {}
        for item in filter(keep, items):
            key = key_of(item)
            bucket = sums.setdefault(key, {m: Decimal(0) for m in metrics})
            for metric in metrics:
                bucket[metric] += item.metrics[metric]
            units.setdefault(key, set()).add(item.unit)

        def values(key):
            bucket = sums.get(key, {m: Decimal(0) for m in metrics})
            out = {}
            for metric in metrics:
                if metric in COST_METRICS:
                    unit = "USD"
                elif metric == "UsageQuantity" and len(units.get(key, ())) == 1:
                    unit = next(iter(units[key]))
                else:
                    unit = "N/A"
                out[metric] = {"Amount": fmt(bucket[metric]), "Unit": unit}
            return out

        result[(label(p_start), label(p_end))] = {
            "Estimated": any(day >= ESTIMATED_FROM for day in days),
            "Total": {} if group_by else values(()),
            "Groups": {key: values(key) for key in sums} if group_by else {},
        }
    return result


def merge_pages(test: unittest.TestCase, pages: list) -> dict:
    """Join CLI pages into the reference() shape; a period may continue on the next page."""
    merged = {}
    for page in pages:
        for entry in page["ResultsByTime"]:
            period = (entry["TimePeriod"]["Start"], entry["TimePeriod"]["End"])
            target = merged.setdefault(period, {"Estimated": entry["Estimated"],
                                                "Total": entry["Total"], "Groups": {}})
            test.assertEqual(target["Estimated"], entry["Estimated"], period)
            test.assertEqual(target["Total"], entry["Total"], period)
            for group in entry["Groups"]:
                keys = tuple(group["Keys"])
                test.assertNotIn(keys, target["Groups"], f"group {keys} twice in {period}")
                target["Groups"][keys] = group["Metrics"]
    return merged


def reference_forecast(data, start: str, end: str, granularity: str, metric: str,
                       level: int = 80, keep=lambda item: True) -> dict:
    """GetCostForecast's answer as the stand-in's README defines it, from line items: the
    metric over the 28 days before TODAY, times days/28 per period, bounds +-level/400."""
    exact = decimal.Context(prec=38, rounding=decimal.ROUND_HALF_EVEN)
    ten_digits = Decimal("1E-10")
    history = sum((item.metrics[metric] for back in range(1, 29)
                   for item in data.daily_items(TODAY - dt.timedelta(days=back))
                   if keep(item)), Decimal(0))
    results, total = [], Decimal(0)
    for p_start, p_end in reference_periods(dt.datetime.fromisoformat(start),
                                            dt.datetime.fromisoformat(end), granularity):
        days = (p_end - p_start).days
        mean = (history * days / 28).quantize(ten_digits, context=exact)
        spread = Decimal(level) / 400
        bounds = sorted(exact.multiply(mean, 1 + sign * spread).quantize(ten_digits, context=exact)
                        for sign in (-1, 1))
        total += mean
        results.append({"TimePeriod": {"Start": p_start.date().isoformat(),
                                       "End": p_end.date().isoformat()},
                        "MeanValue": fmt(mean), "PredictionIntervalLowerBound": fmt(bounds[0]),
                        "PredictionIntervalUpperBound": fmt(bounds[1])})
    return {"Total": {"Amount": fmt(total), "Unit": "USD"}, "ForecastResultsByTime": results}


# --------------------------------------------------------------------------- the tests

@unittest.skipUnless(os.access(AWS_CLI, os.X_OK), f"{AWS_CLI} (Debian's AWS CLI v2) missing")
class StandInAwsCliTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn(today=TODAY.isoformat(), seed=SEED, page_size=PAGE_SIZE).start()
        cls.data = dataset_module.Dataset(seed=SEED, today=TODAY)
        cls.env = aws_env()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()

    # --- helpers -------------------------------------------------------------------------

    def aws(self, *args, env=None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [AWS_CLI, "ce", *args, "--endpoint-url", self.standin.url, "--output", "json"],
            env=env or self.env, capture_output=True, text=True, encoding="utf-8",
            timeout=60)

    def aws_json(self, *args) -> dict:
        done = self.aws(*args)
        self.assertEqual(done.returncode, 0, f"aws failed: {done.stderr}\n{self.standin.log()}")
        return json.loads(done.stdout)

    def all_pages(self, *args) -> list:
        pages = [self.aws_json(*args)]
        while "NextPageToken" in pages[-1]:
            self.assertLess(len(pages), 20, "runaway pagination")
            pages.append(self.aws_json(*args, "--next-page-token", pages[-1]["NextPageToken"]))
        return pages

    def assert_matches(self, merged: dict, expected: dict) -> None:
        """Compare period by period so a failure names the first differing period/group."""
        self.assertEqual(list(merged), list(expected), "periods differ")
        for period, want in expected.items():
            got = merged[period]
            self.assertEqual(got["Estimated"], want["Estimated"], f"Estimated of {period}")
            self.assertEqual(got["Total"], want["Total"], f"Total of {period}")
            self.assertEqual(sorted(got["Groups"]), sorted(want["Groups"]),
                             f"group keys of {period}")
            for keys, metrics in want["Groups"].items():
                self.assertEqual(got["Groups"][keys], metrics, f"{keys} in {period}")

    def assert_cli_error(self, done, code: str, text: str,
                         operation: str = "GetCostAndUsage") -> None:
        self.assertIn(done.returncode, (254, 255), done.stderr)
        self.assertIn(f"An error occurred ({code}) when calling the {operation} "
                      f"operation: {text}", done.stderr)

    # --- correct answers -----------------------------------------------------------------

    def test_daily_by_service_paginated(self):
        args = ["get-cost-and-usage", "--time-period", "Start=2024-02-01,End=2024-03-02",
                "--granularity", "DAILY", "--metrics", "AmortizedCost", "UnblendedCost",
                "--group-by", "Type=DIMENSION,Key=SERVICE"]
        pages = self.all_pages(*args)
        # CE has no paginator for GetCostAndUsage in this CLI's model: one page per call.
        self.assertGreaterEqual(len(pages), 3)
        for page in pages:
            self.assertEqual(page["GroupDefinitions"], [{"Type": "DIMENSION", "Key": "SERVICE"}])
            self.assertEqual(page["DimensionValueAttributes"], [])
            self.assertLessEqual(sum(len(r["Groups"]) for r in page["ResultsByTime"]), PAGE_SIZE)
        self.assertNotIn("NextPageToken", pages[-1])
        self.assert_matches(merge_pages(self, pages), reference(
            self.data, "2024-02-01", "2024-03-02", "DAILY", ["AmortizedCost", "UnblendedCost"],
            [("DIMENSION", "SERVICE")]))
        self.assertEqual(self.standin.stats()["requests"], len(pages))

    def test_monthly_by_linked_account(self):
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2023-12-15,End=2024-03-02", "--granularity", "MONTHLY",
                             "--metrics", "NetAmortizedCost", "BlendedCost",
                             "--group-by", "Type=DIMENSION,Key=LINKED_ACCOUNT")
        self.assertNotIn("NextPageToken", page)
        expected = reference(self.data, "2023-12-15", "2024-03-02", "MONTHLY",
                             ["NetAmortizedCost", "BlendedCost"], [("DIMENSION", "LINKED_ACCOUNT")])
        self.assertEqual(list(expected), [
            ("2023-12-15", "2024-01-01"), ("2024-01-01", "2024-02-01"),
            ("2024-02-01", "2024-03-01"), ("2024-03-01", "2024-03-02")])
        self.assert_matches(merge_pages(self, [page]), expected)
        self.assertEqual([r["Estimated"] for r in page["ResultsByTime"]],
                         [False, False, True, True])
        names = {a.id: a.name for a in self.data.accounts}
        self.assertEqual(len(names), 20)
        attributes = {a["Value"]: a["Attributes"] for a in page["DimensionValueAttributes"]}
        self.assertEqual(attributes, {i: {"description": n} for i, n in names.items()})
        self.assertTrue(any(i.startswith("0") for i in attributes), "leading-zero account id")

    def test_hourly_ungrouped(self):
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2024-03-01T00:00:00Z,End=2024-03-02T06:00:00Z",
                             "--granularity", "HOURLY", "--metrics", "UnblendedCost",
                             "UsageQuantity")
        self.assertEqual(len(page["ResultsByTime"]), 30)
        self.assertEqual(page["ResultsByTime"][5]["TimePeriod"],
                         {"Start": "2024-03-01T05:00:00Z", "End": "2024-03-01T06:00:00Z"})
        self.assertNotIn("GroupDefinitions", page)
        self.assertTrue(all(r["Groups"] == [] for r in page["ResultsByTime"]))
        self.assert_matches(merge_pages(self, [page]), reference(
            self.data, "2024-03-01T00:00:00Z", "2024-03-02T06:00:00Z", "HOURLY",
            ["UnblendedCost", "UsageQuantity"]))

    def test_two_group_bys_include_credits(self):
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2024-02-14,End=2024-02-17", "--granularity", "DAILY",
                             "--metrics", "NetUnblendedCost", "UsageQuantity",
                             "--group-by", "Type=DIMENSION,Key=LINKED_ACCOUNT",
                             "Type=DIMENSION,Key=RECORD_TYPE")
        self.assert_matches(merge_pages(self, [page]), reference(
            self.data, "2024-02-14", "2024-02-17", "DAILY", ["NetUnblendedCost", "UsageQuantity"],
            [("DIMENSION", "LINKED_ACCOUNT"), ("DIMENSION", "RECORD_TYPE")]))
        amounts = [g["Metrics"]["NetUnblendedCost"]["Amount"]
                   for r in page["ResultsByTime"] for g in r["Groups"]]
        self.assertIn("-1.5", amounts)  # the refund on the 15th
        self.assertTrue(any(a.startswith("-") and a != "-1.5" for a in amounts), "credits")
        self.assertTrue(all(r["Total"] == {} for r in page["ResultsByTime"]))

    def test_filter_with_odd_service_names(self):
        expression = {"And": [
            {"Dimensions": {"Key": "SERVICE", "MatchOptions": ["EQUALS"],
                            "Values": ["Amazon Elastic Compute Cloud - Compute"] + ODD_SERVICES}},
            {"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit", "Refund"]}}}]}
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2024-01-01,End=2024-03-01", "--granularity", "MONTHLY",
                             "--metrics", "UnblendedCost", "UsageQuantity", "--group-by",
                             "Type=DIMENSION,Key=SERVICE", "--filter",
                             json.dumps(expression, ensure_ascii=False))
        wanted = {"Amazon Elastic Compute Cloud - Compute", *ODD_SERVICES}
        expected = reference(
            self.data, "2024-01-01", "2024-03-01", "MONTHLY", ["UnblendedCost", "UsageQuantity"],
            [("DIMENSION", "SERVICE")],
            keep=lambda i: i.dims["SERVICE"] in wanted
            and i.dims["RECORD_TYPE"] not in ("Credit", "Refund"))
        self.assert_matches(merge_pages(self, [page]), expected)
        seen = {g["Keys"][0] for r in page["ResultsByTime"] for g in r["Groups"]}
        self.assertEqual(seen, wanted, "the odd names must all occur in this seed's data")

    def test_group_by_tag_includes_untagged(self):
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2024-02-01,End=2024-03-02", "--granularity", "MONTHLY",
                             "--metrics", "UnblendedCost", "NormalizedUsageAmount",
                             "--group-by", "Type=TAG,Key=team")
        self.assert_matches(merge_pages(self, [page]), reference(
            self.data, "2024-02-01", "2024-03-02", "MONTHLY",
            ["UnblendedCost", "NormalizedUsageAmount"], [("TAG", "team")]))
        keys = {g["Keys"][0] for g in page["ResultsByTime"][0]["Groups"]}
        self.assertIn("team$", keys)
        self.assertIn("team$web", keys)

    # --- errors and retries --------------------------------------------------------------

    def test_wrong_secret_is_invalid_signature(self):
        done = self.aws("get-cost-and-usage", "--time-period", "Start=2024-02-01,End=2024-02-02",
                        "--granularity", "DAILY", "--metrics", "UnblendedCost",
                        env=aws_env(DEMO_ACCESS_KEY, "not-the-secret"))
        self.assert_cli_error(done, "InvalidSignatureException",
                              "The request signature we calculated does not match the "
                              "signature you provided.")

    def test_unknown_key_is_unrecognized_client(self):
        done = self.aws("get-cost-and-usage", "--time-period", "Start=2024-02-01,End=2024-02-02",
                        "--granularity", "DAILY", "--metrics", "UnblendedCost",
                        env=aws_env("AKIDUNKNOWN", DEMO_SECRET_KEY))
        self.assert_cli_error(done, "UnrecognizedClientException",
                              "The security token included in the request is invalid.")

    def test_denied_key_is_access_denied(self):
        done = self.aws("get-cost-and-usage", "--time-period", "Start=2024-02-01,End=2024-02-02",
                        "--granularity", "DAILY", "--metrics", "UnblendedCost",
                        env=aws_env(DENIED_ACCESS_KEY, DEMO_SECRET_KEY))
        self.assert_cli_error(done, "AccessDeniedException", "User: arn:aws:iam::")
        self.assertIn("is not authorized to perform: ce:GetCostAndUsage", done.stderr)

    def test_hourly_older_than_14_days_is_rejected(self):
        done = self.aws("get-cost-and-usage", "--time-period",
                        "Start=2024-02-17T00:00:00Z,End=2024-02-18T00:00:00Z",
                        "--granularity", "HOURLY", "--metrics", "UnblendedCost")
        self.assert_cli_error(done, "ValidationException", "Hourly granularity is only "
                              "available for the last 14 days")

    def test_throttling_is_retried_by_the_cli(self):
        self.standin.inject([{"kind": "throttle", "count": 2}])
        page = self.aws_json("get-cost-and-usage", "--time-period",
                             "Start=2024-02-01,End=2024-02-03", "--granularity", "DAILY",
                             "--metrics", "UnblendedCost")
        self.assert_matches(merge_pages(self, [page]), reference(
            self.data, "2024-02-01", "2024-02-03", "DAILY", ["UnblendedCost"]))
        stats = self.standin.stats()
        self.assertEqual(stats["requests"], 3)
        self.assertEqual(stats["by_operation"], {"GetCostAndUsage": 3})
        self.assertEqual(stats["by_status"], {"400": 2, "200": 1})
        self.assertEqual(stats["faults_pending"], [])

    def test_invalid_page_token(self):
        done = self.aws("get-cost-and-usage", "--time-period", "Start=2024-02-01,End=2024-02-02",
                        "--granularity", "DAILY", "--metrics", "UnblendedCost",
                        "--next-page-token", "bogus")
        self.assert_cli_error(done, "InvalidNextTokenException", "The pagination token is invalid.")


    # --- GetCostForecast -----------------------------------------------------------------

    def test_forecast_monthly_to_the_end_of_the_quarter(self):
        answer = self.aws_json("get-cost-forecast", "--time-period",
                               "Start=2024-03-02,End=2024-07-01", "--granularity", "MONTHLY",
                               "--metric", "UNBLENDED_COST",
                               "--prediction-interval-level", "90")
        expected = reference_forecast(self.data, "2024-03-02", "2024-07-01", "MONTHLY",
                                      "UnblendedCost", level=90)
        self.assertEqual([r["TimePeriod"] for r in expected["ForecastResultsByTime"]], [
            {"Start": "2024-03-02", "End": "2024-04-01"},
            {"Start": "2024-04-01", "End": "2024-05-01"},
            {"Start": "2024-05-01", "End": "2024-06-01"},
            {"Start": "2024-06-01", "End": "2024-07-01"}])
        self.assertEqual(answer, expected)
        self.assertEqual(self.standin.stats()["by_operation"], {"GetCostForecast": 1})

    def test_forecast_daily_filtered_default_level(self):
        expression = {"Dimensions": {"Key": "SERVICE", "Values": ["AWS Lambda", "Tax"]}}
        answer = self.aws_json("get-cost-forecast", "--time-period",
                               "Start=2024-03-05,End=2024-03-08", "--granularity", "DAILY",
                               "--metric", "NET_AMORTIZED_COST",
                               "--filter", json.dumps(expression))
        self.assertEqual(answer, reference_forecast(
            self.data, "2024-03-05", "2024-03-08", "DAILY", "NetAmortizedCost",
            keep=lambda i: i.dims["SERVICE"] in ("AWS Lambda", "Tax")))
        self.assertEqual(len(answer["ForecastResultsByTime"]), 3)

    def test_forecast_refuses_a_start_in_the_past(self):
        done = self.aws("get-cost-forecast", "--time-period", "Start=2024-03-01,End=2024-04-01",
                        "--granularity", "MONTHLY", "--metric", "UNBLENDED_COST")
        self.assert_cli_error(done, "ValidationException", "Start date 2024-03-01 must be on "
                              "or after the current date 2024-03-02", "GetCostForecast")

    def test_forecast_refuses_cost_and_usage_metric_names(self):
        done = self.aws("get-cost-forecast", "--time-period", "Start=2024-03-02,End=2024-04-01",
                        "--granularity", "MONTHLY", "--metric", "UnblendedCost")
        self.assert_cli_error(done, "ValidationException", "Metric UnblendedCost is invalid "
                              "for GetCostForecast", "GetCostForecast")

    def test_forecast_without_history_is_data_unavailable(self):
        expression = {"Dimensions": {"Key": "SERVICE", "Values": ["No Such Service"]}}
        done = self.aws("get-cost-forecast", "--time-period", "Start=2024-03-02,End=2024-04-01",
                        "--granularity", "MONTHLY", "--metric", "UNBLENDED_COST",
                        "--filter", json.dumps(expression))
        self.assert_cli_error(done, "DataUnavailableException", "Insufficient amount of "
                              "historical data to generate forecast.", "GetCostForecast")


class DatasetTest(unittest.TestCase):
    """Properties of the generated data the stand-in's answers rely on."""

    def test_shape_and_determinism(self):
        data = dataset_module.Dataset(seed=SEED, today=TODAY)
        again = dataset_module.Dataset(seed=SEED, today=TODAY)
        day = dt.date(2024, 1, 5)
        self.assertEqual(data.daily_items(day), again.daily_items(day))
        self.assertEqual(data.history_start, dt.date(2023, 2, 1))
        self.assertEqual(data.daily_items(data.history_start - dt.timedelta(days=1)), ())
        self.assertEqual(data.daily_items(TODAY + dt.timedelta(days=1)), ())
        services = {i.dims["SERVICE"] for d in range(28)
                    for i in data.daily_items(dt.date(2024, 2, 1) + dt.timedelta(days=d))}
        self.assertGreaterEqual(len(services), 45)
        self.assertIn("Tax", services)
        self.assertEqual(len(data.accounts), 20)
        self.assertTrue(all(len(a.id) == 12 and a.id.isdigit() for a in data.accounts))

    def test_hours_sum_to_days(self):
        data = dataset_module.Dataset(seed=SEED, today=TODAY)
        day = dt.date(2024, 2, 20)
        for metric in ("UnblendedCost", "UsageQuantity", "NetAmortizedCost"):
            daily = sum((i.metrics[metric] for i in data.daily_items(day)), Decimal(0))
            hourly = sum((i.metrics[metric] for i in data.hourly_items(day)), Decimal(0))
            self.assertEqual(daily, hourly, metric)
        self.assertEqual(data.hourly_items(dt.date(2024, 2, 17)), ())  # older than 14 days
        self.assertEqual(len({i.start for i in data.hourly_items(dt.date(2024, 2, 18))}), 24)


class ForecastEngineTest(unittest.TestCase):
    """GetCostForecast rules checked on the query engine directly (no server, no CLI)."""

    REQUEST = {"TimePeriod": {"Start": "2024-03-02", "End": "2024-04-01"},
               "Granularity": "MONTHLY", "Metric": "UNBLENDED_COST"}

    def engine(self, **kwargs):
        data = dataset_module.Dataset(seed=SEED, today=TODAY, **kwargs)
        return standin_module("query").CostExplorer(data)

    def error_of(self, request, **kwargs) -> tuple:
        errors = standin_module("errors")
        try:
            self.engine(**kwargs).get_cost_forecast(request)
        except errors.ApiError as error:
            return error.code, error.message
        return None

    def test_short_history_is_data_unavailable(self):
        self.assertEqual(self.error_of(self.REQUEST, history_start=dt.date(2024, 2, 5))[0],
                         "DataUnavailableException")
        # 28 complete days before today: 2024-02-03 .. 2024-03-01.
        answer = self.engine(history_start=dt.date(2024, 2, 3)).get_cost_forecast(self.REQUEST)
        self.assertEqual(answer["Total"]["Unit"], "USD")

    def test_validation(self):
        def check(change, text):
            error = self.error_of(dict(self.REQUEST, **change))
            self.assertIsNotNone(error, change)
            self.assertEqual(error[0], "ValidationException", change)
            self.assertIn(text, error[1])

        check({"PredictionIntervalLevel": 50}, "from 51 to 99")
        check({"PredictionIntervalLevel": 100}, "from 51 to 99")
        check({"Granularity": "HOURLY"}, "Valid values are: DAILY, MONTHLY")
        check({"Metric": "USAGE_QUANTITY"}, "Valid values are: AMORTIZED_COST")
        check({"TimePeriod": {"Start": "2024-03-05", "End": "2024-03-05"}}, "before end date")
        check({"Granularity": "DAILY", "TimePeriod": {"Start": "2024-03-02",
                                                       "End": "2024-06-03"}}, "at most 92 days")
        check({"TimePeriod": {"Start": "2024-03-02", "End": "2025-03-04"}}, "at most 366 days")
        self.assertIsNone(self.error_of(dict(self.REQUEST, TimePeriod={
            "Start": "2024-03-02", "End": "2025-03-02"})))

    def test_amounts_are_exact(self):
        answer = self.engine().get_cost_forecast(dict(self.REQUEST, Granularity="DAILY"))
        means = [Decimal(r["MeanValue"]) for r in answer["ForecastResultsByTime"]]
        self.assertEqual(len(means), 30)
        self.assertEqual(Decimal(answer["Total"]["Amount"]), sum(means, Decimal(0)))
        self.assertEqual(len(set(means)), 1)  # every day gets the same mean daily cost


class StandInProtocolTest(unittest.TestCase):
    """Raw HTTP checks (no CLI start-up cost): auth edge cases and every fault kind."""

    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn(today=TODAY.isoformat(), seed=SEED).start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()

    def post(self, document, *, target="AWSInsightsIndexService.GetCostAndUsage", sign=True,
             when=None, secret=DEMO_SECRET_KEY):
        """Send one CE request signed by botocore; returns (status, headers, raw body) or
        raises the connection error."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        body = json.dumps(document).encode()
        request = AWSRequest("POST", self.standin.url + "/", data=body, headers={
            "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target})
        if sign:
            signer = SigV4Auth(Credentials(DEMO_ACCESS_KEY, secret), "ce", "us-east-1")
            if when is None:
                signer.add_auth(request)
            else:
                with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                    signer.add_auth(request)
        connection = http.client.HTTPConnection("127.0.0.1", self.standin.port, timeout=10)
        try:
            connection.request("POST", "/", body=body, headers=dict(request.headers.items()))
            response = connection.getresponse()
            return response.status, response, response.read()
        finally:
            connection.close()

    QUERY = {"TimePeriod": {"Start": "2024-02-01", "End": "2024-02-02"}, "Granularity": "DAILY",
             "Metrics": ["UnblendedCost"]}

    def assert_error(self, result, status, code, message_key="Message", text=""):
        got_status, response, body = result
        self.assertEqual(got_status, status, body)
        document = json.loads(body)
        self.assertEqual(document["__type"], code)
        self.assertIn(text, document[message_key])
        self.assertEqual(response.getheader("Content-Type"), "application/x-amz-json-1.1")
        self.assertTrue(response.getheader("x-amzn-RequestId"))
        self.assertTrue(response.getheader("x-amzn-ErrorType").startswith(code + ":"))

    def test_ok_and_headers(self):
        status, response, body = self.post(self.QUERY)
        self.assertEqual(status, 200, body)
        self.assertEqual(response.getheader("Content-Type"), "application/x-amz-json-1.1")
        self.assertTrue(response.getheader("x-amzn-RequestId"))
        self.assertIn("ResultsByTime", json.loads(body))

    def test_expired_and_future_signatures(self):
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.assert_error(self.post(self.QUERY, when=now - dt.timedelta(minutes=20)), 400,
                          "InvalidSignatureException", "message", "Signature expired: ")
        self.assert_error(self.post(self.QUERY, when=now + dt.timedelta(minutes=20)), 400,
                          "InvalidSignatureException", "message", "Signature not yet current")
        status, _, _ = self.post(self.QUERY, when=now - dt.timedelta(minutes=10))
        self.assertEqual(status, 200)

    def test_missing_authentication(self):
        self.assert_error(self.post(self.QUERY, sign=False), 400,
                          "MissingAuthenticationTokenException", "message")

    def test_unknown_operation(self):
        self.assert_error(self.post({}, target="AWSInsightsIndexService.Frobnicate"), 400,
                          "UnknownOperationException")

    def test_validation_messages(self):
        bad_end = dict(self.QUERY, TimePeriod={"Start": "2024-02-02", "End": "2024-02-01"})
        self.assert_error(self.post(bad_end), 400, "ValidationException", text=(
            "Start date (and hour) should be before end date (and hour)"))
        three = dict(self.QUERY, GroupBy=[{"Type": "DIMENSION", "Key": k}
                                          for k in ("SERVICE", "REGION", "USAGE_TYPE")])
        self.assert_error(self.post(three), 400, "ValidationException", text="up to two")

    def test_request_changed_between_pages(self):
        query = dict(self.QUERY, TimePeriod={"Start": "2024-02-01", "End": "2024-03-01"},
                     GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}])
        status, _, body = self.post(query)
        token = json.loads(body)["NextPageToken"]
        changed = dict(query, Metrics=["BlendedCost"], NextPageToken=token)
        self.assert_error(self.post(changed), 400, "RequestChangedException")

    def test_status_malformed_truncated_and_cut_faults(self):
        self.standin.inject([{"kind": "status", "status": 503},
                             {"kind": "malformed"}, {"kind": "truncated"},
                             {"kind": "cut"}, {"kind": "cut", "when": "mid-body"},
                             {"kind": "error", "code": "DataUnavailableException",
                              "message": "Data is not available yet."}])
        self.assert_error(self.post(self.QUERY), 503, "ServiceUnavailableException")
        status, _, body = self.post(self.QUERY)
        self.assertEqual(status, 200)
        self.assertRaises(ValueError, json.loads, body)
        status, _, body = self.post(self.QUERY)
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b'{"ResultsByTime"'))
        self.assertRaises(ValueError, json.loads, body)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.post(self.QUERY)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.post(self.QUERY)
        self.assert_error(self.post(self.QUERY), 400, "DataUnavailableException")
        status, _, _ = self.post(self.QUERY)
        self.assertEqual(status, 200)
        stats = self.standin.stats()
        self.assertEqual(stats["requests"], 7)
        self.assertEqual(stats["faults_applied"], 6)

    def test_slow_fault_and_operation_filter(self):
        self.standin.inject([{"kind": "slow", "seconds": 0.3, "operation": "GetDimensionValues"},
                             {"kind": "throttle"}])
        self.assert_error(self.post(self.QUERY), 400, "LimitExceededException",
                          text="Rate exceeded")
        self.assertEqual(len(self.standin.stats()["faults_pending"]), 1)
        self.standin.reset()
        self.assertEqual(self.standin.stats()["requests"], 0)
        self.assertEqual(self.standin.stats()["faults_pending"], [])


if __name__ == "__main__":
    unittest.main()
