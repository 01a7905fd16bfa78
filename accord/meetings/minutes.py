"""Writes about minutes: revisions, the review round, approval and corrections.

Every save that changes the text is a revision, numbered from 1 for each meeting's
minutes; saving the same text makes none. Draft (the secretariat's) -> circulated (to the
participants and the members, with an optional deadline for comments) -> approved, at any
time. While circulated, readers comment or propose an amendment to a paragraph; the
secretariat accepts (a new revision) or declines each, with a reason. Approved minutes
are locked: an edit is refused; a correction is a new revision with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Conflict, Invalid, NotFound
from accord.core.services import full_clean_or_invalid, model_update
from accord.meetings import permissions
from accord.meetings.minutes_text import action_lines, paragraphs, render_minutes, replace_paragraph
from accord.meetings.models import (
    AgendaItem,
    CommentKind,
    CommentStatus,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesStatus,
    ProposedAction,
    ProposedActionStatus,
    RevisionKind,
)

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def _actor_id(by: Actor) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


def _locked(minutes: Minutes) -> Conflict:
    return Conflict(
        _(
            "These minutes were approved and are locked: an edit is refused. Record a "
            "correction, with its reason, instead."
        ),
        details={"status": minutes.status},
    )


def _revision(minutes: Minutes, *, body: str, kind: str, reason: str, by: Actor) -> None:
    last = minutes.revisions.aggregate(last=Max("number"))["last"] or 0
    MinutesRevision.objects.create(
        minutes=minutes,
        number=last + 1,
        body=body,
        status=minutes.status,
        kind=kind,
        reason=reason,
        author_id=_actor_id(by),
    )


def _sync_proposed_actions(minutes: Minutes) -> None:
    """The ``ACTION`` lines that can be read become the minutes' proposed actions; those
    confirmed or dropped at approval stay as they were."""
    readable = [line for line in action_lines(minutes.body) if not line.problems]
    kept = {
        proposal.line: proposal
        for proposal in minutes.proposed_actions.filter(status=ProposedActionStatus.PROPOSED)
    }
    for line in readable:
        proposal = kept.pop(line.line, None)
        if proposal is None:
            proposal = ProposedAction(minutes=minutes, line=line.line)
        proposal.text, proposal.owners, proposal.due_date = line.text, line.owners, line.due_date
        proposal.save()
    ProposedAction.objects.filter(pk__in=[p.pk for p in kept.values()]).delete()


def _current(meeting: Meeting, agenda_item: AgendaItem | None) -> Minutes | None:
    return (
        Minutes.objects.select_for_update()
        .filter(meeting=meeting, agenda_item=agenda_item)
        .order_by()  # the default ordering joins agenda items, which cannot be locked
        .first()
    )


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    body: str,
    agenda_item: AgendaItem | None = None,
    version: int | None = None,
    kind: str = RevisionKind.EDIT,
    reason: str = "",
    by: Actor = None,
) -> Minutes:
    """Write the minutes of a meeting (or of one agenda item). The first save creates
    them; a save based on a stale ``version`` is refused (409), so are approved minutes."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise Invalid(_("These minutes are for an agenda item of another meeting."))
    minutes = _current(meeting, agenda_item)
    require(permissions.can_write_minutes(by), _("Only the secretariat writes minutes."))
    html = render_minutes(body)
    if minutes is None:
        minutes = Minutes(meeting=meeting, agenda_item=agenda_item, body=body, body_html=html)
        full_clean_or_invalid(minutes)
        minutes.save()
    else:
        if minutes.status == MinutesStatus.APPROVED:
            raise _locked(minutes)
        if minutes.body == body and minutes.revisions.exists():
            if version is not None and version != minutes.version:
                model_update(instance=minutes, data={}, version=version)  # raises Conflict
            return minutes
        minutes = model_update(
            instance=minutes, data={"body": body, "body_html": html}, version=version
        )
    _revision(minutes, body=body, kind=kind, reason=reason, by=by)
    _sync_proposed_actions(minutes)
    return minutes


def _transition(minutes: Minutes, data: dict, version: int | None) -> Minutes:
    return model_update(instance=minutes, data=data, version=version)


