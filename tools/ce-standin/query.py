"""Cost Explorer query semantics over a Dataset: GetCostAndUsage, GetDimensionValues and
GetCostForecast.

Everything here works on parsed JSON request dicts and returns JSON-ready dicts; HTTP,
signatures and faults live in server.py. Validation messages follow what Cost Explorer
answers where we know it, so client error handling sees realistic text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
from decimal import Decimal

from dataset import (COST_METRICS, DECIMAL_CONTEXT, METRICS, ZERO, Dataset, add_months,
                     format_amount, q)
from errors import ApiError, validation

GRANULARITIES = ("DAILY", "MONTHLY", "HOURLY")
GROUP_TYPES = ("DIMENSION", "TAG", "COST_CATEGORY")
# Dimensions the generated data carries, usable in GroupBy and Filter.
GROUPABLE_DIMENSIONS = ("SERVICE", "LINKED_ACCOUNT", "REGION", "USAGE_TYPE", "OPERATION",
                        "RECORD_TYPE", "PURCHASE_TYPE")
FILTERABLE_DIMENSIONS = GROUPABLE_DIMENSIONS + ("LINKED_ACCOUNT_NAME",)
# Every Dimension in the CE model; valid in requests, but the stand-in has no data for them.
MODEL_DIMENSIONS = (
    "AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "PAYER_ACCOUNT", "LINKED_ACCOUNT_NAME",
    "OPERATION", "PURCHASE_TYPE", "REGION", "SERVICE", "SERVICE_CODE", "USAGE_TYPE",
    "USAGE_TYPE_GROUP", "RECORD_TYPE", "OPERATING_SYSTEM", "TENANCY", "SCOPE", "PLATFORM",
    "SUBSCRIPTION_ID", "LEGAL_ENTITY_NAME", "DEPLOYMENT_OPTION", "DATABASE_ENGINE",
    "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "BILLING_ENTITY", "RESERVATION_ID", "RESOURCE_ID",
    "RIGHTSIZING_TYPE", "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "PAYMENT_OPTION",
    "AGREEMENT_END_DATE_TIME_AFTER", "AGREEMENT_END_DATE_TIME_BEFORE", "INVOICING_ENTITY",
    "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "ANOMALY_TOTAL_IMPACT_PERCENTAGE")
MATCH_OPTIONS = ("EQUALS", "ABSENT", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CASE_SENSITIVE",
                 "CASE_INSENSITIVE", "GREATER_THAN_OR_EQUAL")
EXPRESSION_ROOTS = ("And", "Or", "Not", "Dimensions", "Tags", "CostCategories")
MSG_INVALID_TOKEN = "The pagination token is invalid. Try again without a pagination token."
MSG_REQUEST_CHANGED = ("Your request parameters changed between pages. Try again with the old "
                       "parameters or without a pagination token.")

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")
_HOUR = dt.timedelta(hours=1)
_DAY = dt.timedelta(days=1)


# ------------------------------------------------------------------------- parsing helpers

def _metric_lookup(name) -> str | None:
    """Canonical metric for a requested name; CE accepts "UnblendedCost", "unblendedCost"
    and "UNBLENDED_COST" alike and echoes the requested spelling as the result key."""
    if not isinstance(name, str):
        return None
    folded = name.replace("_", "").lower()
    return next((m for m in METRICS if m.lower() == folded), None)


def _parse_metrics(metrics) -> list:
    """[(requested name, canonical name)] in request order, without duplicates."""
    if not metrics or not isinstance(metrics, list):
        raise validation("Metrics cannot be null or empty. Valid values are: "
                         + ", ".join(METRICS))
    result, seen = [], set()
    for name in metrics:
        canonical = _metric_lookup(name)
        if canonical is None:
            raise validation(f"Metric {name} is not supported. Valid values are: "
                             + ", ".join(METRICS))
        if name not in seen:
            seen.add(name)
            result.append((name, canonical))
    return result


def _parse_time(value, field: str, allow_hour: bool) -> dt.datetime:
    if not isinstance(value, str):
        raise validation(f"{field} date is required in the TimePeriod")
    match = _DATE.match(value) or (_DATETIME.match(value) if allow_hour else None)
    if match is None:
        if _DATETIME.match(value):
            raise validation(f"Time period with hours ('{value}') is only supported for "
                             "HOURLY granularity")
        raise validation(f"Invalid {field.lower()} date '{value}': expected YYYY-MM-DD"
                         + (" or YYYY-MM-DDThh:mm:ssZ" if allow_hour else ""))
    try:
        parts = [int(p) for p in match.groups()]
        return dt.datetime(*parts, tzinfo=dt.timezone.utc)
    except ValueError:
        raise validation(f"Invalid {field.lower()} date '{value}'")


def _parse_interval(period, allow_hour: bool) -> tuple:
    if not isinstance(period, dict):
        raise validation("TimePeriod is required")
    start = _parse_time(period.get("Start"), "Start", allow_hour)
    end = _parse_time(period.get("End"), "End", allow_hour)
    if start >= end:
        raise validation("Start date (and hour) should be before end date (and hour)")
    return start, end


def _parse_group_by(group_by) -> list:
    if group_by is None:
        return []
    if not isinstance(group_by, list):
        raise validation("GroupBy must be a list of group definitions")
    if len(group_by) > 2:
        raise validation("You can only group by up to two different groups: GroupBy has "
                         f"{len(group_by)} elements")
    groups = []
    for definition in group_by:
        kind = definition.get("Type") if isinstance(definition, dict) else None
        key = definition.get("Key") if isinstance(definition, dict) else None
        if kind not in GROUP_TYPES:
            raise validation(f"Group Definition Type {kind} is invalid. Valid values are: "
                             + ", ".join(GROUP_TYPES))
        if not isinstance(key, str) or not key:
            raise validation("Group Definition Key cannot be null or empty")
        if kind == "DIMENSION" and key not in GROUPABLE_DIMENSIONS:
            if key in MODEL_DIMENSIONS:
                raise validation(f"Group by dimension {key} is not supported by ce-standin; "
                                 "supported: " + ", ".join(GROUPABLE_DIMENSIONS))
            raise validation(f"Group Definition dimension is invalid. Valid values are "
                             + ", ".join(GROUPABLE_DIMENSIONS))
        if (kind, key) in groups:
            raise validation("Group Definitions must be unique; duplicate: "
                             f"Type={kind}, Key={key}")
        groups.append((kind, key))
    return groups


def _check_expression(expression, depth: int = 0) -> None:
    if not isinstance(expression, dict):
        raise validation("Expression must be an object")
    roots = [k for k in EXPRESSION_ROOTS if expression.get(k) is not None]
    if len(roots) != 1:
        raise validation("Expression has more than one roots. Only one root operator is "
                         "allowed for each expression: And, Or, Not, Dimensions, Tags, "
                         "CostCategories" if roots else
                         "Expression must have exactly one root operator: And, Or, Not, "
                         "Dimensions, Tags, CostCategories")
    root = roots[0]
    value = expression[root]
    if root in ("And", "Or"):
        if not isinstance(value, list) or len(value) < 2:
            raise validation(f"{root} expression must have at least 2 operands")
        for operand in value:
            _check_expression(operand, depth + 1)
    elif root == "Not":
        _check_expression(value, depth + 1)
    else:
        if not isinstance(value, dict):
            raise validation(f"{root} must be an object with Key and Values")
        key = value.get("Key")
        if root == "Dimensions" and key not in FILTERABLE_DIMENSIONS:
            if key in MODEL_DIMENSIONS:
                raise validation(f"Filter on dimension {key} is not supported by ce-standin")
            raise validation(f"Dimension {key} is invalid. Valid values are: "
                             + ", ".join(FILTERABLE_DIMENSIONS))
        if not isinstance(key, str):
            raise validation(f"{root} Key cannot be null")
        options = value.get("MatchOptions") or []
        if not isinstance(options, list) or any(o not in MATCH_OPTIONS for o in options):
            raise validation(f"MatchOptions {options} are invalid. Valid values are: "
                             + ", ".join(MATCH_OPTIONS))
        values = value.get("Values")
        if values is None and "ABSENT" not in options:
            raise validation(f"{root} Values cannot be null")
        if values is not None and (not isinstance(values, list)
                                   or not all(isinstance(v, str) for v in values)):
            raise validation(f"{root} Values must be a list of strings")


def _matches(actual: str, spec: dict) -> bool:
    options = spec.get("MatchOptions") or ["EQUALS"]
    values = spec.get("Values") or []
    if "ABSENT" in options and actual == "":
        return True
    if "CASE_INSENSITIVE" in options:
        actual, values = actual.lower(), [v.lower() for v in values]
    if "STARTS_WITH" in options:
        return any(actual.startswith(v) for v in values)
    if "ENDS_WITH" in options:
        return any(actual.endswith(v) for v in values)
    if "CONTAINS" in options:
        return any(v in actual for v in values)
    if "EQUALS" in options or not set(options) - {"CASE_SENSITIVE", "CASE_INSENSITIVE"}:
        return actual in values
    return False


def matches_filter(item, expression) -> bool:
    """Evaluate a (validated) Expression against a line item."""
    if expression is None:
        return True
    if expression.get("And") is not None:
        return all(matches_filter(item, e) for e in expression["And"])
    if expression.get("Or") is not None:
        return any(matches_filter(item, e) for e in expression["Or"])
    if expression.get("Not") is not None:
        return not matches_filter(item, expression["Not"])
    if expression.get("Dimensions") is not None:
        spec = expression["Dimensions"]
        return _matches(item.dims.get(spec["Key"], ""), spec)
    if expression.get("Tags") is not None:
        spec = expression["Tags"]
        return _matches(item.tags.get(spec["Key"], ""), spec)
    spec = expression["CostCategories"]
    return _matches(item.cost_categories.get(spec["Key"], ""), spec)


def group_key(item, groups: list) -> tuple:
    """The Keys of the group an item belongs to, e.g. ("AWS Lambda", "team$web")."""
    keys = []
    for kind, key in groups:
        if kind == "DIMENSION":
            keys.append(item.dims[key])
        elif kind == "TAG":
            keys.append(f"{key}${item.tags.get(key, '')}")
        else:
            keys.append(f"{key}${item.cost_categories.get(key, '')}")
    return tuple(keys)


# ------------------------------------------------------------------------- periods

def periods(start: dt.datetime, end: dt.datetime, granularity: str) -> list:
    """Result periods: calendar days/months/hours clipped to [start, end)."""
    result = []
    cursor = start
    while cursor < end:
        if granularity == "HOURLY":
            boundary = cursor.replace(minute=0, second=0) + _HOUR
        elif granularity == "DAILY":
            boundary = cursor.replace(hour=0, minute=0, second=0) + _DAY
        else:
            boundary = dt.datetime.combine(add_months(cursor.date(), 1), dt.time(),
                                           dt.timezone.utc)
        result.append((cursor, min(boundary, end)))
        cursor = boundary
    return result


def format_time(moment: dt.datetime, granularity: str) -> str:
    if granularity == "HOURLY":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%d")


def _days(start: dt.datetime, end: dt.datetime):
    """Dates touched by [start, end)."""
    day = start.date()
    while dt.datetime.combine(day, dt.time(), dt.timezone.utc) < end:
        yield day
        day += _DAY


# ------------------------------------------------------------------------- the engine

class CostExplorer:
    """The three CE operations over one Dataset. ``page_size`` is the number of groups per
    GetCostAndUsage page (summed over all periods of the page)."""

    def __init__(self, dataset: Dataset, page_size: int = 500):
        self.dataset = dataset
        self.page_size = page_size
        self._token_key = hashlib.sha256(f"ce-standin-token/{dataset.seed}".encode()).digest()

    # --- GetCostAndUsage --------------------------------------------------------------

    def get_cost_and_usage(self, request: dict) -> dict:
        granularity = request.get("Granularity")
        if granularity not in GRANULARITIES:
            raise validation(f"Granularity {granularity} is invalid. Valid values are: "
                             "DAILY, MONTHLY, HOURLY")
        start, end = _parse_interval(request.get("TimePeriod"), granularity == "HOURLY")
        metrics = _parse_metrics(request.get("Metrics"))
        groups = _parse_group_by(request.get("GroupBy"))
        expression = request.get("Filter")
        if expression is not None:
            _check_expression(expression)
        self._check_range(start, granularity)

        results = [self._aggregate(p_start, p_end, granularity, metrics, groups, expression)
                   for p_start, p_end in periods(start, end, granularity)]
        page_index = self._page_from_token(request)
        pages = self._paginate(results) if groups else [results]
        if page_index >= len(pages):
            raise ApiError("InvalidNextTokenException", MSG_INVALID_TOKEN)

        response = {}
        if groups:
            response["GroupDefinitions"] = [{"Type": k, "Key": key} for k, key in groups]
        response["ResultsByTime"] = pages[page_index]
        response["DimensionValueAttributes"] = self._account_attributes(pages[page_index],
                                                                        groups)
        if page_index + 1 < len(pages):
            response["NextPageToken"] = self._make_token(request, page_index + 1)
        return response

    def _check_range(self, start: dt.datetime, granularity: str) -> None:
        data = self.dataset
        if start.date() > data.today:
            raise validation(f"Start date {start.date()} must be on or before the current "
                             f"date {data.today}")
        if start.date() < data.history_start:
            raise validation(f"start date is too old: data is available from "
                             f"{data.history_start}")
        if granularity == "HOURLY" and start < data.hourly_start():
            raise validation("Hourly granularity is only available for the last 14 days: "
                             "start date must be on or after "
                             + format_time(data.hourly_start(), "HOURLY"))

    def _items(self, start: dt.datetime, end: dt.datetime, granularity: str):
        for day in _days(start, end):
            if granularity == "HOURLY":
                for item in self.dataset.hourly_items(day):
                    if start <= item.start < end:
                        yield item
            else:
                yield from self.dataset.daily_items(day)

    def _aggregate(self, start, end, granularity, metrics, groups, expression) -> dict:
        sums: dict = {}  # group key -> {canonical metric: Decimal}
        units: dict = {}  # group key -> set of UsageQuantity units
        wanted = sorted({canonical for _, canonical in metrics})
        for item in self._items(start, end, granularity):
            if not matches_filter(item, expression):
                continue
            key = group_key(item, groups)
            totals = sums.get(key)
            if totals is None:
                totals = sums[key] = {m: ZERO for m in wanted}
                units[key] = set()
            for metric in wanted:
                totals[metric] += item.metrics[metric]
            units[key].add(item.unit)

        def metric_values(key) -> dict:
            totals = sums.get(key, {m: ZERO for m in wanted})
            return {name: _metric_value(canonical, totals[canonical], units.get(key, set()))
                    for name, canonical in metrics}

        result = {"TimePeriod": {"Start": format_time(start, granularity),
                                 "End": format_time(end, granularity)}}
        if groups:
            result["Total"] = {}
            result["Groups"] = [{"Keys": list(key), "Metrics": metric_values(key)}
                                for key in sorted(sums)]
        else:
            result["Total"] = metric_values(())
            result["Groups"] = []
        result["Estimated"] = any(self.dataset.is_estimated(d) for d in _days(start, end))
        return result

    def _paginate(self, results: list) -> list:
        """Split grouped results into pages of at most page_size groups. A period whose
        groups straddle a page boundary appears on both pages with its share of groups,
        as real Cost Explorer does; a period without groups sits on the page where it falls."""
        pages = [[]]
        used = 0
        for result in results:
            groups = result["Groups"]
            if not groups:
                pages[-1].append(result)
                continue
            index = 0
            while index < len(groups):
                if used == self.page_size:
                    pages.append([])
                    used = 0
                take = groups[index:index + self.page_size - used]
                pages[-1].append(dict(result, Groups=take))
                used += len(take)
                index += len(take)
        return pages

    def _account_attributes(self, page: list, groups: list) -> list:
        positions = [i for i, (kind, key) in enumerate(groups)
                     if kind == "DIMENSION" and key == "LINKED_ACCOUNT"]
        if not positions:
            return []
        seen: dict = {}
        for result in page:
            for group in result["Groups"]:
                account_id = group["Keys"][positions[0]]
                seen.setdefault(account_id, self.dataset.account_names.get(account_id, ""))
        return [{"Value": account_id, "Attributes": {"description": name}}
                for account_id, name in seen.items()]

    # --- pagination tokens ------------------------------------------------------------
    # A token is base64url(JSON {page, request fingerprint}) + "." + HMAC, so a tampered
    # or foreign token is rejected (InvalidNextTokenException) and a token replayed with
    # different parameters is detected (RequestChangedException).

    @staticmethod
    def _fingerprint(request: dict) -> str:
        stripped = {k: v for k, v in request.items() if k != "NextPageToken"}
        canonical = json.dumps(stripped, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]

    def _make_token(self, request: dict, page: int) -> str:
        payload = json.dumps({"page": page, "request": self._fingerprint(request)},
                             separators=(",", ":")).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        mac = hmac.new(self._token_key, body.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{body}.{mac}"

    def _page_from_token(self, request: dict) -> int:
        token = request.get("NextPageToken")
        if token is None:
            return 0
        if not isinstance(token, str) or token.count(".") != 1:
            raise ApiError("InvalidNextTokenException", MSG_INVALID_TOKEN)
        body, mac = token.split(".")
        expected = hmac.new(self._token_key, body.encode(), hashlib.sha256).hexdigest()[:32]
        if not hmac.compare_digest(mac, expected):
            raise ApiError("InvalidNextTokenException", MSG_INVALID_TOKEN)
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            page, fingerprint = int(payload["page"]), payload["request"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise ApiError("InvalidNextTokenException", MSG_INVALID_TOKEN)
        if fingerprint != self._fingerprint(request):
            raise ApiError("RequestChangedException", MSG_REQUEST_CHANGED)
        return page

    # --- GetDimensionValues -----------------------------------------------------------

    def get_dimension_values(self, request: dict) -> dict:
        start, end = _parse_interval(request.get("TimePeriod"), allow_hour=False)
        dimension = request.get("Dimension")
        if dimension not in FILTERABLE_DIMENSIONS:
            raise validation(f"Dimension {dimension} is not supported by ce-standin; "
                             "supported: " + ", ".join(FILTERABLE_DIMENSIONS))
        context = request.get("Context", "COST_AND_USAGE")
        if context != "COST_AND_USAGE":
            raise validation(f"Context {context} is not supported by ce-standin")
        expression = request.get("Filter")
        if expression is not None:
            _check_expression(expression)
        search = (request.get("SearchString") or "").lower()
        values = set()
        for item in self._items(start, end, "DAILY"):
            value = item.dims[dimension]
            if search in value.lower() and matches_filter(item, expression):
                values.add(value)
        max_results = request.get("MaxResults") or 1000
        listed = sorted(values)[:max_results]
        attributes = (lambda v: {"description": self.dataset.account_names.get(v, "")}) \
            if dimension == "LINKED_ACCOUNT" else (lambda v: {})
        return {"DimensionValues": [{"Value": v, "Attributes": attributes(v)} for v in listed],
                "ReturnSize": len(listed), "TotalSize": len(values)}

    # --- GetCostForecast --------------------------------------------------------------
    # Not a model of AWS's forecasting, but deterministic and exact, so tests can recompute
    # every figure: the mean daily cost of the FORECAST_HISTORY_DAYS complete days before
    # --today (today's costs are still arriving, as on real CE), times the days of each
    # forecast period, with prediction bounds +-(level/4)% around it.

    def get_cost_forecast(self, request: dict) -> dict:
        metric = forecast_metric(request.get("Metric"))
        granularity = request.get("Granularity")
        if granularity not in FORECAST_GRANULARITIES:
            raise validation(f"Granularity {granularity} is invalid for GetCostForecast. "
                             "Valid values are: DAILY, MONTHLY")
        start, end = _parse_interval(request.get("TimePeriod"), allow_hour=False)
        today = self.dataset.today
        if start.date() < today:
            raise validation(f"Start date {start.date()} must be on or after the current "
                             f"date {today}")
        longest = FORECAST_MAX_DAYS[granularity]
        if (end - start).days > longest:
            raise validation(f"A {granularity} forecast covers at most {longest} days; "
                             f"{start.date()} to {end.date()} is {(end - start).days} days")
        level = prediction_interval_level(request.get("PredictionIntervalLevel"))
        expression = request.get("Filter")
        if expression is not None:
            _check_expression(expression)

        history = self.forecast_history(metric, expression)
        results, total = [], ZERO
        for p_start, p_end in periods(start, end, granularity):
            mean, lower, upper = forecast_amounts(history, (p_end - p_start).days, level)
            total += mean
            results.append({"TimePeriod": {"Start": format_time(p_start, granularity),
                                           "End": format_time(p_end, granularity)},
                            "MeanValue": format_amount(mean),
                            "PredictionIntervalLowerBound": format_amount(lower),
                            "PredictionIntervalUpperBound": format_amount(upper)})
        return {"Total": {"Amount": format_amount(total), "Unit": "USD"},
                "ForecastResultsByTime": results}

    def forecast_history(self, metric: str, expression) -> Decimal:
        """The metric's sum over the history window; DataUnavailableException when the
        dataset does not reach back that far or nothing in the window matches the filter
        (real CE answers the same for an account too new or a filter without costs)."""
        data = self.dataset
        first = data.today - FORECAST_HISTORY_DAYS * _DAY
        if first < data.history_start:
            raise ApiError("DataUnavailableException", MSG_FORECAST_UNAVAILABLE)
        window_end = dt.datetime.combine(data.today, dt.time(), dt.timezone.utc)
        items = [item for item in self._items(window_end - FORECAST_HISTORY_DAYS * _DAY,
                                              window_end, "DAILY")
                 if matches_filter(item, expression)]
        if not items:
            raise ApiError("DataUnavailableException", MSG_FORECAST_UNAVAILABLE)
        return sum((item.metrics[metric] for item in items), ZERO)


# ------------------------------------------------------------------------- forecasts

# GetCostForecast takes its own spelling of the cost metrics (USAGE_QUANTITY and
# NORMALIZED_USAGE_AMOUNT belong to GetUsageForecast).
FORECAST_METRICS = {"AMORTIZED_COST": "AmortizedCost", "BLENDED_COST": "BlendedCost",
                    "NET_AMORTIZED_COST": "NetAmortizedCost",
                    "NET_UNBLENDED_COST": "NetUnblendedCost", "UNBLENDED_COST": "UnblendedCost"}
FORECAST_GRANULARITIES = ("DAILY", "MONTHLY")
# "You can get 3 months of DAILY forecasts or 12 months of MONTHLY forecasts" (the API
# reference), counted here in days.
FORECAST_MAX_DAYS = {"DAILY": 92, "MONTHLY": 366}
FORECAST_HISTORY_DAYS = 28
DEFAULT_PREDICTION_INTERVAL_LEVEL = 80
MSG_FORECAST_UNAVAILABLE = "Insufficient amount of historical data to generate forecast."


def forecast_metric(name) -> str:
    """The dataset metric behind a GetCostForecast Metric, or ValidationException."""
    if name not in FORECAST_METRICS:
        raise validation(f"Metric {name} is invalid for GetCostForecast. Valid values are: "
                         + ", ".join(FORECAST_METRICS))
    return FORECAST_METRICS[name]


def prediction_interval_level(value) -> int:
    if value is None:
        return DEFAULT_PREDICTION_INTERVAL_LEVEL
    if isinstance(value, bool) or not isinstance(value, int) or not 51 <= value <= 99:
        raise validation(f"PredictionIntervalLevel {value} is invalid: it must be an integer "
                         "from 51 to 99")
    return value


def forecast_amounts(history: Decimal, days: int, level: int) -> tuple:
    """(mean, lower bound, upper bound) of a forecast period of ``days`` days, each rounded
    once to CE's 10 digits: history * days / FORECAST_HISTORY_DAYS, bounds
    mean * (1 -+ level/400). level/400 is a terminating decimal for every level."""
    exact = DECIMAL_CONTEXT  # 38 digits: products are exact, one rounding in q()
    mean = q(exact.divide(exact.multiply(history, days), FORECAST_HISTORY_DAYS))
    spread = exact.divide(Decimal(level), 400)
    low = q(exact.multiply(mean, 1 - spread))
    high = q(exact.multiply(mean, 1 + spread))
    return mean, min(low, high), max(low, high)


def _metric_value(canonical: str, amount: Decimal, units: set) -> dict:
    """{"Amount", "Unit"} as CE reports it. Cost metrics are USD; UsageQuantity carries the
    usage unit when all summed items share one, else "N/A" (CE cannot add hours to GB);
    NormalizedUsageAmount is always "N/A"."""
    if canonical in COST_METRICS:
        unit = "USD"
    elif canonical == "UsageQuantity" and len(units) == 1:
        unit = next(iter(units))
    else:
        unit = "N/A"
    return {"Amount": format_amount(amount), "Unit": unit}
