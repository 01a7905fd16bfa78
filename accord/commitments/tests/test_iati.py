"""IATI files as real publishers write them: each soft problem imported with a warning
naming the activity, line, field, value and what was done; each hard error refusing
the whole file; a second import changing nothing."""

# ruff: noqa: E501  (XML fixtures read best one element a line)
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.core.importing import ImportRejected
from accord.core.models import ImportRun, RecordWarning
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db

ACTIVITY = """
 <iati-activity default-currency="{currency}">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="{publisher}" type="{org_type}"><narrative>{publisher_name}</narrative></reporting-org>
  <title><narrative>Migrant protection {identifier}</narrative></title>
  <participating-org role="1" type="10"><narrative>Japan - Ministry of Foreign Affairs</narrative></participating-org>
  <participating-org role="4" type="40"><narrative>International Organization for Migration (IOM)</narrative></participating-org>
  <activity-status code="{status}"/>
  <activity-date iso-date="2020-01-01" type="2"/>
  <activity-date iso-date="2021-12-31" type="3"/>
  {places}
  {sectors}
  <budget><period-start iso-date="{budget_start}"/><period-end iso-date="2020-12-31"/>
   <value currency="{currency}" value-date="2020-01-01">{amount}</value></budget>
  {results}
 </iati-activity>"""

DEFAULTS = {
    "identifier": "XM-DAC-47066-T1",
    "publisher": "XM-DAC-47066",
    "publisher_name": "International Organization for Migration (IOM)",
    "org_type": "40",
    "currency": "USD",
    "status": "2",
    "places": '<recipient-country code="SO" percentage="100"/>',
    "sectors": '<sector code="72010" vocabulary="1"/>',
    "budget_start": "2020-01-01",
    "amount": "1000",
    "results": "",
}


def iati_file(tmp_path, *activities: dict[str, str], version="2.03", name="f.xml"):
    body = "".join(ACTIVITY.format(**{**DEFAULTS, **a}) for a in activities or [{}])
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0"?>\n<iati-activities version="{version}">{body}\n</iati-activities>\n'
    )
    return path


def warnings_of(report):
    return [(w.record, w.field, w.value, w.action) for w in report.warnings]


SOFT = [
    (
        {"places": '<recipient-country code="298" percentage="100"/>'},
        "recipient-country/@code",
        "298",
        "read 298 as the DAC region Africa, regional",
    ),
    (
        {"places": '<recipient-country code="XX"/>'},
        "recipient-country/@code",
        "XX",
        "left out of the places; kept as text",
    ),
    (
        {"currency": "XYZ"},
        "@default-currency",
        "XYZ",
        "amounts without their own currency left out",
    ),
    (
        {
            "places": '<recipient-country code="SO" percentage="60"/><recipient-country code="KE" percentage="20"/>'
        },
        "recipient-country/@percentage",
        "80.00",
        "kept as given",
    ),
    ({"budget_start": "2019-01-01"}, "budget/period-start", "2019-01-01", "kept as given"),
    ({"sectors": '<sector code="99999" vocabulary="1"/>'}, "sector/@code", "99999", "kept as text"),
    ({"org_type": "41"}, "reporting-org/@type", "41", "kept as text"),
    ({"status": "9"}, "activity-status/@code", "9", "kept as text"),
]


