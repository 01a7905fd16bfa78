"""Who is told about a record, and which records a reader may read (asked again at send
time, through the record's own ``visible_to``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accord.access.models import Role, RoleKind
from accord.access.selectors import Access, access_for
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


def users_by_each_email(addresses: Iterable[str]) -> dict[str, set[int]]:
    """The active users of each address (keyed by the address in lower case), in one query
    for all: what ``users_by_email`` answers for one address at a time."""
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    found: dict[str, set[int]] = {address: set() for address in wanted}
    if not wanted:
        return found
    query = Q()
    for address in wanted:
        query |= Q(email__iexact=address)
    for pk, email in _active_users().filter(query).values_list("pk", "email"):
        if email.lower() in found:
            found[email.lower()].add(pk)
    return found


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
    if "meeting" in {f.name for f in model._meta.get_fields()}:
        # A record of a meeting without a classification of its own (a call for
        # contributions) is read by who reads its meeting, if a member.
        records = manager.filter(meeting__in=Meeting.objects.visible_to(user))
        return records if access.is_member else records.none()
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


def prime_access(users: Iterable[Any]) -> None:
    """Load the roles of many users in one query (what ``access_for`` asks one by one)."""
    pending = {u.pk: u for u in users if getattr(u, "_accord_access", None) is None}
    if not pending:
        return
    roles: dict[int, dict[int, set[str]]] = {pk: {} for pk in pending}
    for user_id, organisation_id, kind in Role.objects.filter(
        user_id__in=list(pending)
    ).values_list("user_id", "organisation_id", "kind"):
        roles[user_id].setdefault(organisation_id, set()).add(kind)
    for pk, user in pending.items():
        user._accord_access = Access(
            user_id=pk,
            is_superuser=bool(getattr(user, "is_superuser", False)),
            roles={org: frozenset(kinds) for org, kinds in roles[pk].items()},
        )


def readable_by_many(wanted: dict[Any, dict[str, set[int]]]) -> dict[int, dict[str, set[int]]]:
    """For each user (key) and kind of record, which of the wanted ids they may read.
    Readers who read alike (the same partners and rank) are asked as one: one query a
    kind of record and a group, whatever the number of readers."""
    prime_access(wanted)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for user in wanted:
        access = access_for(user)
        scope = (access.sees_everything, access.is_member, access.partner_ids)
        groups.setdefault(scope, []).append(user)
    answer: dict[int, dict[str, set[int]]] = {user.pk: {} for user in wanted}
    for members in groups.values():
        types: dict[str, set[int]] = {}
        for user in members:
            for target_type, ids in wanted[user].items():
                if target_type == "meetings.invitation":  # read by the invitee's address
                    answer[user.pk][target_type] = visible_ids(user, target_type, ids)
                else:
                    types.setdefault(target_type, set()).update(ids)
        for target_type, ids in types.items():
            seen = visible_ids(members[0], target_type, ids)
            for user in members:
                if target_type in wanted[user]:
                    answer[user.pk][target_type] = seen & wanted[user][target_type]
    return answer
