"""The one pagination of the API's lists: ``limit`` and ``offset``, both bounded, and a
``cursor`` for deep pages.

ninja's ``LimitOffsetPagination`` takes any offset, and one past 2**63 overflows the
database's integers (a 500); this one refuses it with 422 like any malformed parameter.
Every list route uses ``@paginate(Page)`` (or a subclass).

Each page answers ``count`` and the links ``next`` and ``previous`` (None at either end).
``next`` carries a ``cursor``: the sort key of the page's last item, so the following page
is read from the index where that key stands (keyset paging) instead of skipping
``offset`` rows, and a deep page costs what the first one does. Keyset paging applies when
the list is sorted by the model's own non-null fields (the primary key breaks ties); any
other list's cursor carries its offset. A cursor is opaque to clients: they follow links.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from accord.core.errors import Invalid
from accord.core.params import MAX_OFFSET, PAGE_SIZE, Limit, Offset

CURSOR_MAX_LENGTH = 1000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: Limit = PAGE_SIZE
        offset: Offset = 0
        cursor: str | None = Field(
            None,
            max_length=CURSOR_MAX_LENGTH,
            description="Where the page starts, as given by a page's `next` link; "
            "`offset` is then ignored.",
        )

    class Output(Schema):
        items: list[Any]
        count: int
        next: str | None = Field(None, description="The following page, or null at the end.")
        previous: str | None = Field(None, description="The page before, or null at the start.")

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        limit = min(pagination.limit, self.max_limit)
        window = PageWindow(queryset, limit=limit, offset=pagination.offset)
        window.read(pagination.cursor)
        return window.answer(request, self._items_count(queryset))


# --- keyset ----------------------------------------------------------------------------


def _keyset_ordering(queryset: QuerySet) -> list[tuple[str, bool]] | None:
    """The list's sort as ``(field name, descending)`` on the model's own non-null
    concrete fields, the primary key last; None when keyset paging cannot follow it."""
    query = queryset.query
    if query.combinator or query.distinct_fields or query.extra_order_by:
        return None
    ordering = list(query.order_by or query.get_meta().ordering or [])
    meta = queryset.model._meta
    keys: list[tuple[str, bool]] = []
    for term in ordering:
        if not isinstance(term, str) or "__" in term or term.lstrip("-") == "?":
            return None
        descending = term.startswith("-")
        name = term.lstrip("-")
        if name in query.annotations:
            return None
        field = meta.pk if name == "pk" else meta.get_field(name)
        if not field.concrete or field.null:
            return None
        keys.append(("pk" if field.primary_key else field.attname, descending))
        if field.primary_key:
            return keys
    keys.append(("pk", keys[-1][1] if keys else False))
    return keys


def _after(keys: list[tuple[str, bool]], values: list[Any]) -> Q:
    """Rows sorted strictly after ``values`` in the order ``keys``."""
    condition = Q()
    for index in range(len(keys) - 1, -1, -1):
        name, descending = keys[index]
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[index]})
        equal = Q(**{name: values[index]})
        condition = step if index == len(keys) - 1 else step | (equal & condition)
    return condition


def _value_of(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name, item.get("id") if name == "pk" else None)
    if isinstance(item, Model) and name == "pk":
        return item.pk
    return getattr(item, name, None)


def _encode(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, default=str, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    refused = Invalid("cursor: not a cursor this list gave.", details={"cursor": [cursor[:80]]})
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise refused from None
    if not isinstance(payload, dict):
        raise refused
    offset = payload.get("o")
    keys = payload.get("k")
    if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise refused
    if keys is not None and not (isinstance(keys, list) and len(keys) <= 8):
        raise refused
    return payload


class PageWindow:
    """One page of a list: by offset, or after a cursor's key."""

    def __init__(self, source: Any, *, limit: int, offset: int) -> None:
        self.source = source
        self.limit = limit
        self.offset = offset
        queryset = source if isinstance(source, QuerySet) else getattr(source, "queryset", None)
        self.queryset = queryset if isinstance(queryset, QuerySet) else None
        self.keys = _keyset_ordering(self.queryset) if self.queryset is not None else None
        self.items: list[Any] = []

    def _narrowed(self, condition: Q) -> Any:
        if isinstance(self.source, QuerySet):
            return self.source.filter(condition)
        return self.source.narrowed(condition)

    def _sorted_source(self) -> Any:
        if self.keys is None:
            return self.source
        order = [f"-{name}" if descending else name for name, descending in self.keys]
        if isinstance(self.source, QuerySet):
            return self.source.order_by(*order)
        return self.source.reordered(order) if hasattr(self.source, "reordered") else self.source

    def read(self, cursor: str | None) -> list[Any]:
        source = self._sorted_source()
        if cursor:
            payload = _decode(cursor)
            self.offset = payload["o"]
            values = payload.get("k")
            if values is not None and self.keys is not None and len(values) == len(self.keys):
                self.source = source
                try:
                    narrowed = self._narrowed(_after(self.keys, self._typed(values)))
                except (ValueError, TypeError) as error:
                    raise Invalid(
                        "cursor: not a cursor this list gave.", details={"cursor": [cursor[:80]]}
                    ) from error
                self.items = list(narrowed[: self.limit])
                return self.items
        self.items = list(source[self.offset : self.offset + self.limit])
        return self.items

    def _typed(self, values: list[Any]) -> list[Any]:
        if self.queryset is None or self.keys is None:
            raise ValueError("this list has no key")
        meta = self.queryset.model._meta
        typed = []
        for (name, _descending), value in zip(self.keys, values, strict=True):
            field = meta.pk if name == "pk" else meta.get_field(name)
            target = field.target_field if field.is_relation else field
            try:
                typed.append(target.to_python(value))
            except Exception as error:  # django's ValidationError, for a forged value
                raise ValueError(str(error)) from error
        return typed

    def _link(self, request: HttpRequest, **changes: Any) -> str:
        params = request.GET.copy()
        for name in ("offset", "cursor"):
            params.pop(name, None)
        for name, value in changes.items():
            params[name] = str(value)
        return f"{request.path}?{urlencode(sorted(params.items()))}"

    def answer(self, request: HttpRequest, count: int) -> dict[str, Any]:
        following = self.offset + len(self.items)
        next_link = None
        if len(self.items) == self.limit and following < count:
            payload: dict[str, Any] = {"o": following}
            if self.keys is not None and self.items:
                payload["k"] = [_value_of(self.items[-1], name) for name, _ in self.keys]
            next_link = self._link(request, cursor=_encode(payload))
        previous_link = None
        if self.offset > 0:
            previous_link = self._link(request, offset=max(0, self.offset - self.limit))
        return {"items": self.items, "count": count, "next": next_link, "previous": previous_link}
