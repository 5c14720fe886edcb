"""The budget and spike alarm rules end to end: costwatch backfill pulls from the Cost Explorer
stand-in (GetCostAndUsage and GetCostForecast), evaluates the rules and delivers the
notifications to a real webhook receiver; `costwatch status` shows every alarm's state.

Every expected figure is computed here, independently, with Python's decimal module: from the
stand-in's dataset module (the same pure function of seed and dates the server answers from),
cross-checked against the cost events costwatch wrote to its file sink. Thresholds are derived
from those figures, so each test has alarms on both sides of the line whatever today's date is.
"""

import datetime as dt
import os
import re
import time
import unittest
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext

from costwatch_cli import TempDir, run_costwatch
from standin import StandIn, aws_env, standin_module
from alarm_fixtures import SOURCE_AND_ARCHIVE, Receiver, archived_events, cents

SEED = 1  # the stand-in's default, passed explicitly so the local dataset is the same one
FORECAST_HISTORY_DAYS = 28  # tools/ce-standin/README.md, GetCostForecast semantics
CENT = Decimal("0.01")


def utc_today() -> dt.date:
    """Today (UTC), after waiting out the last 90 seconds of a day: costwatch reads the real
    clock, and every figure here depends on which day it is."""
    now = dt.datetime.now(dt.timezone.utc)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(),
                                   dt.timezone.utc)
    if (midnight - now).total_seconds() < 90:
        time.sleep((midnight - now).total_seconds() + 1)
    return dt.datetime.now(dt.timezone.utc).date()


def plain(amount: Decimal) -> str:
    """Plain notation without trailing zeros, as notifications show thresholds."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_bounds(day: dt.date):
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def days(first: dt.date, end: dt.date):
    """first .. end-1."""
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


class Truth:
    """Ground truth from the stand-in's dataset: UnblendedCost per day and service."""

    def __init__(self, today: dt.date, history_start: dt.date | None = None):
        dataset_module = standin_module("dataset")
        self.dataset = dataset_module.Dataset(seed=SEED, today=today, history_start=history_start)

    def by_service(self, day: dt.date) -> dict:
        costs = {}
        for item in self.dataset.daily_items(day):
            service = item.dims["SERVICE"]
            costs[service] = costs.get(service, Decimal(0)) + item.metrics["UnblendedCost"]
        return costs

    def total(self, first: dt.date, end: dt.date, service: str | None = None) -> Decimal:
        return sum((sum(amount for name, amount in self.by_service(d).items()
                        if service is None or name == service)
                    for d in days(first, end)), Decimal(0))

    def forecast_basis(self, today: dt.date, period_end: dt.date,
                       service: str | None = None) -> Decimal:
        """The period up to yesterday plus the stand-in's forecast from today to the end: the
        mean of the 28 complete days before today times the days left, rounded half even to
        Cost Explorer's 10 digits."""
        period_start = today.replace(day=1)
        history = self.total(today - dt.timedelta(days=FORECAST_HISTORY_DAYS), today, service)
        with localcontext() as context:
            context.prec = 60
            predicted = (history * (period_end - today).days / FORECAST_HISTORY_DAYS).quantize(
                Decimal("1e-10"), rounding=ROUND_HALF_EVEN)
        return self.total(period_start, today, service) + predicted


def from_events(events) -> dict:
    """{date: {service: amount}} from the daily cost events costwatch wrote; a restated row is
    written again, and the last event of a day and service is what costwatch holds."""
    rows = {}
    for event in events:
        if event["type"] != "amazon.billing.daily":
            continue
        data = event["data"]
        day = dt.date.fromisoformat(data["date"])
        rows.setdefault(day, {})[data["service"]] = Decimal(data["unblendedCost"]["amount"])
    return rows


