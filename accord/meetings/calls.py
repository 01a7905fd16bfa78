"""Calls for contributions to a meeting: the secretariat asks the partners for documents or
agenda requests by a deadline; each partner's focal point or contributor answers; the
board shows who has and has not; reminders go to those who have not (as audit events the
notifications turn into mail). Each document contributed is a classified document of the
meeting, and so part of its briefing pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import access_for, require
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid, lock_current
from accord.meetings import permissions
from accord.meetings.models import (
    CallAsks,
    CallState,
    Contribution,
    ContributionCall,
    Document,
    DocumentKind,
    Meeting,
)
from accord.meetings.services import _check_upload, _store_version
from accord.partners.models import Organisation
from accord.partners.selectors import memberships_on

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def _members_of(meeting: Meeting) -> list[Organisation]:
    """The member partners of the meeting's framework on its date."""
    framework = meeting.tier.framework
    if framework is None:
        return []
    ids = memberships_on(framework, meeting.date).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("acronym"))


def _user_id(by: Actor) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


@transaction.atomic
def call_open(
    *,
    meeting: Meeting,
    message: str,
    due: dt.date,
    asks: str = CallAsks.BOTH,
    partners: Sequence[Organisation] = (),
    by: Actor = None,
    today: dt.date | None = None,
) -> ContributionCall:
    """Ask ``partners`` (none named: the framework's members on the meeting's date) for
    what ``asks`` says, by the end of ``due``."""
    require(
        permissions.can_call_for_contributions(by, meeting),
        _("Only the secretariat calls for contributions, before the meeting is closed."),
    )
    today = today or timezone.localdate()
    if asks not in CallAsks.values:
        raise Invalid(
            _("A call asks for documents, agenda requests or both, not %(asks)s.") % {"asks": asks},
            details={"asks": [asks]},
        )
    if due < today:
        raise Invalid(
            _("The deadline %(due)s has passed already.") % {"due": due.isoformat()},
            details={"due": ["past"]},
        )
    asked = list(dict.fromkeys(partners)) or _members_of(meeting)
    if not asked:
        raise Invalid(_("Name the partners to ask."), details={"partners": ["required"]})
    call = ContributionCall(
        meeting=meeting,
        message=(message or "").strip(),
        due=due,
        asks=asks,
        opened_by_id=_user_id(by),
    )
    full_clean_or_invalid(call)
    call.save()
    call.partners.set(asked)
    audit_record(
        actor=by,
        verb="call.opened",
        target=call,
        data={
            "meeting": meeting.key,
            "due": due.isoformat(),
            "asks": asks,
            "partners": [p.acronym for p in asked],
        },
    )
    return call


def contributing_partners(actor: Actor, call: ContributionCall) -> list[Organisation]:
    """The partners asked that ``actor`` may contribute for now."""
    return [
        partner
        for partner in call.partners.all()
        if permissions.can_contribute(actor, call, partner.pk)
    ]


@transaction.atomic
def contribution_submit(
    *,
    call: ContributionCall,
    partner: Organisation | None = None,
    title: str = "",
    upload: File | None = None,
    kind: str = DocumentKind.BACKGROUND_NOTE,
    language: str = "en",
    classification: str = Classification.MEMBERS,
    agenda_request: str = "",
    by: Actor = None,
) -> Contribution:
    """A partner's answer: a document of the meeting (classified: members, or restricted
    to the partner and the secretariat), or an agenda request, as the call asks."""
    call = lock_current(ContributionCall, pk=call.pk, version=None, select_related=["meeting"])
    if partner is None:
        mine = contributing_partners(by, call)
        require(bool(mine), _("You contribute for no partner asked in this call."))
        if len(mine) > 1:
            raise Invalid(_("Name the partner you answer for."), details={"partner": ["required"]})
        partner = mine[0]
    require(
        permissions.can_contribute(by, call, partner.pk),
        _("Only a focal point or a contributor of a partner asked answers a call, while open."),
    )
    agenda_request = (agenda_request or "").strip()
    if upload is None and not agenda_request:
        raise Invalid(_("Send a document or an agenda request."), details={"upload": ["required"]})
    if upload is not None and not call.wants_documents:
        raise Invalid(_("This call asks for agenda requests only."), details={"upload": ["no"]})
    if agenda_request and not call.wants_agenda:
        raise Invalid(_("This call asks for documents only."), details={"agenda_request": ["no"]})
    if classification not in Classification.values:
        raise Invalid(
            _("Unknown classification %(value)s.") % {"value": classification},
            details={"classification": [classification]},
        )
    document = None
    if upload is not None:
        _check_upload(upload)
        document = Document(
            meeting=call.meeting,
            title=(title or "").strip() or f"{partner.acronym}: {upload.name}",
            kind=kind,
            language=language,
            classification=classification,
        )
        full_clean_or_invalid(document)
        document.save()
        if classification == Classification.RESTRICTED:
            document.restricted_to.set([partner])
        _store_version(document, upload, by)
    contribution = Contribution(
        call=call,
        organisation=partner,
        document=document,
        agenda_request=agenda_request,
        contributed_by_id=_user_id(by),
    )
    full_clean_or_invalid(contribution)
    contribution.save()
    audit_record(
        actor=by,
        verb="call.contributed",
        target=call,
        data={
            "meeting": call.meeting.key,
            "partner": partner.acronym,
            "document": document.pk if document else None,
            "agenda_request": bool(agenda_request),
        },
    )
    return contribution


