"""Writes about a meeting's documents: the first upload and each new version, checked
and stored with their digest.

``by`` is the user acting; ``None`` is Accord itself (the reference loader, commands).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max

from accord.access.permissions import require
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid
from accord.meetings.models import (
    AgendaItem,
    Document,
    DocumentVersion,
    Meeting,
)
from accord.meetings.permissions import (
    can_manage_meetings,
)
from accord.partners.models import Organisation

if TYPE_CHECKING:
    from accord.access.permissions import Actor

from accord.meetings.meeting_services import _actor_id

# --- documents --------------------------------------------------------------------------


def _check_upload(upload: File) -> None:
    name = PurePath(upload.name or "").name
    size = upload.size or 0
    limit = settings.ACCORD_UPLOAD_MAX_BYTES
    if size > limit:
        raise Invalid(
            f"{name} is {size:,} bytes; files may be at most {limit:,} bytes.",
            details={"file": ["too large"]},
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = [kind.lower().lstrip(".") for kind in settings.ACCORD_UPLOAD_TYPES]
    if extension not in allowed:
        raise Invalid(
            f"{name}: files of type {('.' + extension) if extension else 'without extension'} "
            f"are not accepted; allowed types: {', '.join(allowed)}.",
            details={"file": ["type refused"]},
        )


def _store_version(document: Document, upload: File, by: Actor) -> DocumentVersion:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    last = document.versions.aggregate(last=Max("number"))["last"]
    version = DocumentVersion(
        document=document,
        number=(last or 0) + 1,
        original_name=PurePath(upload.name or "file").name,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by_id=_actor_id(by),
    )
    version.file.save(version.original_name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def document_upload(
    *,
    meeting: Meeting,
    title: str,
    kind: str,
    upload: File,
    language: str = "en",
    agenda_item: AgendaItem | None = None,
    classification: str = Classification.MEMBERS,
    restricted_to: Sequence[Organisation] = (),
    by: Actor = None,
) -> Document:
    """A new document with its first version, stored through Django's storage API."""
    require(can_manage_meetings(by), "Only the secretariat may upload meeting documents.")
    _check_upload(upload)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise Invalid("The agenda item belongs to another meeting.")
    document = Document(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        kind=kind,
        language=language,
        classification=classification,
    )
    full_clean_or_invalid(document)
    document.save()
    if restricted_to:
        document.restricted_to.set(restricted_to)
    _store_version(document, upload, by)
    return document


@transaction.atomic
def document_version_add(*, document: Document, upload: File, by: Actor = None) -> DocumentVersion:
    require(can_manage_meetings(by), "Only the secretariat may upload meeting documents.")
    _check_upload(upload)
    return _store_version(document, upload, by)
