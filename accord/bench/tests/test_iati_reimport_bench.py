"""The re-import scenario finds every activity of its file unchanged, and its floor reads
back the same initiatives."""

import pytest
from django.test import override_settings

from accord.bench.harness import REGISTRY, measure
from accord.bench.scenarios import iati_reimport  # registers the scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reimport_finds_every_activity_unchanged(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        result = measure(REGISTRY["iati_reimport"], "test", repeat=1)
        context = iati_reimport.reimport_setup("test")
        # Every activity of the file is found, by its identifier, with its start date.
        assert iati_reimport.parse_and_read_back(context) == context.activities == 100
    assert result.median_s > 0 < result.floor_median_s
