"""Who the members of a framework were on any date, answered from its history in memory.

The members API and the home page ask for the members on a date: the memberships whose
spell covers the date, each under the name its organisation bore then. A framework's
whole history is small (5,000 joinings and departures among 100 partners at the
benchmark's large scale) and rarely written, while the members are asked for at every
request. Each process keeps the history, read in two statements, with the state of the
partner tables it was read in (:mod:`accord.core.data_state`, kept by triggers, so every
write path counts), and answers any date from it by bisection while no write to those
tables has been committed since. A date's answer costs a fraction of the statement that
reads it (``members_on_api`` in ``accord bench``).

The history is kept only when read outside a transaction (one that may still roll back,
or whose writes others do not see yet); inside one it is read for the call alone. On
PostgreSQL the log of writes that tells whether a state holds keeps what a state taken
in a process needs for :data:`accord.core.data_state.KEPT_IN_MEMORY_S` (60 s) at least
(:func:`accord.core.data_state.forget_changes`), so a history is kept there no longer
than that; SQLite's counters forget nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from django.db import connections

from accord.core import data_state
from accord.core.dates import format_partial_date
from accord.core.models import listed_fields
from accord.partners.models import Framework, Membership, Organisation, OrganisationName

#: The tables the history is read from; a write to any of them changes their state.
TABLES = tuple(
    model._meta.db_table for model in (Framework, Membership, Organisation, OrganisationName)
)
#: SQLite: how long a history is kept at most (its state alone would keep it for ever).
KEPT_S = 3600.0
#: Frameworks whose histories one process keeps at most (per database).
FRAMEWORKS_KEPT = 64
#: Dates whose answer one history keeps (today's members, asked on every home page).
DATES_KEPT = 256
_LATEST = dt.date.max


class Member(NamedTuple):
    """A partner as it stood in a framework on a date: with the name it bore then.

    A named tuple: a hundred of them are made for every list of members, at a fraction
    of a frozen dataclass's cost."""

    organisation_id: int
    acronym: str
    name: str
    current_acronym: str
    kind: str
    joined_on: dt.date
    joined_precision: str
    instrument: str
    left_on: dt.date | None
    uncertain_fields: list[str]

    @property
    def slug(self) -> str:
        return self.current_acronym.lower().replace(" ", "-")

    @property
    def joined_display(self) -> str:
        return format_partial_date(self.joined_on, self.joined_precision)


@dataclass(slots=True)
class PartnerHistory:
    """A partner's spells in the framework, sorted by their start, and its names.

    Each spell is kept as the member it makes, under the name with no start date (or
    the organisation's own): for a partner never renamed, that is the answer itself."""

    organisation_id: int
    acronym: str
    name: str
    kind: str
    spells: list[Member] = field(default_factory=list)
    #: The start of each spell, and the latest end of it and the spells before it.
    starts: list[dt.date] = field(default_factory=list)
    reach: list[dt.date] = field(default_factory=list)
    #: Names with a start (sorted by it, then by their id).
    name_starts: list[dt.date] = field(default_factory=list)
    dated_names: list[tuple[str, str]] = field(default_factory=list)

    def members_on(self, on: dt.date) -> list[Member]:
        """The members this partner makes on ``on``: one for each spell covering it (one,
        unless spells overlap), under the name borne on that date (the latest started by
        then, else the one with no start, else the organisation's own)."""
        found = []
        index = bisect_right(self.starts, on) - 1
        while index >= 0 and self.reach[index] > on:
            member = self.spells[index]
            if member.left_on is None or member.left_on > on:
                found.append(member)
            index -= 1
        if found and self.name_starts:
            named = bisect_right(self.name_starts, on)
            if named:
                acronym, name = self.dated_names[named - 1]
                acronym, name = acronym or self.acronym, name or self.name
                found = [member._replace(acronym=acronym, name=name) for member in found]
        found.reverse()
        return found


class History:
    """A framework's memberships and its partners' names, as read in one state."""

    def __init__(self, partners: list[PartnerHistory]):
        self.partners = partners
        self._answers: dict[dt.date, list[Member]] = {}

    def members_on(self, on: dt.date) -> list[Member]:
        answer = self._answers.get(on)
        if answer is None:
            answer = []
            for partner in self.partners:
                if partner.starts[0] <= on:
                    answer.extend(partner.members_on(on))
            answer.sort(key=_by_acronym)
            if len(self._answers) >= DATES_KEPT:
                self._answers.pop(next(iter(self._answers)))
            self._answers[on] = answer
        return list(answer)


