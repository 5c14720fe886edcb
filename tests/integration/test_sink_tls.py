"""The HTTP sink's TLS settings (tls.ca_file, tls.cert_file, tls.key_file, tls.verify) against a
real TLS server that requires a client certificate signed by a test CA. The CAs and
certificates are made with the openssl command when the test starts; no key is kept."""

import datetime as dt
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from costwatch_cli import TempDir, parse_lines, run_costwatch
from standin import StandIn, aws_env

TODAY = dt.datetime.now(dt.timezone.utc).date()
FIRST_DAY = TODAY - dt.timedelta(days=3)

CONFIG = """\
state_path: {directory}/state.db
sources:
  - name: main
sinks:
  - name: secure
    type: http
    url: {url}
    mode: batch
    timeout: 5s
    tls:
{tls}
"""


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


class TestCa:
    """A certificate authority in `directory` that signs server and client certificates."""

    def __init__(self, directory, name):
        self.directory = directory
        self.name = name
        self.cert = os.path.join(directory, f"{name}.pem")
        self.key = os.path.join(directory, f"{name}.key")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", self.key, "-out", self.cert)

    def issue(self, name, extensions):
        """A certificate for `name` with the given X.509 v3 extensions; returns (cert, key)."""
        cert = os.path.join(self.directory, f"{name}.pem")
        key = os.path.join(self.directory, f"{name}.key")
        request = os.path.join(self.directory, f"{name}.csr")
        extfile = os.path.join(self.directory, f"{name}.ext")
        with open(extfile, "w") as handle:
            handle.write(extensions)
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
                "-keyout", key, "-out", request)
        openssl("x509", "-req", "-in", request, "-CA", self.cert, "-CAkey", self.key,
                "-CAcreateserial", "-days", "2", "-extfile", extfile, "-out", cert)
        return cert, key


