"""Template helpers for meetings: a partner under the name it bore on the meeting date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

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
