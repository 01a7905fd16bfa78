"""An indicator's data-quality list: the warnings its current imports left, shown on its
page and in the API as an initiative's, cleared by the secretariat with a comment through
the same predicate and service (audited); a new version of the dataset brings its own."""

from __future__ import annotations

from typing import Any

import pytest

from accord.access.models import AuditEvent
from accord.core.models import RecordWarning
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Dataset, Indicator
from accord.evidence.selectors import indicator_data_quality

pytestmark = pytest.mark.django_db

SOFT = "Year,Observation status,Value\n2019,Q-ish,4\n2020,Q-ish,5\n"


@pytest.fixture
def indicator(db: Any) -> Indicator:
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", unit="per 100,000")


@pytest.fixture
def warned(indicator: Indicator, write_file: Any) -> RecordWarning:
    path = write_file("soft.csv", SOFT)
    observations_import(path=path, options=Options(indicator=indicator.code, place="ITA"))
    [warning] = indicator_data_quality(indicator)
    return warning


def test_the_import_keeps_one_warning_per_value_with_its_rows(warned, indicator):
    assert (warned.line, warned.field, warned.value, warned.rows) == (
        2,
        "Observation status",
        "Q-ish",
        2,
    )
    assert (warned.content_type.model, warned.object_id) == ("indicator", str(indicator.pk))
    assert warned.run is not None
    assert warned.run.file_name == "soft.csv"
    assert Dataset.objects.get(name="soft.csv").versions.get().run == warned.run


def test_the_page_lists_the_warnings_and_the_secretariat_clears_one(
    warned, indicator, client, admin_user
):
    client.force_login(admin_user)
    page = client.get(f"/evidence/indicators/{indicator.code}/").content.decode()
    assert "Q-ish" in page
    assert f"/data-quality/{warned.pk}/clear/" in page
    answer = client.post(
        f"/data-quality/{warned.pk}/clear/",
        {"comment": "The publisher's own code", "next": f"/evidence/indicators/{indicator.code}/"},
    )
    assert answer.status_code == 302
    warned.refresh_from_db()
    assert (warned.cleared_by, warned.clear_comment) == (admin_user, "The publisher's own code")
    event = AuditEvent.objects.get(verb="data_quality.cleared")
    assert event.data["kind"] == "indicator"
    page = client.get(f"/evidence/indicators/{indicator.code}/").content.decode()
    assert "The publisher&#x27;s own code" in page
    assert f"/data-quality/{warned.pk}/clear/" not in page


def test_the_api_lists_and_clears_as_for_initiatives(
    warned, indicator, api_client, admin_user, make_user
):
    member = make_user("member", ("EEAS", "member"))
    body = api_client(member).get(f"/api/v1/indicators/{indicator.code}").json()
    [listed] = body["data_quality"]
    assert (listed["id"], listed["field"], listed["rows"], listed["cleared"]) == (
        warned.pk,
        "Observation status",
        2,
        False,
    )
    refused = api_client(member).post(
        f"/api/v1/data-quality/{warned.pk}/clear",
        {"comment": "fine"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    empty = api_client(admin_user).post(
        f"/api/v1/data-quality/{warned.pk}/clear",
        {"comment": "  "},
        content_type="application/json",
    )
    assert empty.status_code == 422
    done = api_client(admin_user).post(
        f"/api/v1/data-quality/{warned.pk}/clear",
        {"comment": "checked with the office"},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert (done.json()["cleared"], done.json()["cleared_by"]) == (True, admin_user.username)
    again = api_client(admin_user).post(
        f"/api/v1/data-quality/{warned.pk}/clear",
        {"comment": "twice"},
        content_type="application/json",
    )
    assert again.status_code == 422
    warned.refresh_from_db()
    assert warned.clear_comment == "checked with the office"


def test_a_new_version_lists_its_own_warnings(warned, indicator, write_file):
    path = write_file("soft.csv", SOFT.replace("5\n", "6\n").replace("Q-ish", "R-ish"))
    observations_import(path=path, options=Options(indicator=indicator.code, place="ITA"))
    assert [w.value for w in indicator_data_quality(indicator)] == ["R-ish"]
    assert RecordWarning.objects.filter(object_id=str(indicator.pk)).count() == 2
