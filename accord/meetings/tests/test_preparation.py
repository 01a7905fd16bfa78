"""Preparing meetings: the next SOM from the last, agendas with sub-items, drafts and
publication, through the services and the API."""

import json

import pytest
from django.urls import reverse

from accord.access.models import AuditEvent
from accord.meetings import agenda, planning, services
from accord.meetings.models import AgendaItem, Meeting, Participant

pytestmark = pytest.mark.django_db


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_next_meeting_copies_settings_standing_items_and_partners(som, org, secretariat):
    eleventh = som(11)
    standing = agenda.agenda_item_add(
        meeting=eleventh,
        title="Follow-up of action points",
        planned_minutes=30,
        standing=True,
        by=secretariat,
    )
    agenda.agenda_item_add(
        meeting=eleventh, title="Review", parent=standing.pk, standing=True, by=secretariat
    )
    agenda.agenda_item_add(meeting=eleventh, title="Ukraine", by=secretariat)
    services.participant_add(meeting=eleventh, organisation=org("DG HOME"), by=secretariat)

    twelfth = planning.meeting_prepare_next(meeting=eleventh, by=secretariat)

    assert twelfth.key == "som-12"
    assert twelfth.date.isoformat() == "2026-04-04"
    assert (twelfth.city, twelfth.classification, twelfth.status) == (
        "Brussels",
        eleventh.classification,
        "planned",
    )
    assert twelfth.agenda_published_at is None
    items = AgendaItem.objects.filter(meeting=twelfth).select_related("parent")
    assert sorted((i.title, i.parent.title if i.parent else "") for i in items) == [
        ("Follow-up of action points", ""),
        ("Review", "Follow-up of action points"),
    ]
    partners = set(
        Participant.objects.filter(meeting=twelfth).values_list("organisation__acronym", flat=True)
    )
    assert "DG HOME" in partners
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"meeting.created", "meeting.prepared"} <= verbs


def test_sub_items_longer_than_their_item_are_warned_about(som, secretariat, client):
    meeting = services.meeting_create(tier=som(1).tier, date="2026-06-01", by=secretariat)
    item = agenda.agenda_item_add(
        meeting=meeting, title="Return", planned_minutes=30, by=secretariat
    )
    for title in ("Readmission", "Reintegration"):
        agenda.agenda_item_add(
            meeting=meeting, title=title, planned_minutes=20, parent=item.pk, by=secretariat
        )
    client.force_login(secretariat)
    body = client.get("/api/v1/meetings/som-12/agenda").json()
    assert body["total_minutes"] == 30
    assert body["warnings"] == [
        "The sub-items of 1. Return plan 40 minutes, 10 more than the item's 30."
    ]
    assert [s["title"] for s in body["items"][0]["sub_items"]] == ["Readmission", "Reintegration"]


def test_sub_items_have_one_level(som, secretariat):
    meeting = som(3)
    item = agenda.agenda_item_add(meeting=meeting, title="A", by=secretariat)
    sub = agenda.agenda_item_add(meeting=meeting, title="A.1", parent=item.pk, by=secretariat)
    with pytest.raises(Exception, match="two levels"):
        agenda.agenda_item_add(meeting=meeting, title="A.1.1", parent=sub.pk, by=secretariat)


def test_a_draft_agenda_is_the_secretariats_until_published(som, secretariat, client, api_client):
    meeting = services.meeting_create(
        tier=som(1).tier, date="2026-06-01", classification="public", by=secretariat
    )
    agenda.agenda_item_add(meeting=meeting, title="Secret plans", by=secretariat)
    url = reverse("meeting-detail", args=["som-12"])
    assert "Secret plans" not in client.get(url).content.decode()
    assert client.get("/api/v1/meetings/som-12/agenda").json()["items"] == []
    sec = api_client(secretariat)
    assert sec.get("/api/v1/meetings/som-12/agenda").json()["items"][0]["title"] == "Secret plans"
    published = sec.post("/api/v1/meetings/som-12/agenda/publish")
    assert published.status_code == 200, published.content
    assert published.json()["published"] is True
    assert "Secret plans" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(verb="agenda.published").count() == 1
    assert sec.post("/api/v1/meetings/som-12/agenda/publish").status_code == 422


