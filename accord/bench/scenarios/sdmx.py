"""SDMX imports at scale.

- ``sdmx_import``: an SDMX-ML 2.1 structure-specific data message (series by place, sex
  and age, one observation a year, each with a status) imported by Accord (``--dry-run``:
  every observation read, checked and written through the bulk path, then rolled back)
  against reading the same file bare with ``sdmx1`` (``sdmx.read_sdmx``), which the
  import does first. The same figures as SDMX-CSV 1.0 are also imported and timed once,
  against Python's csv reader over that file (``sdmx_csv_*`` fields).
"""

from __future__ import annotations

import csv
import logging
import random
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from accord.bench.generate_evidence import AGES, SEXES
from accord.bench.harness import scenario
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Indicator

OBSERVATIONS = {"test": 2_000, "small": 50_000, "large": 500_000}
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData \
xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" \
xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ACCORD:BENCH(1.0):ObsLevelDim:TIME_PERIOD">
<message:Header><message:ID>BENCH</message:ID><message:Test>true</message:Test>\
<message:Prepared>2024-01-01T00:00:00</message:Prepared><message:Sender id="ACCORD"/>\
<message:Structure structureID="BENCH" dimensionAtObservation="TIME_PERIOD" \
namespace="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ACCORD:BENCH(1.0):ObsLevelDim:TIME_PERIOD">\
<common:Structure><Ref agencyID="ACCORD" id="BENCH" version="1.0"/></common:Structure>\
</message:Structure></message:Header>
<message:DataSet ss:structureRef="BENCH">
"""
YEARS = list(range(1990, 2025))


@dataclass
class SdmxContext:
    xml: Path
    csv: Path
    observations: int


def _places() -> list[str]:
    import pycountry

    return [c.alpha_3 for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)]


def write_files(folder: Path, observations: int, *, seed: int = 2015) -> tuple[Path, Path]:
    """The same figures as SDMX-ML (structure-specific) and as SDMX-CSV 1.0."""
    xml, table = folder / f"sdmx-{observations}.xml", folder / f"sdmx-{observations}.csv"
    if xml.exists() and table.exists():
        return xml, table
    rng = random.Random(seed)
    breakdowns = [(sex, age) for sex in ["_T", *SEXES] for age in ["_T", *AGES]]
    written = 0
    with xml.open("w", encoding="utf-8") as out, table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["DATAFLOW", "REF_AREA", "SEX", "AGE", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"]
        )
        out.write(HEADER)
        for place in _places():
            for sex, age in breakdowns:
                if written >= observations:
                    break
                out.write(f'<Series REF_AREA="{place}" SEX="{sex}" AGE="{age}" FREQ="A">')
                for year in YEARS:
                    if written >= observations:
                        break
                    value = round(rng.uniform(0, 1e6), 1)
                    status = "E" if written % 7 == 0 else "A"
                    out.write(
                        f'<Obs TIME_PERIOD="{year}" OBS_VALUE="{value}" OBS_STATUS="{status}"/>'
                    )
                    writer.writerow(
                        ["ACCORD:BENCH_SDMX(1.0)", place, sex, age, year, value, status]
                    )
                    written += 1
                out.write("</Series>\n")
        out.write("</message:DataSet></message:StructureSpecificData>\n")
    return xml, table


def sdmx_setup(scale: str) -> SdmxContext:
    folder = Path(settings.DATA_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    count = OBSERVATIONS[scale]
    xml, table = write_files(folder, count)
    Indicator.objects.get_or_create(code="BENCH_SDMX", defaults={"name": "Benchmark SDMX"})
    return SdmxContext(xml, table, count)


def _import(path: Path) -> object:
    return observations_import(
        path=path,
        options=Options(indicator="BENCH_SDMX", dataset=f"bench-{path.name}", dry_run=True),
    )


def sdmx_bare(context: SdmxContext) -> object:
    import sdmx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("sdmx").setLevel(logging.ERROR)
        return sdmx.read_sdmx(context.xml)


def sdmx_extra(context: SdmxContext) -> dict[str, object]:
    start = time.perf_counter()
    _import(context.csv)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    with context.csv.open(newline="") as handle:
        rows = sum(1 for _row in csv.reader(handle))
    bare = time.perf_counter() - start
    return {
        "observations": context.observations,
        "xml_mb": round(context.xml.stat().st_size / 1e6, 1),
        "sdmx_csv_import_s": round(imported, 3),
        "sdmx_csv_bare_read_s": round(bare, 3),
        "sdmx_csv_rows": rows - 1,
    }


@scenario(
    "sdmx_import",
    goal=3.0,
    floor="sdmx1 reading the same SDMX-ML file (sdmx.read_sdmx)",
    setup=sdmx_setup,
    baseline=sdmx_bare,
    size=lambda c: f"{c.observations} observations, SDMX-ML structure-specific",
    repeat=3,
    extra=sdmx_extra,
)
def sdmx_import(context: SdmxContext) -> object:
    return _import(context.xml)
