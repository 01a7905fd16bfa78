"""Reads of the audit log and of the people who use Accord."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from accord.access.models import ApiToken, AuditEvent, Role, RoleKind
from accord.access.permissions import Actor, require
from accord.access.selectors import access_for
from accord.access.user_permissions import can_designate_contributors, can_read_audit_log
from accord.core.errors import Invalid


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""
    verb: str = ""
    record: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> AuditFilters:
        def day(name: str) -> dt.date | None:
            text = (query.get(name) or "").strip()
            if not text:
                return None
            try:
                return dt.date.fromisoformat(text)
            except ValueError as error:
                raise Invalid(f"{name}: a date is written YYYY-MM-DD.") from error

        return cls(
            who=(query.get("who") or "").strip(),
            verb=(query.get("verb") or "").strip(),
            record=(query.get("record") or "").strip(),
            since=day("since"),
            until=day("until"),
        )


def audit_events(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The audit log, newest first, for the secretariat, narrowed by ``filters``."""
    require(can_read_audit_log(actor), "Only the secretariat reads the audit log.")
    events = AuditEvent.objects.all()
    if filters.who:
        events = events.filter(actor_name__iexact=filters.who)
    if filters.verb:
        events = events.filter(verb__startswith=filters.verb)
    if filters.record:
        events = events.filter(
            Q(target_label__icontains=filters.record)
            | Q(target_type=filters.record)
            | Q(target_id=filters.record)
        )
    if filters.since:
        events = events.filter(at__date__gte=filters.since)
    if filters.until:
        events = events.filter(at__date__lte=filters.until)
    return events.order_by("-at", "-id")


def audit_verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("verb").values_list("verb", flat=True).distinct())


def tokens_of(user: Actor) -> QuerySet[ApiToken]:
    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def people_for(actor: Actor) -> QuerySet:
    """The users ``actor`` manages: all for the secretariat; for a focal point, the users
    holding a role with its partners."""
    require(
        can_designate_contributors(actor), "Only the secretariat and focal points manage people."
    )
    users = get_user_model()._default_manager.all()
    access = access_for(actor)
    if not access.is_secretariat:
        partners = access.partners_with_role(RoleKind.FOCAL_POINT)
        users = users.filter(accord_roles__organisation_id__in=partners).distinct()
    roles = Role.objects.select_related("organisation").order_by("organisation__acronym", "kind")
    return users.prefetch_related(Prefetch("accord_roles", queryset=roles)).order_by("username")
