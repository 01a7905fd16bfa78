"""The page scenarios run and time a page against its API twin on the same data."""

import pytest
from django.test import override_settings

from accord.bench.harness import REGISTRY, measure
from accord.bench.scenarios import pages  # noqa: F401 (registers the scenarios)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("name", "scale"),
    [("page_meeting", "small"), ("page_action_register", "small"), ("page_indicator", "test")],
)
def test_page_scenarios_run(name, scale, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path):
        result = measure(REGISTRY[name], scale, repeat=1)
    assert result.median_s > 0
    assert result.floor_median_s > 0
    assert result.p95_s >= result.median_s
