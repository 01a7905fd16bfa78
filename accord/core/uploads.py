"""Uploaded files written to a temporary path for a reader that goes by file type.

The path keeps the upload's type (its extension, lower case): openpyxl refuses to open a
workbook whose name does not end in ``.xlsx``, so an upload saved as ``upload`` was
refused as "not a readable XLSX workbook" though the same file imported from the CLI.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}", re.ASCII)


class Upload(Protocol):
    name: str | None

    def chunks(self) -> Iterator[bytes]: ...


def upload_suffix(name: str | None, *, default: str = "") -> str:
    """The type of a file by its name (``.xlsx``), or ``default`` when it has none."""
    suffix = Path(name or "").suffix.lower()
    return suffix if _SUFFIX.fullmatch(suffix) else default


@contextmanager
def saved_upload(upload: Upload, *, default_suffix: str = "") -> Iterator[Path]:
    """The upload written to a temporary file named ``upload<suffix>``, removed after."""
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as folder:
        path = Path(folder) / ("upload" + upload_suffix(upload.name, default=default_suffix))
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path
