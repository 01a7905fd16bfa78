"""The server stops a worker that was told to stop before it listened for signals.

A worker forked just before the stop runs the arbiter's handlers until it installs its
own; the signal then lands in its copy of the arbiter's queue. The worker here is held
in that window (gunicorn's ``post_fork`` hook, which runs before the worker's handlers)
while the server is told to stop: it must be told again once it listens, not left to
serve until the graceful timeout kills it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from accord.core.served import free_port, wait_for
from accord.core.tests.deployment.conftest import PreparedSite, log_tail, log_wait

SERVER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from accord.core.server import _Gunicorn

    def held(server, worker):
        if worker.age == 2:  # the second worker: the first answers the health check
            sys.stdout.write("held\\n"); sys.stdout.flush()
            time.sleep(3)

    _Gunicorn(
        {"bind": sys.argv[1], "workers": 2, "graceful_timeout": 30, "post_fork": held,
         "control_socket_disable": True},
    ).run()
    """
)


@pytest.mark.parametrize("signalled", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_worker_told_to_stop_before_it_listened_is_told_again(
    served_site: PreparedSite, tmp_path: Path, signalled: signal.Signals
) -> None:
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SERVER, address],
            env=served_site.site.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://{address}/health/", server, 120)
        log_wait(log, "held")
        started = time.monotonic()
        server.send_signal(signalled)
        server.wait(timeout=60)
        took = time.monotonic() - started
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # Held 3 s, then told again within a second of listening; the graceful timeout is 30.
    assert took < 10, (took, log_tail(log))
