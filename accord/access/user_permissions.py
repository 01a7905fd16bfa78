"""Who may manage users, roles, tokens and the audit log: named predicates.

Services enforce them through ``accord.access.permissions.require``; pages, templates
and API routes ask the same ones to decide what to offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.models import RoleKind
from accord.access.permissions import Actor
from accord.access.selectors import access_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from accord.partners.models import Organisation


def is_secretariat(actor: Actor) -> bool:
    return actor is not None and access_for(actor).is_secretariat


def can_manage_roles(actor: Actor, organisation: Organisation, kind: str) -> bool:
    """The secretariat gives and takes any role; a partner's focal point, its contributors."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if is_secretariat(actor):
        return True
    return kind == RoleKind.CONTRIBUTOR and access_for(actor).has_role(
        organisation.pk, RoleKind.FOCAL_POINT
    )


def can_designate_contributors(actor: Actor) -> bool:
    """Whether to offer the page of people at all: the secretariat or any focal point."""
    if actor is None or not actor.is_authenticated:
        return False
    return is_secretariat(actor) or bool(access_for(actor).partners_with_role(RoleKind.FOCAL_POINT))


def can_invite_users(actor: Actor) -> bool:
    return is_secretariat(actor)


def can_deactivate_user(actor: Actor, user: AbstractBaseUser) -> bool:
    """The secretariat deactivates anyone but itself (someone must remain to invite)."""
    return is_secretariat(actor) and actor is not None and actor.pk != user.pk


def can_manage_tokens_of(actor: Actor, user: AbstractBaseUser) -> bool:
    """A user manages their own tokens; the secretariat anyone's."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.pk == user.pk or is_secretariat(actor)


def can_read_audit_log(actor: Actor) -> bool:
    return is_secretariat(actor)
