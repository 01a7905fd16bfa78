"""The secret of each user's private calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A user's private feed. The token in its URL is derived from ``nonce`` and the
    site's secret key; only its SHA-256 digest is stored, to find the feed. A new nonce
    revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar feed")

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
