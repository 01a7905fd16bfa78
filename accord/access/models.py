"""Who may do what: roles held with partners, and API tokens for scripts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.models import TrackedModel


class RoleKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    FOCAL_POINT = "focal_point", _("Focal point")
    CONTRIBUTOR = "contributor", _("Contributor")
    MEMBER = "member", _("Member")


class Role(TrackedModel):
    """A user's role with one partner organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accord_roles"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)

    class Meta:
        verbose_name = _("role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"], name="access_role_unique_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.organisation})"


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("To recognise a token."))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
