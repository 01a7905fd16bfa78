"""The minutes section of the meeting page: what it shows a reader and its blank forms."""

from __future__ import annotations

from typing import Any

from accord.meetings import minutes_selectors
from accord.meetings.minutes_forms import (
    ApproveForm,
    CirculateForm,
    CommentForm,
    CorrectionForm,
    MinutesForm,
)
from accord.meetings.models import Meeting


def minutes_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    """The minutes section's part of the meeting page's context, with blank forms."""
    panel = minutes_selectors.minutes_panel(user=user, meeting=meeting)
    minutes = panel.minutes
    return {
        "panel": panel,
        "minutes_form": MinutesForm(
            initial={"body": minutes.body, "version": minutes.version} if minutes else None,
            auto_id="minutes_%s",
        ),
        "circulate_form": CirculateForm(auto_id="circulate_%s"),
        "approve_form": ApproveForm(proposals=panel.proposals, auto_id="approve_%s"),
        "correction_form": CorrectionForm(
            initial={"body": minutes.body, "version": minutes.version} if minutes else None,
            auto_id="correction_%s",
        ),
        "comment_form": CommentForm(paragraphs=panel.paragraphs, auto_id="comment_%s"),
    }
