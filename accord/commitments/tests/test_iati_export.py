"""IATI 2.03 out: valid against IATI's schema, partners without an identifier left out
and counted, the page and the command as the reader sees the list, round trip."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db

SCHEMA = Path("/work/shared/reference/iati/schema/iati-activities-schema.xsd")
DATA = Path(__file__).parent / "data"
SCHEMA_COPY = DATA / "iati-schema" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def schema():
    path = SCHEMA if SCHEMA.exists() else SCHEMA_COPY
    return etree.XMLSchema(etree.parse(str(path)))


def export(tmp_path, *args):
    path = tmp_path / "out.xml"
    out = StringIO()
    call_command("export", "iati", "-o", str(path), *args, stdout=out)
    return path, out.getvalue()


def test_the_export_validates_and_leaves_out_partners_without_identifier(
    reference, tmp_path, schema
):
    import_iati(DATA / "iom-somalia-idps-single-activity.xml")
    import_iati(DATA / "spain-maec-indonesia-v2.01.xml")
    Initiative.objects.update(classification="public")
    path, out = export(tmp_path)
    document = etree.parse(str(path))
    schema.assertValid(document)
    activities = document.getroot().findall("iati-activity")
    # Spain's publisher has its identifier from its own file; the Joint Initiative's IOM too.
    assert len(activities) == Initiative.objects.exclude(partner__iati_identifier="").count()
    assert f"{len(activities)} initiatives written" in out
    somalia = next(a for a in activities if a.findtext("iati-identifier") == "XM-DAC-47066-DP.2154")
    assert somalia.find("reporting-org").get("ref") == "XM-DAC-47066"
    assert somalia.find("recipient-country").get("code") == "SO"
    assert somalia.find("budget/value").text == "1459753.72"
    Organisation.objects.filter(acronym="IOM").update(iati_identifier="")
    _path, out = export(tmp_path)
    assert "left out: their partner has no IATI organisation identifier" in out


def test_reimporting_the_export_changes_nothing_and_an_edit_updates(reference, tmp_path):
    import_iati(DATA / "spain-maec-indonesia-v2.01.xml")
    Initiative.objects.update(classification="public")
    versions = dict(Initiative.objects.values_list("pk", "version"))
    path, _out = export(tmp_path)
    report = import_iati(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(versions) - 0)
    assert dict(Initiative.objects.values_list("pk", "version")) == versions
    joint = Initiative.objects.get(external_ids__reference="EU-IOM-JI")
    text = path.read_text().replace(
        "EU-IOM Joint Initiative for Migrant Protection", "Joint Initiative (renamed)"
    )
    path.write_text(text)
    report = import_iati(path)
    assert (report.created, report.updated) == (0, 1)
    joint.refresh_from_db()
    assert joint.title["en"].startswith("Joint Initiative (renamed)")
    assert joint.iati_identifier is None  # the export's name for it is not kept as IATI's


def test_filters_and_readers_and_nothing_to_write(reference, tmp_path, client):
    import_iati(DATA / "spain-maec-indonesia-v2.01.xml")
    # Imported initiatives are for members until verified: a public reader sees the
    # Joint Initiative only.
    body = b"".join(client.get("/exports/initiatives.xml").streaming_content)
    assert (
        etree.fromstring(body)
        .findall("iati-activity")[0]
        .findtext("iati-identifier")
        .endswith("-ACCORD-" + str(Initiative.objects.get(external_ids__reference="EU-IOM-JI").pk))
    )
    answer = client.get("/exports/initiatives.xml?partner=DG HOME")
    assert answer.status_code == 404
    assert "none matches" in answer.content.decode()
    Organisation.objects.filter(acronym="IOM").update(iati_identifier="")
    answer = client.get("/exports/initiatives.xml")
    assert answer.status_code == 404
    assert "no partner with an IATI organisation identifier" in answer.content.decode()
    with pytest.raises(CommandError, match="No initiative to write"):
        export(tmp_path)


def test_a_file_of_an_earlier_export_still_reimports_unchanged(reference, tmp_path):
    """Earlier exports digested each child element apart; their files still match."""
    from accord.commitments.iati_export import A_DIGEST, children_digest

    import_iati(DATA / "spain-maec-indonesia-v2.01.xml")
    Initiative.objects.update(classification="public")
    path, _out = export(tmp_path)
    document = etree.parse(str(path))
    for activity in document.getroot().iterfind("iati-activity"):
        activity.set(A_DIGEST, children_digest(activity))
    document.write(str(path))
    report = import_iati(path)
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Initiative.objects.count()


def test_milestones_go_out_as_results_and_read_back_the_same(reference, tmp_path, schema):
    """Results imported as milestones, and milestones typed in Accord, go out as IATI
    ``result`` elements (valid); importing the export again, even after an edit elsewhere
    in the activity, leaves the milestones as they were."""
    import datetime as dt

    from accord.commitments.models import Milestone
    from accord.commitments.tests.test_iati import iati_file

    results = """<result type="1"><title><narrative>Returns assisted</narrative></title>
      <indicator measure="1"><title><narrative>Migrants assisted to return</narrative></title>
       <baseline year="2019" value="0"/>
       <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
        <target value="500"/><actual value="430"/></period></indicator></result>"""
    import_iati(iati_file(tmp_path, {"results": results}))
    Initiative.objects.update(classification="public")
    initiative = Initiative.objects.get(iati_identifier="XM-DAC-47066-T1")
    Milestone.objects.create(
        initiative=initiative,
        on=dt.date(2021, 6, 1),
        precision="month",
        title="Shelter handed over; target two sites",
        done=True,
    )
    before = sorted(initiative.milestones.values_list("on", "title", "done", "precision"))
    path, _out = export(tmp_path)
    document = etree.parse(str(path))
    schema.assertValid(document)
    activity = next(
        a
        for a in document.getroot().iterfind("iati-activity")
        if a.findtext("iati-identifier") == "XM-DAC-47066-T1"
    )
    periods = activity.findall("result/indicator/period")
    assert len(periods) == 2
    assert periods[0].find("target").get("value") == "500"
    assert periods[0].find("actual").get("value") == "430"
    assert periods[0].find("period-end").get("iso-date") == "2020-12-31"
    assert activity.find("result/indicator/baseline").get("year") == "2019"
    assert activity.findtext("result/indicator/title/narrative") == "Migrants assisted to return"
    assert periods[1].findtext("target/comment/narrative") == "two sites"
    version = Initiative.objects.get(pk=initiative.pk).version
    report = import_iati(path)
    assert (report.created, report.updated) == (0, 0)
    assert Initiative.objects.get(pk=initiative.pk).version == version
    # An edit elsewhere makes the activity an update: its milestones read back the same.
    path.write_text(path.read_text().replace("Migrant protection XM-DAC-47066-T1", "Renamed"))
    report = import_iati(path)
    assert report.updated == 1
    after = sorted(initiative.milestones.values_list("on", "title", "done", "precision"))
    assert after == before
