"""The text of minutes: its paragraphs with stable anchors, and the ``ACTION`` lines in it.

A paragraph is a top-level Markdown block (a paragraph, a heading, a list, a table...).
Its anchor (``p-1a2b3c4d``) is drawn from its own text, so it stays the same while the
paragraph does, wherever it moves; amendments and the search index name paragraphs by it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import nh3
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext as _

from accord.meetings.markdown import _RENDERER, render_markdown


@dataclass(frozen=True)
class Paragraph:
    anchor: str
    source: str
    start: int  # first line (0-based) in the Markdown
    end: int  # one past the last line
    html: str


def _anchor(source: str, seen: dict[str, int]) -> str:
    normal = " ".join(source.split())
    base = "p-" + hashlib.sha1(normal.encode(), usedforsecurity=False).hexdigest()[:8]
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def paragraphs(text: str) -> list[Paragraph]:
    """The top-level blocks of ``text`` with their anchors and sanitised HTML."""
    env: dict = {}
    tokens = _RENDERER.parse(text, env)
    for token in tokens:
        # The page has its own h1 and h2: the minutes' headings sit below them.
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
    lines = text.splitlines()
    found: list[Paragraph] = []
    seen: dict[str, int] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index
        if token.nesting == 1:
            depth = 0
            for end in range(index, len(tokens)):
                depth += tokens[end].nesting
                if depth == 0:
                    break
        block = tokens[index : end + 1]
        start_line, end_line = token.map or (0, 0)
        while end_line > start_line and not lines[end_line - 1].strip():
            end_line -= 1
        source = "\n".join(lines[start_line:end_line])
        html = nh3.clean(
            _RENDERER.renderer.render(block, _RENDERER.options, env), link_rel="noopener noreferrer"
        )
        if source.strip():
            found.append(Paragraph(_anchor(source, seen), source, start_line, end_line, html))
        index = end + 1
    return found


def render_minutes(text: str) -> str:
    """Sanitised HTML, one ``<div id="p-...">`` per paragraph; :class:`Invalid` if the text
    carries script (the check of :func:`accord.meetings.markdown.render_markdown`)."""
    render_markdown(text)
    return "\n".join(
        f'<div class="minutes-paragraph" id="{escape(p.anchor)}">{p.html}</div>'
        for p in paragraphs(text)
    )


def replace_paragraph(text: str, anchor: str, new: str) -> str | None:
    """``text`` with the paragraph ``anchor`` replaced by ``new``; None when no paragraph
    has that anchor any more."""
    for paragraph in paragraphs(text):
        if paragraph.anchor == anchor:
            lines = text.splitlines()
            replaced = [
                *lines[: paragraph.start],
                *new.strip().splitlines(),
                *lines[paragraph.end :],
            ]
            return "\n".join(replaced) + ("\n" if text.endswith("\n") else "")
    return None


# --- ACTION lines -----------------------------------------------------------------------

_ACTION_START = re.compile(r"^\s*(?:[-*+]\s+)?\**ACTION\b\**")
_ACTION = re.compile(
    r"^\s*(?:[-*+]\s+)?\**ACTION\**\s*"
    r"(?:\[(?P<owners>[^\]]*)\])?\s*"
    r"(?:due\s+(?P<due>[^:]*?))?\s*"
    r":\s*(?P<text>.*?)\s*$"
)


@dataclass
class ActionLine:
    number: int  # 1-based line of the Markdown
    line: str
    text: str = ""
    owners: list[str] = field(default_factory=list)
    due_date: dt.date | None = None
    problems: list[str] = field(default_factory=list)


def _owner_acronyms(names: list[str]) -> tuple[list[str], list[str]]:
    """The current acronyms of the organisations named, and the names no partner bears."""
    from accord.partners.models import Organisation

    found: list[str] = []
    unknown: list[str] = []
    for name in names:
        condition = Q(acronym__iexact=name) | Q(names__acronym__iexact=name)
        acronym = Organisation.objects.filter(condition).values_list("acronym", flat=True).first()
        if acronym is None:
            unknown.append(name)
        elif acronym not in found:
            found.append(acronym)
    return found, unknown


def action_lines(text: str) -> list[ActionLine]:
    """Every line starting with ``ACTION``, read: owners by acronym (current or former),
    the due date (``YYYY-MM-DD``), the action; what cannot be read is a problem."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not _ACTION_START.match(line):
            continue
        action = ActionLine(number=number, line=line.strip())
        match = _ACTION.match(line)
        if match is None:
            action.problems.append(
                _("Write it as: ACTION [IOM, DG HOME] due 2027-03-31: what is to be done.")
            )
            found.append(action)
            continue
        action.text = match["text"]
        names = [n.strip() for n in (match["owners"] or "").split(",") if n.strip()]
        if not names:
            action.problems.append(_("No owner: name them in brackets, e.g. [IOM, DG HOME]."))
        else:
            action.owners, unknown = _owner_acronyms(names)
            if unknown:
                action.problems.append(
                    _("No partner is known by the acronym %(names)s.")
                    % {"names": ", ".join(unknown)}
                )
        if match["due"]:
            try:
                action.due_date = dt.date.fromisoformat(match["due"])
            except ValueError:
                action.problems.append(
                    _("The due date %(due)s cannot be read: write it as 2027-03-31.")
                    % {"due": match["due"]}
                )
        if not action.text:
            action.problems.append(_("Say what is to be done after the colon."))
        found.append(action)
    return found
