#!/usr/bin/env python3
"""Reference implementation of `costwatch convert FILE...` (see docs/events.md).

Reads recorded Cost Explorer GetCostAndUsage answers (as `aws ce get-cost-and-usage
--output json` prints them) and writes one CloudEvent per row as JSON Lines on stdout.

This script is deliberately plain: it is both the "straightforward Python script" baseline of
bench/run.sh and an independent implementation that the C++ output is compared with byte for
byte (tests/integration/test_convert_reference.py). Standard library only.

Usage: convert_reference.py [--granularity DAILY|HOURLY|MONTHLY] [--source URI] FILE...
       (FILE may be "-" for standard input; options may also be written --opt=value)
"""

import datetime
import hashlib
import json
import sys

DEFAULT_SOURCE = "cloud.amazon.billing"
GRANULARITIES = ("DAILY", "HOURLY", "MONTHLY")


class InputError(Exception):
    pass


def lower_camel(name):
    """REGION -> region, USAGE_TYPE -> usageType, AmortizedCost -> amortizedCost."""
    if "_" in name or name.isupper():
        parts = [p for p in name.lower().split("_") if p]
        if not parts:
            return name.lower()
        return parts[0] + "".join(p[0].upper() + p[1:] for p in parts[1:])
    return name[:1].lower() + name[1:]


def netstring(fields):
    out = bytearray()
    for field in fields:
        raw = field.encode("utf-8")
        out += str(len(raw)).encode("ascii") + b":" + raw + b","
    return bytes(out)


def event_id(fields):
    return hashlib.sha256(netstring(fields)).hexdigest()[:32]


def parse_start(start):
    """Returns (datetime in UTC, has_time_of_day) for a period's Start."""
    if "T" in start:
        text = start[:-1] + "+00:00" if start.endswith("Z") else start
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise InputError("bad period Start %r" % start)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc), True
    try:
        day = datetime.date.fromisoformat(start)
    except ValueError:
        raise InputError("bad period Start %r" % start)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc), False


def infer_granularity(period):
    start = period.get("Start")
    end = period.get("End")
    if not isinstance(start, str):
        raise InputError("period without Start")
    _, has_time = parse_start(start)
    if has_time:
        return "HOURLY"
    if not isinstance(end, str):
        raise InputError("period %s without End" % start)
    end_moment, _ = parse_start(end)
    start_moment, _ = parse_start(start)
    if end_moment - start_moment == datetime.timedelta(days=1):
        return "DAILY"
    return "MONTHLY"


def account_names(response):
    """LINKED_ACCOUNT value -> name, from DimensionValueAttributes (first entry wins)."""
    names = {}
    for entry in response.get("DimensionValueAttributes") or []:
        value = entry.get("Value")
        name = (entry.get("Attributes") or {}).get("description")
        if isinstance(value, str) and isinstance(name, str) and value not in names:
            names[value] = name
    return names


def split_key(definition_key, value):
    """team$web -> (team, web); team$ -> (team, "")."""
    prefix = definition_key + "$"
    if value.startswith(prefix):
        return definition_key, value[len(prefix):]
    if "$" in value:
        return definition_key, value.split("$", 1)[1]
    return definition_key, value


def row_events(source, granularity, period, definitions, keys, metrics, estimated, names):
    start = period["Start"]
    moment, has_time = parse_start(start)
    kind = granularity.lower()

    data = {}
    if granularity == "HOURLY":
        data["start"] = start if has_time else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        data["date"] = start[:10]

    id_fields = [source, "amazon.billing." + kind, start]
    # The Partitioning extension: the account, else the service, else none (it must not be
    # empty).
    partition = {}
    for definition, value in zip(definitions, keys):
        if definition.get("Type") == "DIMENSION" and value:
            partition.setdefault(definition.get("Key"), value)
    partitionkey = partition.get("LINKED_ACCOUNT") or partition.get("SERVICE")
    for definition, value in zip(definitions, keys):
        group_type = definition.get("Type", "")
        group_key = definition.get("Key", "")
        id_fields += [group_type, group_key, value]
        if group_type == "TAG" or group_type == "COST_CATEGORY":
            member = "tags" if group_type == "TAG" else "costCategories"
            name, tag_value = split_key(group_key, value)
            data.setdefault(member, {})[name] = tag_value
        elif group_key == "SERVICE":
            data["service"] = value
        elif group_key == "LINKED_ACCOUNT":
            data["account"] = value
            if value in names:
                data["accountName"] = names[value]
        else:
            data[lower_camel(group_key)] = value

    data["estimated"] = bool(estimated)
    for name, metric in metrics.items():
        data[lower_camel(name)] = {"amount": metric.get("Amount"), "unit": metric.get("Unit")}
    for name in sorted(metrics, key=lambda n: n.encode("utf-8")):
        id_fields += [name, metrics[name].get("Amount"), metrics[name].get("Unit")]

    event = {
        "specversion": "1.0",
        "id": event_id(id_fields),
        "source": source,
        "type": "amazon.billing." + kind,
        "datacontenttype": "application/json",
        "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if partitionkey:
        event["partitionkey"] = partitionkey
    event["data"] = data
    return event


def convert(response, source, forced_granularity):
    if not isinstance(response, dict) or not isinstance(response.get("ResultsByTime"), list):
        raise InputError("not a GetCostAndUsage answer: no ResultsByTime array")
    definitions = response.get("GroupDefinitions") or []
    names = account_names(response)
    for result in response["ResultsByTime"]:
        period = result.get("TimePeriod") or {}
        granularity = forced_granularity or infer_granularity(period)
        estimated = result.get("Estimated", False)
        if definitions:
            for group in result.get("Groups") or []:
                yield row_events(source, granularity, period, definitions, group.get("Keys") or [],
                                 group.get("Metrics") or {}, estimated, names)
        elif result.get("Total"):
            yield row_events(source, granularity, period, [], [], result["Total"], estimated,
                             names)


def main(argv):
    source = DEFAULT_SOURCE
    granularity = None
    files = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            files += args
            break
        if arg.startswith("--") and arg != "-":
            name, eq, value = arg.partition("=")
            if name not in ("--granularity", "--source"):
                print("convert_reference.py: unknown option %s" % name, file=sys.stderr)
                return 2
            if not eq:
                if not args:
                    print("convert_reference.py: %s needs a value" % name, file=sys.stderr)
                    return 2
                value = args.pop(0)
            if name == "--source":
                source = value
            else:
                granularity = value.upper()
                if granularity not in GRANULARITIES:
                    print("convert_reference.py: bad granularity %r" % value, file=sys.stderr)
                    return 2
        else:
            files.append(arg)
    if not files:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2

    # Like costwatch, all or nothing: the events of every file, or only an error.
    chunks = []
    for path in files:
        try:
            if path == "-":
                response = json.loads(sys.stdin.buffer.read().decode("utf-8"))
            else:
                with open(path, "rb") as f:
                    response = json.loads(f.read().decode("utf-8"))
            lines = [json.dumps(event, ensure_ascii=False, separators=(",", ":"))
                     for event in convert(response, source, granularity)]
        except (OSError, ValueError, InputError, AttributeError, TypeError) as e:
            print("convert_reference.py: %s: %s" % (path, e), file=sys.stderr)
            return 1
        if lines:
            chunks.append(("\n".join(lines) + "\n").encode("utf-8"))
    sys.stdout.buffer.write(b"".join(chunks))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