@pytest.mark.parametrize(("change", "field", "value", "action"), SOFT)
def test_each_soft_problem_imports_with_a_warning(
    reference, tmp_path, change, field, value, action
):
    path = iati_file(tmp_path, change)
    report = import_iati(path)
    assert report.created == 1
    warning = next(w for w in report.warnings if w.field == field)
    assert (warning.record, warning.value, warning.action) == ("XM-DAC-47066-T1", value, action)
    assert warning.line > 1
    initiative = Initiative.objects.get(iati_identifier="XM-DAC-47066-T1")
    kept = RecordWarning.objects.get(object_id=str(initiative.pk), field=field)
    assert kept.run_id == report.run_id
    assert report.by_publisher == {"XM-DAC-47066": len(report.warnings)}
    again = import_iati(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert RecordWarning.objects.filter(object_id=str(initiative.pk)).count() == len(
        report.warnings
    )
    with pytest.raises(ImportRejected, match="nothing was imported"):
        import_iati(path, strict=True)


def test_a_dac_region_in_a_country_field_is_that_region(reference, tmp_path):
    path = iati_file(
        tmp_path, {"places": '<recipient-country code="298"/><recipient-country code="XK"/>'}
    )
    import_iati(path)
    places = dict(
        Initiative.objects.get(iati_identifier="XM-DAC-47066-T1").places.values_list("code", "kind")
    )
    assert places == {"DAC-298": "dac_region", "XK": "country"}


def test_iati_1_0x_activities_are_read_with_a_warning_each(reference, tmp_path):
    v1 = """<?xml version="1.0"?><iati-activities version="1.03">
    <iati-activity default-currency="EUR"><iati-identifier>GB-1-100</iati-identifier>
     <reporting-org ref="GB-1" type="10">Department for International Development</reporting-org>
     <title>Reintegration of returnees</title>
     <participating-org role="Funding" type="10">Department for International Development</participating-org>
     <activity-date type="start-actual" iso-date="2012-04-01"/>
     <activity-date type="end-planned" iso-date="2014-03-31"/>
     <recipient-country code="NG"/>
     <sector vocabulary="DAC" code="15190"/>
     <transaction><transaction-type code="D"/><value>500</value>
      <transaction-date iso-date="2013-01-10"/></transaction>
    </iati-activity>
    <iati-activity><iati-identifier>GB-1-101</iati-identifier><title>Second</title></iati-activity>
    </iati-activities>"""
    path = tmp_path / "v1.xml"
    path.write_text(v1)
    report = import_iati(path)
    assert report.created == 2
    assert [w.record for w in report.warnings if w.field == "iati-activities/@version"] == [
        "GB-1-100",
        "GB-1-101",
    ]
    initiative = Initiative.objects.get(iati_identifier="GB-1-100")
    assert str(initiative.start_on) == "2012-04-01"
    assert initiative.fundings.get().amount == 500
    assert initiative.iati["transactions"][0]["type"] == "3"
    assert initiative.partner.kind == "publisher"


def test_a_publisher_not_in_the_framework_is_an_organisation_of_kind_publisher(reference, tmp_path):
    path = iati_file(tmp_path, {"publisher": "NL-KVK-41198677", "publisher_name": "Cordaid"})
    import_iati(path)
    publisher = Organisation.objects.get(iati_identifier="NL-KVK-41198677")
    assert (publisher.kind, publisher.name) == ("publisher", "Cordaid")
    assert not publisher.memberships.exists()
    assert Initiative.objects.get(iati_identifier="XM-DAC-47066-T1").partner == publisher
    import_iati(path)
    assert Organisation.objects.filter(iati_identifier="NL-KVK-41198677").count() == 1


def test_funding_and_implementing_partners_results_and_sdg_sectors(reference, tmp_path):
    results = """<result type="1"><title><narrative>Returns assisted</narrative></title>
      <indicator measure="1"><title><narrative>Migrants assisted to return</narrative></title>
       <baseline year="2019" value="0"/>
       <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
        <target value="500"/><actual value="430"/></period></indicator></result>"""
    sectors = '<sector code="10" vocabulary="7"/><sector code="10.7" vocabulary="8"/><sector code="10.7.2" vocabulary="9"/>'
    import_iati(iati_file(tmp_path, {"results": results, "sectors": sectors}))
    initiative = Initiative.objects.get(iati_identifier="XM-DAC-47066-T1")
    assert list(initiative.implementers.values_list("acronym", flat=True)) == ["IOM"]
    assert initiative.partner.acronym == "IOM"  # by its IATI identifier
    assert "Japan" in initiative.fundings.get().funder_name
    milestone = initiative.milestones.get()
    assert (
        milestone.title == "Migrants assisted to return; target 500; actual 430; baseline 0 in 2019"
    )
    assert (str(milestone.on), milestone.done) == ("2020-12-31", True)
    codes = set(initiative.commitments.values_list("code", flat=True))
    assert {"SDG-10.7", "SDG-10.7.2"} <= codes


HARD = [
    ({"amount": "lots"}, "is not a number"),
    ({"places": '<recipient-country code="SO" percentage="half"/>'}, "is not a number"),
    ({"identifier": ""}, "without an iati-identifier"),
]


@pytest.mark.parametrize(("change", "message"), HARD)
def test_each_hard_error_refuses_the_whole_file(reference, tmp_path, change, message):
    path = iati_file(tmp_path, {"identifier": "XM-DAC-47066-OK"}, change)
    with pytest.raises(ImportRejected, match="nothing was imported") as caught:
        import_iati(path)
    assert message in str(caught.value.problems[0])
    assert not Initiative.objects.filter(iati_identifier__startswith="XM-DAC-47066-").exists()
    assert not ImportRun.objects.exists()


def test_a_repeated_identifier_and_a_non_xml_file_are_refused(reference, tmp_path):
    with pytest.raises(ImportRejected, match="nothing was imported") as caught:
        import_iati(iati_file(tmp_path, {}, {}))
    assert caught.value.problems[0].message.startswith(
        "the same identifier appears again in the file (first on line "
    )
    text = tmp_path / "x.xml"
    text.write_text("identifier,title\nX,Y\n")
    with pytest.raises(ImportRejected, match="not well-formed XML"):
        import_iati(text)


def test_the_command_line_prints_counts_warnings_and_strict(reference, tmp_path):
    path = iati_file(tmp_path, {"currency": "XYZ"})
    out = StringIO()
    call_command("import", "iati", str(path), stdout=out)
    assert "created 1, updated 0, unchanged 0, skipped 0, warnings 2" in out.getvalue()
    assert "'@default-currency' = 'XYZ'" in out.getvalue()
    assert "warnings by publisher: XM-DAC-47066 2" in out.getvalue()
    with pytest.raises(CommandError, match="refused \\(strict\\)"):
        call_command("import", "iati", str(path), "--strict", stdout=StringIO())
