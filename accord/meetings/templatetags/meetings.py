"""Template helpers for meetings: a partner under the name it bore on the meeting date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import timezone

from accord.meetings.models import ActionPointStatus
from accord.partners.models import Organisation

register = template.Library()


@register.filter
def acronym_on(organisation: Organisation | None, on: dt.date) -> str:
    """``{{ participant.organisation|acronym_on:meeting.named_on }}``: DG DEVCO in 2016, DG
    INTPA in 2022 (reads the prefetched names)."""
    if organisation is None:
        return ""
    return organisation.acronym_on(on)


@register.simple_tag(takes_context=True)
def can_follow_up(context: template.Context, action_point: Mapping[str, Any]) -> bool:
    """Whether the reader may record progress on ``action_point``, a plain row (no query:
    reads the reader's cached access and the row's owner ids)."""
    from accord.meetings.permissions import can_follow_up as allowed

    user = context.get("user")
    return bool(user is not None and user.is_authenticated and allowed(user, action_point))


STATUS_LABELS = dict(ActionPointStatus.choices)


@register.filter
def status_label(status: str | None) -> str:
    """``{{ row.status|status_label }}``: an action point's status in the reader's
    language, read from the choices (a plain row has no ``get_status_display``)."""
    return str(STATUS_LABELS.get(status or "", status or ""))


@register.simple_tag
def action_point_statuses() -> list[tuple[str, Any]]:
    """The statuses to choose from in the progress form."""
    return ActionPointStatus.choices


@register.simple_tag(takes_context=True)
def action_point_rows(context: template.Context) -> str:
    """``{% action_point_rows %}``: the context's ``action_points`` (plain rows) as table
    rows, through the one rows template (``meetings.rows_template``)."""
    from accord.meetings.rows_template import action_point_rows_html

    token = context.get("csrf_token")
    return action_point_rows_html(
        context.get("action_points") or [],
        user=context.get("user"),
        today=context.get("today") or timezone.localdate(),
        csrf_token=str(token) if token and str(token) != "NOTPROVIDED" else "",
        progress_error=context.get("progress_error") or "",
        progress_text=context.get("progress_text") or "",
        progress_status=context.get("progress_status") or "",
    )


@register.simple_tag
def answer_count(invitations: list[Any], answer: str) -> int:
    """How many of ``invitations`` answered ``answer`` (no query: a list in hand)."""
    return sum(1 for invitation in invitations if invitation.answer == answer)