@transaction.atomic
def minutes_circulate(
    *,
    minutes: Minutes,
    deadline: dt.date | None = None,
    version: int | None = None,
    by: Actor = None,
) -> Minutes:
    """Draft to circulated: the participants and the members read and comment, until
    ``deadline`` when one is given."""
    require(permissions.can_write_minutes(by), _("Only the secretariat circulates minutes."))
    if minutes.status == MinutesStatus.APPROVED:
        raise _locked(minutes)
    if not permissions.can_circulate_minutes(by, minutes):
        raise Conflict(_("These minutes are circulated already."))
    if deadline is not None and deadline < timezone.localdate():
        raise Invalid(
            _("The deadline for comments %(day)s is already past.") % {"day": deadline},
            details={"deadline": ["past"]},
        )
    updated = _transition(
        minutes,
        {
            "status": MinutesStatus.CIRCULATED,
            "comment_deadline": deadline,
            "circulated_at": timezone.now(),
        },
        version,
    )
    audit_record(
        actor=by,
        verb="minutes.circulated",
        target=updated,
        data={
            "meeting": updated.meeting.key,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return updated


@transaction.atomic
def minutes_approve(
    *,
    minutes: Minutes,
    confirm: Iterable[int] | None = None,
    version: int | None = None,
    by: Actor = None,
) -> Minutes:
    """Approve the minutes (from draft or circulated). Each proposed action is confirmed,
    recorded as an action point of the meeting, when its id is in ``confirm`` (all of them
    when ``confirm`` is None), else dropped."""
    from accord.meetings.services import action_point_create
    from accord.partners.models import Organisation

    require(permissions.can_write_minutes(by), _("Only the secretariat approves minutes."))
    if not permissions.can_approve_minutes(by, minutes):
        raise _locked(minutes)
    updated = _transition(
        minutes,
        {
            "status": MinutesStatus.APPROVED,
            "approved_at": timezone.now(),
            "approved_by_id": _actor_id(by),
        },
        version,
    )
    proposals = list(updated.proposed_actions.filter(status=ProposedActionStatus.PROPOSED))
    chosen = None if confirm is None else set(confirm)
    unknown = (chosen or set()) - {p.pk for p in proposals}
    if unknown:
        raise Invalid(
            _("These minutes propose no action %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(unknown))},
            details={"confirm": sorted(unknown)},
        )
    meeting = updated.meeting
    confirmed = []
    for proposal in proposals:
        if chosen is None or proposal.pk in chosen:
            owners = list(Organisation.objects.filter(acronym__in=proposal.owners))
            proposal.action_point = action_point_create(
                meeting=meeting,
                text=proposal.text,
                owners=owners,
                due_date=proposal.due_date,
                classification=meeting.classification,
                by=by,
            )
            proposal.status = ProposedActionStatus.CONFIRMED
            confirmed.append(proposal.action_point.pk)
        else:
            proposal.status = ProposedActionStatus.DROPPED
        proposal.save(update_fields=["status", "action_point"])
    audit_record(
        actor=by,
        verb="minutes.approved",
        target=updated,
        data={
            "meeting": meeting.key,
            "revision": updated.revisions.aggregate(last=Max("number"))["last"],
            "action_points": confirmed,
            "dropped": [p.pk for p in proposals if p.status == ProposedActionStatus.DROPPED],
        },
    )
    return updated


def minutes_advance(*, minutes: Minutes, version: int | None = None, by: Actor = None) -> Minutes:
    """One step on: draft to circulated, circulated to approved (every action confirmed)."""
    if minutes.status == MinutesStatus.DRAFT:
        return minutes_circulate(minutes=minutes, version=version, by=by)
    return minutes_approve(minutes=minutes, version=version, by=by)


@transaction.atomic
def minutes_correct(
    *, minutes: Minutes, body: str, reason: str, version: int | None = None, by: Actor = None
) -> Minutes:
    """A correction of approved minutes: a new revision with its reason, shown on the
    page as "corrected on DATE: REASON"."""
    require(permissions.can_write_minutes(by), _("Only the secretariat corrects minutes."))
    if not permissions.can_correct_minutes(by, minutes):
        raise Conflict(
            _("Only approved minutes are corrected; these can still be edited."),
            details={"status": minutes.status},
        )
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Give the reason for the correction."), details={"reason": ["required"]})
    if body == minutes.body:
        raise Invalid(
            _("The corrected text is the same as the approved one."), details={"body": ["same"]}
        )
    html = render_minutes(body)
    updated = model_update(
        instance=minutes, data={"body": body, "body_html": html}, version=version
    )
    _revision(updated, body=body, kind=RevisionKind.CORRECTION, reason=reason, by=by)
    audit_record(
        actor=by,
        verb="minutes.corrected",
        target=updated,
        data={"meeting": updated.meeting.key, "reason": reason},
    )
    return updated


# --- comments and amendments ------------------------------------------------------------


@transaction.atomic
def minutes_comment_add(
    *,
    minutes: Minutes,
    text: str,
    kind: str = CommentKind.COMMENT,
    paragraph: str = "",
    proposed_text: str = "",
    by: Actor = None,
) -> MinutesComment:
    """A reader's comment on circulated minutes, or an amendment to one paragraph."""
    require(
        permissions.can_comment_minutes(by, minutes),
        _(
            "Comments are taken from the members while the minutes are circulated, until "
            "their deadline."
        ),
    )
    if kind not in CommentKind.values:
        raise Invalid(_("Unknown kind %(kind)s.") % {"kind": kind}, details={"kind": [kind]})
    paragraph_text = ""
    if paragraph or kind == CommentKind.AMENDMENT:
        found = {p.anchor: p for p in paragraphs(minutes.body)}
        if paragraph not in found:
            raise Invalid(
                _("Choose the paragraph of the minutes this is about."),
                details={"paragraph": [paragraph]},
            )
        paragraph_text = found[paragraph].source
    if kind == CommentKind.AMENDMENT and not proposed_text.strip():
        raise Invalid(
            _("Write the paragraph as you propose it."), details={"proposed_text": ["required"]}
        )
    if kind == CommentKind.AMENDMENT:
        render_minutes(proposed_text)  # refused here if it carries script
    comment = MinutesComment(
        minutes=minutes,
        kind=kind,
        revision=minutes.revisions.aggregate(last=Max("number"))["last"] or 0,
        paragraph=paragraph,
        paragraph_text=paragraph_text,
        text=text.strip(),
        proposed_text=proposed_text.strip() if kind == CommentKind.AMENDMENT else "",
        author_id=_actor_id(by),
    )
    full_clean_or_invalid(comment)
    comment.save()
    return comment


@transaction.atomic
def amendment_resolve(
    *, comment: MinutesComment, accept: bool, reason: str = "", by: Actor = None
) -> MinutesComment:
    """Accept an amendment (its paragraph replaced: a new revision) or decline it; a
    decline gives its reason."""
    comment = (
        MinutesComment.objects.select_for_update().select_related("minutes").get(pk=comment.pk)
    )
    require(
        permissions.can_write_minutes(by), _("Only the secretariat accepts or declines amendments.")
    )
    if not permissions.can_resolve_amendment(by, comment):
        raise Conflict(_("This amendment is no longer open."), details={"status": comment.status})
    reason = reason.strip()
    if not accept and not reason:
        raise Invalid(_("Give the reason for declining."), details={"reason": ["required"]})
    minutes = comment.minutes
    if accept:
        body = replace_paragraph(minutes.body, comment.paragraph, comment.proposed_text)
        if body is None:
            raise Conflict(
                _("The paragraph this amendment is about has changed since; it cannot be applied."),
                details={"paragraph": comment.paragraph},
            )
        minutes_save(
            meeting=minutes.meeting,
            agenda_item=minutes.agenda_item,
            body=body,
            kind=RevisionKind.AMENDMENT,
            reason=reason or _("Amendment %(n)s accepted.") % {"n": comment.pk},
            by=by,
        )
    comment.status = CommentStatus.ACCEPTED if accept else CommentStatus.DECLINED
    comment.resolution = reason
    comment.resolved_by_id = _actor_id(by)
    comment.resolved_at = timezone.now()
    comment.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    return comment


def comment_get(*, minutes: Minutes, pk: int) -> MinutesComment:
    comment = minutes.comments.filter(pk=pk).first()
    if comment is None:
        raise NotFound(_("These minutes have no comment %(n)s.") % {"n": pk})
    return comment
