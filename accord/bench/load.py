"""``accord bench --load``: concurrent readers and writers against a served Accord.

Accord is served as production serves it (``accord serve``, gunicorn) on a database and
data directory of its own and a free loopback port. A small asyncio client sends a fixed
number of requests within a fixed time: readers ask for pages and API lists, writers
record progress on an action point through the API with a secretariat token, all at once.
The floor is the same number of requests, as concurrent, to ``/health/``: a bare Django
view on the same server, through the same middleware, reading no record. A request that
answers anything but 2xx, fails, or is still waiting when the time is up is an error.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from accord.core.served import Site, database_beside, database_create, serving

#: What readers ask for, in turn: pages and their API twins from the reference record.
READS = (
    "/",
    "/meetings/",
    "/meetings/som-3/",
    "/api/v1/partners",
    "/api/v1/meetings",
    "/api/v1/meetings/som-3",
    "/api/v1/frameworks/eu-iom-scf/members?on=2015-06-01",
)
FLOOR = "/health/"
GOAL = 0.5  # at least half the floor's throughput


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes = b""
    token: str = ""


@dataclass
class Outcome:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    by_path: dict[str, list[float]]

    @property
    def rps(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _send(host: str, port: int, call: Call, timeout: float) -> int:
    """One HTTP/1.1 request on a connection of its own; the status."""
    head = [
        f"{call.method} {call.path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: close",
        "Accept: */*",
    ]
    if call.token:
        head.append(f"Authorization: Bearer {call.token}")
    if call.body:
        head += ["Content-Type: application/json", f"Content-Length: {len(call.body)}"]
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + call.body)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
        await writer.wait_closed()
    status_line = answer.split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) > 1 else 0


async def _load(base: str, streams: list[list[Call]], seconds: float) -> Outcome:
    """Each stream of calls sent one after another, all streams at once, until ``seconds``."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {}
    errors = 0
    deadline = time.perf_counter() + seconds

    async def stream(calls: list[Call]) -> None:
        nonlocal errors
        for index, call in enumerate(calls):
            left = deadline - time.perf_counter()
            if left <= 0:
                errors += len(calls) - index  # not sent in time
                return
            start = time.perf_counter()
            try:
                status = await _send(host, port, call, left)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0
            latencies.append(time.perf_counter() - start)
            by_path.setdefault(f"{call.method} {call.path}", []).append(latencies[-1])
            if not 200 <= status < 300:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(stream(calls) for calls in streams))
    return Outcome(
        requests=sum(len(calls) for calls in streams),
        errors=errors,
        seconds=time.perf_counter() - start,
        latencies=latencies,
        by_path=by_path,
    )


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def mixed_streams(
    *, requests: int, concurrency: int, writers: int, token: str, action_points: list[int]
) -> list[list[Call]]:
    """``concurrency`` streams of ``requests`` in all, ``writers`` of them writing, each on
    an action point of its own (two writers on one point would refuse each other, 409)."""
    streams = []
    for index, count in enumerate(_split(requests, concurrency)):
        if index < writers:
            body = json.dumps({"text": f"Load test progress {index}"}).encode()
            path = f"/api/v1/action-points/{action_points[index % len(action_points)]}/updates"
            streams.append([Call("POST", path, body, token) for _ in range(count)])
        else:
            streams.append([Call("GET", READS[(index + n) % len(READS)]) for n in range(count)])
    return streams


def floor_streams(*, requests: int, concurrency: int) -> list[list[Call]]:
    return [[Call("GET", FLOOR)] * count for count in _split(requests, concurrency)]


def _target_action_point(base: str, token: str) -> int:
    """A done action point of the first meeting (carried forward nowhere) to write on."""

    async def create() -> bytes:
        parts = urlsplit(base)
        body = json.dumps(
            {"text": "Load test: progress is recorded here", "owners": ["IOM"], "status": "done"}
        ).encode()
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(
            (
                f"POST /api/v1/meetings/som-1/action-points HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            + body
        )
        answer = await asyncio.wait_for(reader.read(), 60)
        writer.close()
        return answer

    answer = asyncio.run(create())
    head, _, body = answer.partition(b"\r\n\r\n")
    if b" 201 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"Could not record the action point to write on: {answer[:500]!r}")
    return int(json.loads(body)["id"])


def run_load(
    *,
    site: Site,
    token: str | None = None,
    requests: int,
    concurrency: int,
    writers: int,
    seconds: float,
    workers: int,
) -> dict[str, Any]:
    """Serve ``site`` (prepared first unless a secretariat ``token`` says it is), load it,
    and answer the figures of the run (one JSON object)."""
    token = token or site.prepare()
    with serving(site, workers=workers) as base:
        action_points = [_target_action_point(base, token) for _ in range(max(writers, 1))]
        # Warm every worker's connections and templates, untimed.
        warm = max(concurrency, workers * 2)
        asyncio.run(_load(base, floor_streams(requests=warm, concurrency=warm), seconds))
        asyncio.run(
            _load(
                base,
                mixed_streams(
                    requests=warm,
                    concurrency=warm,
                    writers=min(writers, warm),
                    token=token,
                    action_points=action_points,
                ),
                seconds,
            )
        )
        floor = asyncio.run(
            _load(base, floor_streams(requests=requests, concurrency=concurrency), seconds)
        )
        mixed = asyncio.run(
            _load(
                base,
                mixed_streams(
                    requests=requests,
                    concurrency=concurrency,
                    writers=writers,
                    token=token,
                    action_points=action_points,
                ),
                seconds,
            )
        )
    ratio = mixed.rps / floor.rps if floor.rps else 0.0
    return {
        "scenario": "load_mixed",
        "database": "postgresql" if site.database_url else "sqlite",
        "requests": mixed.requests,
        "errors": mixed.errors,
        "rps": round(mixed.rps, 1),
        "p50_s": round(mixed.quantile(0.5), 4),
        "p95_s": round(mixed.quantile(0.95), 4),
        "p99_s": round(mixed.quantile(0.99), 4),
        "floor": f"bare Django view {FLOOR}",
        "floor_rps": round(floor.rps, 1),
        "floor_errors": floor.errors,
        "ratio": round(ratio, 3),
        "goal": GOAL,
        "met": mixed.errors == 0 and ratio >= GOAL,
        "concurrency": concurrency,
        "writers": writers,
        "workers": workers,
        "seconds": round(mixed.seconds, 2),
        "p50_by_route_s": {
            route: round(statistics.median(times), 4) for route, times in mixed.by_path.items()
        },
    }


def load_site(data_dir: Path) -> Site:
    """The benchmark's own site: a data directory (kept) and, on PostgreSQL, a database
    named after the configured one with ``_load`` added (kept too: reruns skip the setup)."""
    url = os.environ.get("ACCORD_DATABASE_URL", "")
    if url.startswith("postgres"):
        database = database_beside(url, "_load")
        database_create(database, fresh=False)
        return Site(data_dir=data_dir / "bench-load-pg", database_url=database)
    return Site(data_dir=data_dir / "bench-load")
