#!/usr/bin/env python3
"""Writes a large, deterministic recorded Cost Explorer dataset for bench/run.sh.

The files look exactly like `aws ce get-cost-and-usage --output json > FILE` output: the AWS CLI
(v1 and v2, awscli/formatter.py JSONFormatter) prints the parsed response with
json.dump(response, indent=4, ensure_ascii=False) plus a newline, members in the order of the
service model (NextPageToken, GroupDefinitions, ResultsByTime, DimensionValueAttributes;
TimePeriod, Total, Groups, Estimated; Keys, Metrics; Amount, Unit), without ResponseMetadata.

Default shape: 14 days HOURLY x 50 services x 20 linked accounts, grouped by SERVICE and
LINKED_ACCOUNT, metrics AmortizedCost and UnblendedCost, one file per day (each a complete
answer, no NextPageToken). --split page instead cuts the whole range into pages of
--page-groups groups the way Cost Explorer paginates (every page but the last carries a
NextPageToken); --split none writes one file.
"""

import argparse
import datetime
import json
import os
import random
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

REAL_SERVICES = [
    "Amazon Elastic Compute Cloud - Compute",
    "EC2 - Other",
    "Amazon Simple Storage Service",
    "Amazon Relational Database Service",
    "Amazon CloudFront",
    "AWS Lambda",
    "Amazon DynamoDB",
    "Amazon Virtual Private Cloud",
    "Amazon Elastic Load Balancing",
    "AmazonCloudWatch",
    "AWS Key Management Service",
    "Amazon Route 53",
    "Amazon Simple Queue Service",
    "Amazon Simple Notification Service",
    "AWS Config",
    "AWS CloudTrail",
    "Amazon Elastic Container Service",
    "Amazon Elastic Container Service for Kubernetes",
    "Amazon EC2 Container Registry (ECR)",
    "Amazon ElastiCache",
    "Amazon OpenSearch Service",
    "Amazon Kinesis",
    "AWS Glue",
    "Amazon Athena",
    "Amazon Redshift",
    "AWS Secrets Manager",
    "AWS Systems Manager",
    "Amazon GuardDuty",
    "AWS Security Hub",
    "Amazon API Gateway",
    "AWS Step Functions",
    "Amazon Elastic File System",
    "AWS Backup",
    "Amazon SageMaker",
    "AWS WAF",
    "AWS Shield",
    "Amazon Cognito",
    "AWS Support (Business)",
    "Savings Plans for AWS Compute usage",
    "Tax",
]

ODD_SERVICES = [
    'AWS Marketplace: "Acme" Widgets',
    "Backslash\\Service C:\\Program Files\\x",
    "Datadog Pro (Pay-As-You-Go) \u2013 \u00dcberwachung",
    "\u30c7\u30fc\u30bf\u5206\u6790\u30b5\u30fc\u30d3\u30b9 (Tokyo)",
    "Rocket \U0001f680 Launcher / Stars \u2728",
    "Zo\u00eb's \"quoted\\escaped\" service",
    "Trailing space ",
    "Caf\u00e9 \u00e0 la carte \u20ac",
    "Slash/Separated/Name",
    "Tab-free but {braces} [brackets] and , commas : colons",
]

ACCOUNT_NAMES = [
    "prod-web", "prod-data", "staging", "dev", "sandbox", "security", "logging", "shared-services",
    "Zo\u00eb's \"sandbox\"", "ml-training", "analytics", "billing\\finance", "networking",
    "\u30c6\u30b9\u30c8\u74b0\u5883", "backup", "ci-runners", "edge", "legacy", "partner-eu",
    "partner-us",
]


def service_names(count):
    names = []
    real = iter(REAL_SERVICES)
    odd = iter(ODD_SERVICES)
    # One odd name every fifth service, real names elsewhere, synthetic names when both run out.
    for i in range(count):
        source = odd if i % 5 == 4 else real
        name = next(source, None) or next(real, None) or next(odd, None)
        names.append(name if name is not None else "Synthetic Service %03d" % i)
    return sorted(names)  # Cost Explorer lists groups in key order


def accounts(count, rng):
    ids = sorted({"%012d" % rng.randrange(10**11, 10**12) for _ in range(count * 2)})[:count]
    return [(account_id, ACCOUNT_NAMES[i % len(ACCOUNT_NAMES)] if i < len(ACCOUNT_NAMES)
             else "account-%d" % i) for i, account_id in enumerate(ids)]


