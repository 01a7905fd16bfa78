"""Writes about people who use Accord: invitations, deactivation, password links, erasure.

An invitation is a user with no usable password and a signed, timed link (Django's
password-reset token, valid ``PASSWORD_RESET_TIMEOUT`` seconds) to choose one. The same
link answers a forgotten password.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.models import ApiToken, AuditEvent, Role
from accord.access.permissions import Actor, require
from accord.access.selectors import forget_access
from accord.access.services import role_grant
from accord.access.user_permissions import can_deactivate_user, can_invite_users
from accord.core.errors import Invalid, NotFound

#: What an erased person is called from then on, in the record and in the audit log.
FORMER_PARTICIPANT = "former participant"


def password_link(*, user: AbstractBaseUser, base_url: str) -> str:
    """The signed link where ``user`` chooses a password; it expires with the reset timeout."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def _hours(seconds: int) -> int:
    return max(1, round(seconds / 3600))


@transaction.atomic
def user_invite(
    *,
    actor: Actor,
    email: str,
    username: str = "",
    full_name: str = "",
    organisation_id: int | None = None,
    kind: str = "",
    base_url: str,
) -> AbstractBaseUser:
    """Invite someone by e-mail: an account without password, an optional role, a link."""
    require(can_invite_users(actor), "Only the secretariat invites users.")
    user_model = get_user_model()
    email = email.strip().lower()
    if not email or "@" not in email:
        raise Invalid(_("An e-mail address is needed."))
    if user_model._default_manager.filter(email__iexact=email).exists():
        raise Invalid(_("Someone with this e-mail address already has an account."))
    username = (username or email.split("@")[0]).strip()
    if user_model._default_manager.filter(username__iexact=username).exists():
        raise Invalid(_("This user name is taken."))
    first, _sep, last = full_name.strip().partition(" ")
    user = user_model(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, verb="user.invited", target=user, data={"email": email})
    if organisation_id and kind:
        role_grant(user=user, organisation_id=organisation_id, kind=kind, actor=actor)
    link = password_link(user=user, base_url=base_url)
    hours = _hours(settings.PASSWORD_RESET_TIMEOUT)
    transaction.on_commit(
        lambda: send_mail(
            _("Your Accord account"),
            _(
                "You are invited to Accord as %(username)s.\n\n"
                "Choose your password here within %(hours)s hours:\n%(link)s\n"
            )
            % {"username": username, "hours": hours, "link": link},
            None,
            [email],
        )
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor, user: AbstractBaseUser) -> None:
    """Close an account: no sign-in, no token, no role; what it did stays in the record."""
    require(can_deactivate_user(actor, user), "Only the secretariat deactivates other users.")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    held = list(Role.objects.filter(user_id=user.pk).select_related("organisation"))
    Role.objects.filter(pk__in=[role.pk for role in held]).delete()
    forget_access(user)
    audit_record(
        actor=actor,
        verb="user.deactivated",
        target=user,
        data={"roles_taken": [f"{r.kind}@{r.organisation.acronym}" for r in held]},
    )


@transaction.atomic
def person_erase(*, name: str) -> str:
    """Remove a person's personal data; what they did stays, under "former participant".

    ``name`` is a user name, an e-mail address or a person's full name in the record.
    Answers what was erased.
    """
    person_model = apps.get_model("partners", "Person")  # partners sit above access
    user_model = get_user_model()
    manager = user_model._default_manager
    user = manager.filter(username=name).first() or (
        manager.filter(email__iexact=name).first() if "@" in name else None
    )
    person = person_model._default_manager.filter(full_name=name).first()
    if user is None and person is None:
        raise NotFound(f"No user or person named {name!r}.")
    done = []
    if user is not None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        old_name = user.get_username()
        placeholder = f"former-{user.pk}"
        manager.filter(pk=user.pk).update(
            username=placeholder,
            first_name="",
            last_name="",
            email="",
            is_active=False,
            is_staff=False,
            is_superuser=False,
        )
        user.refresh_from_db()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Role.objects.filter(user_id=user.pk).delete()
        ApiToken.objects.filter(user_id=user.pk).delete()
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        forget_access(user)
        AuditEvent.objects.filter(actor_id=user.pk).update(
            actor_name=FORMER_PARTICIPANT, address=None
        )
        AuditEvent.objects.filter(
            target_type=user._meta.label_lower, target_id=str(user.pk)
        ).update(target_label=FORMER_PARTICIPANT, data={})
        done.append(f"user {old_name}")
    if person is not None:
        label = f"{FORMER_PARTICIPANT} {person.pk}"
        person_model._default_manager.filter(pk=person.pk).update(
            full_name=label, email="", phone=""
        )
        # The history of the row kept the name and contacts: it goes with them.
        person.history.all().delete()
        AuditEvent.objects.filter(target_type="partners.person", target_id=str(person.pk)).update(
            target_label=label, data={}
        )
        done.append(f"person {name}")
    audit_record(actor=None, verb="person.erased", data={"erased": len(done)})
    return ", ".join(done)