def spike_figures(by_day, yesterday: dt.date, baseline_days: int) -> dict:
    """{service: (yesterday's cost, baseline sum)} as docs/alarms.md defines a spike: the last
    complete day against the days before it; a day without a row counts as zero."""
    baseline = days(yesterday - dt.timedelta(days=baseline_days), yesterday)
    figures = {}
    for day in baseline + [yesterday]:
        for service, amount in by_day(day).items():
            day_cost, base = figures.get(service, (Decimal(0), Decimal(0)))
            if day == yesterday:
                day_cost += amount
            else:
                base += amount
            figures[service] = (day_cost, base)
    return figures


def is_spike(day_cost: Decimal, baseline: Decimal, baseline_days: int, min_impact: Decimal,
             min_percent: Decimal | None = None) -> bool:
    """Exact: the day at least min_impact (and min_percent % of the mean) above the mean."""
    with localcontext() as context:
        context.prec = 60
        mean = baseline / baseline_days
        excess = day_cost - mean
        if excess <= 0 or excess < min_impact:
            return False
        return min_percent is None or excess * 100 >= min_percent * mean


def excess_of(figure, baseline_days: int) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        return figure[0] - figure[1] / baseline_days


def between(low: Decimal, high: Decimal) -> Decimal:
    """A cents amount strictly above low and at most high (fails if there is none)."""
    middle = ((low + high) / 2).quantize(CENT, rounding=ROUND_DOWN)
    if not low < middle <= high:
        raise AssertionError(f"no cents amount between {low} and {high}")
    return middle


CONFIG = SOURCE_AND_ARCHIVE + """\
notifiers:
  - name: hook
    type: webhook
    url: {hook_url}
alarms:
{alarms}"""

STATUS_LINE = re.compile(r"^  (\S+?)(?: \((.*)\))?: (OK|ALARM|INSUFFICIENT_DATA) since (\S+)$")


class RulesTestCase(unittest.TestCase):
    """A stand-in per class, a webhook receiver per test, and helpers to run costwatch."""

    standin_flags: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.today = utc_today()
        cls.standin = StandIn(today=cls.today.isoformat(), seed=SEED,
                              **cls.standin_flags).start()

    @classmethod
    def tearDownClass(cls):
        cls.standin.stop()

    def setUp(self):
        self.standin.reset()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.stop)

    def write_config(self, directory, alarms: str) -> str:
        config = os.path.join(directory, "costwatch.yaml")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(CONFIG.format(directory=directory, hook_url=self.receiver.url,
                                       alarms=alarms))
        return config

    def backfill(self, config, first: dt.date, standin=None):
        code, _, err = run_costwatch(
            ["backfill", "--config", config, "--endpoint-url", (standin or self.standin).url,
             "--from", first.isoformat(),
             "--to", (self.today + dt.timedelta(days=1)).isoformat()],
            env=aws_env(), timeout=120)
        self.assertEqual(code, 0, err)
        self.assertNotIn("error", err.lower(), err)
        return err

    def events(self, directory):
        return from_events(archived_events(directory))

    def status(self, config):
        """(paid requests today, {(rule, alarm): (state, reason)})."""
        code, out, err = run_costwatch(["status", "--config", config])
        self.assertEqual(code, 0, err)
        paid = re.search(r"^paid Cost Explorer requests: (\d+) today", out, re.M)
        self.assertIsNotNone(paid, out)
        alarms = {}
        lines = out.split("\n")
        start = lines.index("alarms:") + 1 if "alarms:" in lines else len(lines)
        for index in range(start, len(lines)):
            match = STATUS_LINE.match(lines[index])
            if match:
                key = (match.group(1), match.group(2) or "")
                self.assertNotIn(key, alarms, "each alarm is listed once")
                alarms[key] = (match.group(3), lines[index + 1].strip())
        return int(paid.group(1)), alarms

    def assert_paid_requests_counted(self, paid_today: int, forecasts: int):
        """costwatch's own count of paid requests is what the stand-in received, forecasts
        included."""
        stats = self.standin.stats()
        self.assertEqual(stats["by_operation"].get("GetCostForecast", 0), forecasts, stats)
        self.assertEqual(paid_today, stats["requests"], stats)
        self.assertEqual(paid_today, stats["by_operation"]["GetCostAndUsage"] + forecasts)


