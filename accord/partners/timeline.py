"""The membership timeline of a framework: its joinings, departures and renamings.

The home page shows its latest changes at every request, the framework's page all of it.
It is read in one statement written once from the models' tables (each membership with
its partner's names), and the events are made from those rows: read as instances with
their names prefetched, after three statements to bound the dates, it cost eight times
the members' list beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections, router
from django.utils.translation import gettext as _

from accord.core.dates import DatePrecision, format_partial_date
from accord.core.models import listed_fields
from accord.partners.models import (
    Framework,
    Membership,
    MembershipInstrument,
    Organisation,
    OrganisationName,
)


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    precision: str
    kind: str  # "joined", "left" or "renamed"
    acronym: str  # the partner's acronym today
    text: str
    uncertain: bool
    source: str

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision)


@functools.cache
def _timeline_statement(bounded: bool) -> str:
    """Every membership of a framework with its partner's acronym today and each name
    the partner bore (one row per name; a partner with none gives one row of NULLs),
    the names of a partner in the order they were taken.

    ``bounded``: only the memberships with an event on or after the date below which
    none of the ``n`` latest events can lie: the n-th latest of the n latest joinings,
    departures and renamings, each read down an index (parameters: the framework's id
    and ``n`` three times, then ``n - 1`` and the id). The latest events all come from
    these memberships, so the latest of the events made from them are the latest of all.
    """
    membership, organisation, name = (
        model._meta.db_table for model in (Membership, Organisation, OrganisationName)
    )
    # The table names come from the models; every value is a parameter.
    bound = f"""
        WITH latest_date (d) AS (
            SELECT d FROM (
                SELECT joined_on AS d FROM {membership} WHERE framework_id = %s
                ORDER BY joined_on DESC LIMIT %s
            ) joined
            UNION ALL
            SELECT d FROM (
                SELECT left_on AS d FROM {membership}
                WHERE framework_id = %s AND left_on IS NOT NULL
                ORDER BY left_on DESC LIMIT %s
            ) departed
            UNION ALL
            SELECT d FROM (
                SELECT n.valid_from AS d FROM {name} n
                JOIN {membership} m ON m.organisation_id = n.organisation_id
                WHERE m.framework_id = %s AND n.valid_from > m.joined_on
                ORDER BY n.valid_from DESC LIMIT %s
            ) renamed
        ),
        cutoff (d) AS (SELECT d FROM latest_date ORDER BY d DESC LIMIT 1 OFFSET %s)
    """  # noqa: S608
    where = f"""
        AND (
            NOT EXISTS (SELECT 1 FROM cutoff)
            OR m.joined_on >= (SELECT d FROM cutoff)
            OR m.left_on >= (SELECT d FROM cutoff)
            OR m.organisation_id IN (
                SELECT organisation_id FROM {name} WHERE valid_from >= (SELECT d FROM cutoff)
            )
        )
    """  # noqa: S608
    return f"""
        {bound if bounded else ""}
        SELECT m.id, o.acronym, m.joined_on, m.joined_precision, m.instrument, m.left_on,
               m.uncertain_fields, m.source,
               n.acronym, n.name, n.valid_from, n.uncertain_fields, n.source
        FROM {membership} m
        JOIN {organisation} o ON o.id = m.organisation_id
        LEFT JOIN {name} n ON n.organisation_id = m.organisation_id
        WHERE m.framework_id = %s {where if bounded else ""}
        ORDER BY m.id, n.valid_from IS NOT NULL, n.valid_from, n.id
    """  # noqa: S608


@dataclass(frozen=True)
class _Name:
    acronym: str
    name: str
    valid_from: dt.date | None
    uncertain_fields: list[str]
    source: str


def _events(
    current: str,
    joined_on: dt.date,
    precision: str,
    instrument: str,
    left_on: dt.date | None,
    uncertain: list[str],
    source: str,
    *,
    names: list[_Name],
) -> Iterator[TimelineEvent]:
    """One membership's events: joined under the name of that day, renamed by each name
    taken while a member, and left under today's acronym."""
    # The name borne on the day of joining: the last taken on or before it.
    then = None
    for entry in names:
        if entry.valid_from is None or entry.valid_from <= joined_on:
            then = entry
    how = MembershipInstrument(instrument).label
    yield TimelineEvent(
        date=joined_on,
        precision=precision,
        kind="joined",
        acronym=current,
        text=_("%(acronym)s joins (%(how)s)")
        % {"acronym": then.acronym if then else current, "how": how},
        uncertain="joined_on" in uncertain,
        source=source,
    )
    if left_on:
        yield TimelineEvent(
            date=left_on,
            precision=DatePrecision.DAY,
            kind="left",
            acronym=current,
            text=_("%(acronym)s leaves") % {"acronym": current},
            uncertain="left_on" in uncertain,
            source=source,
        )
    previous = then
    for entry in names:
        if entry.valid_from and entry.valid_from > joined_on:
            yield TimelineEvent(
                date=entry.valid_from,
                precision=DatePrecision.DAY,
                kind="renamed",
                acronym=current,
                text=_("%(old)s becomes %(new)s (%(name)s)")
                % {
                    "old": previous.acronym if previous else current,
                    "new": entry.acronym,
                    "name": entry.name,
                },
                uncertain="valid_from" in entry.uncertain_fields,
                source=entry.source,
            )
            previous = entry


def membership_timeline(framework: Framework, latest: int | None = None) -> list[TimelineEvent]:
    """Joinings, departures and renamings of the framework's members, oldest first
    (ordered by date, then text); with ``latest``, only the most recent ones."""
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        if latest:
            bound = [framework.pk, latest] * 3 + [latest - 1]
            cursor.execute(_timeline_statement(bounded=True), [*bound, framework.pk])
        else:
            cursor.execute(_timeline_statement(bounded=False), [framework.pk])
        rows = cursor.fetchall()
    # Rows come by membership, each membership's names in the order they were taken.
    memberships: dict[int, tuple[tuple, list[_Name]]] = {}
    for membership_id, *membership, acronym, name, valid_from, uncertain, source in rows:
        if membership_id not in memberships:
            *facts, membership_uncertain, membership_source = membership
            read = (*facts, listed_fields(membership_uncertain), membership_source)
            memberships[membership_id] = (read, [])
        names = memberships[membership_id][1]
        if acronym is not None:
            names.append(_Name(acronym, name, valid_from, listed_fields(uncertain), source))
    events = [
        event
        for membership, names in memberships.values()
        for event in _events(*membership, names=names)
    ]
    events.sort(key=lambda e: (e.date, e.text))
    return events[-latest:] if latest else events
