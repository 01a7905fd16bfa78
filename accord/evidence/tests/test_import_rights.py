"""A focal point writes figures only for indicators it may write, and never replaces
another partner's dataset; the datasets page and the command line read as their reader."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accord.core.models import Classification
from accord.evidence.models import Dataset, Observation
from accord.evidence.tests.factories import IndicatorFactory
from accord.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GOOD = "Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,2\n"


def upload(client, text, **fields):
    return client.post(
        "/api/v1/indicators/import",
        {
            "file": SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv"),
            **fields,
        },
    )


@pytest.fixture
def people(make_user):
    return {
        "iom": make_user("iom-focal", ("IOM", "focal_point")),
        "home": make_user("home-focal", ("DG HOME", "focal_point")),
        "iom2": make_user("iom-focal-2", ("IOM", "focal_point")),
        "secretariat": make_user("sec", ("IOM-RO-BRU", "secretariat")),
    }


@pytest.fixture
def hidden(db):
    """An indicator restricted to IOM: DG HOME's focal point may not read it."""
    indicator = IndicatorFactory(code="IOM_ONLY", classification=Classification.RESTRICTED)
    indicator.restricted_to.add(OrganisationFactory(acronym="IOM"))
    return indicator


def test_an_indicator_hidden_from_the_importer_is_unknown_to_it(api_client, people, hidden):
    client = api_client(people["home"])
    assert client.get("/api/v1/indicators/IOM_ONLY").status_code == 404
    answer = upload(client, GOOD, indicator="IOM_ONLY")
    assert answer.status_code == 422, answer.content
    assert "unknown indicator 'IOM_ONLY'" in answer.json()["detail"]
    # Named in an indicator column, it is an unknown code too.
    column = upload(client, "Indicator,Year,GeoCode,Value\nIOM_ONLY,2019,FRA,1\n")
    assert column.status_code == 422
    assert not Observation.objects.exists()


def test_another_partners_indicator_is_refused(api_client, people):
    IndicatorFactory(code="IOM_FIGURES", organisation=OrganisationFactory(acronym="IOM"))
    answer = upload(api_client(people["home"]), GOOD, indicator="IOM_FIGURES")
    assert answer.status_code == 403, answer.content
    column = upload(
        api_client(people["home"]), "Indicator,Year,GeoCode,Value\nIOM_FIGURES,2019,FRA,1\n"
    )
    assert column.status_code == 422
    assert not Observation.objects.exists()
    assert upload(api_client(people["iom"]), GOOD, indicator="IOM_FIGURES").status_code == 200


def test_another_partners_dataset_is_not_replaced(api_client, people, deaths):
    first = upload(api_client(people["iom"]), GOOD, indicator="MMP_DEAD_MISSING", dataset="IOM MMP")
    assert first.status_code == 200, first.content
    other = "Year,GeoCode,Value\n2019,DEU,5\n"
    taken = upload(
        api_client(people["home"]), other, indicator="MMP_DEAD_MISSING", dataset="IOM MMP"
    )
    assert taken.status_code == 403, taken.content
    assert Dataset.objects.get(name="IOM MMP").version == 1
    assert Observation.objects.filter(place__code="250").count() == 2
    # A colleague focal point of the same partner may replace it; so may the secretariat.
    again = upload(
        api_client(people["iom2"]), other, indicator="MMP_DEAD_MISSING", dataset="IOM MMP"
    )
    assert again.status_code == 200, again.content
    assert again.json()["replaced"] == 2


def test_the_datasets_page_shows_the_public_only_datasets_of_public_figures(
    client, api_client, people, hidden, deaths
):
    upload(api_client(people["secretariat"]), GOOD, indicator="MMP_DEAD_MISSING", dataset="Open")
    upload(
        api_client(people["secretariat"]),
        GOOD,
        indicator="IOM_ONLY",
        dataset="Confidential figures",
        source="IOM internal source",
    )
    page = client.get("/evidence/datasets/").content.decode()
    assert "Open" in page
    assert "Confidential figures" not in page
    assert "IOM internal source" not in page
    client.force_login(people["iom"])
    assert "Confidential figures" in client.get("/evidence/datasets/").content.decode()


def test_the_command_line_exports_observations_as_the_public_without_as(
    api_client, people, hidden, tmp_path
):
    upload(api_client(people["secretariat"]), GOOD, indicator="IOM_ONLY")
    with pytest.raises(Exception, match="No indicator has the code 'IOM_ONLY'"):
        call_command("export", "observations", "--indicator", "IOM_ONLY", stdout=io.StringIO())
    output = tmp_path / "out.csv"
    call_command(
        "export",
        "observations",
        "--indicator",
        "IOM_ONLY",
        "--as",
        "iom-focal",
        "-o",
        str(output),
        stdout=io.StringIO(),
    )
    assert "2019" in output.read_text(encoding="utf-8-sig")


def test_the_command_line_imports_as_the_named_user(people, hidden, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(GOOD)
    with pytest.raises(Exception, match="unknown indicator 'IOM_ONLY'"):
        call_command(
            "import",
            "observations",
            str(path),
            "--indicator",
            "IOM_ONLY",
            "--as",
            "home-focal",
            stdout=io.StringIO(),
        )
    call_command(
        "import", "observations", str(path), "--indicator", "IOM_ONLY", stdout=io.StringIO()
    )
    assert Observation.objects.filter(indicator=hidden).count() == 2
