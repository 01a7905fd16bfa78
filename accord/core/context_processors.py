"""Template context every page needs: the framework served, the reader's access, the sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accord.core.readers import reader_scope

# The main sections, in the header's order. Each names the URL names its landing page may
# have, first match wins; a section whose app is not installed has no URL and stays hidden,
# so the meetings, commitments, evidence and reports apps appear in the header once merged.
SECTIONS: list[tuple[Promise, tuple[str, ...]]] = [
    (_("Meetings"), ("meeting-list",)),
    (_("Action points"), ("action-register", "action-point-list")),
    (_("Commitments"), ("instrument-list", "commitment-list")),
    (_("Evidence"), ("evidence-overview", "indicator-list")),
    (_("Documents"), ("report-list", "document-list")),
    (_("Partners"), ("partner-list",)),
]


@dataclass(frozen=True)
class Section:
    label: Promise
    url: str
    current: bool  # the reader is somewhere in this section
    exact: bool  # the reader is on the section's landing page itself


def _first_reversible(url_names: tuple[str, ...]) -> str | None:
    for url_name in url_names:
        try:
            return reverse(url_name)
        except NoReverseMatch:
            continue
    return None


def nav_sections(request: HttpRequest | None = None) -> list[Section]:
    """The sections whose pages exist in this deployment, marking the one being read."""
    path = request.path if request is not None else ""
    found = [(label, url) for label, names in SECTIONS if (url := _first_reversible(names))]
    # The reader is in the section with the longest address their page starts with.
    within = [url for _label, url in found if path.startswith(url)]
    current = max(within, key=len, default=None)
    return [
        Section(label=label, url=url, current=url == current, exact=path == url)
        for label, url in found
    ]


def accord(request: HttpRequest) -> dict[str, Any]:
    return {
        "accord_framework_code": settings.ACCORD_FRAMEWORK,
        "access": reader_scope(getattr(request, "user", None)),
        "nav_sections": nav_sections(request),
        "search_url": _first_reversible(("search", "search:search")),
    }
