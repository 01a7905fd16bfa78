"""Links to many records of one kind at the cost of one ``reverse``."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

# Digits, so that int path converters take it as well as str ones.
_MARKER = "9876543210123"


@lru_cache(maxsize=64)
def _template(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=[_MARKER], urlconf=urlconf)


def url_of(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[value])`` for many values at the cost of one reverse: the
    URL reversed once with a marker (per script prefix and URLconf), the marker replaced
    by each quoted value."""
    template = _template(name, get_script_prefix(), get_urlconf())
    return lambda value: template.replace(_MARKER, quote(str(value), safe=""))
