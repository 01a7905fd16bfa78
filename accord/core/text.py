"""Text that every spreadsheet and XML document can hold.

XML 1.0, and so XLSX, DOCX and IATI XML, cannot hold the C0 control characters other than
tab, line feed and carriage return: one of them in a stored text made every export of
its list fail. They carry no meaning a person typed on purpose, so they are removed from
text on its way in (:func:`strip_control_characters`, applied by
``core.services.full_clean_or_invalid`` to every text field a service saves) and from
every cell on its way out (``core.spreadsheets.neutralise``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


# A control character as JSON writes it (``\\u0001``, ``\\b``, ``\\f``); an escaped
# backslash before a ``u`` or ``b`` may match too, and then the slow path decides.
ESCAPED_CONTROL_CHARACTERS = re.compile(r"\\(u00(0[0-8bB]|0[cC]|0[eEfF]|1[0-9a-fA-F])|[bf])")


def strip_control_characters(value: Any) -> Any:
    """``value`` without control characters: text, and the text inside lists and dicts."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list | dict):
        # A whole structure dumped in one call (in C) says at once whether any of its
        # texts holds one; most hold none and are returned as they are.
        try:
            dumped = json.dumps(value)
        except (TypeError, ValueError):
            return _strip_nested(value)
        if not ESCAPED_CONTROL_CHARACTERS.search(dumped):
            return value
        return _strip_nested(value)
    return value


def _strip_nested(value: Any) -> Any:
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [_strip_nested(item) for item in value]
    if isinstance(value, dict):
        return {_strip_nested(key): _strip_nested(item) for key, item in value.items()}
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
