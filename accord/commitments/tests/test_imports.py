import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accord.commitments.models import Funding, Initiative
from accord.commitments.spreadsheet import import_initiatives
from accord.core.importing import ImportRejected

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SPAIN = DATA / "spain-maec-indonesia-v2.01.xml"
SOMALIA = DATA / "iom-somalia-idps-single-activity.xml"


def run(*args):
    out = open("/dev/null", "w")  # noqa: SIM115
    from io import StringIO

    buffer = StringIO()
    call_command(*args, stdout=buffer, stderr=out)
    return buffer.getvalue()


def test_iati_import_reads_activities_and_reimport_creates_nothing(reference):
    assert "created 83," in run("import", "iati", str(SPAIN))
    assert Initiative.objects.filter(iati_identifier__startswith="ES-DIR3").count() == 83
    again = run("import", "iati", str(SPAIN))
    assert "created 0, updated 0, unchanged 83" in again
    assert Initiative.objects.filter(iati_identifier__startswith="ES-DIR3").count() == 83


def test_iati_fields_of_a_bare_activity_root(reference):
    run("import", "iati", str(SOMALIA))
    initiative = Initiative.objects.get(iati_identifier="XM-DAC-47066-DP.2154")
    assert initiative.title_text.startswith("Promotion of Human Security")
    assert initiative.partner.acronym == "IOM"  # "International Organization for Migration (IOM)"
    assert initiative.status == "ongoing"
    assert str(initiative.start_on) == "2020-03-15"
    assert str(initiative.end_on) == "2021-03-14"
    assert list(initiative.places.values_list("code", flat=True)) == ["706"]
    funding = initiative.fundings.get()
    assert (str(funding.amount), funding.currency) == ("1459753.72", "USD")
    assert "Japan" in funding.funder_name
    roles = {org["role"] for org in initiative.iati["participating_orgs"]}
    assert roles == {"funding", "accountable"}
    assert {s["code"] for s in initiative.sectors} == {"DP", "01", "72010"}
    assert initiative.iati["transactions"][0]["type"] == "11"


def test_iati_languages_and_updates(reference, tmp_path):
    run("import", "iati", str(SPAIN))
    initiative = Initiative.objects.get(iati_identifier="ES-DIR3-E04585801-009-001301")
    assert initiative.title == {
        "es": "Personas cooperantes voluntarias en organismos internacionales"
    }
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SPAIN.read_text().replace('<activity-status code="3"/>', '<activity-status code="2"/>', 1)
    )
    assert "updated 1," in run("import", "iati", str(changed))
    initiative.refresh_from_db()
    assert initiative.status == "ongoing"
    assert initiative.version == 2


def test_iati_import_keeps_a_history_row_and_links_per_new_initiative(reference, tmp_path):
    run("import", "iati", str(SPAIN))
    imported = Initiative.objects.filter(iati_identifier__startswith="ES-DIR3")
    history = Initiative.history.filter(iati_identifier__startswith="ES-DIR3")
    assert history.count() == 83
    assert set(history.values_list("history_type", flat=True)) == {"+"}
    for initiative in imported:
        (row,) = initiative.history.all()
        assert (row.title, row.status, row.partner_id) == (
            initiative.title,
            initiative.status,
            initiative.partner_id,
        )
    # each related row belongs to the initiative it was read with
    for funding in Funding.objects.filter(initiative__in=imported).select_related("initiative"):
        budgets = funding.initiative.iati["budgets"] or funding.initiative.iati["transactions"]
        assert funding.currency in {item["currency"] for item in budgets}
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SPAIN.read_text().replace('<activity-status code="3"/>', '<activity-status code="2"/>', 1)
    )
    assert "updated 1," in run("import", "iati", str(changed))
    assert Initiative.history.filter(iati_identifier__startswith="ES-DIR3").count() == 84


