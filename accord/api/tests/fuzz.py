"""Fuzz the served API from its own OpenAPI document with schemathesis (``make fuzz``).

Serves Accord as production does (``accord serve``, gunicorn) on a free loopback port,
from a data directory of its own holding the reference record and the demo accounts,
then runs ``st run`` over every operation of ``/api/v1/openapi.json`` as the secretariat
(who may call every route) and once more without a token. The run fails on any 5xx and on
any answer whose status, content type or body its operation does not document.

With ``ACCORD_DATABASE_URL`` naming PostgreSQL, the server gets a database of its own next
to it (``<name>_fuzz``), made afresh and dropped at the end. Bounded by examples per
operation and a time budget per run (``ACCORD_FUZZ_EXAMPLES``, ``ACCORD_FUZZ_SECONDS``).

    python -m accord.api.tests.fuzz
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _database(url: str) -> Iterator[str]:
    """A fresh PostgreSQL database beside ``url``'s, dropped afterwards (SQLite: none)."""
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "accord") + "_fuzz"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(statement: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _accord(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [str(BIN / "accord"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"accord serve stopped with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"accord serve did not answer {url} within {seconds} s")


def _schemathesis(schema: str, *extra: str, examples: str, seconds: str) -> int:
    command = [
        str(BIN / "st"),
        "run",
        schema,
        "--checks",
        CHECKS,
        "--max-examples",
        examples,
        "--max-time",
        seconds,
        "--seed",
        os.environ.get("ACCORD_FUZZ_SEED", "20261201"),
        "--request-timeout",
        "30",
        # One worker: hypothesis' source inspection is not safe across threads.
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--continue-on-failure",
        "--no-color",
        *extra,
    ]
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, check=False).returncode  # noqa: S603


SELF_REVOKE = "accord_api_access_my_token_revoke"  # DELETE /api/v1/me/tokens/{prefix}
_ACCESS = re.compile(rb'" (\d)\d\d \d+ "')


def _report(log: Path) -> None:
    """How many requests the server answered, by class of status (from its access log)."""
    classes: Counter[str] = Counter()
    with log.open("rb") as lines:
        for line in lines:
            if match := _ACCESS.search(line):
                classes[match[1].decode() + "xx"] += 1
    figures = ", ".join(f"{name} {count}" for name, count in sorted(classes.items()))
    print(f"The server answered {sum(classes.values())} requests: {figures}.", flush=True)


def main() -> int:
    examples = os.environ.get("ACCORD_FUZZ_EXAMPLES", "25")
    seconds = os.environ.get("ACCORD_FUZZ_SECONDS", "120")
    data_dir = Path(tempfile.mkdtemp(prefix="accord-fuzz-"))
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_SECRET_KEY": "fuzz-" + os.urandom(16).hex(),
        "ACCORD_DEBUG": "",
        # The fuzzer sends malformed tokens by the thousand; the lockout (tested on its
        # own) would otherwise answer 429 to every later request from this address.
        "ACCORD_LOGIN_FAILURES": "1000000",
    }
    server = None
    try:
        with _database(os.environ.get("ACCORD_DATABASE_URL", "")) as database_url:
            if database_url:
                env["ACCORD_DATABASE_URL"] = database_url
            else:
                env.pop("ACCORD_DATABASE_URL", None)
            _accord(env, "demo", "--no-serve")
            token = _accord(env, "token", "create", "secretariat").strip().split()[-1]
            address = f"127.0.0.1:{_free_port()}"
            log = (data_dir / "server.log").open("wb")
            server = subprocess.Popen(  # noqa: S603
                [str(BIN / "accord"), "serve", "--addr", address, "--workers", "2"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            schema = f"http://{address}/api/v1/openapi.json"
            _wait_for(schema, server)
            bearer = f"Authorization: Bearer {token}"
            # Revoking one's own token is fuzzed last: found through the link from
            # GET /me/tokens, it would leave every later request of the run a 401.
            failed = _schemathesis(
                schema,
                "--header",
                bearer,
                "--exclude-operation-id",
                SELF_REVOKE,
                examples=examples,
                seconds=seconds,
            )
            failed |= _schemathesis(
                schema,
                "--include-method",
                "GET",
                examples=str(max(1, int(examples) // 3)),
                seconds=str(max(1, int(seconds) // 3)),
            )
            failed |= _schemathesis(
                schema,
                "--header",
                bearer,
                "--include-operation-id",
                SELF_REVOKE,
                examples=examples,
                seconds=str(max(1, int(seconds) // 6)),
            )
            log.close()
            _report(data_dir / "server.log")
            if failed:
                print(f"schemathesis found failures; the server's log is {data_dir}/server.log")
                return 1
            return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not os.environ.get("ACCORD_FUZZ_KEEP"):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
