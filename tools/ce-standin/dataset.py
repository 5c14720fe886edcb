"""Deterministic, synthetic AWS cost data for the Cost Explorer stand-in.

The data is *generated*, not stored: every day's line items are a pure function of
(seed, day), so the stand-in and the tests that check it agree on the ground truth without
sharing any files, and any date range can be served without generating the whole history.

Shape of the data (see README.md for the prose version):

* ~55 services with the names Cost Explorer really reports, plus a few hostile names
  (double quotes, a backslash, non-ASCII) to exercise JSON escaping and UTF-8 handling;
* 20 linked accounts (12-digit ids, one with a leading zero) with display names;
* each account runs a stable subset of services ("subscriptions"), some of which start
  or stop during the history, so the set of groups changes over time;
* record types Usage, Tax (daily, some accounts), Credit (negative, daily, some accounts),
  Refund (a fixed "-1.5" on the 15th of the month) and RIFee (1st of the month);
* tags ``team`` and ``env`` (missing on some items -> the "team$" group) and one cost
  category ``CostCenter``;
* amounts are ``Decimal`` values with at most 10 fractional digits, so every sum the
  stand-in reports is exact and groups add up to totals to the last digit;
* hourly line items exist for the last 14 days (``today`` included); they are an exact
  split of the daily items, so 24 hours always sum to the day.

Days before ``history_start`` or after ``today`` have no line items.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import random
from decimal import Decimal
from functools import lru_cache

# All arithmetic in this module and in the query engine uses this context: 38 digits is far
# more than any sum of 10-decimal amounts needs, so additions are always exact.
DECIMAL_CONTEXT = decimal.Context(prec=38, rounding=decimal.ROUND_HALF_EVEN)
QUANTUM = Decimal("1E-10")  # Cost Explorer reports at most 10 fractional digits.
ZERO = Decimal(0)

COST_METRICS = (
    "AmortizedCost",
    "BlendedCost",
    "NetAmortizedCost",
    "NetUnblendedCost",
    "UnblendedCost",
)
USAGE_METRICS = ("NormalizedUsageAmount", "UsageQuantity")
METRICS = tuple(sorted(COST_METRICS + USAGE_METRICS))

HOURLY_DAYS = 14  # hourly data covers today and the 13 days before it
ESTIMATED_TRAILING_DAYS = 3  # today and the 2 days before are always "Estimated"

# Region code -> usage-type prefix, as in real CUR/CE usage types.
REGIONS = {
    "us-east-1": "USE1-",
    "us-west-2": "USW2-",
    "eu-central-1": "EUC1-",
    "eu-west-1": "EU-",
    "ap-northeast-1": "APN1-",
}
GLOBAL_REGION = "global"
NO_REGION = "NoRegion"

TAG_KEYS = ("team", "env")
TEAMS = ("web", "data", "platform", "ml")
ENVS = ("prod", "staging", "dev")
COST_CATEGORY = "CostCenter"
COST_CENTERS = ("Engineering", "Data & Analytics", "Shared Services")

# (service name, [(usage type suffix, unit, operation)], is_global)
# The first usage type of a service is its main one; cost is split between them.
_SERVICES = [
    ("Amazon Elastic Compute Cloud - Compute",
     [("BoxUsage:m5.large", "Hrs", "RunInstances"),
      ("SpotUsage:c5.xlarge", "Hrs", "RunInstances:SV001")], False),
    ("EC2 - Other",
     [("EBS:VolumeUsage.gp3", "GB-Mo", "CreateVolume-Gp3"),
      ("NatGateway-Hours", "Hrs", "NatGateway")], False),
    ("Amazon Relational Database Service",
     [("InstanceUsage:db.r6g.large", "Hrs", "CreateDBInstance:0016"),
      ("RDS:GP2-Storage", "GB-Mo", "CreateDBInstance:0016")], False),
    ("Amazon Simple Storage Service",
     [("TimedStorage-ByteHrs", "GB-Mo", "StandardStorage"),
      ("Requests-Tier1", "Requests", "PutObject")], False),
    ("AWS Lambda",
     [("Lambda-GB-Second", "Lambda-GB-Second", "Invoke"),
      ("Request", "Requests", "Invoke")], False),
    ("Amazon DynamoDB",
     [("ReadRequestUnits", "ReadRequestUnits", "PayPerRequestThroughput"),
      ("TimedStorage-ByteHrs", "GB-Mo", "StandardStorage")], False),
    ("Amazon CloudFront", [("DataTransfer-Out-Bytes", "GB", "GET")], True),
    ("Amazon Virtual Private Cloud",
     [("PublicIPv4:InUseAddress", "Hrs", "AssociateAddressVPC")], False),
    ("Elastic Load Balancing",
     [("LoadBalancerUsage", "Hrs", "LoadBalancing:Application")], False),
    ("Amazon Elastic Container Service",
     [("Fargate-vCPU-Hours:perCPU", "Hrs", "FargateTask")], False),
    ("Amazon Elastic Container Service for Kubernetes",
     [("AmazonEKS-Hours:perCluster", "Hrs", "CreateOperation")], False),
    ("Amazon EC2 Container Registry (ECR)",
     [("TimedStorage-ByteHrs", "GB-Mo", "StandardStorage")], False),
    ("AmazonCloudWatch",
     [("CW:MetricMonitorUsage", "Metrics", "MetricStorage"),
      ("DataProcessing-Bytes", "GB", "PutLogEvents")], False),
    ("AWS CloudTrail", [("PaidEventsRecorded", "Events", "None")], False),
    ("AWS Config", [("ConfigurationItemRecorded", "ConfigurationItemRecorded", "None")], False),
    ("AWS Key Management Service", [("KMS-Keys", "Keys", "CreateKey")], False),
    ("AWS Secrets Manager", [("AWSSecretsManager-Secrets", "Secrets", "StorageSecret")], False),
    ("Amazon Route 53", [("HostedZone", "HostedZone", "")], True),
    ("Amazon Simple Notification Service", [("Requests-Tier1", "Requests", "")], False),
    ("Amazon Simple Queue Service", [("Requests-RBP", "Requests", "")], False),
    ("Amazon Kinesis", [("Storage-ShardHour", "ShardHour", "shardHourStorage")], False),
    ("Amazon ElastiCache",
     [("NodeUsage:cache.r6g.large", "Hrs", "CreateCacheCluster:0002")], False),
    ("Amazon OpenSearch Service", [("ESInstance:r6g.large", "Hrs", "ESDomain")], False),
    ("Amazon Redshift", [("Node:ra3.xlplus", "Hrs", "RunComputeNode:0001")], False),
    ("Amazon Athena", [("DataScannedInTB", "Terabytes", "RunQuery")], False),
    ("AWS Glue", [("ETL-DPU-Hour", "DPU-Hour", "Jobrun")], False),
    ("Amazon Elastic MapReduce", [("BoxUsage:m5.xlarge", "Hrs", "RunInstances")], False),
    ("Amazon SageMaker", [("Notebk:ml.t3.medium", "Hrs", "RunInstance")], False),
    ("Amazon API Gateway", [("ApiGatewayRequest", "Requests", "ApiGatewayRequest")], False),
    ("AWS Step Functions", [("StateTransition", "StateTransitions", "StateTransition")], False),
    ("Amazon Elastic File System", [("TimedStorage-ByteHrs", "GB-Mo", "Storage")], False),
    ("AWS Backup", [("WarmStorage-ByteHrs-EBS", "GB-Mo", "Storage")], False),
    ("AWS WAF", [("WebACL", "WebACL", "")], True),
    ("Amazon GuardDuty", [("PaidEventsAnalyzed", "Events", "")], False),
    ("AWS Security Hub", [("PaidComplianceCheck", "Checks", "")], False),
    ("Amazon Inspector", [("Inspector2-ECR-Images", "Images", "")], False),
    ("AWS Systems Manager", [("AWS-SSM-OpsItems", "OpsItems", "")], False),
    ("AWS Directory Service", [("MicrosoftAD-DC-Usage", "Hrs", "")], False),
    ("Amazon WorkSpaces", [("AutoStop-Usage:Standard", "Hrs", "")], False),
    ("AWS Data Transfer", [("DataTransfer-Regional-Bytes", "GB", "InterZone-In")], False),
    ("Amazon Simple Email Service", [("Recipients", "Count", "Send")], False),
    ("Amazon Cognito", [("CognitoUserPoolsMAU", "MAU", "")], False),
    ("AWS Amplify", [("BuildDuration", "Minutes", "")], False),
    ("AWS CodeBuild", [("Build-Min:Linux:g1.small", "Minutes", "")], False),
    ("CodePipeline", [("actionExecutionMinute", "Minutes", "")], False),
    ("AWS Cost Explorer", [("APIRequest", "Requests", "GetCostAndUsage")], True),
    ("AWS X-Ray", [("XRay-TracesStored", "Traces", "")], False),
    ("Amazon QuickSight", [("QS-User-Enterprise-Month", "Users", "")], False),
    ("AWS Support (Business)", [("Business-Support", "Dollar", "")], True),
    ("AWS Global Accelerator", [("GlobalAccelerator-Hours", "Hrs", "")], True),
    ("Amazon MQ", [("Broker:mq.m5.large", "Hrs", "CreateBroker:0001")], False),
    ("AWS Transfer Family", [("ProtocolHours", "Hrs", "")], False),
    # Hostile names: JSON escaping and UTF-8 must survive the whole pipeline.
    ('Amazon Kinesis "Data" Firehose', [("BilledBytes", "GB", "PutRecord")], False),
    ("Backslash\\Service", [("Backslash\\Usage", "N/A", "")], False),
    ("Überwachung – Ägypten 東京", [("Überwachung-Stunden", "Hrs", "")], False),
]
TAX_SERVICE = "Tax"
SERVICE_NAMES = tuple(sorted([s[0] for s in _SERVICES] + [TAX_SERVICE]))

# Services whose "Hrs" usage has a normalized-units equivalent (NormalizedUsageAmount).
_NORMALIZED = {"Amazon Elastic Compute Cloud - Compute", "Amazon Relational Database Service",
               "Amazon ElastiCache", "Amazon Elastic MapReduce"}
# Services that carry reservations: RIFee on the 1st, AmortizedCost below UnblendedCost.
_RESERVED = {"Amazon Elastic Compute Cloud - Compute", "Amazon Relational Database Service"}

_ACCOUNT_NAMES = [
    "costwatch-payer", "prod-web", "prod-data", "prod-ml", "staging-web", "staging-data",
    "dev-sandbox-01", "dev-sandbox-02", "security-audit", "log-archive", "networking",
    "shared-services", "analytics", "Müller & Söhne – Zürich", "ci-runners", "backup-vault",
    'legacy "classic"', "partner-integrations", "qa-perf", "research-東京",
]
ACCOUNT_COUNT = len(_ACCOUNT_NAMES)


@dataclasses.dataclass(frozen=True)
class Account:
    id: str  # 12 digits, may start with 0 -- never treat it as a number
    name: str


@dataclasses.dataclass(frozen=True)
class LineItem:
    """One aggregated cost line, the unit Cost Explorer groups and filters.

    ``dims`` maps Cost Explorer dimension names (SERVICE, LINKED_ACCOUNT, REGION,
    USAGE_TYPE, OPERATION, RECORD_TYPE, PURCHASE_TYPE, LINKED_ACCOUNT_NAME) to values;
    ``tags`` maps tag keys to values (a missing key means "untagged");
    ``metrics`` maps every name in METRICS to an exact Decimal.
    ``start``/``end`` delimit the day or the hour the item belongs to (UTC).
    """

    start: dt.datetime
    end: dt.datetime
    dims: dict
    tags: dict
    cost_categories: dict
    unit: str  # unit of UsageQuantity
    metrics: dict


@dataclasses.dataclass(frozen=True)
class _Subscription:
    """An account's use of one service; the static skeleton behind each day's items."""

    account: Account
    service: str
    region: str
    usage: list  # [(usage type, unit, operation)]
    base: Decimal  # typical daily unblended cost in USD
    blend: Decimal  # BlendedCost / UnblendedCost
    amortize: Decimal  # AmortizedCost / UnblendedCost
    first_day: int  # offset from history start when the service is first used
    last_day: int | None  # offset after which it is no longer used (None = still used)
    weekend_dip: bool
    tags: dict
    cost_category: str
    purchase_type: str
    free_tier: bool  # always costs exactly 0


def q(value: Decimal) -> Decimal:
    """Round to Cost Explorer's 10 fractional digits."""
    return value.quantize(QUANTUM, context=DECIMAL_CONTEXT)


