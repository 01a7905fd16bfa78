"""``{% can "meetings.can_manage_meetings" as allowed %}``: templates ask the same named
predicates as the services, to decide which buttons show.

The name is ``<app>.<predicate>`` in ``accord.<app>.permissions``; further arguments
(the record) follow the reader: ``{% can "meetings.can_follow_up" ap as allowed %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.module_loading import import_string

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, predicate: str, *records: Any) -> bool:
    app, _dot, name = predicate.partition(".")
    if not name.startswith("can_"):
        raise template.TemplateSyntaxError(f"{predicate!r} names no permission predicate.")
    allowed = import_string(f"accord.{app}.permissions.{name}")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    return bool(allowed(user, *records))
