import io

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from accord.bench.harness import REGISTRY
from accord.bench.scenarios import reports

pytestmark = pytest.mark.django_db


def test_briefing_bench_renders_the_same_pack_in_each_format():
    context = reports.setup("small")
    html = str(reports.html(context))
    assert html.count("<svg") == 2
    assert "Agenda item 5" in html
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(reports.pdf(context))).pages
    )
    assert "Indicator 1: yearly values" in text
    assert "Action point 19" in " ".join(text.split())
    document = DocxDocument(io.BytesIO(reports.docx(context)))
    assert any("Indicator 0" in p.text for p in document.paragraphs)
    assert {"briefing_pack_pdf", "briefing_pack_docx"} <= set(REGISTRY)
