"""Reads about partners, frameworks and memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import router
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from accord.core.errors import NotFound

# The members on a date are answered from the history kept in partners.members_kept.
from accord.partners.members_kept import Member as Member
from accord.partners.members_kept import history_of
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


def members_on(framework: Framework | str, on: dt.date) -> list[Member]:
    """Who the members of ``framework`` were on ``on``, each under its name of that date.

    ``framework`` is a Framework or its code; an unknown code raises :class:`NotFound`.
    """
    code = framework if isinstance(framework, str) else framework.code
    members = history_of(code, router.db_for_read(Membership)).members_on(on)
    if not members and isinstance(framework, str):
        framework_get(framework)  # tells an unknown framework from an empty one
    return members


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
