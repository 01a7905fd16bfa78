"""What a server worker and an import hold in memory, on a real ``accord serve``.

``server_memory`` starts ``accord serve`` (one gunicorn worker) on a free loopback port
over the benchmark's database and reads the worker's resident memory (``/proc``) once it
has answered its first request (idle), then after a round of every kind of page and API
call, charts and the briefing pack included (under load). It runs ``accord import iati
--dry-run`` in a process of its own and reports its peak resident memory. The timed part
is the partner list page against its API twin through that worker (goal 2). Memory
goal: a worker under 150 MB idle.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from accord.bench.harness import scenario
from accord.core.served import free_port, processes

IDLE_GOAL_MB = 150
SERVE = [sys.executable, "-m", "accord.cli", "serve"]


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    return [child for child, fields in processes() if int(fields[1]) == pid]


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@dataclass
class Context:
    port: int
    process: subprocess.Popen
    worker: int
    idle_mb: float = 0.0
    loaded_mb: float = 0.0
    import_mb: float = 0.0
    paths: list[str] = field(default_factory=list)

    def get(self, path: str) -> bytes:
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=300) as response:
            return bytes(response.read())


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "ACCORD_DATABASE_URL": _database_url(),
        "ACCORD_DATA_DIR": str(settings.DATA_DIR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _serve() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*SERVE, "--addr", f"127.0.0.1:{port}", "--workers", "1"],
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, port


def _import_peak_mb() -> float:
    """Peak resident memory of ``accord import iati --dry-run`` of a small file."""
    from accord.bench.scenarios.commitments import write_iati_file

    path = Path(settings.DATA_DIR) / "bench-memory-iati.xml"
    if not path.exists():
        write_iati_file(path, 2_000)
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "accord.cli", "import", "iati", str(path), "--dry-run"],
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_maxrss / 1024


def _paths() -> list[str]:
    """One of each kind of page and API call the bench data has."""
    from accord.evidence.models import Indicator
    from accord.meetings.models import Meeting

    paths = ["/", "/partners/", "/api/v1/partners", "/action-points/", "/api/v1/action-points"]
    paths += ["/initiatives/", "/api/v1/initiatives", "/decisions/", "/api/v1/meetings"]
    meeting = Meeting.objects.order_by("pk").first()
    if meeting is not None:
        paths += [f"/meetings/{meeting.key}/", f"/api/v1/meetings/{meeting.key}"]
    indicator = Indicator.objects.order_by("pk").first()
    if indicator is not None:
        paths.append(f"/evidence/indicators/{indicator.code}/")
    return paths


def setup(scale: str) -> Context:
    from django.core.management import call_command

    from accord.bench import generate

    generate.partners(scale)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    call_command("collectstatic", interactive=False, verbosity=0)
    process, port = _serve()
    deadline = time.monotonic() + 120
    workers: list[int] = []
    context = None
    while time.monotonic() < deadline:
        workers = _children(process.pid)
        if workers:
            context = Context(port=port, process=process, worker=workers[0])
            try:
                context.get("/api/v1/partners")
                break
            except OSError:
                pass
        time.sleep(0.5)
    if context is None:
        process.terminate()
        raise RuntimeError("accord serve did not answer")
    import atexit

    atexit.register(_stop, process)
    context.idle_mb = _rss_mb(context.worker)
    context.paths = _paths()
    for _round in range(3):
        for path in context.paths:
            # A page the bench data lacks answers 404: memory is what is read here.
            with contextlib.suppress(OSError):
                context.get(path)
    context.loaded_mb = _rss_mb(context.worker)
    context.import_mb = _import_peak_mb()
    return context


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@scenario(
    "server_memory",
    goal=2.0,
    floor="partners API, same worker",
    setup=setup,
    baseline=lambda c: c.get("/api/v1/partners"),
    size=lambda c: f"one gunicorn worker, {len(c.paths)} kinds of request",
    repeat=10,
    extra=lambda c: {
        "worker_idle_rss_mb": round(c.idle_mb, 1),
        "worker_loaded_rss_mb": round(c.loaded_mb, 1),
        "import_peak_rss_mb": round(c.import_mb, 1),
        "memory_goal_mb": IDLE_GOAL_MB,
        "memory_met": c.idle_mb < IDLE_GOAL_MB,
    },
)
def server_memory(context: Context) -> object:
    return context.get("/partners/")