@transaction.atomic
def call_remind(*, call: ContributionCall, by: Actor = None) -> list[Organisation]:
    """Remind the partners asked that have not answered yet; those reminded."""
    require(
        permissions.can_call_for_contributions(by, call.meeting),
        _("Only the secretariat reminds the partners."),
    )
    current = lock_current(ContributionCall, pk=call.pk, version=None, select_related=["meeting"])
    if current.state != CallState.OPEN:
        raise Invalid(_("This call is closed."), details={"call": ["closed"]})
    answered = set(current.contributions.values_list("organisation_id", flat=True))
    pending = [p for p in current.partners.order_by("acronym") if p.pk not in answered]
    if not pending:
        return []
    current.reminded_at = timezone.now()
    current.reminders += 1
    current.save(update_fields=["reminded_at", "reminders", "updated_at"])
    audit_record(
        actor=by,
        verb="call.reminded",
        target=current,
        data={
            "meeting": current.meeting.key,
            "due": current.due.isoformat(),
            "partners": [p.acronym for p in pending],
        },
    )
    return pending


@transaction.atomic
def call_close(
    *, call: ContributionCall, version: int | None, by: Actor = None
) -> ContributionCall:
    """No more contributions (409 when the call changed since ``version``)."""
    require(
        permissions.can_call_for_contributions(by, call.meeting),
        _("Only the secretariat closes a call."),
    )
    current = lock_current(ContributionCall, pk=call.pk, version=version)
    if current.state == CallState.CLOSED:
        return current
    current.state = CallState.CLOSED
    current.version += 1
    current.save(update_fields=["state", "version", "updated_at"])
    audit_record(actor=by, verb="call.closed", target=current, data={"meeting": call.meeting_id})
    return current


# --- reads ------------------------------------------------------------------------------


def _readable(user: Actor) -> bool:
    """Calls are the framework's working business: its members and the secretariat."""
    return access_for(user).is_member


def meeting_calls(*, user: Actor, meeting: Meeting) -> QuerySet:
    """The calls of a meeting (read through ``meeting_get``), newest deadline first."""
    if not _readable(user):
        return ContributionCall.objects.none()
    return (
        ContributionCall.objects.filter(meeting=meeting)
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("acronym")),
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("organisation", "document"),
            ),
        )
        .order_by("-due", "-pk")
    )


def call_get(*, user: Actor, meeting: Meeting, pk: int) -> ContributionCall:
    from accord.core.errors import NotFound

    call = meeting_calls(user=user, meeting=meeting).filter(pk=pk).first()
    if call is None:
        raise NotFound(f"No call for contributions {pk} for this meeting.")
    call.meeting = meeting
    return call


@dataclass
class BoardRow:
    """One partner asked: what it sent (documents as the reader may see them)."""

    partner: Organisation
    documents: list[Document] = field(default_factory=list)
    agenda_requests: list[str] = field(default_factory=list)
    hidden: int = 0  # documents sent that the reader may not read
    last_at: dt.datetime | None = None

    @property
    def answered(self) -> bool:
        return bool(self.documents or self.agenda_requests or self.hidden)


def visible_documents(*, user: Actor, calls: Iterable[ContributionCall]) -> set[int]:
    """Which of the documents sent to these calls ``user`` may read, in one query (read
    through ``meeting_calls``)."""
    document_ids = [
        c.document_id for call in calls for c in call.contributions.all() if c.document_id
    ]
    return set(
        Document.objects.visible_to(user).filter(pk__in=document_ids).values_list("pk", flat=True)
    )


def call_board(
    *, user: Actor, call: ContributionCall, visible: set[int] | None = None
) -> list[BoardRow]:
    """Each partner asked, answered or not (read through ``meeting_calls``); ``visible``,
    the readable documents when ``visible_documents`` was asked for several calls."""
    contributions = list(call.contributions.all())
    if visible is None:
        visible = visible_documents(user=user, calls=[call])
    rows = {partner.pk: BoardRow(partner=partner) for partner in call.partners.all()}
    for contribution in contributions:
        row = rows.get(contribution.organisation_id)
        if row is None:
            continue
        if contribution.document_id and contribution.document is not None:
            if contribution.document_id in visible:
                row.documents.append(contribution.document)
            else:
                row.hidden += 1
        if contribution.agenda_request:
            row.agenda_requests.append(contribution.agenda_request)
        if row.last_at is None or contribution.created_at > row.last_at:
            row.last_at = contribution.created_at
    return list(rows.values())


def call_out(
    *, user: Actor, call: ContributionCall, visible: set[int] | None = None
) -> dict[str, object]:
    board = call_board(user=user, call=call, visible=visible)
    return {
        "id": call.pk,
        "meeting": call.meeting.key,
        "message": call.message,
        "asks": call.asks,
        "due": call.due,
        "state": call.state,
        "reminders": call.reminders,
        "reminded_at": call.reminded_at,
        "answered": [row.partner.acronym for row in board if row.answered],
        "waiting": [row.partner.acronym for row in board if not row.answered],
        "board": [
            {
                "partner": row.partner.acronym,
                "answered": row.answered,
                "documents": [d.pk for d in row.documents],
                "agenda_requests": row.agenda_requests,
                "last_at": row.last_at,
            }
            for row in board
        ],
        "version": call.version,
    }
