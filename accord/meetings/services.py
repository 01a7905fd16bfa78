"""Writes about meetings. One transaction each; who may write is checked here, so pages,
the API and commands all refuse the same things with the same message.

``by`` is the user acting; ``None`` is Accord itself (the reference loader, commands).

The writes live in modules by job, offered here too: ``meeting_services`` (meetings,
participants, agenda items), ``action_point_services``, ``document_services``. Minutes: see
``accord.meetings.minutes``; decisions: ``accord.meetings.decisions``.
"""

from __future__ import annotations

from accord.meetings.action_point_services import (  # noqa: F401
    ACTION_POINT_CLASSIFICATION,
    EDITABLE_FIELDS,
    _check_owners,
    action_point_create,
    action_point_progress,
    action_point_update,
)
from accord.meetings.document_services import (  # noqa: F401
    _check_upload,
    _store_version,
    document_upload,
    document_version_add,
)
from accord.meetings.meeting_services import (  # noqa: F401
    _actor_id,
    _check_ordinal,
    _membership_warning,
    _ordinal_clash,
    agenda_item_add,
    check_restriction,
    co_chair_add,
    meeting_create,
    meeting_update,
    participant_add,
    topics_ensure,
)
