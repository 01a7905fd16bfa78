"""Open SDG indicator metadata as platforms write it: a ``meta/*.md`` front matter or a
plain YAML file, CRLF and a byte-order mark, fields as lists, HTML in ``data_footnote``,
keys Accord has no use for (kept), dates and other values YAML reads as more than text,
``expected_disaggregations`` missing, empty or written as one line, values that are the
platform's translation keys. Each imports; a second import changes nothing."""

import io

import pytest
from django.core.management import call_command

from accord.evidence.importing import ImportRejected
from accord.evidence.metadata import expected_disaggregations, indicator_meta_import
from accord.evidence.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def refugees(db):
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", sdg_code="10.7.4")


def meta_file(tmp_path, text, name="10-7-4.md"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def imported(path, refugees):
    _indicator, report = indicator_meta_import(path=path)
    refugees.refresh_from_db()
    _again, second = indicator_meta_import(path=path)
    assert second.unchanged
    return report


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("10-7-4.yml", "indicator_number: 10.7.4\nindicator_name: Refugees by origin\n"),
        (
            "10-7-4.md",
            "---\r\nindicator_number: 10.7.4\r\nindicator_name: Refugees by origin\r\n"
            "---\r\nThe page's text.\r\n",
        ),
        ("10-7-4.md", "\ufeff---\nindicator_name: Refugees by origin\n...\n"),
        ("indicator.yml", "indicator_number: 10-7-4\nindicator_name: Refugees by origin\n"),
    ],
)
def test_with_and_without_front_matter_markers(refugees, tmp_path, name, text):
    report = imported(meta_file(tmp_path, text, name), refugees)
    assert report.warnings == []
    assert refugees.name == "Refugees by origin"


def test_lists_html_and_unknown_keys_are_kept(refugees, tmp_path, client):
    text = (
        "---\n"
        "indicator_number: 10.7.4\n"
        "source_organisation_1: [UNHCR, National statistics office]\n"
        "computation_units:\n  - Number\n  - Per 100,000 population\n"
        'data_footnote: \'<p>At the end of the year.<br/><a href="https://example.org">'
        "More</a></p><script>alert(1)</script>'\n"
        "national_flag: {colour: blue, reviewed: true}\n"
        "data_last_updated: 2024-03-01\n"
        "graph_limits:\n  - {minimum: 0, maximum: .inf}\n"
        "expected_disaggregations: []\n"
        "---\n"
    )
    report = imported(meta_file(tmp_path, text), refugees)
    assert report.warnings == []
    meta = refugees.metadata
    assert meta["source_organisation_1"] == ["UNHCR", "National statistics office"]
    assert meta["computation_units"] == ["Number", "Per 100,000 population"]
    assert meta["data_footnote"].startswith("<p>At the end of the year.")
    assert meta["national_flag"] == {"colour": "blue", "reviewed": True}
    assert meta["data_last_updated"] == "2024-03-01"  # a YAML date, kept as its text
    assert meta["graph_limits"] == [{"minimum": 0, "maximum": "inf"}]
    assert (refugees.unit, refugees.name) == ("", "Refugees")  # lists are no one name
    assert expected_disaggregations(refugees) == []
    page = client.get("/evidence/indicators/SDG_10_7_4/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, never run
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", []),
        ("expected_disaggregations:\n", []),
        ("expected_disaggregations: []\n", []),
        ("expected_disaggregations: Sex, Age\n", ["sex", "age"]),
        (
            "expected_disaggregations:\n  - Sex\n  - Country of  origin\n",
            ["sex", "country of origin"],
        ),
    ],
)
def test_expected_disaggregations_missing_empty_or_written(refugees, tmp_path, line, expected):
    imported(meta_file(tmp_path, f"indicator_number: 10.7.4\n{line}"), refugees)
    assert expected_disaggregations(refugees) == expected


def test_translation_keys_and_translated_blocks_through_the_command(refugees, tmp_path):
    text = (
        "---\n"
        "indicator_number: 10.7.4\n"
        "indicator_name: global_indicators.10-7-4-title\n"
        "computation_units: Per 100,000 population\n"
        "ru:\n  indicator_name: Доля беженцев\n"
        "---\n"
    )
    path = meta_file(tmp_path, text)
    out = io.StringIO()
    call_command("import", "indicator-meta", str(path), stdout=out)
    assert "1 warnings" in out.getvalue()
    assert "'indicator_name': the value is a translation key" in out.getvalue()
    refugees.refresh_from_db()
    assert refugees.name == "Refugees"  # a key is not a name
    assert refugees.unit == "Per 100,000 population"
    assert refugees.metadata["ru"] == {"indicator_name": "Доля беженцев"}
    again = io.StringIO()
    call_command("import", "indicator-meta", str(path), stdout=again)
    assert "metadata unchanged" in again.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\n---\n",
        "- a list\n- not fields\n",
        "a: [unclosed\n",
        "x: !!python/name:os.system\n",
    ],
)
def test_a_file_without_fields_is_refused_not_a_crash(refugees, tmp_path, text):
    with pytest.raises(ImportRejected):
        indicator_meta_import(path=meta_file(tmp_path, text), indicator_code=refugees.code)
    refugees.refresh_from_db()
    assert refugees.metadata == {}
