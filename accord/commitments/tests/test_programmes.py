"""Programmes: the EU Trust Fund for Africa and the EU-IOM Joint Initiative as records
with their own page; the Joint Initiative's initiative belongs to it, funded through
the Trust Fund."""

import pytest

from accord.commitments.models import Initiative, Programme

pytestmark = pytest.mark.django_db


def test_the_programmes_of_the_record_and_their_pages(reference, client):
    fund = Programme.objects.get(code="EUTF-AFRICA")
    joint = Programme.objects.get(code="EU-IOM-JI")
    assert joint.parent == fund
    initiative = Initiative.objects.get(external_ids__reference="EU-IOM-JI")
    assert initiative.programme == joint
    assert initiative.fundings.filter(programme=fund).exists()
    page = client.get("/programmes/EU-IOM-JI/").content.decode()
    assert "EU-IOM Joint Initiative" in page
    assert "Funded through" in page
    assert f"/initiatives/{initiative.pk}/" in page
    assert "/programmes/EU-IOM-JI/" in client.get(f"/initiatives/{initiative.pk}/").content.decode()
    body = client.get("/api/v1/programmes/EU-IOM-JI").json()
    assert (body["funded_through"], body["initiatives"]) == ("EUTF-AFRICA", [initiative.pk])
    assert client.get("/api/v1/programmes/NOPE").status_code == 404
    assert client.get("/programmes/NOPE/").status_code == 404
