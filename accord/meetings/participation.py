"""Invitations to a meeting: who was invited, what they answered, whether they came.

An invitation names a member partner's delegate (a person of the record, or an e-mail
address). The invitee answers on a page reached by a signed link, without logging in:
attending, not attending, or sending a named delegate. The roll call taken at the
meeting keeps who attended, on the invitation and as a participant of the meeting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.models import SampleModel, TrackedModel


class InvitationAnswer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ATTENDING = "attending", _("Attending")
    NOT_ATTENDING = "not_attending", _("Not attending")
    DELEGATE = "delegate", _("Sends a delegate")


class Invitation(TrackedModel, SampleModel):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
        verbose_name=_("partner"),
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    answer = models.CharField(
        _("answer"),
        max_length=16,
        choices=InvitationAnswer.choices,
        default=InvitationAnswer.PENDING,
    )
    delegate_name = models.CharField(_("delegate's name"), max_length=200, blank=True)
    delegate_email = models.EmailField(_("delegate's e-mail"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # The roll call: empty until attendance is taken.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    participant = models.ForeignKey(
        "meetings.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "organisation__acronym", "email", "pk"]
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="meetings_invitation_once_per_address"
            ),
            models.CheckConstraint(
                condition=~Q(answer="delegate") | ~Q(delegate_name=""),
                name="meetings_invitation_delegate_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitee} <{self.email}>"

    @property
    def invitee(self) -> str:
        return self.name or self.email

    @property
    def comes(self) -> str:
        """Who is expected at the meeting on this invitation."""
        if self.answer == InvitationAnswer.DELEGATE:
            return self.delegate_name
        if self.answer == InvitationAnswer.ATTENDING:
            return self.invitee
        return ""