def test_agenda_through_the_api_add_and_reorder(som, secretariat, api_client, home_focal):
    services.meeting_create(tier=som(1).tier, date="2026-06-01", by=secretariat)
    sec = api_client(secretariat)
    first = send(sec, "post", "/api/v1/meetings/som-12/agenda", {"title": "Opening", "minutes": 10})
    assert first.status_code == 201, first.content
    second = send(
        sec, "post", "/api/v1/meetings/som-12/agenda", {"title": "Ukraine", "minutes": 60}
    )
    ids = [item["id"] for item in second.json()["items"]]
    sub = send(
        sec,
        "post",
        "/api/v1/meetings/som-12/agenda",
        {"title": "Displacement", "minutes": 20, "parent": ids[1]},
    )
    assert sub.json()["items"][1]["sub_items"][0]["number"] == "2.1"
    reordered = send(sec, "post", "/api/v1/meetings/som-12/agenda/order", {"order": ids[::-1]})
    assert [i["title"] for i in reordered.json()["items"]] == ["Ukraine", "Opening"]
    assert reordered.json()["total_minutes"] == 70
    bad = send(sec, "post", "/api/v1/meetings/som-12/agenda/order", {"order": ids[:1]})
    assert bad.status_code == 422
    refused = send(
        api_client(home_focal), "post", "/api/v1/meetings/som-12/agenda", {"title": "Mine"}
    )
    assert refused.status_code in (403, 404)


def test_meeting_create_and_patch_through_the_api(reference, secretariat, api_client):
    sec = api_client(secretariat)
    created = send(
        sec,
        "post",
        "/api/v1/meetings",
        {
            "tier": "som",
            "year": 2027,
            "venue": "Geneva",
            "host": "IOM",
            "co_chairs": ["Amy Pope"],
            "classification": "restricted",
            "restricted_to": ["IOM", "DG HOME"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["key"], body["date"], body["city"], body["host"]) == (
        "som-12",
        "2027",
        "Geneva",
        "IOM",
    )
    assert body["co_chairs"] == ["Amy Pope"]
    assert body["restricted_to"] == ["DG HOME", "IOM"]
    assert AuditEvent.objects.filter(verb="meeting.created").count() == 1

    patched = send(
        sec,
        "patch",
        "/api/v1/meetings/som-12",
        {"version": body["version"], "date": "2027-03-04", "venue": "online"},
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["date"], patched.json()["venue"]) == ("2027-03-04", "Online")
    stale = send(
        sec, "patch", "/api/v1/meetings/som-12", {"version": body["version"], "city": "Rome"}
    )
    assert stale.status_code == 409
    assert Meeting.objects.get(pk=body["id"]).city == "Geneva"
    missing = send(sec, "post", "/api/v1/meetings", {"tier": "som"})
    assert missing.status_code == 422
    restricted_alone = send(
        sec,
        "post",
        "/api/v1/meetings",
        {"tier": "som", "year": 2028, "classification": "restricted"},
    )
    assert restricted_alone.status_code == 422


def test_prepare_next_page_and_api(som, secretariat, client, api_client):
    client.force_login(secretariat)
    page = client.get(reverse("meeting-detail", args=["som-11"])).content.decode()
    assert reverse("meeting-prepare-next", args=["som-11"]) in page
    form = client.get(reverse("meeting-prepare-next", args=["som-11"]))
    assert 'value="2026-04-04"' in form.content.decode()
    refused = client.post(reverse("meeting-prepare-next", args=["som-11"]), {"date": "soon"})
    assert refused.status_code == 200
    assert 'id="id_date_error"' in refused.content.decode()
    done = client.post(reverse("meeting-prepare-next", args=["som-11"]), {"date": "2026-05-05"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("meeting-detail", args=["som-12"]))
    answer = api_client(secretariat).post(
        "/api/v1/meetings/som-12/next", data=json.dumps({}), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["key"], answer.json()["date"]) == ("som-13", "2027-05-05")
