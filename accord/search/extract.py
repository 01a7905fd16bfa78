"""The text of an uploaded document, for the index: PDF, DOCX, ODT, XLSX and plain text.

Reading is bounded: at most :data:`MAX_CHARS` characters, :data:`MAX_SECONDS` of work, and
no zipped part whose unpacked size passes :data:`MAX_UNZIPPED` (a zip bomb is not read). A
file that cannot be read is indexed by its title alone, with a note saying why; an upload
is never refused for its text.
"""

from __future__ import annotations

import logging
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from lxml import etree

logger = logging.getLogger("accord.search")

MAX_CHARS = 200_000
MAX_SECONDS = 10.0
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_PLAIN_BYTES = 2 * 1024 * 1024

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@dataclass(frozen=True)
class Extracted:
    text: str
    note: str = ""


class _Budget:
    """Characters and seconds left for one file."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.parts: list[str] = []
        self.size = 0
        self.note = ""

    def add(self, text: str | None) -> bool:
        """Keep ``text``; False once the file has used its budget."""
        if self.note:
            return False
        if text:
            room = MAX_CHARS - self.size
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        if self.size >= MAX_CHARS:
            self.note = f"text cut at {MAX_CHARS:,} characters"
        elif time.monotonic() > self.deadline:
            self.note = f"text cut after {MAX_SECONDS:g} seconds"
        return not self.note

    def result(self) -> Extracted:
        return Extracted("\n".join(self.parts), self.note)


def _check_zip(stream: IO[bytes]) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(stream)
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNZIPPED:
        raise ValueError(f"unpacks to {unpacked:,} bytes, more than {MAX_UNZIPPED:,}")
    return archive


def _pdf(stream: IO[bytes], budget: _Budget) -> None:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    for page in reader.pages:
        if not budget.add(page.extract_text()):
            return


def _docx(stream: IO[bytes], budget: _Budget) -> None:
    import docx

    _check_zip(stream)
    stream.seek(0)
    document = docx.Document(stream)
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not budget.add(" ".join(cell.text for cell in row.cells)):
                return


def _odt(stream: IO[bytes], budget: _Budget) -> None:
    archive = _check_zip(stream)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(archive.read("content.xml"), parser)
    for element in root.iter(f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"):
        if not budget.add("".join(element.itertext())):
            return


def _xlsx(stream: IO[bytes], budget: _Budget) -> None:
    import openpyxl

    _check_zip(stream)
    stream.seek(0)
    workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if not budget.add(sheet.title):
                return
            for row in sheet.iter_rows(values_only=True):
                line = " ".join(str(value) for value in row if value is not None)
                if not budget.add(line):
                    return
    finally:
        workbook.close()


def _plain(stream: IO[bytes], budget: _Budget) -> None:
    budget.add(stream.read(MAX_PLAIN_BYTES).decode("utf-8", errors="replace"))


READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
    "xlsx": _xlsx,
    "txt": _plain,
    "md": _plain,
    "csv": _plain,
}


def extract_text(stream: IO[bytes], name: str) -> Extracted:
    """The text of the file ``name`` read from ``stream``, within the bounds."""
    kind = PurePath(name).suffix.lower().lstrip(".")
    reader = READERS.get(kind)
    if reader is None:
        return Extracted("", f"no text is read from .{kind} files" if kind else "no type")
    budget = _Budget()
    try:
        reader(stream, budget)
    except Exception as error:  # any unreadable file: indexed by its title alone
        logger.warning("Could not read the text of %s: %s", name, error)
        return Extracted(budget.result().text, f"unreadable: {type(error).__name__}")
    return budget.result()
