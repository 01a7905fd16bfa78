"""The one pagination of the API's lists: ``limit`` and ``offset``, both bounded.

ninja's ``LimitOffsetPagination`` takes any offset, and one past 2**63 overflows the
database's integers (a 500); this one refuses it with 422 like any malformed parameter.
Every list route uses ``@paginate(Page)`` (or a subclass).
"""

from __future__ import annotations

from ninja import Schema
from ninja.pagination import LimitOffsetPagination

from accord.core.params import PAGE_SIZE, Limit, Offset


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: Limit = PAGE_SIZE
        offset: Offset = 0
