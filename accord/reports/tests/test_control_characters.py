"""A control character in a stored text no longer breaks the XLSX exports for everyone."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from accord.core.spreadsheets import neutralise
from accord.core.text import strip_control_characters

TEXT = "vertical\u000btab and\x00 nul,\x1f unit separator\tkept\nkept"
CLEAN = "verticaltab and nul, unit separator\tkept\nkept"
# What can be stored around the services: PostgreSQL holds no NUL at all.
STORED = TEXT.replace("\x00", "")


def test_the_one_rule_strips_what_xml_cannot_hold():
    assert strip_control_characters(TEXT) == CLEAN
    assert strip_control_characters({"en": ["a\x0cb"]}) == {"en": ["ab"]}
    assert neutralise("\x0b=1+1") == "'=1+1"
    assert neutralise(3) == 3


@pytest.fixture
def secretariat(make_user, reference):
    return make_user("sec", ("IOM-RO-BRU", "secretariat"))


def _cells(response) -> list:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_an_action_point_saved_with_a_control_character_is_stored_without_it(secretariat):
    from accord.meetings import services
    from accord.meetings.selectors import meeting_get
    from accord.partners.selectors import organisation_get

    action_point = services.action_point_create(
        meeting=meeting_get(user=secretariat, key="som-3"),
        text=TEXT,
        owners=[organisation_get("IOM")],
        by=secretariat,
    )
    action_point.refresh_from_db()
    assert action_point.text == CLEAN


def test_the_action_points_export_holds_a_text_stored_with_a_control_character(secretariat, client):
    from accord.meetings import services
    from accord.meetings.models import ActionPoint
    from accord.meetings.selectors import meeting_get
    from accord.partners.selectors import organisation_get

    action_point = services.action_point_create(
        meeting=meeting_get(user=secretariat, key="som-3"),
        text="Plain",
        owners=[organisation_get("IOM")],
        by=secretariat,
    )
    # Stored before the rule existed, or written around the services.
    ActionPoint.objects.filter(pk=action_point.pk).update(text=STORED)
    client.force_login(secretariat)
    assert CLEAN in _cells(client.get("/exports/action-points.xlsx"))


def test_the_initiatives_export_holds_a_title_stored_with_a_control_character(
    secretariat, api_client, client
):
    from accord.commitments.models import Initiative

    created = api_client(secretariat).post(
        "/api/v1/initiatives",
        {"title": {"en": TEXT}, "partner": "IOM", "iati_identifier": "XI-\x0b1"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    stored = Initiative.objects.get(pk=created.json()["id"])
    assert (stored.title, stored.iati_identifier) == ({"en": CLEAN}, "XI-1")
    Initiative.objects.filter(pk=stored.pk).update(title={"en": STORED, "fr": "\x08"})
    client.force_login(secretariat)
    assert CLEAN in _cells(client.get("/exports/initiatives.xlsx"))