class MutualTlsReceiver:
    """An HTTPS server on 127.0.0.1 that completes the handshake only with a client
    certificate signed by `client_ca`, recording each POST and the client's common name."""

    def __init__(self, server_cert, server_key, client_ca):
        self.requests = []
        receiver = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(server_cert, server_key)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca)

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                # The handshake happens here, in the connection's thread. When it fails, the
                # alert has been sent; closing at once with the client's request unread would
                # reset the connection before the client reads the alert, so the socket is
                # drained first, as web servers do.
                tls = context.wrap_socket(self.request, server_side=True,
                                          do_handshake_on_connect=False)
                try:
                    tls.do_handshake()
                except (ssl.SSLError, OSError):
                    plain = socket.socket(fileno=tls.detach())
                    plain.settimeout(2)
                    try:
                        plain.shutdown(socket.SHUT_WR)
                        while plain.recv(65536):
                            pass
                    except OSError:
                        pass
                    plain.close()
                    raise
                self.request = tls
                super().setup()

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                subject = dict(field[0] for field in self.connection.getpeercert()["subject"])
                receiver.requests.append({"client": subject["commonName"], "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a refused handshake; the test looks at what the client saw

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [event for request in self.requests for event in json.loads(request["body"])]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SinkTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = TempDir()
        directory = cls.scratch.__enter__()
        cls.ca = TestCa(directory, "costwatch-test-ca")
        cls.other_ca = TestCa(directory, "some-other-ca")
        cls.server_cert, cls.server_key = cls.ca.issue(
            "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        cls.client_cert, cls.client_key = cls.ca.issue(
            "costwatch-client", "extendedKeyUsage=clientAuth\n")
        cls.standin = StandIn().start()
        cls.receiver = MutualTlsReceiver(cls.server_cert, cls.server_key, cls.ca.cert)

    @classmethod
    def tearDownClass(cls):
        cls.receiver.stop()
        cls.standin.stop()
        cls.scratch.__exit__(None, None, None)

    def setUp(self):
        self.standin.reset()
        self.receiver.requests.clear()
        self.env = aws_env()

    def write_config(self, directory, **tls):
        lines = "\n".join(f"      {key}: {value}" for key, value in tls.items())
        path = os.path.join(directory, "costwatch.yaml")
        with open(path, "w") as handle:
            handle.write(CONFIG.format(directory=directory, url=self.receiver.url, tls=lines))
        return path

    def backfill(self, config):
        code, _, err = run_costwatch(["backfill", "--config", config, "--endpoint-url",
                                      self.standin.url, "--from", FIRST_DAY.isoformat(),
                                      "--to", TODAY.isoformat()], env=self.env, timeout=120)
        self.assertEqual(code, 0, err)
        return err

    def expected_ids(self):
        code, out, err = run_costwatch(["fetch", "--endpoint-url", self.standin.url, "--start",
                                        FIRST_DAY.isoformat(), "--end", TODAY.isoformat(),
                                        "--quiet"], env=self.env)
        self.assertEqual(code, 0, err)
        ids = {event["id"] for event in parse_lines(out)}
        self.assertTrue(ids)
        return ids

    def status(self, config):
        code, out, err = run_costwatch(["status", "--config", config], env=self.env)
        self.assertEqual(code, 0, err)
        return out

    def assert_still_queued(self, config, count, error_pattern):
        status = self.status(config)
        self.assertIn(f"secure: {count} waiting", status)
        last_error = re.search(r"last error \S+Z: (.*)", status)
        self.assertIsNotNone(last_error, status)
        self.assertRegex(last_error.group(1), error_pattern)
        self.assertNotIn("\n", last_error.group(1))

    def test_the_right_client_certificate_and_ca_deliver(self):
        with TempDir() as directory:
            config = self.write_config(directory, ca_file=self.ca.cert,
                                       cert_file=self.client_cert, key_file=self.client_key)
            self.backfill(config)
            self.assertEqual({e["id"] for e in self.receiver.events()}, self.expected_ids())
            self.assertEqual({r["client"] for r in self.receiver.requests}, {"costwatch-client"})
            self.assertIn("secure: 0 waiting", self.status(config))

    def test_without_a_client_certificate_the_events_stay_queued(self):
        with TempDir() as directory:
            config = self.write_config(directory, ca_file=self.ca.cert)
            err = self.backfill(config)
            expected = self.expected_ids()
            self.assertIn(f"{len(expected)} still waiting in the outbox", err)
            self.assertEqual(self.receiver.requests, [])
            self.assert_still_queued(config, len(expected), r"alert certificate required")

            # The same state with the certificate configured delivers what waited.
            config = self.write_config(directory, ca_file=self.ca.cert,
                                       cert_file=self.client_cert, key_file=self.client_key)
            self.backfill(config)
            self.assertEqual({e["id"] for e in self.receiver.events()}, expected)
            self.assertIn("secure: 0 waiting", self.status(config))

    def test_a_server_certificate_from_another_ca_fails_verification(self):
        with TempDir() as directory:
            config = self.write_config(directory, ca_file=self.other_ca.cert,
                                       cert_file=self.client_cert, key_file=self.client_key)
            err = self.backfill(config)
            expected = self.expected_ids()
            self.assertIn(f"{len(expected)} still waiting in the outbox", err)
            self.assertEqual(self.receiver.requests, [])
            # OpenSSL's verify reason, and where: the receiver's certificate chain ends in a CA
            # that the configured ca_file does not hold.
            self.assert_still_queued(
                config, len(expected),
                r"TLS certificate of 127\.0\.0\.1:\d+ not trusted: "
                r"self-signed certificate in certificate chain")

    def test_verify_false_skips_the_server_check_but_still_presents_the_client_certificate(self):
        with TempDir() as directory:
            config = self.write_config(directory, ca_file=self.other_ca.cert, verify="false",
                                       cert_file=self.client_cert, key_file=self.client_key)
            self.backfill(config)
            self.assertEqual({e["id"] for e in self.receiver.events()}, self.expected_ids())
            self.assertEqual({r["client"] for r in self.receiver.requests}, {"costwatch-client"})

    def test_an_unreadable_client_key_is_a_clear_error(self):
        with TempDir() as directory:
            missing = os.path.join(directory, "missing.key")
            config = self.write_config(directory, ca_file=self.ca.cert,
                                       cert_file=self.client_cert, key_file=missing)
            err = self.backfill(config)
            self.assertEqual(self.receiver.requests, [])
            self.assertIn("still waiting in the outbox", err)
            self.assert_still_queued(config, len(self.expected_ids()),
                                     "private key file: '" + re.escape(missing))


if __name__ == "__main__":
    unittest.main()
