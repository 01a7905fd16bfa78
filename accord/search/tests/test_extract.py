"""The text read out of uploaded documents, in each format, and its bounds."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from weasyprint import HTML

from accord.search import extract
from accord.search.extract import extract_text


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Réintégration des migrants de retour")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell"
    table.cell(0, 1).text = "value"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(["Country", "Assisted returns"])
    sheet.append(["Niger", 1234])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _odt() -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:h>Ordre du jour</text:h><text:p>Migration légale et <text:span>mobilité</text:span>"
        "</text:p></office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return out.getvalue()


def _pdf() -> bytes:
    return HTML(string="<p>Voluntary return and reintegration</p>").write_pdf()


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("note.docx", _docx, ["Réintégration des migrants", "Cell value"]),
        ("figures.xlsx", _xlsx, ["Returns", "Niger 1234"]),
        ("agenda.odt", _odt, ["Ordre du jour", "Migration légale et mobilité"]),
        ("speech.pdf", _pdf, ["Voluntary return and reintegration"]),
        ("plain.txt", lambda: b"Texte simple", ["Texte simple"]),
    ],
)
def test_each_format_gives_its_text(name: str, make: object, words: list[str]) -> None:
    found = extract_text(io.BytesIO(make()), name)  # type: ignore[operator]
    assert found.note == ""
    for expected in words:
        assert expected in found.text


def test_unread_formats_and_broken_files_give_a_note() -> None:
    assert extract_text(io.BytesIO(b"\x89PNG"), "photo.png").note
    broken = extract_text(io.BytesIO(b"not a zip"), "note.docx")
    assert broken.text == ""
    assert broken.note.startswith("unreadable")


def test_a_zip_that_unpacks_too_large_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_UNZIPPED", 100)
    found = extract_text(io.BytesIO(_odt()), "agenda.odt")
    assert found.text == ""
    assert "unreadable" in found.note


def test_the_text_is_cut_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_CHARS", 10)
    found = extract_text(io.BytesIO(b"a" * 100), "long.txt")
    assert found.text == "a" * 10
    assert "cut" in found.note
