"""The trail and radar scenarios run at the small scale and time the API against its SQL."""

import pytest

from accord.bench.harness import REGISTRY, measure
from accord.bench.scenarios import trail  # noqa: F401 (registers the scenarios)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("name", ["commitment_trail", "meeting_radar"])
def test_trail_scenarios_run(name):
    result = measure(REGISTRY[name], "small", repeat=1)
    assert result.median_s > 0
    assert result.floor_median_s > 0
    if name == "commitment_trail":
        assert result.size == "1 commitment, 1000 linked records"
