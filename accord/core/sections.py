"""Sections that higher apps add to a lower app's page.

A page of an app low in the layers (the commitment page, in ``commitments``) may show
what only a higher app can compose (the trail, in ``reports``, which reads meetings,
commitments and evidence). The higher app registers a section for the page when Django
starts; the page asks for its sections and renders each in order. The lower app never
imports the higher one, and without it the page simply has no such section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

#: ``render(request, record) -> html``: the section's markup, or "" to show nothing.
Render = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class Section:
    name: str
    render: Render
    order: int = 100


_SECTIONS: dict[str, dict[str, Section]] = {}


def register(page: str, name: str, render: Render, *, order: int = 100) -> None:
    """Add (or replace) the section ``name`` of ``page`` (``"commitment"``)."""
    _SECTIONS.setdefault(page, {})[name] = Section(name=name, render=render, order=order)


def sections_of(page: str) -> list[Section]:
    return sorted(_SECTIONS.get(page, {}).values(), key=lambda s: (s.order, s.name))


def render_sections(page: str, request: HttpRequest, record: Any) -> list[SafeString]:
    """The markup of every section registered for ``page``, in order (empty ones left out).
    Each section renders its own template, escaped as every template is."""
    rendered = (section.render(request, record) for section in sections_of(page))
    return [SafeString(html) for html in rendered if html]
