"""Notifications: what a user is told, how they want to be told, and the digests sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class MailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not mailed")  # the user turned the kind off
    WITHHELD = "withheld", _("Withheld")  # the recipient may no longer read the record


class Notification(models.Model):
    """One thing one user is told about one record. ``key`` names the occasion (the kind,
    the record, and for reminders the date or week), so no occasion is told twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)
    key = models.CharField(max_length=200)
    by_name = models.BooleanField(default=False, help_text=_("Addressed to the user by name."))
    target_type = models.CharField(max_length=100)  # app_label.model
    target_id = models.BigIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail = models.CharField(max_length=16, choices=MailState.choices, default=MailState.PENDING)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notifications_one_per_occasion"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            models.Index(fields=["mail", "created_at"], name="notifications_to_mail"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.target_type} {self.target_id}"


class Preference(models.Model):
    """How one user is told of one kind; a kind without a row takes the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=48)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.delivery}"


class MailLanguage(models.Model):
    """The language a user's mail is written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_language"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Digest(models.Model):
    """A digest sent (or found empty) for one user and one period, so each goes once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16, choices=Delivery.choices)
    starting = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "starting"], name="notifications_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.period} {self.starting}"
