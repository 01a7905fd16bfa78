"""Writes about access: roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accord.access.models import ApiToken, Role
from accord.access.selectors import forget_access
from accord.core.errors import NotFound
from accord.core.services import full_clean_or_invalid

TOKEN_PREFIX = "acc_"  # noqa: S105 - a marker that tells a token apart, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for ``user``; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.pk, name=name, prefix=plain[:12], digest=token_digest(plain))
    full_clean_or_invalid(token)
    token.save()
    return token, plain


def token_authenticate(plain: str) -> ApiToken | None:
    """The live token with this value, marked as used now; None if unknown or revoked."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        # One write a minute at most keeps reads from turning into writes.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


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
def role_grant(*, user: AbstractBaseUser, organisation_id: int, kind: str) -> Role:
    role, _created = Role.objects.get_or_create(
        user_id=user.pk, organisation_id=organisation_id, kind=kind
    )
    forget_access(user)
    return role


@transaction.atomic
def role_revoke(*, user: AbstractBaseUser, organisation_id: int, kind: str) -> None:
    Role.objects.filter(user_id=user.pk, organisation_id=organisation_id, kind=kind).delete()
    forget_access(user)
