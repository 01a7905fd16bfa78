"""DOCX documents with python-docx, built from the same context as the HTML."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx.text.run import Run

if TYPE_CHECKING:
    from accord.reports.briefing import Briefing


#: Charts whose image one process keeps: drawing one costs some 40 ms, and a pack drawn
#: again while it is prepared shows the same charts (an SVG is drawn once per version of
#: its figures, evidence.charts).
CHART_IMAGES_KEPT = 64


@functools.lru_cache(maxsize=CHART_IMAGES_KEPT)
def svg_to_png(svg: str) -> bytes | None:
    """A PNG of an SVG chart when vl-convert is installed (it comes with the evidence app);
    the same SVG gives the same image, kept."""
    try:
        import vl_convert  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return bytes(vl_convert.svg_to_png(svg, scale=1.5))


def _table(document: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table with a bold heading row. Made with all its rows at once, each cell's text
    written into the one empty paragraph a new cell holds: the same XML as adding the
    rows one by one and setting ``cell.text``, which recomputes the grid for every row
    and empties every cell first (three times the time on a pack's 200 action points)."""
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    cells = iter(table._tbl.xpath("./w:tr/w:tc"))
    for column in columns:
        run = next(cells).p_lst[0].add_r()
        run.text = column
        Run(run, table).bold = True
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} values for {len(columns)} columns")
        for value in row:
            next(cells).p_lst[0].add_r().text = "" if value is None else str(value)


def _classified(document: Any, label: str) -> None:
    """The classification in every page's header and footer."""
    section = document.sections[0]
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(label)
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)


