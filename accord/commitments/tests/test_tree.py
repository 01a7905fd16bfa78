"""Editing an instrument's commitment tree on its pages: add, edit titles in English and
French, move, re-code (the former code still resolves and redirects)."""

import pytest

from accord.access.models import AuditEvent
from accord.commitments.models import Commitment, CommitmentAlias

pytestmark = pytest.mark.django_db


def test_the_secretariat_adds_a_commitment_under_jvap_2(client, roles):
    client.force_login(roles["secretariat"])
    form = client.get("/commitments/instruments/JVAP/add/?parent=JVAP-2")
    assert form.status_code == 200
    added = client.post(
        "/commitments/instruments/JVAP/add/",
        {
            "code": "JVAP-2.9",
            "title_en": "Talent partnerships",
            "title_fr": "Partenariats pour les talents",
            "parent": "JVAP-2",
            "position": 9,
        },
    )
    assert added.status_code == 302
    made = Commitment.objects.get(code="JVAP-2.9")
    assert made.title == {"en": "Talent partnerships", "fr": "Partenariats pour les talents"}
    assert made.path == "/JVAP-2/JVAP-2.9/"
    french = client.get("/commitments/JVAP-2.9/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Partenariats pour les talents" in french.content.decode()
    taken = client.post(
        "/commitments/instruments/JVAP/add/",
        {"code": "JVAP-2.9", "title_en": "Again", "position": 0},
    )
    assert taken.status_code == 422
    assert "Again" in taken.content.decode()  # the input is kept


def test_recode_and_move_keep_the_former_code_working(client, roles):
    client.force_login(roles["secretariat"])
    commitment = Commitment.objects.get(code="JVAP-5")
    before = commitment.children.count()
    edit = client.get("/commitments/JVAP-5/edit/")
    assert edit.status_code == 200
    saved = client.post(
        "/commitments/JVAP-5/edit/",
        {
            "code": "JVAP-R",
            "title_en": "Return and reintegration",
            "title_fr": "Retour et réintégration",
            "position": 5,
            "version": commitment.version,
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:500]
    commitment.refresh_from_db()
    assert commitment.code == "JVAP-R"
    assert CommitmentAlias.objects.get(code="JVAP-5").commitment == commitment
    assert all(c.path.startswith("/JVAP-R/") for c in commitment.children.all())
    assert commitment.children.count() == before
    old = client.get("/commitments/JVAP-5/")
    assert (old.status_code, old["Location"]) == (301, "/commitments/JVAP-R/")
    assert (
        client.get("/evidence/commitments/JVAP-5/")["Location"] == "/evidence/commitments/JVAP-R/"
    )
    stale = client.post(
        "/commitments/JVAP-R/edit/",
        {"code": "JVAP-R", "title_en": "x", "position": 5, "version": 1},
    )
    assert stale.status_code == 422
    assert "changed by someone else" in stale.content.decode()
    under_itself = client.post(
        "/commitments/JVAP-R/edit/",
        {
            "code": "JVAP-R",
            "title_en": "x",
            "position": 5,
            "parent": "JVAP-R",
            "version": commitment.version,
        },
    )
    assert under_itself.status_code == 422
    moved = client.post(
        "/commitments/JVAP-R/edit/",
        {
            "code": "JVAP-R",
            "title_en": "Return and reintegration",
            "position": 1,
            "parent": "JVAP-4",
            "version": commitment.version,
        },
    )
    assert moved.status_code == 302
    commitment.refresh_from_db()
    assert commitment.path == "/JVAP-4/JVAP-R/"
    assert AuditEvent.objects.filter(verb="commitment.edited").count() == 2


def test_a_commitment_page_links_to_its_evidence_and_unknown_codes_answer_404(client, roles):
    page = client.get("/commitments/JVAP-5/").content.decode()
    assert 'href="/evidence/commitments/JVAP-5/"' in page
    assert client.get("/evidence/commitments/NOPE/").status_code == 404
    assert client.get("/commitments/NOPE/").status_code == 404


def test_only_the_secretariat_edits_the_tree(client, roles):
    client.force_login(roles["focal"])
    assert client.get("/commitments/instruments/JVAP/add/").status_code == 403
    assert client.get("/commitments/JVAP-5/edit/").status_code == 403
    assert "Edit this commitment" not in client.get("/commitments/JVAP-5/").content.decode()