ENTITY_XML = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY boom "boom boom boom">]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>XX-1</iati-identifier><title><narrative>&boom;</narrative></title>
</iati-activity></iati-activities>
"""


def test_entity_declaration_is_refused_and_nothing_written(reference, tmp_path):
    path = tmp_path / "entity.xml"
    path.write_text(ENTITY_XML)
    before = Initiative.objects.count()
    with pytest.raises(CommandError, match="DTD"):
        run("import", "iati", str(path))
    assert Initiative.objects.count() == before


def test_external_dtd_is_refused(reference, tmp_path):
    path = tmp_path / "external.xml"
    path.write_text('<?xml version="1.0"?><!-- x --><!DOCTYPE a SYSTEM "http://x/y.dtd"><a/>')
    with pytest.raises(CommandError, match="DTD"):
        run("import", "iati", str(path))


def test_a_bad_activity_rejects_the_whole_file(reference, tmp_path):
    bad = tmp_path / "bad.xml"
    text = SPAIN.read_text()
    bad.write_text(text.replace('<recipient-country code="ID"', '<recipient-country code="ZZ"', 1))
    bad.write_text(bad.read_text().replace('percentage="100"', 'percentage="all"', 1))
    with pytest.raises(CommandError, match="nothing was imported"):
        run("import", "iati", str(bad))
    assert not Initiative.objects.filter(iati_identifier__startswith="ES-DIR3").exists()


def test_an_activity_without_identifier_refuses_the_file(reference, tmp_path):
    path = tmp_path / "skip.xml"
    path.write_text(
        "<iati-activities><iati-activity><title><narrative>x</narrative></title></iati-activity>"
        "<iati-activity><iati-identifier>XX-2</iati-identifier><title><narrative>y</narrative>"
        "</title></iati-activity></iati-activities>"
    )
    with pytest.raises(CommandError, match="without an iati-identifier"):
        run("import", "iati", str(path))
    assert not Initiative.objects.filter(iati_identifier="XX-2").exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(reference, tmp_path, file_format, roles):
    run("import", "iati", str(SOMALIA))
    run("import", "iati", str(SPAIN))
    path = tmp_path / f"initiatives.{file_format}"
    run("export", "initiatives", "--format", file_format, "-o", str(path), "--as", "sec")
    versions = dict(Initiative.objects.values_list("pk", "version"))
    fundings = Funding.objects.count()
    out = run("import", "initiatives", str(path))
    assert f"created 0, updated 0, unchanged {len(versions)}" in out
    assert dict(Initiative.objects.values_list("pk", "version")) == versions
    assert Funding.objects.count() == fundings


def test_spreadsheet_edit_updates_by_id_and_creates_new_rows(reference, tmp_path):
    path = tmp_path / "initiatives.csv"
    run("export", "initiatives", "-o", str(path))
    rows = list(csv.DictReader(path.open()))
    rows[0]["status"] = "completed"
    rows.append({**rows[0], "id": "", "title_en": "A new one", "iati_identifier": ""})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_initiatives(path)
    assert (report.created, report.updated) == (1, 1)
    assert Initiative.objects.get(pk=int(rows[0]["id"])).status == "completed"


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(reference, tmp_path):
    path = tmp_path / "initiatives.csv"
    run("export", "initiatives", "-o", str(path))
    rows = list(csv.DictReader(path.open()))
    good = {**rows[0], "id": "", "title_en": "Fine"}
    bad = {**rows[0], "id": "", "title_en": "Bad", "status": "dreaming", "countries": "XX"}
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([good, bad])
    before = Initiative.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_initiatives(path)
    problems = caught.value.problems
    first = problems[0]
    assert (first.record, first.field, first.value) == ("row 3", "status", "dreaming")
    assert first.line > 3  # the file line: the descriptions above hold line breaks
    assert "is not one of" in problems[0].message
    assert any((p.record, p.field) == ("row 3", "countries") for p in problems)
    assert caught.value.details[0]["column"] == "status"  # type: ignore[index]
    assert Initiative.objects.count() == before


def test_formulas_are_neutralised_on_export_and_restored_on_import(reference, tmp_path, roles):
    from accord.commitments.initiatives import initiative_create
    from accord.commitments.records import InitiativeRecord

    record = InitiativeRecord(title={"en": '=HYPERLINK("http://x")'}, partner="DG HOME")
    initiative = initiative_create(user=roles["secretariat"], record=record)
    csv_path, xlsx_path = tmp_path / "i.csv", tmp_path / "i.xlsx"
    run("export", "initiatives", "-o", str(csv_path), "--as", "sec")
    run("export", "initiatives", "--format", "xlsx", "-o", str(xlsx_path), "--as", "sec")
    row = next(r for r in csv.DictReader(csv_path.open()) if r["id"] == str(initiative.pk))
    assert row["title_en"] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(xlsx_path).worksheets[0]
    cells = [c.value for c in sheet[1]]
    found = next(r for r in sheet.iter_rows(values_only=True) if r[0] == str(initiative.pk))
    assert found[cells.index("title_en")].startswith("'=")
    assert "unchanged" in run("import", "initiatives", str(xlsx_path))
    initiative.refresh_from_db()
    assert initiative.title == {"en": '=HYPERLINK("http://x")'}


def test_utf16_file_with_entities_is_refused(reference, tmp_path):
    path = tmp_path / "entity16.xml"
    path.write_bytes(
        ENTITY_XML.replace(
            '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
        ).encode("utf-16")
    )
    with pytest.raises(CommandError, match="DTD"):
        run("import", "iati", str(path))
    assert not Initiative.objects.filter(iati_identifier="XX-1").exists()


def test_dry_run_writes_nothing_and_a_missing_file_is_named(reference, tmp_path):
    out = run("import", "iati", str(SOMALIA), "--dry-run")
    assert "created 1," in out
    assert "Dry run" in out
    assert not Initiative.objects.filter(iati_identifier__startswith="XM-DAC").exists()
    with pytest.raises(CommandError, match="No such file"):
        run("import", "iati", str(tmp_path / "missing.xml"))


def test_malformed_xml_is_refused(reference, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<iati-activities><iati-activity><iati-identifier>X</iati-identifier>")
    with pytest.raises(CommandError, match="not well-formed"):
        run("import", "iati", str(path))


def test_the_command_line_exports_as_the_reader_it_is_told(reference, tmp_path, roles):
    """Without --as an export reads as the public; --as member reads members' rows, never
    another partner's restricted ones."""
    from accord.commitments.initiatives import initiative_create
    from accord.commitments.records import InitiativeRecord
    from accord.partners.models import Organisation

    secret = initiative_create(
        user=roles["secretariat"],
        record=InitiativeRecord(
            title={"en": "Restricted to IOM"}, partner="IOM", classification="restricted"
        ),
    )
    secret.restricted_to.add(Organisation.objects.get(acronym="IOM"))
    members = initiative_create(
        user=roles["secretariat"],
        record=InitiativeRecord(title={"en": "For members"}, partner="IOM"),
    )
    path = tmp_path / "i.csv"
    run("export", "initiatives", "-o", str(path))
    public = {r["id"] for r in csv.DictReader(path.open())}
    assert str(secret.pk) not in public
    assert str(members.pk) not in public
    run("export", "initiatives", "-o", str(path), "--as", "member")
    as_member = {r["id"] for r in csv.DictReader(path.open())}
    assert str(members.pk) in as_member
    assert str(secret.pk) not in as_member


