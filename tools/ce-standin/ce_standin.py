#!/usr/bin/env python3
"""ce-standin: a local stand-in for the AWS Cost Explorer API (ce:GetCostAndUsage).

Speaks AWS JSON 1.1 like ce.us-east-1.amazonaws.com, verifies SigV4 with botocore, serves a
deterministic generated cost history, and lets tests inject faults over HTTP. See README.md.

    python3 tools/ce-standin/ce_standin.py --port 0 --port-file /tmp/port
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import ssl
import sys
import threading

from dataset import Dataset
from faults import FaultError, parse_spec, validate
from query import CostExplorer
from server import StandInServer
from sigv4 import Credential, Verifier

DEMO_ACCESS_KEY = "AKIDCOSTWATCHDEMO"
DEMO_SECRET_KEY = "costwatch/demo/secret/not-a-real-key"
DEMO_DENIED_ACCESS_KEY = "AKIDCOSTWATCHDENIED"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ce_standin.py", description="Local AWS Cost Explorer stand-in (see README.md).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 = ephemeral (default)")
    parser.add_argument("--port-file", help="write the bound port to this file once listening")
    parser.add_argument("--today", type=_date,
                        help="last day with data, YYYY-MM-DD (default: real UTC today)")
    parser.add_argument("--history-start", type=_date,
                        help="first day with data (default: 1st of the month 13 months ago)")
    parser.add_argument("--seed", type=int, default=1, help="dataset seed (default 1)")
    parser.add_argument("--page-size", type=_positive, default=500,
                        help="groups per GetCostAndUsage page (default 500)")
    auth = parser.add_argument_group("credentials")
    auth.add_argument("--access-key", help=f"accepted access key id (default {DEMO_ACCESS_KEY})")
    auth.add_argument("--secret-key", help="its secret key (default: the demo secret)")
    auth.add_argument("--session-token", help="session token the key must present")
    auth.add_argument("--credential", action="append", default=[], metavar="ID:SECRET[:TOKEN]",
                      help="an additional accepted key pair (repeatable)")
    auth.add_argument("--denied-access-key", default=DEMO_DENIED_ACCESS_KEY,
                      help="key that authenticates but gets AccessDeniedException "
                           f"(default {DEMO_DENIED_ACCESS_KEY}; '' disables)")
    auth.add_argument("--denied-secret-key", default=DEMO_SECRET_KEY,
                      help="secret of the denied key (default: the demo secret)")
    auth.add_argument("--max-skew", type=float, default=900,
                      help="accepted clock skew of X-Amz-Date in seconds (default 900)")
    auth.add_argument("--no-auth", action="store_true",
                      help="accept unsigned requests (for curl experiments only)")
    faults = parser.add_argument_group("faults")
    faults.add_argument("--fault", action="append", default=[], metavar="SPEC",
                        help="queue a fault: kind[:count][,key=value...], e.g. throttle:2, "
                             "status:1,status=500, slow,seconds=3, cut,when=mid-body "
                             "(repeatable)")
    faults.add_argument("--faults-file", help='JSON file {"faults": [...]} to queue at start')
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    args = parser.parse_args(argv)
    if (args.access_key is None) != (args.secret_key is None):
        parser.error("--access-key and --secret-key go together")
    return args


def credentials_from(args) -> list:
    creds = [Credential(args.access_key or DEMO_ACCESS_KEY, args.secret_key or DEMO_SECRET_KEY,
                        args.session_token or None)]
    for spec in args.credential:
        parts = spec.split(":", 2)
        if len(parts) < 2:
            raise SystemExit(f"--credential expects ID:SECRET[:TOKEN], got {spec!r}")
        creds.append(Credential(parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    if args.denied_access_key:
        creds.append(Credential(args.denied_access_key, args.denied_secret_key, denied=True))
    return creds


def initial_faults(args) -> list:
    try:
        result = [parse_spec(spec) for spec in args.fault]
        if args.faults_file:
            with open(args.faults_file, encoding="utf-8") as handle:
                result += [validate(f) for f in json.load(handle).get("faults", [])]
    except (FaultError, OSError, ValueError) as exc:
        raise SystemExit(f"ce-standin: bad fault: {exc}")
    return result


def _write_port_file(path: str, port: int) -> None:
    """Atomically, so a reader never sees an empty or half-written file."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def main(argv=None) -> int:
    args = parse_args(argv)
    dataset = Dataset(seed=args.seed, today=args.today, history_start=args.history_start)
    engine = CostExplorer(dataset, page_size=args.page_size)
    verifier = None if args.no_auth else Verifier(credentials_from(args), args.max_skew)
    server = StandInServer((args.host, args.port), engine, verifier,
                           payer_account=dataset.accounts[0].id, quiet=args.quiet)
    server.faults.extend(initial_faults(args))
    scheme = "http"
    if args.tls_cert:
        # HTTPS, to prove clients verify certificates (and accept a CA bundle they are given).
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"

    host, port = server.server_address[:2]
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, name="ce-standin", daemon=True)
    thread.start()

    if args.port_file:
        _write_port_file(args.port_file, port)
    print(f"ce-standin listening on {scheme}://{host}:{port}", flush=True)
    if not args.quiet:
        print(f"ce-standin: data {dataset.history_start} .. {dataset.today} (seed {args.seed}),"
              f" page size {args.page_size}, auth {'off' if verifier is None else 'on'}",
              file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
