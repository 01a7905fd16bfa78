"""Writes about access: roles and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accord.access.audit import audit_record
from accord.access.models import ApiToken, Role
from accord.access.permissions import Actor, require
from accord.access.selectors import forget_access
from accord.access.tokens import token_lookup
from accord.core.errors import Invalid, NotFound
from accord.core.services import full_clean_or_invalid

TOKEN_PREFIX = "acc_"  # noqa: S105 - a marker that tells a token apart, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: Ten years: the longest lifetime a token may be given.
MAX_TOKEN_DAYS = 3650


@transaction.atomic
def token_create(
    *,
    user: AbstractBaseUser,
    name: str = "",
    expires_days: int | None = None,
    actor: Actor = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; the plain token is returned once and never stored.

    It lives ``expires_days`` days (``ACCORD_TOKEN_DAYS`` when not given; 0 for ever).
    """
    days = settings.ACCORD_TOKEN_DAYS if expires_days is None else expires_days
    if not 0 <= days <= MAX_TOKEN_DAYS:
        raise Invalid(
            f"expires_days: a token's lifetime is 1 to {MAX_TOKEN_DAYS} days, or 0 for no end."
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.pk,
        name=name,
        prefix=plain[:12],
        digest=token_digest(plain),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    full_clean_or_invalid(token)
    token.save()
    audit_record(
        actor=actor if actor is not None else None,
        verb="token.created",
        target=user,
        data={"prefix": token.prefix, "name": name, "expires_at": _iso(token.expires_at)},
    )
    return token, plain


def _iso(moment: object) -> str | None:
    return moment.isoformat() if moment is not None else None  # type: ignore[attr-defined]


def token_authenticate(plain: str) -> ApiToken | None:
    """The live token with this value, marked as used now; None if unknown, revoked or expired."""
    now = timezone.now()
    token = token_lookup(token_digest(plain), now=now, since=None).token
    if token is not None:
        token_mark_used(token, now=now)
    return token


def token_mark_used(token: ApiToken, *, now: dt.datetime) -> None:
    """Note that ``token`` was used ``now``: one write a minute at most keeps reads from
    turning into writes."""
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor = None) -> None:
    """Revoke one token; ``actor`` (None for the operator) must be its owner or the secretariat."""
    from accord.access.user_permissions import can_manage_tokens_of

    require(
        actor is None or can_manage_tokens_of(actor, token.user),
        "You may revoke only your own tokens.",
    )
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, verb="token.revoked", target=token.user, data={"prefix": token.prefix}
    )


def tokens_revoke(*, user: AbstractBaseUser, prefix: str = "", actor: Actor = None) -> int:
    """Revoke the live tokens of ``user`` whose prefix starts with ``prefix`` (all if empty)."""
    tokens = list(
        ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True, prefix__startswith=prefix)
    )
    if prefix and not tokens:
        raise NotFound(f"{user.get_username()} has no live token starting {prefix!r}.")
    for token in tokens:
        token_revoke(token=token, actor=actor)
    return len(tokens)


def _organisations() -> Any:
    # Partners sit above access in the layers: the model is looked up, not imported.
    return apps.get_model("partners", "Organisation")._default_manager.all()


def user_get_by_username(username: str) -> AbstractBaseUser:
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist as error:
        raise NotFound(f"No user named {username!r}.") from error


def command_actor(username: str | None) -> AbstractBaseUser | None:
    """Who a command acts as: the user named by ``--as``, or None (the operator, who reads
    as the public does and writes with full rights) when no name is given."""
    if not username:
        return None
    return user_get_by_username(username)


@transaction.atomic
def role_grant(
    *, user: AbstractBaseUser, organisation_id: int, kind: str, actor: Actor = None
) -> Role:
    """Give ``user`` a role with a partner. ``actor`` None is the operator (CLI, demo)."""
    from accord.access.user_permissions import can_manage_roles

    organisation = _organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such partner.")
    require(
        actor is None or can_manage_roles(actor, organisation, kind),
        "You may not give this role for this partner.",
    )
    role, created = Role.objects.get_or_create(
        user_id=user.pk, organisation_id=organisation_id, kind=kind
    )
    if created:
        audit_record(
            actor=actor,
            verb="role.given",
            target=user,
            data={"partner": organisation.acronym, "role": kind},
        )
    forget_access(user)
    return role


@transaction.atomic
def role_revoke(
    *, user: AbstractBaseUser, organisation_id: int, kind: str, actor: Actor = None
) -> None:
    """Take a role away from ``user``; the same rule as :func:`role_grant`."""
    from accord.access.user_permissions import can_manage_roles

    organisation = _organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such partner.")
    require(
        actor is None or can_manage_roles(actor, organisation, kind),
        "You may not take this role for this partner.",
    )
    deleted, _ = Role.objects.filter(
        user_id=user.pk, organisation_id=organisation_id, kind=kind
    ).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb="role.taken",
            target=user,
            data={"partner": organisation.acronym, "role": kind},
        )
    forget_access(user)
