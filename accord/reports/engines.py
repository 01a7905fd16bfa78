"""Document engines: PDF from the same HTML templates (WeasyPrint), DOCX (python-docx),
XLSX (openpyxl), CSV and JSON, with spreadsheet formulas neutralised on the way out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from accord.core import spreadsheets

# The one rule for spreadsheet cells (core.spreadsheets): text a spreadsheet would run
# as a formula gets a leading apostrophe; numbers stay numbers.
neutralise = spreadsheets.neutralise


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return "; ".join(str(item) for item in value)
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(_plain(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One worksheet per (title, columns, rows); header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    for number, (title, columns, rows) in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        if not isinstance(sheet, Worksheet):  # a new workbook always has one worksheet
            raise TypeError("expected a worksheet")
        sheet.title = title[:31]
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            values = []
            for value in row:
                plain = _plain(value) if not isinstance(value, dt.date | Decimal) else value
                if isinstance(plain, Decimal):
                    plain = float(plain)
                values.append(neutralise(plain))
            sheet.append(values)
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = min(60, max(12, len(str(column)) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    items = [dict(zip(columns, (_json_value(v) for v in row), strict=True)) for row in rows]
    return json.dumps({"count": len(items), "items": items}, ensure_ascii=False, indent=1).encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | tuple):
        return list(value)
    return value


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document (with its print stylesheet) to PDF with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
