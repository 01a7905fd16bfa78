"""``accord demo`` serving with its worker stops, worker and all, when its terminal's
group is signalled (Ctrl-C, or a supervisor stopping the group)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from accord.core.served import BIN, free_port, processes, wait_for
from accord.core.tests.deployment.conftest import PreparedSite, log_tail, log_wait


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _session_members(session: int) -> list[int]:
    return [pid for pid, fields in processes() if int(fields[3]) == session and fields[0] != "Z"]


@pytest.mark.parametrize("signalled", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_the_demo_stops_with_its_worker_when_its_group_is_signalled(
    served_site: PreparedSite, tmp_path: Path, signalled: signal.Signals
) -> None:
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(  # noqa: S603
            [str(BIN / "accord"), "demo", "--addr", address],
            env=served_site.site.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own, as a terminal gives a command
        )
    session = 0
    try:
        wait_for(f"http://{address}/health/", demo, 120)
        log_wait(log, "Worker started")
        worker = int(re.findall(r"Worker running \(process (\d+)\)", log.read_text())[0])
        session = os.getsid(worker)

        started = time.monotonic()
        os.killpg(demo.pid, signalled)
        demo.wait(timeout=60)
        took = time.monotonic() - started
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
        for pid in _session_members(session) if session else []:
            os.kill(pid, signal.SIGKILL)
    assert took < 10, (took, log_tail(log))
    assert _gone(worker)
    assert _session_members(session) == [], "no process of the worker's is left"
