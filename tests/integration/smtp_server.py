"""A real SMTP server for the e-mail notifier's tests: aiosmtpd (Debian's python3-aiosmtpd, so
run it with /usr/bin/python3), saving every message it accepts to a directory.

  /usr/bin/python3 smtp_server.py --out DIR --port-file FILE --mode starttls|smtps|plain
                                  [--cert PEM --key PEM] [--user U --password P]

Each accepted message is written as DIR/N.eml (the bytes as received) with DIR/N.json beside
it: the envelope, whether the session was TLS and authenticated, and as whom. AUTH attempts go
to DIR/auth.jsonl, saying whether TLS was up at the time (auth_require_tls makes the server
refuse AUTH before STARTTLS anyway); with a user, mail without AUTH is refused. Recipients steer failures: one containing "tempfail" gets
451, one containing "reject" gets 550."""

import argparse
import json
import os
import signal
import socket
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def is_tls(server, session):
    """STARTTLS sets session.ssl; implicit TLS shows only on the transport."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


class Saver:
    def __init__(self, out):
        self.out = out
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "tempfail" in address:
            return "451 4.3.0 Try again later"
        if "reject" in address:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.out, str(number))
        with open(base + ".eml.tmp", "wb") as handle:
            handle.write(envelope.original_content or envelope.content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": is_tls(server, session),
            "authenticated": bool(session.authenticated),
            "login": (session.auth_data.login.decode()
                      if isinstance(session.auth_data, LoginPassword) else None),
        }
        with open(base + ".json", "w", encoding="utf-8") as handle:
            json.dump(meta, handle)
        # The .eml appears last and whole, so a test that sees it can read everything.
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def make_authenticator(out, user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        with open(os.path.join(out, "auth.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"mechanism": mechanism, "tls": is_tls(server, session),
                                     "ok": ok}) + "\n")
        # handled=False: let aiosmtpd answer 535 on failure rather than leave the client waiting.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return authenticate


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--mode", choices=["starttls", "smtps", "plain"], required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    kwargs = {"hostname": "127.0.0.1", "server_hostname": "costwatch-test-smtp"}
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.mode == "smtps":
        kwargs.update(ssl_context=context)
    if args.user:
        # aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls; with implicit TLS the
        # whole connection is TLS already (auth.jsonl records it from the transport).
        kwargs.update(authenticator=make_authenticator(args.out, args.user, args.password),
                      auth_required=True, auth_require_tls=args.mode == "starttls")
    controller = None
    for _ in range(5):  # another process may take the free port first
        try:
            controller = Controller(Saver(args.out), port=free_port(), **kwargs)
            controller.start()
            break
        except (OSError, RuntimeError):
            controller = None
    if controller is None:
        raise SystemExit("smtp_server: could not start")
    with open(args.port_file + ".tmp", "w", encoding="ascii") as handle:
        handle.write(str(controller.port))
    os.rename(args.port_file + ".tmp", args.port_file)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
