"""Running the costwatch binary and the real AWS CLI from integration tests."""

import json
import os
import subprocess
import tempfile

AWS_CLI = "/usr/bin/aws"  # Debian's awscli package: the real AWS CLI v2


def costwatch_bin() -> str:
    path = os.environ.get("COSTWATCH_BIN")
    if not path:
        raise RuntimeError("COSTWATCH_BIN is not set (ctest sets it to the built binary)")
    return path


def run_costwatch(args, env=None, input_bytes=None, timeout=60):
    """Runs costwatch; returns (exit code, stdout text, stderr text)."""
    result = subprocess.run([costwatch_bin()] + list(args), env=env, input=input_bytes,
                            stdin=None if input_bytes is not None else subprocess.DEVNULL,
                            capture_output=True, timeout=timeout)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def parse_lines(stdout: str) -> list:
    """Parses JSON Lines output, failing on a partial or non-JSON line."""
    assert stdout == "" or stdout.endswith("\n"), "output does not end with a newline"
    return [json.loads(line) for line in stdout.splitlines()]


def aws_cli_pages(endpoint_url: str, env: dict, args: list, directory: str) -> list:
    """Calls `aws ce get-cost-and-usage` page by page as a user would, saving each printed
    answer to a file; returns the file paths in order."""
    paths = []
    token = None
    while True:
        command = [AWS_CLI, "ce", "get-cost-and-usage", "--endpoint-url", endpoint_url,
                   "--output", "json"] + args
        if token:
            command += ["--next-page-token", token]
        result = subprocess.run(command, env=env, capture_output=True, timeout=60,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise AssertionError(f"aws cli failed: {result.stderr.decode()}")
        path = os.path.join(directory, f"page-{len(paths) + 1}.json")
        with open(path, "wb") as handle:
            handle.write(result.stdout)
        paths.append(path)
        token = json.loads(result.stdout).get("NextPageToken")
        if not token:
            return paths


class TempDir:
    """A temporary directory for one test, removed afterwards."""

    def __enter__(self) -> str:
        self._dir = tempfile.TemporaryDirectory(prefix="costwatch-test-")
        return self._dir.name

    def __exit__(self, *exc_info) -> None:
        self._dir.cleanup()
