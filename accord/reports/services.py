"""Writes: press releases (draft from the record, edit with versions, publish) and the
record of every export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Conflict, Invalid
from accord.core.models import Classification, highest_classification
from accord.core.services import full_clean_or_invalid, model_update
from accord.meetings.markdown import unsafe_content
from accord.meetings.models import AgendaItem, Meeting
from accord.meetings.permissions import can_manage_meetings
from accord.reports import permissions
from accord.reports.models import (
    DRAFT_CLASSIFICATION,
    AgendaCommitment,
    ExportFormat,
    ExportRecord,
    PressRelease,
    PressReleaseStatus,
)
from accord.reports.press import press_release_draft, press_release_slug

if TYPE_CHECKING:
    from accord.access.permissions import Actor


REFUSAL = "Only the secretariat edits and publishes press releases."


@transaction.atomic
def agenda_commitment_link(*, agenda_item: AgendaItem, code: str, by: Actor) -> AgendaCommitment:
    """Name a commitment an agenda item discusses, by its code; an unknown code is refused
    (422)."""
    require(can_manage_meetings(by), "Only the secretariat sets the agenda.")
    link = AgendaCommitment(agenda_item=agenda_item, commitment_code=code)
    full_clean_or_invalid(link)
    link.save()
    return link


def press_release_create_draft(*, meeting: Meeting, by: Actor) -> PressRelease:
    """The meeting's press release draft, made from the record when there is none yet.

    A draft is classified as its meeting is (members at least, and restricted to the
    meeting's partners when the meeting is): it tells what the meeting is."""
    require(permissions.can_draft_press_release(by), REFUSAL)
    with transaction.atomic():
        existing = PressRelease.objects.filter(meeting=meeting).order_by("pk").first()
        if existing is not None:
            return existing
        title, body = press_release_draft(meeting)
        release = PressRelease(
            meeting=meeting,
            slug=press_release_slug(meeting),
            title=title,
            body=body,
            classification=highest_classification([DRAFT_CLASSIFICATION, meeting.classification]),
        )
        full_clean_or_invalid(release)
        release.save()
        if release.classification == Classification.RESTRICTED:
            release.restricted_to.set(meeting.restricted_to.all())
        return release


def press_release_update(
    *,
    release: PressRelease,
    data: Mapping[str, Any],
    version: int | None,
    by: Actor,
) -> PressRelease:
    """Edit title and text; a stale ``version`` is refused with a conflict."""
    require(permissions.can_edit_press_release(by, release), REFUSAL)
    allowed = {"title", "body"}
    unknown = set(data) - allowed
    if unknown:
        raise Invalid(f"Only {', '.join(sorted(allowed))} may be edited.")
    if not str(data.get("title", release.title)).strip():
        raise Invalid("A press release needs a title.")
    found = unsafe_content(str(data.get("body", "")))
    if found:
        raise Invalid(f"The text was not saved: it contains {', '.join(found)}.")
    return model_update(instance=release, data=dict(data), version=version)


@transaction.atomic
def press_release_publish(
    *,
    release: PressRelease,
    version: int | None,
    by: Actor,
) -> PressRelease:
    """Publish: the release becomes public, on the press pages and in the feed."""
    require(permissions.can_edit_press_release(by, release), REFUSAL)
    if release.status == PressReleaseStatus.PUBLISHED:
        raise Conflict("This press release is already published.")
    published = model_update(
        instance=release,
        data={
            "status": PressReleaseStatus.PUBLISHED,
            "published_at": timezone.now(),
            "classification": Classification.PUBLIC,
        },
        version=version,
    )
    audit_record(actor=by, verb="press_release.published", target=published)
    return published


def export_record(
    *,
    user: Actor,
    kind: str,
    fmt: str,
    filters: Mapping[str, Any],
    rows: int,
    via: str,
) -> ExportRecord:
    record = ExportRecord(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        kind=kind,
        format=ExportFormat(fmt),
        filters={key: str(value) for key, value in filters.items() if value not in (None, "")},
        rows=rows,
        via=via,
    )
    full_clean_or_invalid(record, exclude=["user"])
    record.save()
    audit_record(
        actor=user,
        verb="export.done",
        data={"kind": kind, "format": fmt, "rows": rows, "via": via, "filters": record.filters},
    )
    return record
