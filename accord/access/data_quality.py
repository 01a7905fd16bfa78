"""The secretariat clears a record's data-quality warning (left by an import on an
initiative, an indicator, a dataset) with a comment; each clearing is an audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import Actor, require
from accord.access.selectors import access_for
from accord.core.errors import Invalid
from accord.core.models import RecordWarning


def can_clear_data_quality(actor: Actor) -> bool:
    """The secretariat clears data-quality warnings."""
    return access_for(actor).is_secretariat


@transaction.atomic
def record_warning_clear(*, user: Actor, warning: RecordWarning, comment: str) -> RecordWarning:
    require(
        can_clear_data_quality(user),
        _("Only the secretariat clears data-quality warnings."),
    )
    comment = comment.strip()
    if not comment:
        raise Invalid(_("Say why the warning is cleared: a comment is needed."))
    warning = RecordWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.cleared_at is not None:
        raise Invalid(_("This warning is already cleared."))
    warning.cleared_at = timezone.now()
    warning.cleared_by = user if user is not None and user.is_authenticated else None  # type: ignore[assignment]
    warning.clear_comment = comment
    warning.save(update_fields=["cleared_at", "cleared_by", "clear_comment", "updated_at"])
    audit_record(
        actor=user,
        verb="data_quality.cleared",
        target=warning,
        data={
            "comment": comment,
            "kind": warning.content_type.model,
            "record": warning.object_id,
            "field": warning.field,
        },
    )
    return warning