class BudgetTest(RulesTestCase):
    """A month budget with a threshold of actual and one of forecast spend; the stand-in has
    its default 13 months of history, so GetCostForecast answers."""

    def test_thresholds_of_actual_and_forecast_spend(self):
        today = self.today
        month_start, month_end = month_bounds(today)
        truth = Truth(today)
        # Actual: the month so far, today included. Forecast: the month up to yesterday plus
        # the stand-in's forecast from today to the end of the month, the mean of the 28
        # complete days before today times the days left, rounded half even to 10 digits.
        actual = truth.total(month_start, today + dt.timedelta(days=1))
        history = truth.total(today - dt.timedelta(days=FORECAST_HISTORY_DAYS), today)
        forecast = truth.forecast_basis(today, month_end)
        with localcontext() as context:
            context.prec = 60
            # 100% of actual stays below the budget, 90% of forecast is reached: a budget
            # halfway between the actual spend and forecast/0.9.
            budget = between(actual, forecast / Decimal("0.9"))
            forecast_limit = budget * 90 / 100
        # A second budget, for one service, buys its own forecast (GetCostForecast filtered
        # to the service) and stays below its threshold: twice the forecast.
        service = "Amazon Simple Storage Service"
        service_forecast = truth.forecast_basis(today, month_end, service)
        service_budget = (2 * service_forecast).quantize(CENT)
        # Not forecast > actual: on a month's last day the forecast adds only one average day to
        # yesterday's total, and today's partial costs can be more than that.
        self.assertLess(actual, budget)
        self.assertGreaterEqual(forecast, forecast_limit)

        with TempDir() as directory:
            config = self.write_config(directory, f"""\
  - name: budget
    type: budget
    period: month
    amount: "{budget}"
    thresholds:
      - {{percent: 100, of: actual}}
      - {{percent: 90, of: forecast}}
  - name: s3-budget
    type: budget
    service: {service}
    amount: "{service_budget}"
    thresholds:
      - {{percent: 100, of: forecast}}
""")
            first = min(month_start, today - dt.timedelta(days=FORECAST_HISTORY_DAYS))
            err = self.backfill(config, first)
            self.assertIn("alarms: 1 notification queued", err)

            # What costwatch stored is what the dataset says, to the last digit.
            rows = self.events(directory)
            by_day = lambda d: rows.get(d, {})  # noqa: E731
            self.assertEqual(sum((sum(by_day(d).values(), Decimal(0))
                                  for d in days(month_start, today + dt.timedelta(days=1))),
                                 Decimal(0)), actual)
            self.assertEqual(sum((sum(by_day(d).values(), Decimal(0))
                                  for d in days(today - dt.timedelta(days=28), today)),
                                 Decimal(0)), history)

            paid, alarms = self.status(config)
            self.assertEqual(set(alarms), {("budget", "actual-100%"), ("budget", "forecast-90%"),
                                           ("s3-budget", "forecast-100%")})
            state, reason = alarms[("budget", "actual-100%")]
            self.assertEqual(state, "OK", reason)
            self.assertIn(f"is {cents(actual)} USD", reason)
            self.assertIn(f"below the 100% threshold ({cents(budget)} USD)", reason)
            state, reason = alarms[("budget", "forecast-90%")]
            self.assertEqual(state, "ALARM", reason)
            self.assertIn(f"is {cents(forecast)} USD", reason)
            self.assertIn(f"at or above the 90% threshold ({cents(forecast_limit)} USD)", reason)
            state, reason = alarms[("s3-budget", "forecast-100%")]
            self.assertEqual(state, "OK", reason)
            self.assertIn(f"(service {service}) is {cents(service_forecast)} USD", reason)
            self.assert_paid_requests_counted(paid, forecasts=2)

            notes = self.receiver.notifications()
            self.assertEqual(len(notes), 1, notes)
            note = notes[0]
            self.assertEqual(note["rule"], "budget")
            self.assertEqual(note["kind"], "budget")
            self.assertEqual(note["previousState"], "INSUFFICIENT_DATA")
            self.assertEqual(note["state"], "ALARM")
            self.assertTrue(note["title"].startswith("ALARM: budget (forecast-90%), "),
                            note["title"])
            self.assertEqual(note["amount"], cents(forecast))
            self.assertEqual(note["forecast"], cents(forecast))
            self.assertEqual(note["threshold"], plain(forecast_limit))
            self.assertEqual(note["unit"], "USD")
            self.assertEqual(note["periodStart"], month_start.isoformat())
            self.assertEqual(note["periodEnd"], month_end.isoformat())

            # The same day again: the forecast comes from the state database, not a second
            # paid request, and nothing changed, so nothing is notified.
            self.backfill(config, first)
            paid, alarms = self.status(config)
            self.assertEqual(alarms[("budget", "forecast-90%")][0], "ALARM")
            self.assertEqual(alarms[("budget", "actual-100%")][0], "OK")
            self.assertEqual(alarms[("s3-budget", "forecast-100%")][0], "OK")
            self.assert_paid_requests_counted(paid, forecasts=2)
            self.assertEqual(len(self.receiver.requests), 1)