def test_rows_without_ids_match_by_iati_identifier_or_partner_title_and_start(reference, tmp_path):
    run("import", "iati", str(SOMALIA))
    Initiative.objects.update(classification="public")  # the export reads as the public
    path = tmp_path / "initiatives.csv"
    run("export", "initiatives", "-o", str(path))
    rows = list(csv.DictReader(path.open()))
    assert {bool(row["iati_identifier"]) for row in rows} == {True, False}
    for row in rows:
        row["id"] = ""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = Initiative.objects.count()
    report = import_initiatives(path)
    assert (report.created, report.unchanged) == (0, len(rows))
    assert Initiative.objects.count() == before
    # A row whose title changed matches no initiative: a new one.
    rows[0]["title_en"] = "Something else entirely"
    rows[0]["iati_identifier"] = ""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:1])
    assert import_initiatives(path).created == 1


def test_a_spreadsheet_import_records_its_run(reference, tmp_path):
    from accord.core.models import ImportRun

    path = tmp_path / "initiatives.csv"
    run("export", "initiatives", "-o", str(path))
    count = Initiative.objects.count()
    report = import_initiatives(path, file_name="mine.csv")
    assert report.run_id is not None
    found = ImportRun.objects.get(pk=report.run_id)
    assert (found.kind, found.file_name) == ("initiatives", "mine.csv")
    assert (found.created, found.updated, found.unchanged) == (0, 0, count)
