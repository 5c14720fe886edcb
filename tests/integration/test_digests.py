"""Scheduled digests end to end: costwatch backfill pulls from the Cost Explorer stand-in, then
`costwatch run --once` finds the digests' slots passed (00:00 UTC today), computes them from the
state database alone and delivers them to real peers: Slack, Teams and the generic webhook on a
real HTTP server, e-mail to aiosmtpd over STARTTLS with AUTH, amazon.billing.digest events to a
file sink. A second start sends nothing again.

Every figure is recomputed here, independently, from the cost events costwatch archived, with
Python's decimal module; the payloads are checked against the shapes Slack (Block Kit) and
Microsoft (Adaptive Card 1.4) document, the e-mail with Python's email package."""

import datetime as dt
import json
import os
import unittest
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import test_notifiers
from alarm_fixtures import Receiver, archived_events
from costwatch_cli import TempDir, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
BILLS_URL = "https://console.aws.amazon.com/billing/home#/bills"
UTF8_SERVICE = "\u00dcberwachung \u2013 \u00c4gypten \u6771\u4eac"  # a service of the stand-in
PASSWORD = "digest-Smtp-pa55"


def month_start(day, back=0):
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: aws
    metrics: [UnblendedCost]
    group_by: [SERVICE, RECORD_TYPE]
sinks:
  - name: archive
    type: file
    path: {directory}/events.jsonl
    fsync: false
notifiers:
  - name: chat
    type: slack
    webhook_url: {http}/slack
  - name: channel
    type: teams
    webhook_url: {http}/teams
  - name: hook
    type: webhook
    url: {http}/hook
  - name: mail
    type: email
    smtp_url: smtp://127.0.0.1:{smtp_port}
    username: costwatch
    password: ${{SMTP_PASSWORD}}
    ca_file: {cert}
    from: costwatch@example.com
    to: [finance@example.org]
  - name: events
    type: cloudevent
    sinks: [archive]
digests:
  - name: morning
    kind: daily
    at: "00:00"
    top: 5
  - name: week
    kind: weekly
    weekday: {weekday}
    at: "00:00"
    top: 100
    notifiers: [chat, channel, hook, mail, events]
  - name: bill
    kind: monthly
    day: 1
    at: "00:00"
    timezone: UTC
