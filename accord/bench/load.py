"""``accord bench --load``: concurrent readers and writers against a served Accord.

Accord is served as production serves it (``accord serve``, gunicorn) on a database and
data directory of its own and a free loopback port. A small asyncio client sends a fixed
number of requests within a fixed time, the way ``ab -n`` or ``hey -n`` do: one list of
calls taken in turn by ``concurrency`` clients, each sending its next call when its last
is answered. Of every ``concurrency`` calls, ``writers`` record progress on an action
point through the API with a secretariat token; the others ask for pages and API lists.
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


async def _load(base: str, calls: list[Call], concurrency: int, seconds: float) -> Outcome:
    """``calls`` sent by ``concurrency`` clients at once, each taking the next call when
    its last is answered, until all are answered or ``seconds`` have passed."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {}
    errors = 0
    deadline = time.perf_counter() + seconds
    waiting = iter(calls)

    async def client() -> None:
        nonlocal errors
        for call in waiting:
            left = deadline - time.perf_counter()
            if left <= 0:
                errors += 1  # not sent in time
                continue
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
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Outcome(
        requests=len(calls),
        errors=errors,
        seconds=time.perf_counter() - start,
        latencies=latencies,
        by_path=by_path,
    )


def mixed_calls(
    *, requests: int, concurrency: int, writers: int, token: str, action_points: list[int]
) -> list[Call]:
    """``requests`` calls of which ``writers`` in every ``concurrency`` record progress
    (each writer's share on an action point of its own), spread evenly among the reads."""
    calls = []
    reads = 0
    for index in range(requests):
        slot = index % concurrency
        if slot < writers:
            body = json.dumps({"text": f"Load test progress {index}"}).encode()
            point = action_points[slot % len(action_points)]
            calls.append(Call("POST", f"/api/v1/action-points/{point}/updates", body, token))
        else:
            calls.append(Call("GET", READS[reads % len(READS)]))
            reads += 1
    return calls


def floor_calls(*, requests: int) -> list[Call]:
    return [Call("GET", FLOOR)] * requests


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
        # Warm every worker's connections, templates and kept answers, untimed: each
        # read is asked often enough in the warm-up to reach every worker.
        warm = max(concurrency, workers * 2)
        asyncio.run(_load(base, floor_calls(requests=warm), warm, seconds))
        warm_mixed = concurrency * len(READS) * workers
        asyncio.run(
            _load(
                base,
                mixed_calls(
                    requests=warm_mixed,
                    concurrency=concurrency,
                    writers=writers,
                    token=token,
                    action_points=action_points,
                ),
                concurrency,
                seconds,
            )
        )
        floor = asyncio.run(_load(base, floor_calls(requests=requests), concurrency, seconds))
        calls = mixed_calls(
            requests=requests,
            concurrency=concurrency,
            writers=writers,
            token=token,
            action_points=action_points,
        )
        mixed = asyncio.run(_load(base, calls, concurrency, seconds))
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
        "writes": sum(1 for call in calls if call.method == "POST"),
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