def briefing_document(briefing: Briefing) -> bytes:
    meeting = briefing.meeting
    document = Document()
    document.core_properties.title = f"Briefing pack: {meeting.display_name}"
    _classified(document, briefing.classification_label)

    framework = meeting.tier.framework
    if framework is not None:
        document.add_paragraph(f"{framework.name} · Briefing pack")
    document.add_heading(meeting.display_name, level=0)
    cover = [
        ("Meeting", f"{meeting.display_name} ({meeting.key})"),
        ("Date", meeting.date_display),
        ("Venue", meeting.venue or "not on record"),
        ("Co-chairs", "; ".join(briefing.co_chairs) or "not on record"),
        ("Topics", "; ".join(briefing.topics)),
        ("Classification", briefing.classification_label),
        ("Prepared", f"{briefing.generated_on:%d %B %Y}, as read by {briefing.reader}"),
    ]
    if briefing.host:
        cover.insert(3, ("Host", briefing.host))
    _table(document, ["", ""], cover)
    document.add_page_break()

    document.add_heading("1. Agenda", level=1)
    if briefing.items:
        _table(
            document,
            ["No.", "Item", "Minutes"],
            [
                (s.entry.number, s.entry.item.title, s.entry.item.planned_minutes or "")
                for s in briefing.items
            ],
        )
    else:
        document.add_paragraph("No agenda items are on record; the meeting's topics:")
        for topic in briefing.topics:
            document.add_paragraph(topic, style="List Bullet")
    for event in briefing.page.events:
        document.add_paragraph(event.text, style="List Bullet")

    document.add_heading("2. Participants", level=1)
    _table(
        document,
        ["Name", "Position", "Partner", "Role"],
        [
            (r.name or "(delegation)", r.title, r.organisation, r.role)
            for r in briefing.participants
        ],
    )

    document.add_heading("3. Follow-up of previous action points", level=1)
    if briefing.follow_up:
        _table(
            document,
            ["Action", "Raised at", "Owners", "Due", "Status", "Latest progress"],
            [
                (
                    row.action_point.text,
                    row.meeting_name,
                    row.owners,
                    row.action_point.due_date.isoformat() if row.action_point.due_date else "",
                    f"{row.action_point.get_status_display()}{' (overdue)' if row.overdue else ''}",
                    row.last_update,
                )
                for row in briefing.follow_up
            ],
        )
    else:
        document.add_paragraph("No action points to follow up.")

    document.add_heading("4. Agenda items: commitments and indicators", level=1)
    for note in briefing.notes:
        document.add_paragraph(note)
    charts_without_image = []
    for section in briefing.items:
        document.add_heading(f"{section.entry.number}. {section.entry.item.title}", level=2)
        if section.commitments:
            _table(
                document,
                ["Commitment", "Coverage", "Progress"],
                [(c["title"], c["coverage"], c["progress"]) for c in section.commitments],
            )
        if section.indicators:
            _table(
                document,
                ["Indicator", "Latest value"],
                [(i["title"], i["value"]) for i in section.indicators],
            )
        for chart in section.charts:
            png = svg_to_png(chart.svg)
            if png is None:
                charts_without_image.append(chart.title)
                document.add_paragraph(f"Chart: {chart.title}", style="List Bullet")
            else:
                from docx.shared import Cm

                document.add_picture(io.BytesIO(png), width=Cm(15))
                document.add_paragraph().add_run(chart.title).italic = True
    if charts_without_image:
        document.add_paragraph(
            "Charts are listed by title: this installation cannot convert SVG charts to "
            "images for DOCX; the PDF and HTML packs show them."
        )

    document.add_heading("5. Documents", level=1)
    if briefing.documents:
        _table(
            document,
            ["Title", "Type", "Language", "Classification"],
            [
                (d.title, d.get_kind_display(), d.language, d.get_classification_display())
                for d in briefing.documents
            ],
        )
    else:
        document.add_paragraph("No documents on record.")
    for call in briefing.calls:
        document.add_heading(
            f"Contributions from the partners (asked by {call.due.isoformat()})", level=2
        )
        _table(
            document,
            ["Partner", "Documents", "Agenda requests"],
            [
                (
                    row.partner.acronym,
                    "; ".join(d.title for d in row.documents),
                    "; ".join(row.agenda_requests),
                )
                for row in call.rows
                if row.answered
            ],
        )
        if call.waiting:
            document.add_paragraph("Not answered: " + ", ".join(call.waiting))

    document.add_heading("6. Decisions and minutes", level=1)
    for decision in briefing.page.decisions:
        codes = [link.commitment_code for link in decision.commitment_links.all()]
        suffix = f" ({', '.join(codes)})" if codes else ""
        document.add_paragraph(f"{decision.position}. {decision.text}{suffix}")
    if not briefing.page.decisions:
        document.add_paragraph("No decisions on record.")
    if briefing.minutes is not None:
        document.add_heading(f"Minutes ({briefing.minutes.get_status_display()})", level=2)
        for block in briefing.minutes.body.split("\n\n"):
            if block.strip():
                document.add_paragraph(block.strip())
    if briefing.radar is not None:
        document.add_heading("7. Follow-up radar: the commitments at risk", level=1)
        if briefing.radar.rows:
            _table(
                document,
                ["Rank", "Commitment", "Score", "Reasons"],
                [
                    [
                        str(rank),
                        f"{row.code} {row.title}",
                        str(row.score),
                        "; ".join(f"{r.text} (+{r.points})" for r in row.reasons),
                    ]
                    for rank, row in enumerate(briefing.radar.rows, start=1)
                ],
            )
        else:
            document.add_paragraph("No commitment of this meeting shows a sign of risk.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def markdown_document(title: str, markdown: str) -> bytes:
    """A DOCX of a Markdown text (press releases): headings, paragraphs, bullets, bold."""
    from markdown_it import MarkdownIt

    document = Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    tokens = MarkdownIt("commonmark").parse(markdown)
    style: str | None = None
    level = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "bullet_list_open":
            style = "List Bullet"
        elif token.type == "bullet_list_close":
            style = None
        elif token.type == "inline":
            previous = tokens[index - 1].type if index else ""
            if previous == "heading_open":
                document.add_heading(token.content, level=level)
                continue
            paragraph = document.add_paragraph(style=style)
            bold = False
            for child in token.children or []:
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type in {"text", "code_inline"}:
                    paragraph.add_run(child.content).bold = bold
                elif child.type in {"softbreak", "hardbreak"}:
                    paragraph.add_run(" ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
