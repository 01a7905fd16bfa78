"""Which kind of file of figures a file is, and its rows of text cells, each with its
file line, through core's bounded table reader (CSV streamed, XLSX checked first)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from accord.core.importing import ImportRejected, Problem, is_xlsx, read_rows

__all__ = ["file_checksum", "is_xlsx", "is_xml", "open_rows", "unreadable"]


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_xml(path: Path) -> bool:
    """An XML document: its first character, after a byte-order mark and blanks, is ``<``."""
    with path.open("rb") as handle:
        start = handle.read(1024).lstrip(b"\xef\xbb\xbf").lstrip()
    return start.startswith(b"<")


def open_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV or XLSX file, within the import bounds (core's table reader)."""
    return read_rows(path)


def unreadable(line: int, message: str) -> ImportRejected:
    return ImportRejected(
        f"Nothing was imported: {message}.", problems=[Problem(line, "", message)]
    )