def format_amount(value: Decimal) -> str:
    """Format an amount the way Cost Explorer does: plain notation, no trailing zeros,
    "0" for zero (never "-0" or "0E-10"), e.g. "0.2672917174", "-1.5", "1234"."""
    if value.is_zero():
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def add_months(day: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Dataset:
    """The generated cost history of one fictitious AWS organization.

    ``today`` is the last day with data (its data is as complete as any other day's);
    ``history_start`` defaults to the first of the month 13 months before ``today``.
    """

    def __init__(self, seed: int = 1, today: dt.date | None = None,
                 history_start: dt.date | None = None):
        self.seed = seed
        self.today = today or dt.datetime.now(dt.timezone.utc).date()
        self.history_start = history_start or add_months(self.today, -13)
        if self.history_start > self.today:
            raise ValueError("history start is after today")
        structure = random.Random(f"costwatch-ce-standin/{seed}/structure")
        self.accounts = self._make_accounts(structure)
        self.account_names = {a.id: a.name for a in self.accounts}
        self._subscriptions = self._make_subscriptions(structure)
        # Accounts with an enterprise discount (Net* metrics), tax, and credits.
        self._discount = {a.id: Decimal(0) for a in self.accounts}
        for account in structure.sample(self.accounts, 4):
            self._discount[account.id] = Decimal(structure.choice(["0.03", "0.05", "0.07"]))
        self._taxed = {a.id for a in structure.sample(self.accounts, 15)}
        # Days Cost Explorer has restated, and how often: each revision regenerates the day.
        self._revisions: dict = {}
        self._credited = {a.id for a in structure.sample(self.accounts, 3)}
        self._refunded = structure.choice(self.accounts).id

    # ----------------------------------------------------------------- structure

    @staticmethod
    def _make_accounts(rng: random.Random) -> list:
        ids: set = set()
        accounts = []
        for index, name in enumerate(_ACCOUNT_NAMES):
            while True:
                # Account 5 gets a leading zero on purpose: ids are strings, not numbers.
                first = "0" if index == 5 else str(rng.randint(1, 9))
                account_id = first + "".join(str(rng.randint(0, 9)) for _ in range(11))
                if account_id not in ids:
                    break
            ids.add(account_id)
            accounts.append(Account(account_id, name))
        return accounts

    def _make_subscriptions(self, rng: random.Random) -> list:
        history_days = (self.today - self.history_start).days + 1
        subscriptions = []
        for account_index, account in enumerate(self.accounts):
            count = rng.randint(6, 22)
            services = rng.sample(_SERVICES, count)
            if account_index == 0:  # the payer pays for support and Cost Explorer itself
                services += [s for s in _SERVICES
                             if s[0] in ("AWS Support (Business)", "AWS Cost Explorer")
                             and s not in services]
            for name, usage, is_global in services:
                region = GLOBAL_REGION if is_global else rng.choice(sorted(REGIONS))
                # Log-uniform daily cost from a fraction of a cent to a few hundred dollars;
                # a few services cost only micro-dollars to produce tiny amounts.
                if rng.random() < 0.08:
                    base = Decimal(rng.randint(1, 9999)) / Decimal(10**10)
                else:
                    base = q(Decimal(str(10 ** rng.uniform(-2, 2.6))))
                tags = {}
                if rng.random() < 0.8:
                    tags["team"] = rng.choice(TEAMS)
                if rng.random() < 0.6:
                    tags["env"] = rng.choice(ENVS)
                first_day = 0 if rng.random() < 0.85 else rng.randrange(history_days)
                last_day = None
                if rng.random() < 0.07:
                    last_day = rng.randrange(first_day, history_days)
                subscriptions.append(_Subscription(
                    account=account, service=name, region=region, usage=usage, base=base,
                    blend=Decimal(rng.randint(9700, 10300)) / 10000,
                    amortize=(Decimal(rng.randint(80, 95)) / 100 if name in _RESERVED
                              else Decimal(1)),
                    first_day=first_day, last_day=last_day,
                    weekend_dip=rng.random() < 0.5, tags=tags,
                    cost_category=rng.choice(COST_CENTERS + ("",)),
                    purchase_type=("Spot Instances" if "Spot" in usage[0][0]
                                   else "On Demand Instances"),
                    free_tier=name == "AWS Lambda" and rng.random() < 0.5,
                ))
        return subscriptions

    # ----------------------------------------------------------------- queries

    def is_estimated(self, day: dt.date) -> bool:
        """Whether Cost Explorer would flag the day as Estimated: the whole current month
        (the bill is still open) and the last few days, even across a month boundary
        (late-arriving usage); future days too."""
        return (day >= self.today.replace(day=1)
                or (self.today - day).days < ESTIMATED_TRAILING_DAYS)

    def has_data(self, day: dt.date) -> bool:
        return self.history_start <= day <= self.today

    def hourly_start(self) -> dt.datetime:
        """Earliest hour with hourly data."""
        first = self.today - dt.timedelta(days=HOURLY_DAYS - 1)
        return dt.datetime.combine(first, dt.time(), dt.timezone.utc)

    def restate(self, day: dt.date) -> int:
        """Restate a day, as Cost Explorer does while usage arrives late or at month end:
        its line items (and so every amount) are generated anew. Returns the revision."""
        self._revisions[day] = self._revisions.get(day, 0) + 1
        return self._revisions[day]

    def daily_items(self, day: dt.date) -> tuple:
        """All line items of one day (empty outside the history)."""
        if not self.has_data(day):
            return ()
        return self._daily_items(day, self._revisions.get(day, 0))

    def hourly_items(self, day: dt.date) -> tuple:
        """The day's line items split into hours (only for the last HOURLY_DAYS days).
        For each daily item and metric, the 24 hourly amounts sum exactly to the daily one."""
        start = self.hourly_start().date()
        if not (start <= day <= self.today):
            return ()
        return self._hourly_items(day, self._revisions.get(day, 0))

    # ----------------------------------------------------------------- generation

    @lru_cache(maxsize=1024)
    def _daily_items(self, day: dt.date, revision: int = 0) -> tuple:
        suffix = f"/r{revision}" if revision else ""
        rng = random.Random(f"costwatch-ce-standin/{self.seed}/day/{day.isoformat()}{suffix}")
        start = dt.datetime.combine(day, dt.time(), dt.timezone.utc)
        end = start + dt.timedelta(days=1)
        offset = (day - self.history_start).days
        growth = 1 + offset * 0.0008
        weekend = day.weekday() >= 5
        items = []
        usage_by_account: dict = {}
        biggest: dict = {}  # account -> (cost, subscription) of its most expensive service
        for sub in self._subscriptions:
            if offset < sub.first_day or (sub.last_day is not None and offset > sub.last_day):
                continue
            factor = growth * rng.uniform(0.85, 1.15) * (0.6 if weekend and sub.weekend_dip else 1)
            total = ZERO if sub.free_tier else q(sub.base * Decimal(str(factor)))
            shares = self._split_shares(total, len(sub.usage), rng)
            for (usage_suffix, unit, operation), cost in zip(sub.usage, shares):
                prefix = "" if sub.region == GLOBAL_REGION else REGIONS[sub.region]
                quantity = q(Decimal(str(rng.uniform(0.5, 2000))))
                if unit == "Hrs":
                    quantity = Decimal(rng.randint(1, 40) * 24)
                items.append(self._item(
                    start, end, sub, prefix + usage_suffix, operation, "Usage", unit,
                    unblended=cost, quantity=quantity,
                    normalized=(quantity * 4 if unit == "Hrs" and sub.service in _NORMALIZED
                                else ZERO)))
            account_id = sub.account.id
            usage_by_account[account_id] = usage_by_account.get(account_id, ZERO) + total
            if total > biggest.get(account_id, (Decimal(-1), None))[0]:
                biggest[account_id] = (total, sub)
            if day.day == 1 and sub.service in _RESERVED:
                fee = q(sub.base * 30 * (1 - sub.amortize))
                items.append(self._item(start, end, sub, "HeavyUsage:m5.large", "RunInstances",
                                        "RIFee", "Hrs", unblended=fee, amortized=ZERO,
                                        purchase_type="Standard Reserved Instances"))
        for account in self.accounts:
            usage = usage_by_account.get(account.id, ZERO)
            if account.id in self._credited and account.id in biggest:
                sub = biggest[account.id][1]
                credit = -q(biggest[account.id][0] * Decimal("0.25"))
                items.append(self._item(start, end, sub, "", "", "Credit", "N/A",
                                        unblended=credit, region=NO_REGION, discount=ZERO))
            if account.id == self._refunded and day.day == 15 and account.id in biggest:
                items.append(self._item(start, end, biggest[account.id][1], "", "", "Refund",
                                        "N/A", unblended=Decimal("-1.5"), region=NO_REGION,
                                        discount=ZERO))
            if account.id in self._taxed and usage:
                items.append(LineItem(
                    start, end,
                    dims=self._dims(account, TAX_SERVICE, NO_REGION, "", "", "Tax", ""),
                    tags={}, cost_categories={}, unit="N/A",
                    metrics=self._metrics(q(usage * Decimal("0.0725")), ZERO, ZERO,
                                          blend=Decimal(1), amortized=None, discount=ZERO)))
        return tuple(items)

    @staticmethod
    def _split_shares(total: Decimal, parts: int, rng: random.Random) -> list:
        """Split ``total`` into ``parts`` 10-decimal shares that sum to it exactly."""
        if parts == 1:
            return [total]
        first = q(total * Decimal(str(rng.uniform(0.6, 0.95))))
        return [first, total - first]

    def _dims(self, account, service, region, usage_type, operation, record_type,
              purchase_type) -> dict:
        return {
            "SERVICE": service,
            "LINKED_ACCOUNT": account.id,
            "LINKED_ACCOUNT_NAME": account.name,
            "REGION": region,
            "USAGE_TYPE": usage_type,
            "OPERATION": operation,
            "RECORD_TYPE": record_type,
            "PURCHASE_TYPE": purchase_type,
        }

    def _metrics(self, unblended, quantity, normalized, *, blend, amortized, discount) -> dict:
        amortized = unblended if amortized is None else amortized
        keep = 1 - discount
        return {
            "UnblendedCost": unblended,
            "BlendedCost": q(unblended * blend),
            "AmortizedCost": amortized,
            "NetUnblendedCost": q(unblended * keep),
            "NetAmortizedCost": q(amortized * keep),
            "UsageQuantity": quantity,
            "NormalizedUsageAmount": normalized,
        }

    def _item(self, start, end, sub, usage_type, operation, record_type, unit, *, unblended,
              quantity=ZERO, normalized=ZERO, amortized=None, region=None, discount=None,
              purchase_type=None) -> LineItem:
        if amortized is None and record_type == "Usage":
            amortized = q(unblended * sub.amortize)
        return LineItem(
            start, end,
            dims=self._dims(sub.account, sub.service, region or sub.region, usage_type,
                            operation, record_type,
                            purchase_type or (sub.purchase_type if record_type == "Usage" else "")),
            tags=dict(sub.tags),
            cost_categories={COST_CATEGORY: sub.cost_category} if sub.cost_category else {},
            unit=unit,
            metrics=self._metrics(unblended, quantity, normalized, blend=sub.blend,
                                  amortized=amortized,
                                  discount=self._discount[sub.account.id]
                                  if discount is None else discount),
        )

    @lru_cache(maxsize=32)
    def _hourly_items(self, day: dt.date, revision: int = 0) -> tuple:
        rng = random.Random(f"costwatch-ce-standin/{self.seed}/hours/{day.isoformat()}")
        hours = []
        for item in self._daily_items(day, revision):
            # Diurnal shape: busier during the (UTC) working day.
            weights = [rng.randint(20, 60) + (40 if 8 <= h < 20 else 0) for h in range(24)]
            split = {name: _split_exact(value, weights) for name, value in item.metrics.items()}
            for hour in range(24):
                start = item.start + dt.timedelta(hours=hour)
                hours.append(dataclasses.replace(
                    item, start=start, end=start + dt.timedelta(hours=1),
                    metrics={name: parts[hour] for name, parts in split.items()}))
        hours.sort(key=lambda i: i.start)
        return tuple(hours)


def _split_exact(total: Decimal, weights: list) -> list:
    """Split ``total`` proportionally to ``weights`` into 10-decimal parts whose sum is
    exactly ``total`` (each part is rounded toward zero; the last one takes the rest)."""
    weight_sum = sum(weights)
    parts = [(total * w / weight_sum).quantize(QUANTUM, rounding=decimal.ROUND_DOWN,
                                               context=DECIMAL_CONTEXT)
             for w in weights[:-1]]
    parts.append(total - sum(parts, ZERO))
    return parts

