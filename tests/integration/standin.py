"""Start/stop the Cost Explorer stand-in (tools/ce-standin) from integration tests.

    from standin import StandIn, DEMO_ACCESS_KEY, DEMO_SECRET_KEY

    with StandIn(today="2024-03-02") as ce:
        ce.inject([{"kind": "throttle", "count": 2}])
        ... point a client at ce.url ...
        assert ce.stats()["requests"] == 3

The server runs as a child process on an ephemeral port; the helper waits until it
answers /_standin/health and always terminates (and if need be kills) it.
"""

from __future__ import annotations

import importlib
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STANDIN_DIR = os.path.join(REPO_ROOT, "tools", "ce-standin")
STANDIN_SCRIPT = os.path.join(STANDIN_DIR, "ce_standin.py")

DEMO_ACCESS_KEY = "AKIDCOSTWATCHDEMO"
DEMO_SECRET_KEY = "costwatch/demo/secret/not-a-real-key"
DENIED_ACCESS_KEY = "AKIDCOSTWATCHDENIED"  # same secret as the demo key


def standin_module(name: str):
    """Import a module of the stand-in (e.g. "dataset") to compute ground truth directly."""
    if STANDIN_DIR not in sys.path:
        sys.path.insert(0, STANDIN_DIR)
    return importlib.import_module(name)


def aws_env(access_key: str = DEMO_ACCESS_KEY, secret_key: str = DEMO_SECRET_KEY,
            session_token: str | None = None, base: dict | None = None) -> dict:
    """An environment for AWS clients that uses only the given credentials: no config or
    credentials files, no profile, no pager, region us-east-1."""
    env = dict(os.environ if base is None else base)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
                 "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COST_EXPLORER",
                 "AWS_CA_BUNDLE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                 "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
        env.pop(name, None)
    env.update({
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    if session_token:
        env["AWS_SESSION_TOKEN"] = session_token
    return env


class StandInError(RuntimeError):
    pass


class StandIn:
    """A running ce-standin child process.

    Keyword arguments map to command-line flags (``today="2024-03-02"`` -> ``--today
    2024-03-02``, ``page_size=100`` -> ``--page-size 100``, ``quiet=True`` -> ``--quiet``);
    ``extra_args`` are appended verbatim. The server's stderr goes to a temporary file,
    available as ``.log()`` (included in errors when startup fails).
    """

    def __init__(self, *, extra_args=(), startup_timeout: float = 15.0,
                 python: str = sys.executable, quiet: bool = True, **flags):
        self._python = python
        # With tls_cert= (and tls_key=) the stand-in serves HTTPS; the control API then trusts
        # that certificate.
        self._tls_cert = flags.get("tls_cert")
        self._startup_timeout = startup_timeout
        self._args = []
        for name, value in flags.items():
            if value is None or value is False:
                continue
            flag = "--" + name.replace("_", "-")
            self._args += [flag] if value is True else [flag, str(value)]
        if quiet:
            self._args.append("--quiet")
        self._args += list(extra_args)
        self._process: subprocess.Popen | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._stderr = None
        self.port: int | None = None
        self.url: str | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "StandIn":
        self._tmpdir = tempfile.TemporaryDirectory(prefix="ce-standin-")
        port_file = os.path.join(self._tmpdir.name, "port")
        self._stderr = open(os.path.join(self._tmpdir.name, "stderr.log"), "w+b")
        command = [self._python, STANDIN_SCRIPT, "--host", "127.0.0.1", "--port", "0",
                   "--port-file", port_file] + self._args
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=self._stderr)
        try:
            self.port = self._wait_for_port(port_file)
            scheme = "https" if self._tls_cert else "http"
            self.url = f"{scheme}://127.0.0.1:{self.port}"
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for_port(self, port_file: str) -> int:
        deadline = time.monotonic() + self._startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise StandInError(f"ce-standin exited with {self._process.returncode} "
                                   f"during startup:\n{self.log()}")
            try:
                with open(port_file, encoding="ascii") as handle:
                    return int(handle.read().strip())
            except (FileNotFoundError, ValueError):
                time.sleep(0.02)
        raise StandInError(f"ce-standin did not start within {self._startup_timeout} s:\n"
                           f"{self.log()}")

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        while True:
            try:
                self._control("GET", "/_standin/health")
                return
            except (OSError, StandInError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._stderr is not None:
            self._saved_log = self.log()
            self._stderr.close()
            self._stderr = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> "StandIn":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def log(self) -> str:
        """What the server wrote to stderr so far."""
        if self._stderr is None:
            return getattr(self, "_saved_log", "")
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    # ------------------------------------------------------------------ control API

    def _control(self, method: str, path: str, document=None, timeout: float = 10.0):
        data = None if document is None else json.dumps(document).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            context = ssl.create_default_context(cafile=self._tls_cert) if self._tls_cert else None
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise StandInError(f"{method} {path}: HTTP {error.code}: "
                               f"{error.read().decode('utf-8', 'replace')}") from None

    def inject(self, faults) -> list:
        """Queue faults (a list of fault dicts, or one dict); returns the pending queue."""
        if isinstance(faults, dict):
            faults = faults.get("faults", [faults]) if "faults" in faults else [faults]
        return self._control("POST", "/_standin/faults", {"faults": list(faults)})["faults"]

    def stats(self) -> dict:
        """{"requests": N, "by_operation": {...}, "by_status": {...}, "faults_applied": N,
        "faults_pending": [...]} -- requests counts CE API calls only."""
        return self._control("GET", "/_standin/stats")

    def restate(self, day: str) -> int:
        """Make Cost Explorer restate a day (new amounts); returns the day's revision."""
        return self._control("POST", "/_standin/restate", {"day": day})["revision"]

    def reset(self) -> None:
        """Clear pending faults and all counters."""
        self._control("POST", "/_standin/reset", {})
