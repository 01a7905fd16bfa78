"""The bounds of every import, read from the settings (``ACCORD_IMPORT_*`` in the
environment): file size, rows, cell length, time and memory, and for XLSX workbooks
the uncompressed size, the compression ratio and the number of cells.

Past a bound the import stops at once and refuses the file with
:class:`~accord.core.importing.problems.BoundExceeded`, which names the setting.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings

from accord.core.importing.problems import BoundExceeded

# How often (in rows or records) a long import looks at the clock and its memory.
CHECK_EVERY = 10_000


@dataclass(frozen=True)
class Bounds:
    max_bytes: int
    max_rows: int
    max_cell_chars: int
    max_seconds: float
    max_memory_mb: int
    xlsx_max_uncompressed: int
    xlsx_max_ratio: float
    xlsx_max_cells: int

    @classmethod
    def from_settings(cls) -> Bounds:
        return cls(
            max_bytes=settings.ACCORD_IMPORT_MAX_BYTES,
            max_rows=settings.ACCORD_IMPORT_MAX_ROWS,
            max_cell_chars=settings.ACCORD_IMPORT_MAX_CELL_CHARS,
            max_seconds=settings.ACCORD_IMPORT_MAX_SECONDS,
            max_memory_mb=settings.ACCORD_IMPORT_MAX_MEMORY_MB,
            xlsx_max_uncompressed=settings.ACCORD_IMPORT_XLSX_MAX_UNCOMPRESSED,
            xlsx_max_ratio=settings.ACCORD_IMPORT_XLSX_MAX_RATIO,
            xlsx_max_cells=settings.ACCORD_IMPORT_XLSX_MAX_CELLS,
        )

    def but(self, **changes: object) -> Bounds:
        return replace(self, **changes)  # type: ignore[arg-type]

    def check_size(self, path: str | Path) -> None:
        size = os.path.getsize(path)
        if size > self.max_bytes:
            raise BoundExceeded(
                "ACCORD_IMPORT_MAX_BYTES", self.max_bytes, f"the file has {size} bytes"
            )

    def guard(self) -> Guard:
        return Guard(self)


def _resident_mb() -> float | None:
    """This process's resident memory now (Linux), in MB; None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class Guard:
    """Counts the rows (or records) of one import and stops it past a bound.

    Time is measured from the guard's creation; memory is what the process holds
    beyond what it held then, so a web worker's earlier requests do not count.
    """

    def __init__(self, bounds: Bounds):
        self.bounds = bounds
        self.started = time.monotonic()
        self.memory_at_start = _resident_mb()
        self.rows = 0

    def row(self, line: int = 0) -> None:
        self.rows += 1
        if self.rows > self.bounds.max_rows:
            raise BoundExceeded(
                "ACCORD_IMPORT_MAX_ROWS",
                self.bounds.max_rows,
                f"more than {self.bounds.max_rows} rows",
                line=line,
            )
        if self.rows % CHECK_EVERY == 0:
            self.check(line)

    def check(self, line: int = 0) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.bounds.max_seconds:
            raise BoundExceeded(
                "ACCORD_IMPORT_MAX_SECONDS",
                self.bounds.max_seconds,
                f"still reading after {elapsed:.0f} s",
                line=line,
            )
        if self.memory_at_start is not None:
            now = _resident_mb()
            if now is not None and now - self.memory_at_start > self.bounds.max_memory_mb:
                raise BoundExceeded(
                    "ACCORD_IMPORT_MAX_MEMORY_MB",
                    self.bounds.max_memory_mb,
                    f"the import holds {now - self.memory_at_start:.0f} MB",
                    line=line,
                )

    def cell(self, text: str, *, line: int, column: str = "") -> None:
        if len(text) > self.bounds.max_cell_chars:
            raise BoundExceeded(
                "ACCORD_IMPORT_MAX_CELL_CHARS",
                self.bounds.max_cell_chars,
                f"a cell of {len(text)} characters{f' in column {column!r}' if column else ''}",
                line=line,
            )