"""


def part(data):
    """How a digest classifies a cost: credits and refunds apart from spend."""
    amount = Decimal(data["unblendedCost"]["amount"])
    record = data.get("recordType", "")
    if record == "Credit" or (record == "" and amount < 0):
        return "credits"
    if record == "Refund":
        return "refunds"
    return "spend"


class Expected:
    """The figures of one period, from the archived daily events."""

    def __init__(self, events, start, end):
        self.net = Decimal(0)
        self.parts = defaultdict(Decimal)
        self.groups = defaultdict(Decimal)
        for data in events:
            day = dt.date.fromisoformat(data["date"])
            if not start <= day < end:
                continue
            amount = Decimal(data["unblendedCost"]["amount"])
            self.net += amount
            self.parts[part(data)] += amount
            if part(data) == "spend":
                self.groups[data["service"]] += amount

    def ranked(self):
        return sorted(self.groups.items(), key=lambda item: (-item[1], item[0]))


class DigestsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._dir = TempDir()
        cls.dir = cls._dir.__enter__()
        cls.cert, cls.key = test_notifiers.make_certificate(cls.dir)
        cls.smtp = test_notifiers.SmtpServer(cls.dir, "starttls", cls.cert, cls.key, "costwatch",
                                             PASSWORD)
        cls.http = Receiver()
        cls.standin = StandIn().start()
        cls.config = os.path.join(cls.dir, "costwatch.yaml")
        base = cls.http.url.rsplit("/", 1)[0]
        with open(cls.config, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(directory=cls.dir, http=base, smtp_port=cls.smtp.port,
                                       cert=cls.cert, weekday=WEEKDAYS[TODAY.weekday()]))
        cls.env = dict(aws_env(), SMTP_PASSWORD=PASSWORD)
        start = min(month_start(TODAY, 2), TODAY - dt.timedelta(days=14))
        code, _, err = run_costwatch(
            ["backfill", "--config", cls.config, "--endpoint-url", cls.standin.url, "--from",
             start.isoformat(), "--to", (TODAY + dt.timedelta(days=1)).isoformat()],
            env=cls.env, timeout=400)
        assert code == 0, err
        cls.cost_events = [e["data"] for e in archived_events(cls.dir)
                           if e["type"] == "amazon.billing.daily"]
        code, _, cls.run_err = run_costwatch(
            ["run", "--once", "--config", cls.config, "--endpoint-url", cls.standin.url],
            env=cls.env, timeout=120)
        assert code == 0, cls.run_err

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()
        cls.http.stop()
        cls.smtp.close()
        cls._dir.__exit__(None, None, None)

    def posted(self, path):
        """The JSON bodies posted to one path, by digest kind (webhook) or in order."""
        return [r for r in self.http.requests if r["path"] == path]

    def webhook_digests(self):
        return {d["kind"]: d for d in (json.loads(r["body"]) for r in self.posted("/hook"))}

    def assert_ranked(self, digest, expected, top):
        ranked = expected.ranked()
        self.assertEqual([(g["name"], Decimal(g["amount"])) for g in digest["top"]],
                         ranked[:top])
        if len(ranked) > top:
            rest = ranked[top:]
            self.assertEqual(digest["rest"]["name"], f"{len(rest)} other services")
            self.assertEqual(Decimal(digest["rest"]["amount"]), sum(a for _, a in rest))
        else:
            self.assertIsNone(digest["rest"])
        self.assertEqual(Decimal(digest["spend"]), expected.parts["spend"])
        self.assertEqual(Decimal(digest["credits"]), expected.parts["credits"])
        self.assertEqual(Decimal(digest["refunds"]), expected.parts["refunds"])
        # The bill is spend plus credits plus refunds, to the last digit.
        self.assertEqual(Decimal(digest["spend"]) + Decimal(digest["credits"]) +
                         Decimal(digest["refunds"]), expected.net)

    def assert_movers(self, digest, now, before):
        names = set(now.groups) | set(before.groups)
        changes = sorted(((abs(now.groups[n] - before.groups[n]), n) for n in names
                          if now.groups[n] != before.groups[n]), key=lambda c: (-c[0], c[1]))
        self.assertEqual([m["name"] for m in digest["movers"]], [n for _, n in changes[:5]])

    def test_daily_figures_match_the_dataset(self):
        self.assertIn("digest morning for " + YESTERDAY.isoformat(), self.run_err)
        daily = self.webhook_digests()["daily"]
        self.assertEqual(daily["id"], "morning-" + YESTERDAY.isoformat())
        self.assertEqual((daily["periodStart"], daily["periodEnd"]),
                         (YESTERDAY.isoformat(), TODAY.isoformat()))
        day = Expected(self.cost_events, YESTERDAY, TODAY)
        day_before = Expected(self.cost_events, YESTERDAY - dt.timedelta(days=1), YESTERDAY)
        week = Expected(self.cost_events, TODAY - dt.timedelta(days=7), TODAY)
        week_before = Expected(self.cost_events, TODAY - dt.timedelta(days=14),
                               TODAY - dt.timedelta(days=7))
        first = month_start(YESTERDAY)
        elapsed = (TODAY - first).days
        last_first = month_start(YESTERDAY, 1)
        to_date = Expected(self.cost_events, first, TODAY)
        same_days = Expected(self.cost_events, last_first,
                             min(last_first + dt.timedelta(days=elapsed), first))
        figures = daily["figures"]
        self.assertGreater(day.net, 0, "the stand-in has costs yesterday")
        amounts = [(Decimal(f["amount"]), Decimal(f["previous"])) for f in figures[:3]]
        self.assertEqual(amounts, [(day.net, day_before.net), (week.net, week_before.net),
                                   (to_date.net, same_days.net)])
        if TODAY.day != 1:
            next_month = month_start(first + dt.timedelta(days=32))
            run_rate = (to_date.net * (next_month - first).days / elapsed).quantize(
                Decimal("1E-10"), rounding=ROUND_HALF_UP)
            self.assertEqual(Decimal(figures[3]["amount"]), run_rate)
            self.assertIn("run-rate projection", figures[3]["note"])
            self.assertIsNone(figures[3]["previous"])
        self.assert_ranked(daily, day, 5)
        self.assert_movers(daily, day, day_before)
        self.assertTrue(daily["title"].startswith(
            f"AWS costs of {YESTERDAY.isoformat()}: "
            f"{day.net.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} USD"))

    def test_weekly_and_monthly_figures_match_the_dataset(self):
        digests = self.webhook_digests()
        weekly = digests["weekly"]
        week = Expected(self.cost_events, TODAY - dt.timedelta(days=7), TODAY)
        before = Expected(self.cost_events, TODAY - dt.timedelta(days=14),
                          TODAY - dt.timedelta(days=7))
        self.assertEqual((Decimal(weekly["figures"][0]["amount"]),
                          Decimal(weekly["figures"][0]["previous"])), (week.net, before.net))
        self.assert_ranked(weekly, week, 100)
        self.assert_movers(weekly, week, before)

        monthly = digests["monthly"]
        closed = month_start(TODAY, 1)
        month = Expected(self.cost_events, closed, month_start(TODAY))
        previous = Expected(self.cost_events, month_start(TODAY, 2), closed)
        self.assertEqual(monthly["periodStart"], closed.isoformat())
        self.assertEqual((Decimal(monthly["figures"][0]["amount"]),
                          Decimal(monthly["figures"][0]["previous"])), (month.net, previous.net))
        self.assertLess(Decimal(monthly["credits"]), 0, "the stand-in credits some accounts")
        self.assertEqual(Decimal(monthly["refunds"]), Decimal("-1.5"),
                         "the stand-in refunds 1.5 on the 15th")
        self.assert_ranked(monthly, month, 10)
        self.assertEqual(monthly["link"], BILLS_URL)

    def test_slack_payloads_have_block_kits_shape(self):
        payloads = [json.loads(r["body"]) for r in self.posted("/slack")]
        self.assertEqual(len(payloads), 3)
        titles = {d["title"] for d in self.webhook_digests().values()}
        self.assertEqual({p["text"] for p in payloads}, titles)
        for payload in payloads:
            blocks = payload["blocks"]
            self.assertLessEqual(len(blocks), 50)
            self.assertEqual(blocks[0]["type"], "header")
            self.assertEqual(blocks[0]["text"]["type"], "plain_text")
            self.assertLessEqual(len(blocks[0]["text"]["text"]), 150)
            for block in blocks[1:]:
                self.assertIn(block["type"], ("section", "context"))
                if block["type"] == "context":
                    self.assertLessEqual(len(block["elements"]), 10)
                    for element in block["elements"]:
                        self.assertEqual(element["type"], "mrkdwn")
                elif "fields" in block:
                    self.assertLessEqual(len(block["fields"]), 10)
                    for field in block["fields"]:
                        self.assertEqual(field["type"], "mrkdwn")
                        self.assertLessEqual(len(field["text"]), 2000)
                else:
                    self.assertEqual(block["text"]["type"], "mrkdwn")
                    self.assertLessEqual(len(block["text"]["text"]), 3000)
        # The weekly digest lists every service: more than one section holds the list, and every
        # name arrives, UTF-8 intact.
        weekly = next(p for p in payloads if p["text"].startswith("AWS costs of the week"))
        text = json.dumps(weekly, ensure_ascii=False)
        for name in Expected(self.cost_events, TODAY - dt.timedelta(days=7), TODAY).groups:
            self.assertIn(json.dumps(name, ensure_ascii=False)[1:-1], text)
        self.assertIn(UTF8_SERVICE, text)
        lists = [b for b in weekly["blocks"] if b["type"] == "section" and "text" in b]
        self.assertGreaterEqual(len(lists), 3, "the top list is split, then the movers")
        monthly = next(p for p in payloads if p["text"].startswith("AWS bill for"))
        self.assertIn(f"<{BILLS_URL}|", json.dumps(monthly))

    def test_teams_payloads_are_adaptive_cards(self):
        payloads = [json.loads(r["body"]) for r in self.posted("/teams")]
        self.assertEqual(len(payloads), 3)
        for payload in payloads:
            self.assertEqual(payload["type"], "message")
            self.assertEqual(len(payload["attachments"]), 1)
            attachment = payload["attachments"][0]
            self.assertEqual(attachment["contentType"], "application/vnd.microsoft.card.adaptive")
            card = attachment["content"]
            self.assertEqual(card["type"], "AdaptiveCard")
            self.assertEqual(card["version"], "1.4")
            self.assertEqual(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json")
            for element in card["body"]:
                self.assertIn(element["type"], ("TextBlock", "FactSet"))
                if element["type"] == "FactSet":
                    for fact in element["facts"]:
                        self.assertIsInstance(fact["title"], str)
                        self.assertIsInstance(fact["value"], str)
                else:
                    self.assertIsInstance(element["text"], str)
        monthly = next(p for p in payloads
                       if p["attachments"][0]["content"]["body"][0]["text"].startswith(
                           "AWS bill for"))
        actions = monthly["attachments"][0]["content"]["actions"]
        self.assertEqual(actions, [{"type": "Action.OpenUrl",
                                    "title": "The bill in the AWS console", "url": BILLS_URL}])

    def test_email_arrives_multipart_with_utf8_intact(self):
        messages = self.smtp.messages()
        self.assertEqual(len(messages), 3)
        titles = {d["kind"]: d["title"] for d in self.webhook_digests().values()}
        subjects = {}
        for raw, message, meta in messages:
            self.assertTrue(meta["tls"])
            self.assertTrue(meta["authenticated"])
            self.assertEqual(meta["rcpt_tos"], ["finance@example.org"])
            self.assertEqual(message.get_content_type(), "multipart/alternative")
            parts = list(message.iter_parts())
            self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
            for p in parts:
                self.assertEqual(p.get_content_charset(), "utf-8")
            subjects[str(message["Subject"])] = (parts[0].get_content(), parts[1].get_content())
        self.assertEqual(set(subjects), set(titles.values()))
        plain, html = subjects[titles["weekly"]]
        self.assertIn(UTF8_SERVICE, plain)
        self.assertIn(UTF8_SERVICE, html)
        plain, html = subjects[titles["monthly"]]
        self.assertIn(BILLS_URL, plain)
        self.assertIn(f'href="{BILLS_URL}"', html)

    def test_digest_events_carry_the_webhooks_json(self):
        events = [e for e in archived_events(self.dir) if e["type"] == "amazon.billing.digest"]
        by_kind = {e["data"]["kind"]: e for e in events}
        self.assertEqual(len(events), 3)
        for kind, digest in self.webhook_digests().items():
            self.assertEqual(by_kind[kind]["data"], digest)
            self.assertEqual(by_kind[kind]["id"], digest["id"])
            self.assertEqual(by_kind[kind]["source"], "cloud.amazon.billing")

    def test_z_a_restart_sends_nothing_again_and_preview_shows_the_same(self):
        before = (len(self.http.requests), len(self.smtp.messages()))
        code, _, err = run_costwatch(
            ["run", "--once", "--config", self.config, "--endpoint-url", self.standin.url],
            env=self.env, timeout=120)
        self.assertEqual(code, 0, err)
        self.assertNotIn("queued", err)
        self.assertEqual((len(self.http.requests), len(self.smtp.messages())), before)

        code, out, err = run_costwatch(["status", "--config", self.config], env=self.env)
        self.assertEqual(code, 0, err)
        for digest in self.webhook_digests().values():
            self.assertIn(f"  {digest['digest']}: last period {digest['periodStart']}, queued to "
                          "its notifiers\n", out)

        code, out, err = run_costwatch(["digest", "preview", "daily", "--config", self.config,
                                        "--output", "json"], env=self.env)
        self.assertEqual(code, 0, err)
        preview = json.loads(out)
        sent = self.webhook_digests()["daily"]
        self.assertEqual(preview["figures"], sent["figures"])
        self.assertEqual(preview["top"], sent["top"])
        code, out, err = run_costwatch(["digest", "preview", "monthly", "--config", self.config,
                                        "--output", "slack"], env=self.env)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["text"], self.webhook_digests()["monthly"]["title"])
        code, _, err = run_costwatch(["digest", "preview", "weekly", "--config", self.config,
                                      "--name", "morning"], env=self.env)
        self.assertEqual(code, 2)
        self.assertIn("digest 'morning' is daily, not weekly", err)


if __name__ == "__main__":
    unittest.main()