class BudgetWithoutForecastTest(RulesTestCase):
    """The stand-in's history starts a week ago: GetCostForecast answers
    DataUnavailableException, so the forecast threshold has no data while the actual one is
    still evaluated."""

    @classmethod
    def setUpClass(cls):
        today = utc_today()
        cls.standin_flags = {"history_start": (today - dt.timedelta(days=7)).isoformat()}
        super().setUpClass()

    def test_forecast_unavailable_is_insufficient_data(self):
        today = self.today
        history_start = today - dt.timedelta(days=7)
        month_start, _ = month_bounds(today)
        actual = Truth(today, history_start).total(month_start, today + dt.timedelta(days=1))
        budget = actual.quantize(CENT, rounding=ROUND_DOWN)  # 100% of actual is reached
        self.assertGreater(budget, 0)

        with TempDir() as directory:
            config = self.write_config(directory, f"""\
  - name: budget
    type: budget
    amount: "{budget}"
    thresholds:
      - {{percent: 100, of: actual}}
      - {{percent: 100, of: forecast}}
""")
            # Cost Explorer has nothing before the history start.
            first = max(month_start, history_start)
            err = self.backfill(config, first)
            self.assertIn("alarms: 1 notification queued", err)

            paid, alarms = self.status(config)
            state, reason = alarms[("budget", "actual-100%")]
            self.assertEqual(state, "ALARM", reason)
            self.assertIn(f"is {cents(actual)} USD", reason)
            state, reason = alarms[("budget", "forecast-100%")]
            self.assertEqual(state, "INSUFFICIENT_DATA", reason)
            self.assertIn("too little history to forecast", reason)
            self.assert_paid_requests_counted(paid, forecasts=1)
            self.assertEqual(self.standin.stats()["by_status"].get("400"), 1)

            notes = self.receiver.notifications()
            self.assertEqual(len(notes), 1, notes)
            self.assertTrue(notes[0]["title"].startswith("ALARM: budget (actual-100%), "))
            self.assertEqual(notes[0]["amount"], cents(actual))
            self.assertEqual(notes[0]["threshold"], plain(budget))
            self.assertIsNone(notes[0]["forecast"], "only forecast thresholds have one")

            # AWS's "too little history" is kept for the day too: no second paid request.
            self.backfill(config, first)
            paid, alarms = self.status(config)
            self.assertEqual(alarms[("budget", "forecast-100%")][0], "INSUFFICIENT_DATA")
            self.assert_paid_requests_counted(paid, forecasts=1)
            self.assertEqual(len(self.receiver.requests), 1)


