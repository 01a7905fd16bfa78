"""Press releases to Markdown, HTML (a standalone document) and DOCX."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accord.core.errors import Invalid
from accord.meetings.markdown import render_markdown


def press_release_html(title: str, body: str, *, standalone: bool = True) -> str:
    html = mark_safe(render_markdown(body))  # noqa: S308 - sanitised by nh3
    if not standalone:
        return html
    return render_to_string("reports/press_release_document.html", {"title": title, "body": html})


def press_release_file(title: str, body: str, fmt: str) -> tuple[bytes, str, str]:
    """``(content, media type, file extension)``."""
    if fmt == "md":
        return f"# {title}\n\n{body}".encode(), "text/markdown; charset=utf-8", "md"
    if fmt == "html":
        return press_release_html(title, body).encode(), "text/html; charset=utf-8", "html"
    if fmt == "docx":
        from accord.reports.word import markdown_document

        return (
            markdown_document(title, body),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    raise Invalid(f"Unknown format {fmt!r}: use md, html or docx.")
