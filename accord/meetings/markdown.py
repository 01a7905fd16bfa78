"""Minutes are written in Markdown and shown as sanitised HTML.

markdown-it-py renders, nh3 sanitises. Before that, text that tries to run script (a
``<script>`` element, an ``on*=`` handler, a ``javascript:`` link) is refused with a
message naming what was found, so the author knows their text was not kept as written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

from accord.core.errors import Invalid

_RENDERER = MarkdownIt("commonmark", {"html": True}).enable("table")

# Elements that run code or pull in active content; anything else nh3 strips quietly.
_ACTIVE_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "link",
        "meta",
        "base",
        "svg",
        "math",
        "template",
    }
)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_SCRIPT_LINK_IN_SOURCE = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript)\s*:", re.IGNORECASE)


class _ActiveContentFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event handler ({name}=) on <{tag}>")
            elif name in {"href", "src", "action", "formaction"} and _SCRIPT_URL.match(value or ""):
                self.found.append(f"a script link ({name}={(value or '').strip()[:20]}…)")


def unsafe_content(text: str) -> list[str]:
    """What in ``text`` would run script if shown as written; empty when it is safe."""
    finder = _ActiveContentFinder()
    finder.feed(_RENDERER.render(text))
    finder.close()
    found = list(dict.fromkeys(finder.found))
    if _SCRIPT_LINK_IN_SOURCE.search(text):
        found.append("a javascript: link")
    return found


def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; :class:`Invalid` if the text carries script."""
    found = unsafe_content(text)
    if found:
        raise Invalid(
            "The text contains " + ", ".join(found) + ". Minutes may use Markdown and plain "
            "HTML formatting but nothing that runs script; remove it and save again.",
            details={"body": found},
        )
    return nh3.clean(_RENDERER.render(text), link_rel="noopener noreferrer")