class SpikeTest(RulesTestCase):
    """spike rules by service. The stand-in's daily costs vary by +-15% per service and day,
    and half of its services dip on weekends, so day-over-day changes exist every day; the
    thresholds are derived from the figures so that some services alarm and some do not."""

    BASELINE_DAYS = 7

    def test_states_match_the_figures_for_every_service(self):
        today = self.today
        yesterday = today - dt.timedelta(days=1)
        n = self.BASELINE_DAYS
        truth = Truth(today)
        figures = spike_figures(truth.by_service, yesterday, n)

        # min_impact between the second and third biggest rises: two services alarm.
        excesses = sorted((excess_of(f, n) for f in figures.values()), reverse=True)
        self.assertGreater(excesses[1], 0)
        gaps = [(excesses[k] - excesses[k + 1], k) for k in range(3)
                if excesses[k + 1] > 0 and excesses[k] - excesses[k + 1] > Decimal("0.02")]
        self.assertTrue(gaps, excesses[:5])
        _, top = max(gaps)
        min_impact = between(excesses[top + 1], excesses[top])
        # A second rule with a small min_impact and a min_percent between the relative rises
        # of the services: only both conditions together decide.
        rises = sorted(excess_of(f, n) * 100 / (f[1] / n) for f in figures.values()
                       if f[1] > 0 and excess_of(f, n) >= CENT)
        self.assertGreaterEqual(len(rises), 4, rises)
        middle = len(rises) // 2
        pairs = [(rises[i + 1] - rises[i], i)
                 for i in range(middle - 2, min(middle + 2, len(rises) - 1))
                 if rises[i + 1] - rises[i] > Decimal("0.02")]
        self.assertTrue(pairs, rises)
        _, i = max(pairs)
        min_percent = between(rises[i], rises[i + 1])

        expected = {}
        for service, (day_cost, base) in figures.items():
            expected[("spikes", service)] = is_spike(day_cost, base, n, min_impact)
            expected[("spikes-pct", service)] = is_spike(day_cost, base, n, CENT, min_percent)
        alarming = {key for key, spike in expected.items() if spike}
        self.assertEqual(len([a for a in alarming if a[0] == "spikes"]), top + 1)
        self.assertTrue(0 < len([a for a in alarming if a[0] == "spikes-pct"]) < len(figures))

        with TempDir() as directory:
            config = self.write_config(directory, f"""\
  - name: spikes
    type: spike
    by: service
    baseline_days: {n}
    min_impact: "{min_impact}"
  - name: spikes-pct
    type: spike
    by: service
    baseline_days: {n}
    min_impact: "0.01"
    min_percent: "{min_percent}"
""")
            self.backfill(config, yesterday - dt.timedelta(days=n))
            rows = self.events(directory)
            self.assertEqual(spike_figures(lambda d: rows.get(d, {}), yesterday, n), figures,
                             "costwatch stored what the stand-in serves")

            _, alarms = self.status(config)
            self.assertEqual(set(alarms), set(expected))
            for key, spike in expected.items():
                state, reason = alarms[key]
                self.assertEqual(state, "ALARM" if spike else "OK", f"{key}: {reason}")
                self.assertIn(f"cost {cents(figures[key[1]][0])} USD", reason)

            notes = self.receiver.notifications()
            self.assertEqual(sorted((note["rule"], note["scope"]) for note in notes),
                             sorted((rule, "service " + service) for rule, service in alarming))
            for note in notes:
                self.assertEqual(note["state"], "ALARM")
                self.assertEqual(note["amount"], cents(figures[note["scope"][8:]][0]))
                self.assertEqual(note["threshold"],
                                 plain(min_impact) if note["rule"] == "spikes" else "0.01")
                self.assertEqual(note["periodStart"], yesterday.isoformat())


