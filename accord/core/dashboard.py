"""The signed-in reader's dashboard: what waits for them, gathered from the installed apps.

Each panel belongs to an app and names, by dotted path, the selector that lists its
records for a user. A panel shows only when its app is installed, and its selector is
imported only then, so the dashboard grows as the meetings and commitments apps arrive
without this module importing them. A selector missing from an installed app leaves its
panel out (and a test fails), rather than break every signed-in reader's home page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accord.core.readers import Actor

logger = logging.getLogger(__name__)

# How many records a panel lists before it links to the full list.
PANEL_LIMIT = 8


@dataclass(frozen=True)
class Panel:
    """One box of the dashboard: ``selector(user=..., **arguments)`` gives its records.

    ``upcoming`` names a date field: only records dated today or later, soonest first.
    ``full_list`` is the URL name of the page listing them all, linked when it resolves.
    """

    app: str
    title: Promise
    selector: str
    empty: Promise
    arguments: dict[str, Any] = field(default_factory=dict)
    upcoming: str = ""
    full_list: str = ""
    # How a record links: ``anchor`` (formatted with the record) on the full list, or the
    # URL name ``record_url`` with the record's attribute ``record_arg``.
    anchor: str = ""
    record_url: str = ""
    record_arg: str = "pk"
    due: str = ""
    # The dotted path of a predicate ``(user) -> bool``: the panel shows only to those it
    # accepts (a member, who reports nothing, is not shown an empty reporting panel).
    shown_to: str = ""


@dataclass(frozen=True)
class PanelRecord:
    record: Any
    url: str | None
    due: Any = None


@dataclass(frozen=True)
class FilledPanel:
    title: Promise
    records: list[Any]
    more: bool
    empty: Promise
    full_list_url: str | None
    count: int = 0
    items: list[PanelRecord] = field(default_factory=list)


PANELS = [
    Panel(
        app="accord.meetings",
        title=_("Your open action points"),
        selector="accord.meetings.selectors.my_action_points",
        arguments={"status": "open,in_progress"},
        empty=_("No open action point is assigned to your partners."),
        full_list="my-actions",
        anchor="#action-point-{record.pk}",
        due="due_date",
    ),
    Panel(
        app="accord.meetings",
        title=_("Next meetings"),
        selector="accord.meetings.selectors.meeting_list",
        upcoming="date",
        empty=_("No meeting is planned."),
        full_list="meeting-list",
        record_url="meeting-detail",
        record_arg="key",
        due="date",
    ),
    Panel(
        app="accord.commitments",
        title=_("Waiting for you in the current reporting cycle"),
        selector="accord.commitments.selectors.cycle_entries_waiting_for",
        empty=_("Nothing waits for you in the current reporting cycle."),
        full_list="cycle-dashboard",
        record_url="initiative-detail",
        record_arg="initiative_id",
        shown_to="accord.commitments.permissions.takes_part_in_cycles",
    ),
]


def panel_selector(panel: Panel) -> Callable[..., Iterable[Any]] | None:
    """The panel's selector, or None when its app is not installed."""
    if not apps.is_installed(panel.app):
        return None
    try:
        return import_string(panel.selector)
    except ImportError:
        # The page still renders; test_every_installed_panel_has_its_selector says why.
        logger.warning("%s is installed but has no %s", panel.app, panel.selector)
        return None


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name) if url_name else None
    except NoReverseMatch:
        return None


def _record_url(panel: Panel, record: Any, full_list_url: str | None) -> str | None:
    if panel.record_url:
        try:
            return reverse(panel.record_url, args=[getattr(record, panel.record_arg)])
        except NoReverseMatch:
            return None
    if panel.anchor and full_list_url:
        return full_list_url + panel.anchor.format(record=record)
    url = getattr(record, "get_absolute_url", None)
    return url() if callable(url) else None


def dashboard_panels(user: Actor, panels: Iterable[Panel] = PANELS) -> list[FilledPanel]:
    """The panels of the installed apps, each with its first records for ``user``."""
    filled = []
    for panel in panels:
        selector = panel_selector(panel)
        if selector is None:
            continue
        if panel.shown_to and not import_string(panel.shown_to)(user):
            continue
        found: Any = selector(user=user, **panel.arguments)
        if panel.upcoming:
            found = found.filter(**{f"{panel.upcoming}__gte": timezone.localdate()}).order_by(
                panel.upcoming
            )
        # A queryset is sliced in SQL; any other iterable is read only as far as needed.
        head = found[: PANEL_LIMIT + 1] if hasattr(found, "__getitem__") else found
        records = list(islice(head, PANEL_LIMIT + 1))
        full_list_url = _url(panel.full_list)
        more = len(records) > PANEL_LIMIT
        # A queryset counts in SQL; another iterable is not read past the panel's records.
        count = found.count() if more and isinstance(found, QuerySet) else len(records)
        filled.append(
            FilledPanel(
                title=panel.title,
                records=records[:PANEL_LIMIT],
                items=[
                    PanelRecord(
                        record=record,
                        url=_record_url(panel, record, full_list_url),
                        due=getattr(record, panel.due, None) if panel.due else None,
                    )
                    for record in records[:PANEL_LIMIT]
                ],
                more=more,
                empty=panel.empty,
                full_list_url=full_list_url,
                count=count,
            )
        )
    return filled


# The reports app composes the meetings and commitments apps: it says what each role
# tries first. Imported by name, so that core depends on neither.
START_HERE = "accord.reports.start_here.start_here_for"


def start_here(user: Actor) -> list[Any]:
    """Three things to try first for the reader's role (none when reports is absent)."""
    if not apps.is_installed("accord.reports"):
        return []
    try:
        finder = import_string(START_HERE)
    except ImportError:
        logger.warning("accord.reports is installed but has no %s", START_HERE)
        return []
    return list(finder(user))
