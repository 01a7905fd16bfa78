"""Every import of figures records its run (core's ImportRun): counts, warnings counted
per source; the same file again records an unchanged run; a dry run leaves none."""

import pytest

from accord.core.models import ImportRun
from accord.evidence.importing import Options, observations_import

pytestmark = pytest.mark.django_db

TIDY = """Year,GeoCode,Observation status,Value
2019,ITA,Normal value,100
2020,ITA,Not a status,120
2021,ITA,,
"""


def test_an_import_records_its_run_with_counts_and_warnings_by_source(deaths, write_file):
    path = write_file("tidy.csv", TIDY)
    options = Options(indicator="MMP_DEAD_MISSING", source="UNHCR", dataset="runs")
    observations_import(path=path, options=Options(**{**vars(options), "dry_run": True}))
    assert not ImportRun.objects.exists()
    report = observations_import(path=path, options=options, file_name="tidy.csv")
    run = ImportRun.objects.get()
    assert report.run_id == run.pk
    assert (run.kind, run.file_name) == ("observations", "tidy.csv")
    assert (run.created, run.unchanged) == (2, 0)
    assert run.skipped == report.skipped == 1
    assert run.warnings == len(report.warnings) > 0
    assert run.warnings_by_publisher == {"UNHCR": run.warnings}
    observations_import(path=path, options=options, file_name="tidy.csv")
    again = ImportRun.objects.order_by("-pk").first()
    assert (again.created, again.unchanged) == (0, 2)
