"""``accord bench --load``: a tiny load, readers and writers at once, without an error."""

from __future__ import annotations

import json

from accord.bench.load import run_load
from accord.core.tests.deployment.conftest import PreparedSite

KEYS = {"scenario", "requests", "errors", "rps", "p50_s", "p95_s", "p99_s", "floor", "floor_rps"}


def test_a_tiny_load_answers_every_request(served_site: PreparedSite) -> None:
    result = run_load(
        site=served_site.site,
        token=served_site.token,
        requests=36,
        concurrency=4,
        writers=1,
        seconds=90,
        workers=2,
    )
    line = json.loads(json.dumps(result))
    assert set(line) >= KEYS
    assert line["scenario"] == "load_mixed"
    assert line["requests"] == 36
    assert line["errors"] == 0, line
    assert line["floor_errors"] == 0, line
    assert line["rps"] > 0
    assert line["floor_rps"] > 0
    assert 0 < line["p50_s"] <= line["p95_s"] <= line["p99_s"]
    assert line["floor"] == "bare Django view /health/"
    assert any(route.startswith("POST ") for route in line["p50_by_route_s"])
