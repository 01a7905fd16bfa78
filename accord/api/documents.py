"""A meeting's documents through the API: upload a new document, add a version.

The same services as the meeting page's upload forms: the secretariat only, the size and
type rules of ``ACCORD_UPLOAD_MAX_BYTES`` and ``ACCORD_UPLOAD_TYPES``, nothing stored on
a refusal.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from accord.api.base import authenticated
from accord.core.errors import Invalid, NotFound
from accord.core.models import Classification
from accord.core.params import RecordId
from accord.meetings import selectors, services
from accord.meetings.models import Document
from accord.partners.models import Organisation
from accord.partners.selectors import organisation_get

router = Router(tags=["meetings"])


class DocumentWrittenOut(Schema):
    id: int
    meeting: str
    title: str
    kind: str
    language: str
    classification: str
    restricted_to: list[str]
    agenda_item: int | None
    versions: list[int]


def _written(document: Document, meeting_key: str) -> dict:
    return {
        "id": document.pk,
        "meeting": meeting_key,
        "title": document.title,
        "kind": document.kind,
        "language": document.language,
        "classification": document.classification,
        "restricted_to": sorted(o.acronym for o in document.restricted_to.all()),
        "agenda_item": document.agenda_item_id,
        "versions": sorted(v.number for v in document.versions.all()),
    }


def _partners(field: str) -> list[Organisation]:
    partners = []
    for acronym in (part.strip() for part in field.split(",")):
        if not acronym:
            continue
        try:
            partners.append(organisation_get(acronym))
        except NotFound as error:
            raise Invalid(f"restricted_to: {error.message}") from error
    return partners


@router.post(
    "/meetings/{key}/documents",
    response={201: DocumentWrittenOut},
    auth=authenticated,
    summary="Upload a document to a meeting (secretariat)",
)
def meeting_document_upload(
    request: HttpRequest,
    key: str,
    file: File[UploadedFile],
    title: Form[str],
    kind: Form[str],
    language: Form[str] = "en",
    classification: Form[str] = Classification.MEMBERS,
    restricted_to: Form[str] = "",
    agenda_item: Form[int | None] = None,
) -> Status:
    """Multipart: the ``file`` and its fields; ``restricted_to`` is a comma-separated list
    of acronyms. A file too large or of a type not accepted answers 422."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    item = None
    if agenda_item is not None:
        item = meeting.agenda_items.filter(pk=agenda_item).first()
        if item is None:
            raise Invalid(f"agenda_item: the meeting has no agenda item {agenda_item}.")
    document = services.document_upload(
        meeting=meeting,
        title=title,
        kind=kind,
        upload=file,
        language=language,
        agenda_item=item,
        classification=classification,
        restricted_to=_partners(restricted_to),
        by=request.user,
    )
    return Status(201, _written(document, meeting.key))


@router.post(
    "/documents/{document_id}/versions",
    response={201: DocumentWrittenOut},
    auth=authenticated,
    summary="Add a new version of a meeting document (secretariat)",
)
def document_version_upload(
    request: HttpRequest, document_id: RecordId, file: File[UploadedFile]
) -> Status:
    document = selectors.document_get(user=request.user, pk=document_id)
    meeting = selectors.meeting_get(user=request.user, key=str(document.meeting_id))
    services.document_version_add(document=document, upload=file, by=request.user)
    return Status(201, _written(document, meeting.key))
