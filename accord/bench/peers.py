"""The engines a scenario's floor may be measured on: DuckDB and Datasette.

A floor measured with our own query on our own database cannot show that the query is
slow: the query is then compared with itself. For aggregations the floor is DuckDB, a
columnar engine, computing the same figures from a copy of the same tables; for faceted
browsing it is Datasette serving the same SQLite file, the tool people would reach for
instead. Both are started by the benchmark and timed in the same run.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.db import connection

from accord.core.served import free_port

# --- DuckDB ------------------------------------------------------------------------------


def duckdb_copy(tables: Iterable[str]) -> Any:
    """An in-memory DuckDB holding a copy of ``tables`` as the database has them now."""
    import duckdb
    import pandas  # type: ignore[import-untyped]

    duck = duckdb.connect()
    for table in tables:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{table}"')
            names = [column[0] for column in cursor.description]
            frame = pandas.DataFrame.from_records(cursor.fetchall(), columns=names)
        for name in names:
            # Decimals arrive as Python objects, which DuckDB cannot scan: as doubles.
            if frame[name].dtype == object and frame[name].map(_is_decimal).any():
                frame[name] = frame[name].astype(float)
        duck.register("incoming", frame)
        duck.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
        duck.unregister("incoming")
    return duck


def _is_decimal(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)


_PLACEHOLDER = re.compile(r"%s")


def duckdb_statement(sql: str) -> str:
    """A statement written for the Django cursor (``%s`` parameters) for DuckDB (``?``)."""
    return _PLACEHOLDER.sub("?", sql.replace("%%", "%"))


# --- Datasette --------------------------------------------------------------------------


class Datasette:
    """Datasette serving one SQLite file on a free loopback port, its time limits raised
    so that no facet is cut short; stopped when the benchmark ends."""

    def __init__(self, path: str) -> None:
        self.port = free_port()
        self.database = path.rsplit("/", 1)[-1].removesuffix(".sqlite3").removesuffix(".db")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                path,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--setting",
                "sql_time_limit_ms",
                "600000",
                "--setting",
                "facet_time_limit_ms",
                "600000",
                "--setting",
                "suggest_facets",
                "off",
                "--setting",
                "num_sql_threads",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                self.get("/-/versions.json")
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("Datasette did not start")

    def get(self, path: str) -> bytes:
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=600) as response:
            return bytes(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
