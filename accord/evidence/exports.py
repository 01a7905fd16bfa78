"""Downloads of observations, exactly as shown: CSV and XLSX, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from accord.core.errors import Invalid, NotFound
from accord.core.spreadsheets import neutralise
from accord.evidence.models import Indicator, Observation


def number(value: float) -> int | float:
    """``1234`` rather than ``1234.0`` for whole numbers."""
    return int(value) if float(value).is_integer() else value


def header_for(dimensions: Iterable[str]) -> list[str]:
    return [
        "indicator",
        "place",
        "place_name",
        "period",
        "series",
        "units",
        *dimensions,
        "value",
        "unit",
        "unit_multiplier",
        "status",
        "source",
        "source_url",
        "note",
    ]


def status_cell(observation: Observation) -> str:
    """The SDMX observation status code when there is one, else provisional or final."""
    return observation.obs_status or observation.status


def rows_for(
    indicator: Indicator, observations: Iterable[Observation], dimensions: list[str]
) -> Iterator[list[object]]:
    for observation in observations:
        source = observation.shown_source
        yield [
            indicator.code,
            observation.place.code,
            observation.place.name,
            observation.period_label,
            observation.series,
            observation.units,
            *[observation.disaggregation.get(name, "") for name in dimensions],
            number(observation.value),
            indicator.unit,
            "" if observation.unit_multiplier is None else observation.unit_multiplier,
            status_cell(observation),
            source,
            observation.source_url,
            observation.note,
        ]


def write_csv(handle: Any, header: list[str], rows: Iterable[list[object]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])


def csv_bytes(header: list[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows: Iterable[list[object]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "data")
    sheet.append([neutralise(cell) for cell in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_observations_command(options: dict[str, Any], stdout: Any) -> None:
    """``accord export observations --indicator CODE [--place CODE] [--format xlsx] [-o FILE]
    [--as USERNAME]``: an indicator ``--as`` may read (without it: a public one)."""
    from accord.access.services import command_actor
    from accord.evidence import selectors

    code = options.get("indicator") or ""
    reader = command_actor(options.get("username"))
    indicator = Indicator.objects.visible_to(reader).filter(code__iexact=code).first()
    if indicator is None:
        raise NotFound(f"No indicator has the code {code!r} (give --indicator CODE).")
    chosen = selectors.observation_filter_parse(indicator, {"place": options.get("place") or ""})
    dimensions = list(selectors.dimensions_of(indicator))
    observations = selectors.observation_list(indicator, chosen).iterator(chunk_size=2000)
    header = header_for(dimensions)
    rows = rows_for(indicator, observations, dimensions)
    output = options.get("output")
    if options.get("format") == "sdmx-csv":
        from accord.evidence.sdmx_export import sdmx_csv_table

        header, rows = sdmx_csv_table(indicator, observations)
    if options.get("format") == "xlsx":
        if not output:
            raise Invalid("An XLSX export needs --output FILE.")
        Path(output).write_bytes(xlsx_bytes(header, rows, title=indicator.code))
        stdout.write(f"Wrote {output}.")
        return
    if output:
        with Path(output).open("w", newline="", encoding="utf-8-sig") as handle:
            write_csv(handle, header, rows)
        stdout.write(f"Wrote {output}.")
    else:
        write_csv(stdout, header, rows)
