"""Values of a notification as the reader reads them, in the active language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats


def display_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its ISO dates (``due``) written the reader's way."""
    shown = dict(data)
    due = data.get("due")
    if due:
        try:
            shown["due"] = formats.date_format(dt.date.fromisoformat(str(due)), "DATE_FORMAT")
        except ValueError:
            shown["due"] = str(due)
    return shown
