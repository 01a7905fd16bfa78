"""The reporting pages: a partner enters an initiative, its entry moves through a cycle."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from accord.commitments.cycles import cycle_open, entry_draft, entry_submit
from accord.commitments.initiatives import initiative_create
from accord.commitments.models import CycleEntry, EntryState, Initiative
from accord.commitments.records import InitiativeRecord
from accord.core.models import Classification

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(roles):
    today = timezone.localdate()
    return cycle_open(
        user=roles["secretariat"],
        name="Test round",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )


@pytest.fixture
def initiative(roles):
    record = InitiativeRecord(
        title={"en": "Reintegration in Somalia"}, partner="DG HOME", commitments=["JVAP-5"]
    )
    return initiative_create(user=roles["contributor"], record=record)


def step(client, initiative, cycle, name, *, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/initiatives/{initiative.pk}/cycles/{cycle.pk}/{name}/", data, headers=headers
    )


def test_a_contributor_enters_an_initiative(client, roles):
    client.force_login(roles["contributor"])
    page = client.get("/initiatives/new/")
    assert page.status_code == 200
    assert 'name="countries"' in page.content.decode()
    answer = client.post(
        "/initiatives/new/",
        {
            "title": "Safe return desks",
            "partner": "DG HOME",
            "kind": "project",
            "status": "ongoing",
            "start_on": "2025-03-01",
            "countries": "SOM, eth",
            "commitments": "JVAP-5",
        },
    )
    initiative = Initiative.objects.get(title__en="Safe return desks")
    assert answer.status_code == 302
    assert answer["Location"] == f"/initiatives/{initiative.pk}/"
    assert initiative.partner is not None
    assert initiative.partner.acronym == "DG HOME"
    assert sorted(p.code for p in initiative.places.all()) == ["231", "706"]
    assert [c.code for c in initiative.commitments.all()] == ["JVAP-5"]
    assert initiative.classification != Classification.PUBLIC
    assert "Enter a new initiative" in client.get("/initiatives/").content.decode()


def test_a_refused_initiative_keeps_the_input_and_names_the_fields(client, roles):
    client.force_login(roles["contributor"])
    answer = client.post(
        "/initiatives/new/",
        {
            "title": "Safe return desks",
            "partner": "DG HOME",
            "kind": "project",
            "status": "ongoing",
            "countries": "SOM, XXQ",
            "commitments": "JVAP-5, NOPE-9",
        },
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'id="id_countries_error"' in text
    assert "XXQ" in text
    assert 'id="id_commitments_error"' in text
    assert "NOPE-9" in text
    assert 'value="Safe return desks"' in text
    assert not Initiative.objects.filter(title__en="Safe return desks").exists()


def test_the_new_initiative_page_is_for_reporting_partners(client, roles):
    assert client.get("/initiatives/new/").status_code == 302  # to log in
    client.force_login(roles["member"])
    assert client.get("/initiatives/new/").status_code == 403
    client.force_login(roles["contributor"])
    answer = client.post(
        "/initiatives/new/",
        {"title": "Not ours", "partner": "IOM", "kind": "project", "status": "planned"},
    )
    assert answer.status_code == 200  # IOM is not among the choices
    assert 'id="id_partner_error"' in answer.content.decode()


def test_draft_submit_verify_through_the_initiative_page(client, roles, cycle, initiative):
    page = f"/initiatives/{initiative.pk}/"
    client.force_login(roles["contributor"])
    text = client.get(page).content.decode()
    assert "Draft in cycle" in text
    assert "Submit" not in text.split('id="reporting"')[1]
    answer = step(client, initiative, cycle, "draft")
    assert answer.status_code == 302
    entry = CycleEntry.objects.get(cycle=cycle, initiative=initiative)
    assert entry.state == EntryState.DRAFT

    client.force_login(roles["focal"])
    assert ">Submit</button>" in client.get(page).content.decode()
    answer = step(client, initiative, cycle, "submit", htmx=True)
    assert answer.status_code == 200
    assert 'id="reporting"' in answer.content.decode()
    assert "<html" not in answer.content.decode()  # htmx: the block only
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED

    client.force_login(roles["secretariat"])
    text = client.get(page).content.decode()
    assert ">Verify</button>" in text
    assert "Return with comment" in text
    assert step(client, initiative, cycle, "verify").status_code == 302
    entry.refresh_from_db()
    initiative.refresh_from_db()
    assert entry.state == EntryState.VERIFIED
    assert initiative.classification == Classification.PUBLIC
    client.logout()
    assert "Reintegration in Somalia" in client.get("/initiatives/").content.decode()


def test_a_contributor_is_refused_on_verify(client, roles, cycle, initiative):
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    entry_submit(user=roles["focal"], entry=entry)
    client.force_login(roles["contributor"])
    answer = step(client, initiative, cycle, "verify")
    assert answer.status_code == 403
    assert "Only the secretariat may verify entries." in answer.content.decode()
    answer = step(client, initiative, cycle, "submit")
    assert answer.status_code == 403
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED


def test_returning_needs_a_comment_kept_next_to_the_field(client, roles, cycle, initiative):
    entry = entry_draft(user=roles["focal"], cycle=cycle, initiative=initiative)
    entry_submit(user=roles["focal"], entry=entry)
    client.force_login(roles["secretariat"])
    answer = step(client, initiative, cycle, "return", comment="  ", htmx=True)
    assert answer.status_code == 200
    assert f'id="return{cycle.pk}_comment_error"' in answer.content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    answer = step(client, initiative, cycle, "return", comment="Add the 2025 figures")
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.RETURNED
    assert entry.comment == "Add the 2025 figures"


def test_a_step_out_of_order_is_shown_not_crashed(client, roles, cycle, initiative):
    entry_draft(user=roles["focal"], cycle=cycle, initiative=initiative)
    client.force_login(roles["secretariat"])
    answer = step(client, initiative, cycle, "verify")
    assert answer.status_code == 200
    assert "cannot become" in answer.content.decode()
    assert step(client, initiative, cycle, "publish").status_code == 404
    assert client.get(f"/initiatives/{initiative.pk}/cycles/{cycle.pk}/draft/").status_code == 405


def test_the_reporting_pages_speak_french(client, roles, cycle, initiative):
    client.force_login(roles["contributor"])
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    # The locale middleware leaves French active in this thread: undo it after.
    with translation.override("en"):
        page = client.get("/initiatives/new/", headers=french).content.decode()
        text = client.get(f"/initiatives/{initiative.pk}/", headers=french).content.decode()
    assert "Nouvelle initiative" in page
    assert "Préparer dans le cycle" in text