_by_acronym = itemgetter(1)


def _statements() -> tuple[str, str]:
    membership, organisation, name, framework = TABLES[1], TABLES[2], TABLES[3], TABLES[0]
    # The table names come from the models; the framework's code is a parameter.
    spells = f"""
        SELECT m.organisation_id, o.acronym, o.name, o.kind, m.joined_on, m.joined_precision,
               m.instrument, m.left_on, m.uncertain_fields
        FROM {membership} m
        JOIN {framework} f ON f.id = m.framework_id
        JOIN {organisation} o ON o.id = m.organisation_id
        WHERE f.code = %s
        ORDER BY m.organisation_id, m.joined_on, m.id
    """  # noqa: S608
    names = f"""
        SELECT n.organisation_id, n.acronym, n.name, n.valid_from
        FROM {name} n
        WHERE n.organisation_id IN (
            SELECT m.organisation_id FROM {membership} m
            JOIN {framework} f ON f.id = m.framework_id WHERE f.code = %s
        )
        ORDER BY n.organisation_id, n.valid_from, n.id
    """  # noqa: S608
    return spells, names


def read_history(code: str, using: str) -> History:
    """The history of the framework ``code`` as the connection ``using`` reads it now."""
    spells_sql, names_sql = _statements()
    with connections[using].cursor() as cursor:
        cursor.execute(spells_sql, [code])
        spells = cursor.fetchall()
        cursor.execute(names_sql, [code])
        names = cursor.fetchall()
    partners: dict[int, PartnerHistory] = {}
    for organisation_id, acronym, name, kind, *_rest in spells:
        if organisation_id not in partners:
            partners[organisation_id] = PartnerHistory(organisation_id, acronym, name, kind)
    undated: dict[int, tuple[str, str]] = {}
    for organisation_id, acronym, name, valid_from in names:
        if valid_from is None:
            undated[organisation_id] = (acronym, name)  # the last by id, as it should
        else:
            partners[organisation_id].name_starts.append(valid_from)
            partners[organisation_id].dated_names.append((acronym, name))
    for (
        organisation_id,
        acronym,
        name,
        kind,
        joined_on,
        precision,
        instrument,
        left_on,
        uncertain,
    ) in spells:
        partner = partners[organisation_id]
        acronym_then, name_then = undated.get(organisation_id, ("", ""))
        partner.spells.append(
            Member(
                organisation_id,
                acronym_then or acronym,
                name_then or name,
                acronym,
                kind,
                joined_on,
                precision,
                instrument,
                left_on,
                listed_fields(uncertain),
            )
        )
        partner.starts.append(joined_on)
        latest = left_on or _LATEST
        partner.reach.append(max(latest, partner.reach[-1]) if partner.reach else latest)
    return History(list(partners.values()))


def _lifetime_s(using: str) -> float:
    if connections[using].vendor == "postgresql":
        return data_state.KEPT_IN_MEMORY_S
    return KEPT_S


#: (database alias, its name, framework code) -> (state read in, when, history)
_kept: dict[tuple[str, str, str], tuple[str, float, History]] = {}


def history_of(code: str, using: str) -> History:
    """The framework's history: the one kept while its state holds, else read now."""
    target = connections[using]
    # The database's name too: a process that moves to another database (the bench, a
    # test database) must not take a history read in one for the other's.
    key = (using, str(target.settings_dict["NAME"]), code)
    kept = _kept.get(key)
    lifetime = _lifetime_s(using)
    if (
        kept is not None
        and time.monotonic() - kept[1] < lifetime
        and data_state.holds(kept[0], TABLES, using=using)
    ):
        return kept[2]
    if target.in_atomic_block or lifetime <= 0:
        return read_history(code, using)
    state = data_state.state(TABLES, using=using)  # taken before the reads
    taken_at = time.monotonic()
    history = read_history(code, using)
    if len(_kept) >= FRAMEWORKS_KEPT and key not in _kept:
        _kept.pop(next(iter(_kept)))
    _kept[key] = (state, taken_at, history)
    return history


def forget() -> None:
    """Drop every kept history (tests that recreate their database)."""
    _kept.clear()
