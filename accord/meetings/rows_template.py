"""Rows of action points as HTML: the register, my actions, a meeting's action points
and follow-up, and the answer to recording progress all show the same rows.

They are written by one Jinja2 template (``meetings/action_point_rows.jinja``; see
``accord.core.jinja`` for why), from the plain rows of ``action_point_rows`` and what the
reader may do with each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accord.meetings.models import STILL_OPEN, ActionPointStatus
from accord.meetings.permissions import can_follow_up

TEMPLATE = "meetings/action_point_rows.jinja"
#: Labels in the reader's language (lazy: translated when the row is written).
STATUS_LABELS = dict(ActionPointStatus.choices)


def action_point_rows_html(
    action_points: Sequence[Mapping[str, Any]],
    *,
    user: Any,
    today: dt.date,
    csrf_token: str = "",
    progress_error: str = "",
    progress_text: str = "",
    progress_status: str = "",
) -> SafeString:
    """One ``<tr>`` per row (a single row saying so when there are none); the progress
    form in the rows ``user`` may follow up, with the refusal and the input of a progress
    not recorded (``progress_*``) when there is one."""
    signed_in = user is not None and user.is_authenticated
    context = {
        "action_points": action_points,
        "today": today,
        "open_statuses": STILL_OPEN,
        "status_labels": STATUS_LABELS,
        "status_choices": ActionPointStatus.choices,
        "can_follow_up": lambda row: signed_in and can_follow_up(user, row),
        "csrf_token": csrf_token,
        "progress_error": progress_error,
        "progress_text": progress_text,
        "progress_status": progress_status,
        "sample_badge": (
            render_to_string("core/sample_badge.html", {"is_sample": True})
            if any(row["sample"] for row in action_points)
            else ""
        ),
    }
    html = engines["jinja2"].get_template(TEMPLATE).render(context)
    return mark_safe(html)  # noqa: S308 - written by an autoescaping template
