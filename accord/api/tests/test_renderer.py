"""The API's renderer (orjson) writes what ninja's own renderer writes, value by value."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext_lazy
from ninja.renderers import JSONRenderer

from accord.api.renderer import FastJSONRenderer

VALUES = {
    "date": dt.date(2016, 9, 19),
    "dates": [dt.date(2012, 7, 1), None, dt.date(1, 1, 1)],
    "datetime_utc": dt.datetime(2024, 3, 5, 14, 7, 9, 123456, tzinfo=dt.UTC),
    "datetime_offset": dt.datetime(2024, 3, 5, 14, 7, 9, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    "naive": dt.datetime(2024, 3, 5, 14, 7, 9, 500),  # noqa: DTZ001 (what a field may hold)
    "time": dt.time(9, 30, 15, 250000),
    "decimal": Decimal("1234.50"),
    "lazy": gettext_lazy("Members of a framework"),
    "nested": {"on": dt.date(2020, 1, 1), "n": [1, 2.5, "x", True]},
    "past_64_bits": 2**70,
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_value_is_written_as_ninja_writes_it(name):
    request = RequestFactory().get("/api/v1/")
    data = {"value": VALUES[name]}
    ours = FastJSONRenderer().render(request, data, response_status=200)
    theirs = JSONRenderer().render(request, data, response_status=200)
    assert json.loads(ours) == json.loads(theirs)
