"""The benchmark's two sides read the same page of the action register."""

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accord.bench.scenarios import meetings as scenario

pytestmark = pytest.mark.django_db


def test_api_and_raw_sql_read_the_same_page(monkeypatch):
    monkeypatch.setitem(
        scenario.SIZES, "small", {"partners": 5, "meetings": 30, "action_points": 400}
    )
    context = scenario.setup("small")
    assert (context.meetings, context.action_points) == (30, 400)
    owner = context.owners[1]
    context.step = 0  # both sides take the next owner: the same one
    result: Any = scenario.raw_sql(context)
    count, page, owners, updates = result
    context.step = 0
    body = json.loads(scenario.action_register_api(context))
    assert body["count"] == count[0]
    assert [item["id"] for item in body["items"]] == [row[0] for row in page]
    assert [item["meeting"] for item in body["items"]] == [f"{row[7]}-{row[8]}" for row in page]
    assert sum(len(item["owners"]) for item in body["items"]) == len(owners)
    assert sum(len(item["updates"]) for item in body["items"]) == len(updates)
    assert all(owner in item["owners"] for item in body["items"])
    today = timezone.localdate().isoformat()
    assert all(item["due_date"] < today for item in body["items"])
    assert Client().get("/api/v1/action-points", {"owner": owner}).json()["count"] > count[0]
