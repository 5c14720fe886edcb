"""Fault injection: a FIFO queue of misbehaviours applied to the next CE API requests.

A fault is a dict ``{"kind": K, "count": N, ...}``; it applies to the next N API requests
(optionally only to requests for ``"operation"``), then the next fault in the queue takes
over. Kinds:

=========== ================================================================================
throttle    HTTP 400 ``LimitExceededException`` "Rate exceeded" (what CE answers when throttled)
status      HTTP ``status`` (default 503) with an AWS-like JSON error body
error       HTTP ``status`` (default 400) with ``code`` and ``message`` of your choice, e.g.
            DataUnavailableException, BillExpirationException, RequestChangedException
slow        sleep ``seconds`` (default 2), then answer normally
cut         close the connection: ``"when": "before"`` (default) sends nothing,
            ``"when": "mid-body"`` sends the headers and half of the body
malformed   HTTP 200 whose body is not JSON at all
truncated   HTTP 200 whose body is the real answer cut in the middle (Content-Length matches
            the truncated body, so only the JSON parser can notice)
=========== ================================================================================
"""

from __future__ import annotations

import threading

KINDS = ("throttle", "status", "error", "slow", "cut", "malformed", "truncated")


class FaultError(ValueError):
    """An invalid fault description."""


def validate(fault: dict) -> dict:
    """Check one fault description and fill in defaults; returns a new dict."""
    if not isinstance(fault, dict):
        raise FaultError("each fault must be a JSON object")
    kind = fault.get("kind")
    if kind not in KINDS:
        raise FaultError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    result = dict(fault)
    count = result.setdefault("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise FaultError("count must be a positive integer")
    if kind == "status":
        result.setdefault("status", 503)
    if kind == "error":
        result.setdefault("status", 400)
        result.setdefault("code", "DataUnavailableException")
        result.setdefault("message", "Data is not available yet.")
    if kind in ("status", "error"):
        status = result["status"]
        if not isinstance(status, int) or not 100 <= status <= 599:
            raise FaultError("status must be an HTTP status code")
    if kind == "slow":
        seconds = result.setdefault("seconds", 2)
        if not isinstance(seconds, (int, float)) or seconds < 0:
            raise FaultError("seconds must be a non-negative number")
    if kind == "cut":
        if result.setdefault("when", "before") not in ("before", "mid-body"):
            raise FaultError('cut "when" must be "before" or "mid-body"')
    return result


def parse_spec(spec: str) -> dict:
    """Parse a command-line fault spec ``kind[:count][,key=value...]``, e.g.
    ``throttle:2``, ``status:1,status=500``, ``slow,seconds=1.5``, ``cut,when=mid-body``."""
    head, *options = spec.split(",")
    kind, _, count = head.partition(":")
    fault: dict = {"kind": kind.strip()}
    if count:
        fault["count"] = _number(count)
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise FaultError(f"bad fault option {option!r} (expected key=value)")
        fault[key.strip()] = _number(value.strip())
    return validate(fault)


def _number(text: str):
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


class FaultQueue:
    """Thread-safe FIFO of faults; ``take`` consumes one use of the first matching fault."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list = []
        self.applied = 0

    def extend(self, faults: list) -> None:
        checked = [validate(f) for f in faults]  # all or nothing
        with self._lock:
            self._queue.extend(checked)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.applied = 0

    def pending(self) -> list:
        with self._lock:
            return [dict(f) for f in self._queue]

    def take(self, operation: str) -> dict | None:
        with self._lock:
            for index, fault in enumerate(self._queue):
                if fault.get("operation") not in (None, operation):
                    continue
                fault["count"] -= 1
                if fault["count"] == 0:
                    del self._queue[index]
                self.applied += 1
                return dict(fault)
            return None
