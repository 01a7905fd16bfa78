import datetime as dt

import pytest

from accord.commitments.cycles import cycle_open

pytestmark = pytest.mark.django_db


def test_jvap_page_shows_its_domains_with_coverage(client, reference):
    page = client.get("/commitments/instruments/JVAP/")
    assert page.status_code == 200
    text = page.content.decode()
    for code in ("JVAP-1", "JVAP-2", "JVAP-3", "JVAP-4", "JVAP-5"):
        assert code in text
    assert "<svg" in text
    assert "Gaps" in text
    assert 'href="/commitments/"' in client.get("/").content.decode()  # nav link


def test_commitment_and_initiative_pages(client, reference):
    page = client.get("/commitments/JVAP-5/")
    assert "EU-IOM Joint Initiative" in page.content.decode()
    from accord.commitments.models import Initiative

    initiative = Initiative.objects.get(external_ids__reference="EU-IOM-JI")
    text = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Somalia" in text
    assert "EUTF-AFRICA" in text
    assert client.get("/commitments/NOPE/").status_code == 404


def test_faceted_list_counts_and_filters(client, reference, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        page = client.get(
            "/initiatives/", {"partner": "IOM", "status": "ongoing", "country": "SOM"}
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Somalia</a> (1)" in text
    htmx = client.get("/initiatives/", {"kind": "project"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()


def test_cycle_board_is_the_secretariats_and_reporters_see_their_entries(client, roles):
    cycle_open(
        user=roles["secretariat"],
        name="2024",
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 3, 1),
    )
    client.force_login(roles["member"])
    assert client.get("/cycles/").status_code == 403
    client.force_login(roles["focal"])
    mine = client.get("/cycles/2024/")
    assert mine.status_code == 200
    assert 'id="completeness"' not in mine.content.decode()
    client.force_login(roles["secretariat"])
    page = client.get("/cycles/2024/")
    assert page.status_code == 200
    assert "Waiting for verification" in page.content.decode()
