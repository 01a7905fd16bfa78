"""Write permission: the acting user's type and the one way a service refuses.

Every app keeps its named predicates in its own ``permissions.py``
(``can_edit_initiative(actor, initiative)``, ...). A predicate looks at the EXISTING
record as well as the new values, answers a plain bool, and is asked alike by services
(which enforce it through :func:`require`), views and templates (which buttons show)
and API routes. Reads are decided elsewhere, by ``visible_to`` / ``get_visible``.

The actor ``None`` is the operator at the command line, who holds the database already:
predicates allow it every write (it reads, though, as the public does).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from accord.access.models import RoleKind
from accord.access.selectors import Access, access_for
from accord.core.readers import Actor

__all__ = [
    "Actor",
    "access_for",
    "is_operator",
    "is_secretariat",
    "may_act_for",
    "require",
]


def require(allowed: bool, message: str | Promise) -> None:
    """Refuse with ``message`` (HTTP 403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def is_operator(actor: Actor) -> bool:
    """The command line run without ``--as``: the operator's full rights."""
    return actor is None


def is_secretariat(actor: Actor) -> bool:
    """The secretariat (or a superuser), or the operator."""
    return actor is None or access_for(actor).is_secretariat


def may_act_for(actor: Actor, partner_id: int | None, *kinds: str) -> bool:
    """The operator, the secretariat, or a holder of one of ``kinds`` with the partner."""
    if is_secretariat(actor):
        return True
    return partner_id is not None and access_for(actor).has_role(partner_id, *kinds)


def focal_partners(actor: Actor) -> frozenset[int]:
    """The partners the actor is a focal point of."""
    access: Access = access_for(actor)
    return access.partners_with_role(RoleKind.FOCAL_POINT)