def amount_text(units):
    """An integer count of 1e-10 USD as Cost Explorer prints it: up to 10 decimals, no
    trailing zeros, "0" for zero."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    whole, frac = divmod(units, 10**10)
    if frac == 0:
        return sign + str(whole) if units else "0"
    return "%s%d.%s" % (sign, whole, ("%010d" % frac).rstrip("0"))


class CostModel:
    def __init__(self, services, account_list, rng, hourly):
        self.rng = rng
        per_period = 1.0 if hourly else 24.0
        self.base = {}
        for s, service in enumerate(services):
            for a, (account_id, _) in enumerate(account_list):
                # Log-normal spread: most combinations cost fractions of a cent, a few dollars.
                rate = rng.lognormvariate(-6.0, 2.5) * per_period
                credit = (s * 7 + a) % 41 == 0 or service == "Savings Plans for AWS Compute usage"
                amortized_share = rng.choice((1.0, 1.0, 1.0, 0.62, 0.8))
                self.base[(service, account_id)] = (rate, credit, amortized_share)

    def metrics(self, service, account_id):
        rate, credit, amortized_share = self.base[(service, account_id)]
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            unblended = 0
        else:
            unblended = int(rate * rng.uniform(0.5, 1.5) * 10**10)
            if roll < 0.08:  # tiny usage: a few millionths
                unblended = rng.randrange(1, 10**5)
        if credit and rng.random() < 0.5:
            unblended = -unblended
        amortized = int(unblended * amortized_share)
        return {
            "AmortizedCost": {"Amount": amount_text(amortized), "Unit": "USD"},
            "UnblendedCost": {"Amount": amount_text(unblended), "Unit": "USD"},
        }


def periods(start, days, hourly):
    for d in range(days):
        day = start + datetime.timedelta(days=d)
        if hourly:
            for h in range(24):
                begin = datetime.datetime(day.year, day.month, day.day, h)
                end = begin + datetime.timedelta(hours=1)
                yield d, begin.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            yield d, day.isoformat(), (day + datetime.timedelta(days=1)).isoformat()


def response(results, dimension_values, token=None):
    answer = {}
    if token is not None:
        answer["NextPageToken"] = token
    answer["GroupDefinitions"] = [
        {"Type": "DIMENSION", "Key": "SERVICE"},
        {"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"},
    ]
    answer["ResultsByTime"] = results
    answer["DimensionValueAttributes"] = dimension_values
    return answer


def write(path, answer):
    text = json.dumps(answer, indent=4, ensure_ascii=False) + "\n"
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "data"),
                        help="output directory (default: bench/data); its *.json are replaced")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--granularity", choices=("HOURLY", "DAILY"), default="HOURLY")
    parser.add_argument("--start", default="2023-01-15", help="first day (YYYY-MM-DD)")
    parser.add_argument("--estimated-days", type=int, default=2,
                        help="how many of the last days AWS still marks Estimated")
    parser.add_argument("--split", choices=("day", "page", "none"), default="day",
                        help="one file per day (default), per page of --page-groups, or one file")
    parser.add_argument("--page-groups", type=int, default=5000,
                        help="groups per page with --split page")
    parser.add_argument("--seed", type=int, default=20230115)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    hourly = args.granularity == "HOURLY"
    services = service_names(args.services)
    account_list = accounts(args.accounts, rng)
    model = CostModel(services, account_list, rng, hourly)
    # The last account has no entry, so one account in twenty gives no accountName.
    dimension_values = [{"Value": account_id, "Attributes": {"description": name}}
                        for account_id, name in account_list[:-1]]
    start = datetime.date.fromisoformat(args.start)

    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".json"):
            os.remove(os.path.join(args.out, old))

    files = []
    total_bytes = 0
    rows = 0

    def emit(name, answer):
        nonlocal total_bytes
        total_bytes += write(os.path.join(args.out, name), answer)
        files.append(name)

    page, page_groups, page_number = [], 0, 1
    current_day, day_results = None, []
    for day_index, begin, end in periods(start, args.days, hourly):
        estimated = day_index >= args.days - args.estimated_days
        groups = []
        for service in services:
            for account_id, _ in account_list:
                groups.append({"Keys": [service, account_id],
                               "Metrics": model.metrics(service, account_id)})
        rows += len(groups)

        if args.split == "day":
            if current_day is not None and day_index != current_day:
                emit("cost-%s.json" % (start + datetime.timedelta(days=current_day)),
                     response(day_results, dimension_values))
                day_results = []
            current_day = day_index
            day_results.append({"TimePeriod": {"Start": begin, "End": end}, "Total": {},
                                "Groups": groups, "Estimated": estimated})
            continue

        if args.split == "none":
            page.append({"TimePeriod": {"Start": begin, "End": end}, "Total": {},
                         "Groups": groups, "Estimated": estimated})
            continue

        # Pages of at most page_groups groups; a period may continue on the next page.
        while groups:
            take = groups[:args.page_groups - page_groups]
            groups = groups[len(take):]
            page.append({"TimePeriod": {"Start": begin, "End": end}, "Total": {},
                         "Groups": take, "Estimated": estimated})
            page_groups += len(take)
            if page_groups >= args.page_groups:
                token = "bench-page-%04d" % (page_number + 1)
                emit("cost-page-%04d.json" % page_number, response(page, dimension_values, token))
                page, page_groups, page_number = [], 0, page_number + 1

    if args.split == "day" and day_results:
        emit("cost-%s.json" % (start + datetime.timedelta(days=current_day)),
             response(day_results, dimension_values))
    elif args.split == "page" and page:
        emit("cost-page-%04d.json" % page_number, response(page, dimension_values))
    elif args.split == "none":
        emit("cost.json", response(page, dimension_values))

    manifest = {"files": len(files), "rows": rows, "bytes": total_bytes,
                "args": {k: v for k, v in vars(args).items() if k != "out"}}
    with open(os.path.join(args.out, "MANIFEST"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote %d files to %s: %d rows, %d bytes (%.1f MB)"
          % (len(files), args.out, rows, total_bytes, total_bytes / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
