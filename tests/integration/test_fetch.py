"""costwatch fetch against the Cost Explorer stand-in, checked against the real AWS CLI.

The stand-in verifies every signature with botocore, so a passing fetch proves our SigV4
signing, and `aws ce get-cost-and-usage` answers converted by `costwatch convert` give the
expected events independently of our HTTP client.
"""

import datetime as dt
import json
import os
import stat
import unittest

from costwatch_cli import TempDir, aws_cli_pages, parse_lines, run_costwatch
from standin import DEMO_SECRET_KEY, DENIED_ACCESS_KEY, StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
# Twenty linked accounts fit on one page of the stand-in's 40 groups.
ONE_PAGE = ["--group-by", "LINKED_ACCOUNT"]


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


class FetchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A small page size makes a month of daily rows span several pages.
        cls.standin = StandIn(page_size=40).start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.env = aws_env()

    def fetch(self, *args, env=None):
        return run_costwatch(["fetch", "--endpoint-url", self.standin.url] + list(args),
                             env=env or self.env)

    def assert_matches_aws_cli(self, fetch_args, cli_args):
        """fetch's events equal `costwatch convert` of what the AWS CLI printed."""
        code, out, err = self.fetch(*fetch_args)
        self.assertEqual(code, 0, err)
        with TempDir() as directory:
            pages = aws_cli_pages(self.standin.url, self.env, cli_args, directory)
            code2, converted, err2 = run_costwatch(["convert"] + pages)
        self.assertEqual(code2, 0, err2)
        self.assertEqual(out, converted)
        return parse_lines(out), len(pages)

    def test_defaults_fetch_yesterday_by_service(self):
        code, out, err = self.fetch()
        self.assertEqual(code, 0, err)
        events = parse_lines(out)
        self.assertGreater(len(events), 10)
        for event in events:
            self.assertEqual(event["specversion"], "1.0")
            self.assertEqual(event["source"], "cloud.amazon.billing")
            self.assertEqual(event["type"], "amazon.billing.daily")
            self.assertEqual(event["datacontenttype"], "application/json")
            self.assertEqual(event["time"], day(-1) + "T00:00:00Z")
            self.assertEqual(event["data"]["date"], day(-1))
            self.assertIn("service", event["data"])
            self.assertRegex(event["data"]["amortizedCost"]["amount"], r"^-?\d+(\.\d+)?$")
            self.assertRegex(event["id"], r"^[0-9a-f]{32}$")
        self.assertEqual(len({e["id"] for e in events}), len(events))
        # One paid request per page, and the summary says how many.
        requests = self.standin.stats()["requests"]
        self.assertIn(f"{requests} pages, {requests} paid requests, ${requests / 100:.2f}", err)

    def test_a_month_over_many_pages_equals_the_aws_cli(self):
        events, pages = self.assert_matches_aws_cli(
            ["--start", day(-40), "--end", day(-10), "--metrics", "AmortizedCost,UnblendedCost"],
            ["--time-period", f"Start={day(-40)},End={day(-10)}", "--granularity", "DAILY",
             "--metrics", "AmortizedCost", "UnblendedCost",
             "--group-by", "Type=DIMENSION,Key=SERVICE"])
        self.assertGreater(pages, 2)
        self.assertEqual(len({e["data"]["date"] for e in events}), 30)
        # The AWS CLI opened one connection per run; costwatch one for all its pages.
        self.assertEqual(self.standin.stats()["connections"], pages + 1)
        # Names that need escaping travel intact.
        services = {e["data"]["service"] for e in events}
        self.assertTrue(any('"' in s or "\\" in s for s in services), services)
        self.assertTrue(any(not s.isascii() for s in services), services)
        stats = self.standin.stats()
        self.assertEqual(stats["by_operation"].get("GetCostAndUsage"), 2 * pages)

    def test_two_group_bys_with_a_filter_equal_the_aws_cli(self):
        expression = {"Not": {"Dimensions": {"Key": "SERVICE", "Values": ["Tax"]}}}
        events, _ = self.assert_matches_aws_cli(
            ["--start", day(-3), "--end", day(-1), "--group-by", "LINKED_ACCOUNT,TAG:team",
             "--filter", json.dumps(expression)],
            ["--time-period", f"Start={day(-3)},End={day(-1)}", "--granularity", "DAILY",
             "--metrics", "AmortizedCost", "--group-by", "Type=DIMENSION,Key=LINKED_ACCOUNT",
             "Type=TAG,Key=team", "--filter", json.dumps(expression)])
        self.assertTrue(events)
        for event in events:
            self.assertRegex(event["data"]["account"], r"^\d{12}$")
            self.assertIn("accountName", event["data"])
            self.assertIn("team", event["data"]["tags"])

    def test_monthly_and_hourly_events(self):
        events, _ = self.assert_matches_aws_cli(
            ["--granularity", "MONTHLY", "--start", day(-70), "--end", day(-1)],
            ["--time-period", f"Start={day(-70)},End={day(-1)}", "--granularity", "MONTHLY",
             "--metrics", "AmortizedCost", "--group-by", "Type=DIMENSION,Key=SERVICE"])
        self.assertEqual({e["type"] for e in events}, {"amazon.billing.monthly"})

        code, out, err = self.fetch("--granularity", "HOURLY", "--start", day(-2), "--end",
                                    day(-1), "--no-group-by", "--metrics", "UnblendedCost")
        self.assertEqual(code, 0, err)
        events = parse_lines(out)
        self.assertEqual(len(events), 24)
        self.assertEqual(events[5]["data"]["start"], day(-2) + "T05:00:00Z")
        self.assertEqual(events[5]["type"], "amazon.billing.hourly")
        self.assertNotIn("service", events[5]["data"])

    def test_throttling_and_server_errors_are_retried(self):
        self.standin.inject([{"kind": "throttle", "count": 1}, {"kind": "status", "status": 503,
                                                                "count": 1}])
        code, out, err = self.fetch(*ONE_PAGE)
        self.assertEqual(code, 0, err)
        self.assertTrue(parse_lines(out))
        self.assertEqual(self.standin.stats()["requests"], 3)
        self.assertIn("1 page, 3 paid requests, $0.03", err)

    def test_cut_connections_and_slow_replies_are_retried(self):
        self.standin.inject([{"kind": "cut", "count": 1},
                             {"kind": "slow", "seconds": 3, "count": 1}])
        code, out, err = self.fetch("--timeout", "1", *ONE_PAGE)
        self.assertEqual(code, 0, err)
        self.assertTrue(parse_lines(out))
        self.assertEqual(self.standin.stats()["requests"], 3)

    def test_persistent_throttling_ends_with_the_aws_error(self):
        self.standin.inject({"kind": "throttle", "count": 5})
        code, out, err = self.fetch()
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("GetCostAndUsage failed after 3 attempts: LimitExceededException", err)
        env = dict(self.env, AWS_MAX_ATTEMPTS="1")
        self.standin.reset()
        self.standin.inject({"kind": "throttle", "count": 1})
        code, out, err = self.fetch(env=env)
        self.assertEqual(code, 1)
        self.assertEqual(self.standin.stats()["requests"], 1)

    def test_malformed_and_truncated_answers_print_nothing(self):
        for kind in ("malformed", "truncated"):
            with self.subTest(kind=kind):
                self.standin.reset()
                self.standin.inject({"kind": kind, "count": 1})
                code, out, err = self.fetch()
                self.assertEqual(code, 1)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn("GetCostAndUsage answered with something costwatch cannot read",
                              err)

    def test_a_bad_page_in_the_middle_prints_nothing(self):
        # Page 1 is fine, page 2 is cut short: no event of page 1 may reach stdout.
        self.standin.inject([{"kind": "slow", "seconds": 0, "count": 1},
                             {"kind": "malformed", "count": 1}])
        code, out, err = self.fetch("--start", day(-40), "--end", day(-10))
        self.assertEqual(code, 1, err)
        self.assertEqual(out, "")
        self.assertIn("(page 2)", err)

    def test_aws_errors_are_one_line_and_never_show_the_secret(self):
        cases = [
            (aws_env(access_key=DENIED_ACCESS_KEY), "AccessDeniedException"),
            (aws_env(access_key="AKIDUNKNOWNKEY"), "UnrecognizedClientException"),
            (aws_env(secret_key="wrong/secret/for/the/demo/key"), "InvalidSignatureException"),
        ]
        for env, code_name in cases:
            with self.subTest(code=code_name):
                code, out, err = self.fetch(env=env)
                self.assertEqual(code, 1)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn(f"GetCostAndUsage failed: {code_name}", err)
                self.assertNotIn(env["AWS_SECRET_ACCESS_KEY"], err)
        # Each was refused at once, not retried.
        self.assertEqual(self.standin.stats()["requests"], 3)

    def test_missing_credentials_send_nothing(self):
        env = aws_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        code, out, err = self.fetch(env=env)
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertIn("no AWS credentials found", err)
        self.assertEqual(self.standin.stats()["requests"], 0)

    def test_bad_flags_are_refused_before_a_paid_request(self):
        cases = [
            (["--granularity", "HOURLY", "--start", day(-30), "--end", day(-29)],
             "HOURLY data covers only the last 14 days"),
            (["--start", day(-1), "--end", day(-5)], "must be after --start"),
            (["--metrics", "AmortisedCost"], "did you mean AmortizedCost?"),
            (["--group-by", "SERVICE,LINKED_ACCOUNT,REGION"], "at most two keys"),
            (["--filter", "{\"Dimensions\":"], "--filter is not valid JSON"),
            (["--start", "2023-13-01"], "is not a date"),
            (["--granularity", "WEEKLY"], "granularity must be DAILY, HOURLY or MONTHLY"),
            (["--frobnicate"], "--frobnicate"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                code, out, err = self.fetch(*args)
                self.assertNotEqual(code, 0)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn(message, err)
        env = dict(self.env, AWS_ENDPOINT_URL_COST_EXPLORER="localhost:1")
        code, out, err = run_costwatch(["fetch"], env=env)
        self.assertEqual(code, 2)
        self.assertIn("AWS_ENDPOINT_URL_COST_EXPLORER: invalid URL \"localhost:1\"", err)
        self.assertEqual(self.standin.stats()["requests"], 0)


class CredentialSourcesTest(unittest.TestCase):
    """The same fetch with credentials from each source the foundation supports."""

    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn(
            extra_args=["--credential", "AKIDSESSION:session/secret:the-session-token"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def fetch_ok(self, env, *args):
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url] +
                                       list(args), env=env)
        self.assertEqual(code, 0, err)
        self.assertTrue(parse_lines(out))
        return err

    def base_env(self, directory):
        env = aws_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(directory, "credentials")
        env["AWS_CONFIG_FILE"] = os.path.join(directory, "config")
        return env

    def test_session_token_from_the_environment(self):
        env = aws_env(access_key="AKIDSESSION", secret_key="session/secret",
                      session_token="the-session-token")
        self.fetch_ok(env)
        env["AWS_SESSION_TOKEN"] = "another-token"
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url], env=env)
        self.assertEqual(code, 1)
        self.assertNotIn("session/secret", err)

    def test_profiles_from_the_shared_files(self):
        with TempDir() as directory:
            env = self.base_env(directory)
            with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w") as handle:
                handle.write(f"[billing]\naws_access_key_id = AKIDCOSTWATCHDEMO\n"
                             f"aws_secret_access_key = {DEMO_SECRET_KEY}\n")
            with open(env["AWS_CONFIG_FILE"], "w") as handle:
                handle.write("[profile billing]\nregion = eu-west-1\n")
            self.fetch_ok(env, "--profile", "billing")
            self.fetch_ok(dict(env, AWS_PROFILE="billing"))
            code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url,
                                            "--profile", "nope"], env=env)
            self.assertEqual(code, 1)
            self.assertIn("profile 'nope'", err)

    def test_credential_process(self):
        with TempDir() as directory:
            env = self.base_env(directory)
            script = os.path.join(directory, "creds.sh")
            with open(script, "w") as handle:
                handle.write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": "
                             "\"AKIDSESSION\", \"SecretAccessKey\": \"session/secret\", "
                             "\"SessionToken\": \"the-session-token\"}'\n")
            os.chmod(script, stat.S_IRWXU)
            with open(env["AWS_CONFIG_FILE"], "w") as handle:
                handle.write(f"[default]\ncredential_process = {script}\n")
            self.fetch_ok(env)

    def test_endpoint_from_the_environment(self):
        env = dict(aws_env(), AWS_ENDPOINT_URL_COST_EXPLORER=self.standin.url)
        code, out, err = run_costwatch(["fetch"], env=env)
        self.assertEqual(code, 0, err)
        self.assertTrue(parse_lines(out))


if __name__ == "__main__":
    unittest.main()