class SpikeRecoveryTest(RulesTestCase):
    """An ALARM that goes back to OK: Cost Explorer restates yesterday (/_standin/restate) to
    amounts below the spike threshold, and the next backfill notifies the recovery once."""

    BASELINE_DAYS = 7

    def test_a_restated_day_ends_the_alarm_with_one_recovery(self):
        today = self.today
        yesterday = today - dt.timedelta(days=1)
        n = self.BASELINE_DAYS
        truth = Truth(today)
        before = spike_figures(truth.by_service, yesterday, n)
        ranked = sorted(before, key=lambda s: excess_of(before[s], n), reverse=True)
        top = ranked[0]
        top_excess = excess_of(before[top], n)
        self.assertGreater(top_excess, excess_of(before[ranked[1]], n))

        # A restatement is a new random draw of the day; find the first revision in which no
        # service rises as much as the top one did, so that a threshold between the two has
        # exactly one alarm before and none after (deterministic for a given date).
        for revision in range(1, 201):
            truth.dataset.restate(yesterday)
            after = spike_figures(truth.by_service, yesterday, n)
            highest_after = max(excess_of(f, n) for f in after.values())
            ceiling = max(highest_after, excess_of(before[ranked[1]], n))
            if top_excess - ceiling > Decimal("0.02"):
                break
        else:
            self.fail("no restatement of yesterday ends the spike")
        min_impact = between(ceiling, top_excess)
        self.assertTrue(is_spike(*before[top], n, min_impact))
        self.assertFalse(any(is_spike(*f, n, min_impact) for s, f in before.items() if s != top))
        self.assertFalse(any(is_spike(*f, n, min_impact) for f in after.values()))

        with TempDir() as directory:
            config = self.write_config(directory, f"""\
  - name: spikes
    type: spike
    by: service
    baseline_days: {n}
    min_impact: "{min_impact}"
""")
            first = yesterday - dt.timedelta(days=n)
            self.backfill(config, first)
            _, alarms = self.status(config)
            self.assertEqual({key for key, (state, _) in alarms.items() if state == "ALARM"},
                             {("spikes", top)})
            self.assertEqual(len(self.receiver.requests), 1)

            for expected_revision in range(1, revision + 1):
                self.assertEqual(self.standin.restate(yesterday.isoformat()), expected_revision)
            err = self.backfill(config, first)
            self.assertRegex(err, r"[1-9]\d* restated")
            rows = self.events(directory)
            self.assertEqual(spike_figures(lambda d: rows.get(d, {}), yesterday, n), after)

            _, alarms = self.status(config)
            self.assertEqual(set(alarms), {("spikes", s) for s in after})
            self.assertEqual({state for state, _ in alarms.values()}, {"OK"})

            notes = self.receiver.notifications()
            self.assertEqual(len(notes), 2, notes)
            self.assertEqual((notes[0]["previousState"], notes[0]["state"]),
                             ("INSUFFICIENT_DATA", "ALARM"))
            recovery = notes[1]
            self.assertEqual((recovery["previousState"], recovery["state"]), ("ALARM", "OK"))
            self.assertEqual(recovery["rule"], "spikes")
            self.assertEqual(recovery["scope"], "service " + top)
            self.assertEqual(recovery["amount"], cents(after[top][0]))
            self.assertEqual(recovery["threshold"], plain(min_impact))
            self.assertTrue(recovery["title"].startswith(f"OK: spikes ({top}), "))
            self.assertNotEqual(recovery["id"], notes[0]["id"])

            # Nothing changes on a third backfill: no second recovery.
            self.backfill(config, first)
            self.assertEqual(len(self.receiver.requests), 2)


if __name__ == "__main__":
    unittest.main()
