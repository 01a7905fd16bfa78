"""Open SDG's indicator metadata (``meta/*.md`` front matter) imported into an indicator;
its expected disaggregations drive the disaggregation status of the reporting page."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.access.models import AuditEvent
from accord.evidence.importing import Options, observations_import
from accord.evidence.metadata import indicator_meta_import
from accord.evidence.models import Indicator

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"

META = """---
indicator_number: 10.7.4
indicator_name: Proportion of the population who are refugees, by country of origin
computation_units: Per 100,000 population
un_custodian_agency: UNHCR
source_organisation_1: Bureau of National Statistics
source_url_1: https://stat.gov.kz
data_footnote: Figures at the end of the year.
expected_disaggregations:
  - Sex
  - Age
  - Country of origin
reporting_status: complete
---
Text of the page below the front matter.
"""


@pytest.fixture
def refugees(db):
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", sdg_code="10.7.4")


def test_open_sdg_meta_front_matter(refugees, tmp_path):
    path = tmp_path / "10-7-4.md"
    path.write_text(META)
    indicator, report = indicator_meta_import(path=path)
    assert indicator == refugees
    refugees.refresh_from_db()
    assert refugees.name.startswith("Proportion of the population who are refugees")
    assert refugees.unit == "Per 100,000 population"
    assert refugees.source_organisation == "Bureau of National Statistics"
    assert refugees.metadata["un_custodian_agency"] == "UNHCR"
    assert refugees.metadata["data_footnote"] == "Figures at the end of the year."
    assert refugees.metadata["expected_disaggregations"] == ["Sex", "Age", "Country of origin"]
    assert report.warnings == []
    assert AuditEvent.objects.filter(verb="indicator.metadata_imported").count() == 1
    _again, second = indicator_meta_import(path=path)
    assert second.unchanged


def test_real_meta_file_with_translation_keys(refugees):
    out = io.StringIO()
    call_command(
        "import",
        "indicator-meta",
        str(DATA / "kazstat-meta-10-7-4.yml"),
        "--indicator",
        refugees.code,
        stdout=out,
    )
    text = out.getvalue()
    assert "1 skipped, 5 warnings" in text  # the empty field, four translation keys
    assert "translation key" in text
    refugees.refresh_from_db()
    assert refugees.metadata["computation_definitions"] == ("computation_definitions.10-7-4")
    assert refugees.name == "Refugees"  # a translation key is not taken for a name


def test_meta_for_an_unknown_indicator_is_refused(db, tmp_path):
    path = tmp_path / "99-9-9.md"
    path.write_text(META.replace("10.7.4", "99.9.9"))
    with pytest.raises(CommandError, match="give --indicator"):
        call_command("import", "indicator-meta", str(path), stdout=io.StringIO())


def test_reporting_page_shows_expected_and_missing_breakdowns(client, refugees, tmp_path):
    path = tmp_path / "10-7-4.md"
    path.write_text(META)
    indicator_meta_import(path=path)
    figures = tmp_path / "figures.csv"
    figures.write_text("Year,Sex,Value\n2019,,10\n2019,female,4\n")
    observations_import(path=figures, options=Options(indicator=refugees.code, place="KAZ"))
    page = client.get("/evidence/reporting/").content.decode()
    assert "Disaggregation status" in page
    assert "sex, age, country of origin" in page
    assert "age, country of origin" in page
