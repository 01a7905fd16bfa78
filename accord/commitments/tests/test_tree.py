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


def test_coverage_by_country_and_a_country_page(client, roles):
    from accord.commitments.models import Initiative, InitiativePlace
    from accord.core.models import Classification

    made = Initiative.objects.create(
        title={"en": "Libya desks"}, classification=Classification.PUBLIC, status="ongoing"
    )
    made.commitments.add(Commitment.objects.get(code="JVAP-2"))
    InitiativePlace.objects.create(initiative=made, code="434", kind="country")
    hidden = Initiative.objects.create(title={"en": "Members only"}, status="ongoing")
    hidden.commitments.add(Commitment.objects.get(code="JVAP-4"))
    InitiativePlace.objects.create(initiative=hidden, code="434", kind="country")
    page = client.get("/commitments/instruments/JVAP/countries/")
    assert page.status_code == 200
    matrix = page.context["matrix"]
    libya = [c.alpha3 for c in matrix.countries].index("LBY")
    cells = {row.commitment.code: row.cells[libya] for row in matrix.rows}
    assert cells["JVAP-2"] == 1
    assert cells["JVAP-4"] == 0  # the members' initiative is not the public's
    client.force_login(roles["member"])
    member = client.get("/commitments/instruments/JVAP/countries/").context["matrix"]
    libya = [c.alpha3 for c in member.countries].index("LBY")
    assert {r.commitment.code: r.cells[libya] for r in member.rows}["JVAP-4"] == 1
    client.logout()
    country = client.get("/countries/LBY/")
    assert country.status_code == 200
    text = country.content.decode()
    assert "Libya desks" in text
    assert "Members only" not in text
    assert "JVAP-2" in text
    assert client.get("/countries/434/").status_code == 200
    assert client.get("/countries/NOPE/").status_code == 404
    assert client.get("/commitments/instruments/NOPE/countries/").status_code == 404
