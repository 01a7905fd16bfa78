"""Files as publishers no one here has seen publish them: in ISO-8859-1, windows-1252 or
UTF-8 with a BOM, with CRLF line endings and other namespaces' elements and attributes,
in IATI 1.01 and 2.01-2.03 with every optional part a real file holds. Each imports (its
soft problems as warnings naming activity, line, field and value), a second import
changes nothing, and what is no activity file is refused saying what it is."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.core.importing import ImportRejected

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "publishers"
LATIN1 = DATA / "iati-2.02-latin1-crlf-extensions.xml"
CP1252 = DATA / "iati-2.01-windows-1252.xml"
BOM = DATA / "iati-2.03-utf8-bom.xml"
V101 = DATA / "iati-1.01-idioms.xml"
EDGES = DATA / "iati-2.03-edge-cases.xml"
MONEY = DATA / "iati-2.03-money-written-loosely.xml"

# file: (created, skipped, (record, field, value) of each warning but the 1.0x one)
FILES = {
    LATIN1: (2, 0, []),
    CP1252: (1, 0, []),
    BOM: (1, 0, []),
    V101: (1, 0, []),
    EDGES: (
        3,
        1,
        [
            ("DE-1-201822010-SECTORS", "recipient-country/@percentage", "80.00"),
            ("DE-1-201822010-SECTORS", "sector/@percentage (vocabulary 1)", "80.00"),
        ],
    ),
    MONEY: (
        1,
        0,
        [
            ("XM-DAC-47066-MONEY-1", "budget/value", "1,000.50"),
            ("XM-DAC-47066-MONEY-1", "budget/value", "1.000,50"),
            ("XM-DAC-47066-MONEY-1", "transaction/value", "2,5"),
        ],
    ),
}


@pytest.mark.parametrize("path", list(FILES), ids=lambda p: p.name)
def test_each_file_imports_with_its_warnings_and_again_changes_nothing(reference, path):
    created, skipped, warnings = FILES[path]
    report = import_iati(path)
    assert (report.created, len(report.skipped)) == (created, skipped)
    named = [
        (w.record, w.field, w.value)
        for w in report.warnings
        if w.field != "iati-activities/@version"
    ]
    assert named == warnings
    assert all(w.line > 1 and w.record and w.action for w in report.warnings)
    again = import_iati(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, created)


def test_accented_narratives_read_in_their_encoding(reference):
    for path in (LATIN1, CP1252, BOM):
        import_iati(path)
    senegal = Initiative.objects.get(iati_identifier="FR-6-SEN-2017-004")
    assert senegal.title["fr"] == "Réintégration des migrants de retour à Thiès et Kédougou"
    assert senegal.title["en"].endswith("Thiès and Kédougou")
    assert senegal.partner.name == "Agence française de développement"
    assert list(senegal.implementers.values_list("acronym", flat=True)) == ["IOM"]
    # the extension elements (usg:...) are not read, and not refused either
    assert senegal.fundings.get().amount == 750000
    agadez = Initiative.objects.get(iati_identifier="NL-KVK-27108436-A-0042")
    title = "\u201cSafe passage\u201d \u2013 legal aid for migrants\u2019 families in Agadez"
    assert agadez.title["en"] == title  # curly quotes and an en dash, from windows-1252
    assert "€40,000" in agadez.description["en"]
    morocco = Initiative.objects.get(iati_identifier="SE-0-SE-6-5302012801-MAR-15190")
    assert set(morocco.title) == {"en", "ar", "fr"}


def test_iati_1_01_idioms_read_as_their_2_0x_codes(reference):
    report = import_iati(V101)
    [warning] = report.warnings
    assert (warning.field, warning.value) == ("iati-activities/@version", "1.01")
    kenya = Initiative.objects.get(iati_identifier="GB-1-201234-101")
    assert kenya.title == {
        "en": "Assisted voluntary return from Kenya",
        "fr": "Retour volontaire assisté depuis le Kenya",
    }
    assert (str(kenya.start_on), str(kenya.end_on)) == ("2010-05-17", "2012-03-31")
    assert kenya.iati["activity_dates"]["1"] == "2010-04-01"  # start-planned
    assert list(kenya.places.values_list("code", flat=True)) == ["404"]
    assert kenya.sectors == [{"code": "15190", "vocabulary": "1", "percentage": ""}]
    assert [t["type"] for t in kenya.iati["transactions"]] == ["2", "3", "3"]
    # disbursements in the default currency, without a value date: dated by the transaction
    funding = kenya.fundings.get()
    assert (funding.amount, funding.currency, str(funding.value_date)) == (
        75000,
        "GBP",
        "2010-09-30",
    )


def test_2_03_edge_cases(reference):
    report = import_iati(EDGES)
    [skipped] = report.skipped
    assert (skipped.record, skipped.field, skipped.line) == ("XM-DAC-47066-NOTITLE", "title", 122)
    shelter = Initiative.objects.get(iati_identifier="XM-OCHA-CBPF-SOM-22-1")
    # dates with a time or a zone are their day; an empty description is none
    assert (str(shelter.start_on), str(shelter.end_on), shelter.description) == (
        "2022-01-01",
        "2022-12-31",
        {},
    )
    # the revised budget replaces the original of its period
    assert shelter.fundings.get().amount == 120000
    assert [b.get("type") for b in shelter.iati["budgets"]] == [None, "2"]
    assert shelter.iati["other_regions"] == [
        {"code": "A1", "vocabulary": "99", "percentage": "50.00"}
    ]
    # 3 x 33.33 = 99.99: within rounding, no warning
    assert not [w for w in report.warnings if w.record == "XM-OCHA-CBPF-SOM-22-1"]
    [disbursement] = shelter.iati["transactions"]
    assert (disbursement["date"], disbursement["provider"], disbursement["receiver"]) == (
        "2022-03-01",
        "",
        "",
    )
    assert {s["vocabulary"] for s in shelter.sectors} == {"10", "98", "99"}
    advisory = Initiative.objects.get(iati_identifier="DE-1-201822010-SECTORS")
    assert advisory.iati["transactions"][0]["amount"] == "500000"  # written +500000
    named = [o["name"] for o in advisory.iati["participating_orgs"] if not o["ref"]]
    assert named == ["An implementer named only"]
    results = Initiative.objects.get(iati_identifier="XM-DAC-47066-RESULTS-1")
    assert sorted(results.milestones.values_list("title", flat=True)) == [
        "Households reached",
        "Households reached; actual 1200",
        "Trust in local authorities; baseline low in 2020",
    ]


def test_money_written_loosely_is_read_or_left_out_never_guessed(reference):
    import_iati(MONEY)
    money = Initiative.objects.get(iati_identifier="XM-DAC-47066-MONEY-1")
    assert [b["amount"] for b in money.iati["budgets"]] == ["500", "1200.00", "1000.50"]
    assert money.iati["transactions"] == []
    assert money.fundings.get().amount == 2700.50


def test_very_long_narratives_import_whole(reference, tmp_path):
    long = "Protection of migrants along the central Mediterranean route. " * 300
    text = BOM.read_text(encoding="utf-8-sig").replace("Migrationsdialog Marokko", long.strip())
    path = tmp_path / "long.xml"
    path.write_text(text, encoding="utf-8")
    import_iati(path)
    morocco = Initiative.objects.get(iati_identifier="SE-0-SE-6-5302012801-MAR-15190")
    assert morocco.title["en"] == long.strip()
    assert import_iati(path).unchanged == 1


def test_the_command_and_the_api_import_them_the_same(reference, roles, api_client):
    out = StringIO()
    call_command("import", "iati", str(LATIN1), stdout=out)
    assert "created 2, updated 0, unchanged 0, skipped 0, warnings 0" in out.getvalue()
    with EDGES.open("rb") as upload:
        answer = api_client(roles["secretariat"]).post("/api/v1/imports/iati", {"file": upload})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["created"], body["skipped"], body["warnings"]) == (3, 1, 2)
    assert all(p["line"] > 0 and p["column"] and p["record"] for p in body["problems"])
    with EDGES.open("rb") as upload:
        again = api_client(roles["secretariat"]).post("/api/v1/imports/iati", {"file": upload})
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)


def refused(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as caught:
        import_iati(path)
    assert not Initiative.objects.filter(origin="imported").exists()
    return caught.value


def test_what_is_no_activity_file_is_refused_saying_what_it_is(reference, tmp_path):
    organisations = refused(tmp_path, "org.xml", (DATA / "iati-organisations.xml").read_bytes())
    assert "IATI organisation file" in organisations.message
    assert (organisations.problems[0].line, organisations.problems[0].field) == (
        2,
        "iati-organisations",
    )
    html = refused(tmp_path, "page.xml", (DATA / "html-error-page.xml").read_bytes())
    assert "HTML page" in html.message
    assert "empty" in refused(tmp_path, "empty.xml", b"").message
    assert "empty" in refused(tmp_path, "blank.xml", b"\xef\xbb\xbf \r\n").message
    packed = refused(tmp_path, "f.xml.gz", gzip.compress(BOM.read_bytes()))
    assert "compressed (gzip)" in packed.message
    other = refused(tmp_path, "rss.xml", b'<?xml version="1.0"?><rss><channel/></rss>')
    assert "root element is <rss>, not <iati-activities>" in other.message


def test_a_repeated_identifier_names_both_lines_through_the_command(reference, tmp_path):
    text = EDGES.read_text(encoding="utf-8").replace(
        "XM-DAC-47066-RESULTS-1", "DE-1-201822010-SECTORS"
    )
    path = tmp_path / "twice.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import", "iati", str(path), stdout=StringIO())
    assert (
        "line 87, DE-1-201822010-SECTORS, column 'iati-identifier' = 'DE-1-201822010-SECTORS': "
        "the same identifier appears again in the file (first on line 43)"
    ) in str(caught.value)
