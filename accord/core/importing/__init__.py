"""One import framework for every app: problems (errors refuse a file, warnings are
kept), the report, bounded reading of CSV, XLSX and XML, and the record of each run.

Each format's reader lives in its app (``commitments/iati.py``,
``commitments/spreadsheet.py``, ``evidence/...``) and speaks through these types; the
command line, the pages and the API only show what they report.
"""

from accord.core.importing.bounds import Bounds, Guard
from accord.core.importing.problems import (
    BoundExceeded,
    ImportRejected,
    ImportReport,
    Problem,
    Severity,
)
from accord.core.importing.tables import cell_text, check_workbook, is_xlsx, read_records, read_rows

__all__ = [
    "BoundExceeded",
    "Bounds",
    "Guard",
    "ImportRejected",
    "ImportReport",
    "Problem",
    "Severity",
    "cell_text",
    "check_workbook",
    "is_xlsx",
    "read_records",
    "read_rows",
]
