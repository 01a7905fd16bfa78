"""The full initiative form: every field, the stale-edit check, who may."""

import pytest

from accord.commitments.models import Initiative

pytestmark = pytest.mark.django_db


def full(**fields):
    return {
        "title": "Reintegration desks",
        "title_fr": "Guichets de réintégration",
        "description": "Desks in three cities.",
        "partner": "DG HOME",
        "kind": "project",
        "status": "ongoing",
        "progress": "40",
        "start_on": "2026-01-15",
        "end_on": "2027-12-31",
        "implementers": "IOM, DG HOME",
        "fundings": "DG HOME; 1500000; EUR\nAcme Foundation; 20000; usd",
        "countries": "SOM, ETH",
        "commitments": "JVAP-5",
        "milestones": "2026-06-30; Desks open; yes\n2027-06-30; Review",
        **fields,
    }


def test_a_contributor_enters_and_edits_an_initiative_with_every_field(client, roles):
    client.force_login(roles["contributor"])
    made = client.post("/initiatives/new/", full())
    assert made.status_code == 302, made.content.decode()[:2000]
    initiative = Initiative.objects.get(title__en="Reintegration desks")
    assert initiative.title["fr"] == "Guichets de réintégration"
    assert initiative.progress == 40
    assert sorted(o.acronym for o in initiative.implementers.all()) == ["DG HOME", "IOM"]
    assert sorted((f.funder_display, f.currency) for f in initiative.fundings.all()) == [
        ("Acme Foundation", "USD"),
        ("DG HOME", "EUR"),
    ]
    assert initiative.places.count() == 2
    assert [m.title for m in initiative.milestones.order_by("on")] == ["Desks open", "Review"]
    assert str(initiative.end_on) == "2027-12-31"
    edit = client.get(f"/initiatives/{initiative.pk}/edit/")
    assert edit.status_code == 200
    assert "Acme Foundation; 20000" in edit.content.decode()
    saved = client.post(
        f"/initiatives/{initiative.pk}/edit/",
        full(status="completed", progress="", version=initiative.version),
    )
    assert saved.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.status, initiative.progress) == ("completed", 100)
    stale = client.post(
        f"/initiatives/{initiative.pk}/edit/", full(title="Mine", version=initiative.version - 1)
    )
    assert stale.status_code == 422
    text = stale.content.decode()
    assert "changed by someone else" in text
    assert 'value="Mine"' in text  # the input is kept


def test_bad_lines_are_refused_next_to_their_field(client, roles):
    client.force_login(roles["focal"])
    bad = client.post(
        "/initiatives/new/",
        full(fundings="DG HOME; lots; EUR", milestones="soon; x", implementers="NOPE"),
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert 'id="id_fundings_error"' in text
    assert 'id="id_milestones_error"' in text
    assert "NOPE" in text


def test_only_the_partners_reporters_and_the_secretariat_edit(client, roles):
    client.force_login(roles["contributor"])
    client.post("/initiatives/new/", full())
    initiative = Initiative.objects.get(title__en="Reintegration desks")
    client.force_login(roles["other_focal"])
    assert client.get(f"/initiatives/{initiative.pk}/edit/").status_code in {403, 404}
    client.force_login(roles["secretariat"])
    assert client.get(f"/initiatives/{initiative.pk}/edit/").status_code == 200
