"""Who is told about a record, and which records a reader may read (asked again at send
time, through the record's own ``visible_to``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet

from accord.access.models import Role, RoleKind
from accord.access.selectors import access_for
from accord.commitments.models import CycleEntry, Initiative
from accord.meetings.models import Meeting, Minutes, MinutesStatus
from accord.meetings.participation import Invitation

#: Who follows a partner's records: its focal points and contributors.
FOLLOWERS = (RoleKind.FOCAL_POINT, RoleKind.CONTRIBUTOR)


def _active_users() -> QuerySet:
    return get_user_model()._default_manager.filter(is_active=True)


def users_of_partners(partner_ids: Iterable[int], kinds: Iterable[str] = FOLLOWERS) -> set[int]:
    """Active users holding one of ``kinds`` with one of the partners."""
    return set(
        Role.objects.filter(
            organisation_id__in=list(partner_ids), kind__in=list(kinds), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def users_with_roles(kinds: Iterable[str] | None = None) -> set[int]:
    """Active users holding any role (of ``kinds``, if given)."""
    roles = Role.objects.filter(user__is_active=True)
    if kinds is not None:
        roles = roles.filter(kind__in=list(kinds))
    return set(roles.values_list("user_id", flat=True))


def users_by_email(addresses: Iterable[str]) -> set[int]:
    wanted = [a.strip() for a in addresses if a and a.strip()]
    if not wanted:
        return set()
    query = Q()
    for address in wanted:
        query |= Q(email__iexact=address)
    return set(_active_users().filter(query).values_list("pk", flat=True))


def label_of(model: type[Model]) -> str:
    return model._meta.label_lower


def visible_queryset(user: Any, target_type: str) -> QuerySet:
    """The records of ``target_type`` (``"meetings.actionpoint"``) that ``user`` may read."""
    model = apps.get_model(target_type)
    manager: Any = model._default_manager
    access = access_for(user)
    if model is Minutes:
        minutes = Minutes.objects.filter(meeting__in=Meeting.objects.visible_to(user))
        if access.sees_everything:
            return Minutes.objects.all()
        statuses = [MinutesStatus.APPROVED]
        if access.is_member:
            statuses.append(MinutesStatus.CIRCULATED)
        return minutes.filter(status__in=statuses)
    if model is CycleEntry:
        return CycleEntry.objects.filter(initiative__in=Initiative.objects.visible_to(user))
    if model is Invitation:
        invitations = Invitation.objects.filter(meeting__in=Meeting.objects.visible_to(user))
        if access.sees_everything:
            return invitations
        email = getattr(user, "email", "") or ""
        return invitations.filter(email__iexact=email) if email else invitations.none()
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    # A record without a classification of its own (a reporting cycle) is the members'.
    return manager.all() if access.is_member else manager.none()


def visible_ids(user: Any, target_type: str, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` the user may read, in one query."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    try:
        queryset = visible_queryset(user, target_type)
    except LookupError:  # the record's app is gone: nothing to tell about it
        return set()
    return set(queryset.filter(pk__in=wanted).values_list("pk", flat=True))
