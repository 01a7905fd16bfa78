"""Write permission: the acting user's type and the one way a service refuses.

Every app keeps its named predicates in its own ``permissions.py``
(``can_edit_initiative(actor, initiative)``, ...). A predicate looks at the EXISTING
record as well as the new values, answers a plain bool, and is asked alike by services
(which enforce it through :func:`require`), views and templates (which buttons show)
and API routes. Reads are decided elsewhere, by ``visible_to`` / ``get_visible``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

#: Whoever acts: a signed-in user, an anonymous visitor, or None for the operator's CLI.
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | None"


def require(allowed: bool, message: str) -> None:
    """Refuse with ``message`` (HTTP 403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)
