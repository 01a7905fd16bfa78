"""Text that every spreadsheet and XML document can hold.

XML 1.0, and so XLSX, DOCX and IATI XML, cannot hold the C0 control characters other than
tab, line feed and carriage return: one of them in a stored text made every export of
its list fail. They carry no meaning a person typed on purpose, so they are removed from
text on its way in (:func:`strip_control_characters`, applied by
``core.services.full_clean_or_invalid`` to every text field a service saves) and from
every cell on its way out (``core.spreadsheets.neutralise``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_control_characters(value: Any) -> Any:
    """``value`` without control characters: text, and the text inside lists and dicts."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [strip_control_characters(item) for item in value]
    if isinstance(value, dict):
        return {
            strip_control_characters(key): strip_control_characters(item)
            for key, item in value.items()
        }
    return value


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def clean_text_fields(instance: models.Model) -> None:
    """Strips control characters from every text (and JSON) field of ``instance``."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, TEXT_FIELDS):
            value = getattr(instance, field.attname)
            cleaned = strip_control_characters(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
