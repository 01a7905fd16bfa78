"""Reads about partners, frameworks and memberships."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.db import connections, router
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from accord.core.dates import format_partial_date
from accord.core.errors import NotFound
from accord.core.models import listed_fields
from accord.partners.models import (
    Framework,
    Membership,
    MembershipInstrument,
    Organisation,
    OrganisationName,
    Person,
)

# The membership timeline is read in a module of its own (partners.timeline).
from accord.partners.timeline import TimelineEvent as TimelineEvent
from accord.partners.timeline import membership_timeline as membership_timeline

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def organisation_list(*, kind: str | None = None, search: str | None = None) -> QuerySet:
    queryset = Organisation.objects.select_related("parent").prefetch_related("names")
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(
            Q(acronym__icontains=search)
            | Q(name__icontains=search)
            | Q(names__acronym__icontains=search)
            | Q(names__name__icontains=search)
        ).distinct()
    return queryset.order_by("acronym")


def _acronym_forms(key: str) -> set[str]:
    """``DG DEVCO``, ``dg-devco`` and ``dg_devco`` all name the same organisation."""
    key = key.strip()
    return {key, key.replace("-", " "), key.replace("_", " ")}


def organisation_get(key: str) -> Organisation:
    """The organisation known by this acronym, current or former (any case, ``-`` for space)."""
    forms = _acronym_forms(key)
    condition = Q()
    for form in forms:
        condition |= Q(acronym__iexact=form) | Q(names__acronym__iexact=form)
    organisation = (
        Organisation.objects.select_related("parent")
        .prefetch_related("names", "children")
        .filter(condition)
        .distinct()
        .first()
    )
    if organisation is None:
        raise NotFound(f"No partner is known by the acronym {key!r}.")
    return organisation


def framework_get(code: str) -> Framework:
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        raise NotFound(f"No framework has the code {code!r}.")
    return framework


def framework_default() -> Framework | None:
    from django.conf import settings

    return Framework.objects.filter(code=settings.ACCORD_FRAMEWORK).first()


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


def memberships_on(framework: Framework | str, on: dt.date) -> QuerySet:
    """Memberships current on ``on``, each annotated with the name its partner bore then.

    One query: the name of the date is a correlated subquery, not a prefetch.
    """
    framework_filter: dict[str, object] = (
        {"framework__code": framework} if isinstance(framework, str) else {"framework": framework}
    )
    name_then = OrganisationName.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), organisation=OuterRef("organisation")
    ).order_by(F("valid_from").desc(nulls_last=True))
    return (
        Membership.objects.filter(**framework_filter, joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .annotate(
            acronym_then=Subquery(name_then.values("acronym")[:1]),
            name_then=Subquery(name_then.values("name")[:1]),
        )
        .order_by()
    )


@functools.cache
def _members_statement() -> str:
    """The statement of :func:`members_on`, written once from the models' tables.

    The same rows as :func:`memberships_on` with the name of the date joined by its id
    (one correlated subquery where the queryset has two), read straight from the cursor:
    building and compiling the queryset and converting its values cost four times the
    statement itself, on the busiest API route and the home page. ``test_members_on``
    holds the two to the same answer."""
    membership, organisation, name, framework = (
        model._meta.db_table for model in (Membership, Organisation, OrganisationName, Framework)
    )
    # The table names come from the models; every value is a parameter.
    return f"""
        SELECT m.organisation_id, n.acronym, n.name, o.acronym, o.name, o.kind,
               m.joined_on, m.joined_precision, m.instrument, m.left_on, m.uncertain_fields
        FROM {membership} m
        JOIN {framework} f ON f.id = m.framework_id
        JOIN {organisation} o ON o.id = m.organisation_id
        LEFT JOIN {name} n ON n.id = (
            SELECT n2.id FROM {name} n2
            WHERE n2.organisation_id = m.organisation_id
              AND (n2.valid_from IS NULL OR n2.valid_from <= %s)
            ORDER BY n2.valid_from IS NULL, n2.valid_from DESC, n2.id DESC
            LIMIT 1
        )
        WHERE f.code = %s AND m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on > %s)
    """  # noqa: S608


def members_on(framework: Framework | str, on: dt.date) -> list[Member]:
    """Who the members of ``framework`` were on ``on``, each under its name of that date.

    ``framework`` is a Framework or its code; an unknown code raises :class:`NotFound`.
    """
    code = framework if isinstance(framework, str) else framework.code
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        cursor.execute(_members_statement(), [on, code, on, on])
        rows = cursor.fetchall()
    members = [
        Member(
            organisation_id=organisation_id,
            acronym=acronym_then or acronym,
            name=name_then or name,
            current_acronym=acronym,
            kind=kind,
            joined_on=joined_on,
            joined_precision=precision,
            instrument=instrument,
            left_on=left_on,
            uncertain_fields=listed_fields(uncertain),
        )
        for (
            organisation_id,
            acronym_then,
            name_then,
            acronym,
            name,
            kind,
            joined_on,
            precision,
            instrument,
            left_on,
            uncertain,
        ) in rows
    ]
    if not members and isinstance(framework, str):
        framework_get(framework)  # tells an unknown framework from an empty one
    return sorted(members, key=lambda m: m.acronym)


def people_visible(user: Actor) -> QuerySet:
    return (
        Person.objects.visible_to(user)
        .prefetch_related("roles__organisation")
        .order_by("full_name")
    )


def person_roles_visible(*, user: Actor, organisation: Organisation) -> QuerySet:
    """The positions held in ``organisation`` by people this reader may see."""
    from accord.partners.models import PersonRole

    return (
        PersonRole.objects.filter(
            organisation=organisation, person__in=Person.objects.visible_to(user)
        )
        .select_related("person")
        .order_by("-as_of", "person__full_name")
    )


def memberships_of(organisation_ids: Iterable[int]) -> QuerySet:
    """The memberships held by these organisations or by the organisations they belong to."""
    ids = list(organisation_ids)
    return (
        Membership.objects.filter(Q(organisation_id__in=ids) | Q(organisation__children__in=ids))
        .select_related("framework", "organisation")
        .distinct()
        .order_by("framework__name", "organisation__acronym")
    )


def memberships_begun_on(framework: Framework, on: dt.date) -> QuerySet:
    """The memberships of ``framework`` that began on ``on`` (any instrument)."""
    return (
        Membership.objects.filter(framework=framework, joined_on=on)
        .select_related("organisation__parent")
        .prefetch_related("organisation__names")
        .order_by("joined_on", "pk")
    )


def founding_memberships(framework: Framework) -> QuerySet:
    return (
        Membership.objects.filter(framework=framework, instrument=MembershipInstrument.FOUNDING)
        .select_related("organisation__parent")
        .prefetch_related("organisation__names")
        .order_by("joined_on", "pk")
    )


def positions_titled(
    *,
    user: Actor,
    title: str,
    on: dt.date,
    vouched_within: dt.timedelta,
) -> QuerySet:
    """The positions called ``title`` held on ``on`` by people this reader may see, vouched
    for at most ``vouched_within`` before that day (or never dated)."""
    from accord.partners.models import PersonRole

    return (
        PersonRole.objects.filter(title__iexact=title)
        .filter(person__in=Person.objects.visible_to(user))
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .filter(Q(as_of__isnull=True) | Q(as_of__range=(on - vouched_within, on)))
        .select_related("person", "organisation")
        .order_by("person__full_name")
    )
