"""The signed-in reader's dashboard: what waits for them, gathered from the installed apps.

Each panel belongs to an app and names, by dotted path, the selector that lists its
records for a user. A panel shows only when its app is installed, and its selector is
imported only then, so the dashboard grows as the meetings and commitments apps arrive
without this module importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# How many records a panel lists before it links to the full list.
PANEL_LIMIT = 8


@dataclass(frozen=True)
class Panel:
    """One box of the dashboard: ``selector(user=...)`` returns the records to list."""

    app: str
    title: Promise
    selector: str
    empty: Promise


@dataclass(frozen=True)
class FilledPanel:
    title: Promise
    records: list[Any]
    more: bool
    empty: Promise


PANELS = [
    Panel(
        app="accord.meetings",
        title=_("Your open action points"),
        selector="accord.meetings.selectors.action_points_open_for",
        empty=_("No open action point is assigned to your partners."),
    ),
    Panel(
        app="accord.meetings",
        title=_("Next meetings"),
        selector="accord.meetings.selectors.meetings_upcoming_for",
        empty=_("No meeting is planned."),
    ),
    Panel(
        app="accord.commitments",
        title=_("Waiting for you in the current reporting cycle"),
        selector="accord.commitments.selectors.cycle_entries_waiting_for",
        empty=_("Nothing waits for you in the current reporting cycle."),
    ),
]


def _selector(panel: Panel) -> Callable[..., Iterable[Any]]:
    try:
        return import_string(panel.selector)
    except ImportError as error:
        # Loud on purpose: a panel that silently vanished would hide work from its readers.
        raise ImproperlyConfigured(
            f"{panel.app} is installed but {panel.selector} does not exist; "
            "update accord.core.dashboard.PANELS."
        ) from error


def dashboard_panels(
    user: AbstractBaseUser | AnonymousUser, panels: Iterable[Panel] = PANELS
) -> list[FilledPanel]:
    """The panels of the installed apps, each with its first records for ``user``."""
    filled = []
    for panel in panels:
        if not apps.is_installed(panel.app):
            continue
        found = _selector(panel)(user=user)
        # A queryset is sliced in SQL; any other iterable is read only as far as needed.
        head = found[: PANEL_LIMIT + 1] if hasattr(found, "__getitem__") else found
        records = list(islice(head, PANEL_LIMIT + 1))
        filled.append(
            FilledPanel(
                title=panel.title,
                records=records[:PANEL_LIMIT],
                more=len(records) > PANEL_LIMIT,
                empty=panel.empty,
            )
        )
    return filled
