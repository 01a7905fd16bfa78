"""Invitations of member partners' delegates to a meeting, their answers, reminders and
the roll call. Mail goes through Django's mail framework once the transaction commits.

The link in an invitation is signed (``django.core.signing``, salted for invitations):
whoever holds it may answer that one invitation, without logging in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Invalid, NotFound
from accord.core.models import Classification
from accord.core.params import whole_number
from accord.core.services import full_clean_or_invalid
from accord.meetings import services
from accord.meetings.models import (
    Invitation,
    InvitationAnswer,
    Meeting,
    Participant,
    ParticipantRole,
)
from accord.meetings.permissions import can_answer_invitation, can_invite, can_take_attendance
from accord.partners.models import Organisation, Person
from accord.partners.selectors import memberships_on

if TYPE_CHECKING:
    from accord.access.permissions import Actor

SALT = "accord.meetings.invitation"


def invitations_of(meeting: Meeting) -> list[Invitation]:
    """The invitations to ``meeting``, by partner, with their answers."""
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("organisation", "person")
        .prefetch_related("organisation__names")
        .order_by("organisation__acronym", "email")
    )
    for invitation in invitations:
        invitation.meeting = meeting
    return invitations


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign(f"{invitation.pk}.{invitation.email}")


def invitation_from_token(token: str) -> Invitation:
    """The invitation a signed link names; a link tampered with names none (404)."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature as error:
        raise NotFound("This invitation link is not valid.") from error
    pk, _sep, email = value.partition(".")
    invitation = (
        Invitation.objects.select_related("meeting__tier", "organisation", "person")
        .filter(pk=whole_number(pk) or 0, email=email)
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation is no longer on record.")
    return invitation


def invitation_link(invitation: Invitation, base_url: str) -> str:
    path = reverse("invitation-answer", args=[invitation_token(invitation)])
    return base_url.rstrip("/") + path


def _mail(invitation: Invitation, *, base_url: str, reminder: bool) -> None:
    meeting = invitation.meeting
    values = {
        "meeting": meeting.display_name,
        "date": meeting.date_display,
        "venue": meeting.venue or _("not on record"),
        "link": invitation_link(invitation, base_url),
        "name": invitation.invitee,
        "partner": invitation.organisation.acronym,
    }
    subject = (_("Reminder: %(meeting)s") if reminder else _("Invitation: %(meeting)s")) % values
    body = (
        _(
            "Dear %(name)s,\n\n%(partner)s is invited to the %(meeting)s, %(date)s, "
            "%(venue)s.\n\nPlease tell us whether you attend, do not attend, or send a "
            "delegate (name them), at:\n%(link)s\n"
        )
        % values
    )
    message = EmailMessage(subject, body, None, [invitation.email])
    # The meeting in the invitee's calendar: the invitation's own .ics.
    message.attach(
        "invitation.ics",
        invitation_ics(invitation, base_url=base_url),
        "text/calendar; method=REQUEST; charset=utf-8",
    )
    transaction.on_commit(message.send)


def invitation_ics(invitation: Invitation, *, base_url: str) -> bytes:
    """The invitation's ``.ics``: its meeting as a request to the invitee (for the mail's
    attachment and the invitation page's download)."""
    from accord.meetings.calendar import invitation_calendar

    return invitation_calendar(invitation, base_url=base_url, organizer=settings.DEFAULT_FROM_EMAIL)


def _check_member(meeting: Meeting, organisation: Organisation) -> None:
    framework = meeting.tier.framework
    if framework is None:
        return
    if not memberships_on(framework, meeting.date).filter(organisation=organisation).exists():
        raise Invalid(
            f"{organisation.acronym} is not a member of {framework.name} on "
            f"{meeting.date_display}: only member partners' delegates are invited.",
            details={"organisation": ["not_a_member"]},
        )


@transaction.atomic
def invitation_send(
    *,
    meeting: Meeting,
    organisation: Organisation,
    people: Sequence[Person] = (),
    emails: Iterable[str] = (),
    base_url: str,
    by: Actor = None,
) -> list[Invitation]:
    """Invite delegates of the member partner ``organisation``: people of the record (at
    their e-mail address) and plain addresses. An address already invited is left as it
    is. Each new invitation is mailed with its signed link."""
    require(can_invite(by, meeting), "Only the secretariat may invite to meetings.")
    _check_member(meeting, organisation)
    wanted: list[tuple[Person | None, str]] = []
    for person in people:
        if not person.email:
            raise Invalid(
                f"{person.full_name} has no e-mail address on record: invite them by address.",
                details={"people": ["no e-mail"]},
            )
        wanted.append((person, person.email.strip().lower()))
    for raw in emails:
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except Exception as error:
            raise Invalid(
                f"{address!r} is not an e-mail address.", details={"emails": ["invalid"]}
            ) from error
        known = Person.objects.filter(email__iexact=address).first()
        wanted.append((known, address))
    if not wanted:
        raise Invalid(
            "Name at least one person or e-mail address to invite.",
            details={"people": ["required"]},
        )
    already = set(
        Invitation.objects.filter(meeting=meeting, email__in=[a for _p, a in wanted]).values_list(
            "email", flat=True
        )
    )
    created = []
    now = timezone.now()
    for invitee, address in wanted:
        if address in already:
            continue
        already.add(address)
        invitation = Invitation(
            meeting=meeting,
            organisation=organisation,
            person=invitee,
            name=invitee.full_name if invitee else "",
            email=address,
            sent_at=now,
            invited_by_id=by.pk if by is not None and by.is_authenticated else None,
        )
        full_clean_or_invalid(invitation)
        invitation.save()
        invitation.meeting = meeting  # read with its ordinal, for the mail
        _mail(invitation, base_url=base_url, reminder=False)
        audit_record(
            actor=by,
            verb="invitation.sent",
            target=invitation,
            data={"meeting": meeting.key, "email": address, "partner": organisation.acronym},
        )
        created.append(invitation)
    return created


@transaction.atomic
def invitation_answer(
    *,
    invitation: Invitation,
    answer: str,
    delegate_name: str = "",
    delegate_email: str = "",
    signed: bool = False,
    by: Actor = None,
) -> Invitation:
    """Attending, not attending, or sending a named delegate. The answer can be changed
    until attendance is taken."""
    require(
        can_answer_invitation(by, invitation, signed=signed),
        "Only the invitee (through the invitation's link) may answer, until attendance is taken.",
    )
    if answer not in {
        InvitationAnswer.ATTENDING,
        InvitationAnswer.NOT_ATTENDING,
        InvitationAnswer.DELEGATE,
    }:
        raise Invalid(
            "Answer attending, not attending, or name a delegate.",
            details={"answer": ["invalid"]},
        )
    delegate_name = delegate_name.strip()
    if answer == InvitationAnswer.DELEGATE and not delegate_name:
        raise Invalid("Name the delegate you send.", details={"delegate_name": ["required"]})
    invitation.answer = answer
    invitation.delegate_name = delegate_name if answer == InvitationAnswer.DELEGATE else ""
    invitation.delegate_email = (
        delegate_email.strip() if answer == InvitationAnswer.DELEGATE else ""
    )
    invitation.answered_at = timezone.now()
    full_clean_or_invalid(invitation)
    invitation.save()
    audit_record(
        actor=by,
        verb="invitation.answered",
        target=invitation,
        data={"answer": answer, "delegate": invitation.delegate_name},
    )
    return invitation


@transaction.atomic
def invitation_remind(*, meeting: Meeting, base_url: str, by: Actor = None) -> int:
    """Mail again every invitee who has not answered; the number reminded."""
    require(can_invite(by, meeting), "Only the secretariat may remind invitees.")
    pending = list(
        Invitation.objects.filter(meeting=meeting, answer=InvitationAnswer.PENDING)
        .select_related("meeting__tier", "organisation", "person")
        .select_for_update(of=("self",))
    )
    now = timezone.now()
    for invitation in pending:
        invitation.meeting = meeting
        invitation.reminded_at = now
        invitation.reminders += 1
        invitation.save(update_fields=["reminded_at", "reminders", "updated_at"])
        _mail(invitation, base_url=base_url, reminder=True)
        audit_record(
            actor=by,
            verb="invitation.reminded",
            target=invitation,
            data={"meeting": meeting.key, "reminders": invitation.reminders},
        )
    return len(pending)


def _participant_for(invitation: Invitation, by: Actor) -> Participant:
    meeting = invitation.meeting
    person: Person | None = invitation.person
    if invitation.answer == InvitationAnswer.DELEGATE:
        person, _created = Person.objects.get_or_create(
            full_name=invitation.delegate_name,
            defaults={
                "email": invitation.delegate_email,
                "classification": Classification.MEMBERS,
            },
        )
    existing = Participant.objects.filter(
        meeting=meeting, role=ParticipantRole.DELEGATE, organisation=invitation.organisation
    )
    existing = existing.filter(person=person) if person else existing.filter(person__isnull=True)
    found = existing.first()
    if found is not None:
        return found
    return services.participant_add(
        meeting=meeting,
        person=person,
        organisation=invitation.organisation,
        role=ParticipantRole.DELEGATE,
        override_reason="Invited as a member's delegate.",
        by=by,
    )


@transaction.atomic
def attendance_take(*, meeting: Meeting, present: Iterable[int], by: Actor = None) -> int:
    """The roll call: the invitations in ``present`` attended, the others did not. Who
    attended is kept as a participant of the meeting (the delegate when one was sent)."""
    require(can_take_attendance(by, meeting), "Only the secretariat takes attendance.")
    present_ids = set(present)
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("meeting__tier__framework", "organisation", "person")
        .select_for_update(of=("self",))
    )
    unknown = present_ids - {invitation.pk for invitation in invitations}
    if unknown:
        raise Invalid(
            f"These are not invitations to this meeting: {sorted(unknown)}.",
            details={"present": ["unknown"]},
        )
    for invitation in invitations:
        came = invitation.pk in present_ids
        invitation.attended = came
        if came:
            participant = _participant_for(invitation, by)
            if participant.attended is not True:
                participant.attended = True
                participant.save(update_fields=["attended", "updated_at"])
            invitation.participant = participant
        invitation.save(update_fields=["attended", "participant", "updated_at"])
    audit_record(
        actor=by,
        verb="attendance.taken",
        target=meeting,
        data={"present": len(present_ids), "invited": len(invitations)},
    )
    return len(present_ids)
