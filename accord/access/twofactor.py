"""Two-factor sign-in: a TOTP app plus single-use recovery codes (django-otp).

A user turns it on from their page: an unconfirmed TOTP device is made, the user's app
reads its key (QR code or text), and one right code confirms it and issues recovery
codes. With ``ACCORD_REQUIRE_MFA`` the secretariat and staff must have it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.access.audit import audit_record
from accord.access.permissions import Actor
from accord.access.selectors import access_for
from accord.core.errors import Invalid

RECOVERY_CODES = 10


def has_two_factor(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def two_factor_required(user: Actor) -> bool:
    """With ``ACCORD_REQUIRE_MFA``, the secretariat and staff sign in with a second factor."""
    if not settings.ACCORD_REQUIRE_MFA or user is None or not user.is_authenticated:
        return False
    return bool(getattr(user, "is_staff", False)) or access_for(user).is_secretariat


def totp_pending(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device being set up, made if there is none."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name="authenticator", confirmed=False)
        device.save()
    return device


@transaction.atomic
def totp_confirm(*, user: AbstractBaseUser, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; answers the recovery codes."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        raise Invalid("Start the set-up again: no authenticator is waiting to be confirmed.")
    if not device.verify_token(code.strip().replace(" ", "")):
        raise Invalid("This code is not the one the authenticator shows now.")
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=user)
    audit_record(actor=user, verb="two_factor.enabled", target=user)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: AbstractBaseUser) -> list[str]:
    """New recovery codes, each good once; the old ones stop working."""
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user: AbstractBaseUser) -> None:
    if two_factor_required(user):
        raise Invalid("Two-factor sign-in is required for your role: it stays on.")
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    audit_record(actor=user, verb="two_factor.disabled", target=user)
