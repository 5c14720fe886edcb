"""The HTTP transport under costwatch fetch: TLS verification with the system's or a given CA
bundle, proxies from the environment, and timeouts."""

import base64
import http.client
import http.server
import os
import select
import socket
import subprocess
import threading
import unittest
import urllib.parse

from costwatch_cli import TempDir, parse_lines, run_costwatch
from standin import StandIn, aws_env


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


class ForwardProxy(http.server.ThreadingHTTPServer):
    """A minimal HTTP forward proxy: requests arrive with absolute URLs and are passed on;
    CONNECT opens a tunnel (HTTPS through the proxy)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.forwarded = 0
        self.tunnels = []  # (target, Proxy-Authorization or None) per CONNECT
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        target = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("proxy-connection", "connection")}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        upstream.request("POST", target.path or "/", body=body, headers=headers)
        reply = upstream.getresponse()
        data = reply.read()
        upstream.close()
        self.server.forwarded += 1
        self.send_response(reply.status)
        for name, value in reply.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_CONNECT(self):  # noqa: N802 - http.server's naming
        host, _, port = self.path.rpartition(":")
        self.server.tunnels.append((self.path, self.headers.get("Proxy-Authorization")))
        upstream = socket.create_connection((host, int(port)), timeout=30)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        client = self.connection
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 30)
                if not readable:
                    break
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
        finally:
            upstream.close()
            self.close_connection = True


class TlsTest(unittest.TestCase):
    def test_certificates_are_verified_and_a_ca_bundle_is_honoured(self):
        with TempDir() as directory:
            cert, key = make_certificate(directory)
            with StandIn(tls_cert=cert, tls_key=key) as standin:
                self.assertTrue(standin.url.startswith("https://"))
                env = aws_env()
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 1)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn("certificate", err.lower())
                self.assertEqual(standin.stats()["requests"], 0)

                env["AWS_CA_BUNDLE"] = cert
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 0, err)
                self.assertTrue(parse_lines(out))

                # Trusted, but issued for 127.0.0.1 only: the host name is verified too.
                requests = standin.stats()["requests"]
                other_name = standin.url.replace("127.0.0.1", "localhost")
                code, out, err = run_costwatch(["fetch", "--endpoint-url", other_name], env=env)
                self.assertEqual(code, 1)
                self.assertIn("TLS certificate of localhost:", err)
                self.assertIn("does not match the host name", err)
                self.assertEqual(standin.stats()["requests"], requests)

    def test_the_system_trust_store_is_the_default(self):
        with TempDir() as directory:
            cert, key = make_certificate(directory)
            with StandIn(tls_cert=cert, tls_key=key) as standin:
                # OpenSSL's default verify paths honour SSL_CERT_FILE: a stand-in for a system
                # store that holds the stand-in's certificate.
                env = dict(aws_env(), SSL_CERT_FILE=cert)
                env.pop("AWS_CA_BUNDLE", None)
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 0, err)
                self.assertTrue(parse_lines(out))

                env["SSL_CERT_FILE"] = os.path.join(directory, "missing.pem")
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 1)
                self.assertIn("not trusted: self-signed certificate", err)


class ProxyTest(unittest.TestCase):
    def test_http_proxy_and_no_proxy_from_the_environment(self):
        proxy = ForwardProxy()
        try:
            with StandIn() as standin:
                env = dict(aws_env(), http_proxy=proxy.url, no_proxy="")
                env.pop("HTTP_PROXY", None)
                env.pop("NO_PROXY", None)
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 0, err)
                self.assertTrue(parse_lines(out))
                self.assertGreaterEqual(proxy.forwarded, 1)
                self.assertEqual(proxy.forwarded, standin.stats()["requests"])

                forwarded = proxy.forwarded
                env["no_proxy"] = "127.0.0.1"
                code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url], env=env)
                self.assertEqual(code, 0, err)
                self.assertEqual(proxy.forwarded, forwarded)
        finally:
            proxy.shutdown()
            proxy.server_close()

    def test_https_through_the_proxy_by_connect_with_its_credentials(self):
        proxy = ForwardProxy()
        try:
            with TempDir() as directory:
                cert, key = make_certificate(directory)
                with StandIn(tls_cert=cert, tls_key=key) as standin:
                    address = standin.url[len("https://"):].rstrip("/")
                    env = dict(aws_env(), AWS_CA_BUNDLE=cert, no_proxy="",
                               https_proxy=f"http://svc:s%40cret@{proxy.url[len('http://'):]}")
                    for name in ("HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "all_proxy"):
                        env.pop(name, None)
                    code, out, err = run_costwatch(["fetch", "--endpoint-url", standin.url],
                                                   env=env)
                    self.assertEqual(code, 0, err)
                    self.assertTrue(parse_lines(out))
                    self.assertGreaterEqual(standin.stats()["requests"], 1)
                    # One tunnel for all the pages: the TLS connection is kept and reused.
                    self.assertEqual(len(proxy.tunnels), 1, proxy.tunnels)
                    target, authorization = proxy.tunnels[0]
                    self.assertEqual(target, address)
                    expected = "Basic " + base64.b64encode(b"svc:s@cret").decode()
                    self.assertEqual(authorization, expected)
                    self.assertEqual(proxy.forwarded, 0)
        finally:
            proxy.shutdown()
            proxy.server_close()


if __name__ == "__main__":
    unittest.main()
