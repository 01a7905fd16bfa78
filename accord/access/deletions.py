"""Deleted records in the audit log: every deletion made through the admin is an event."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.admin.models import DELETION, LogEntry
from django.db.models.signals import post_save

from accord.access.audit import audit_record


def on_admin_log(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created or instance.action_flag != DELETION:
        return
    content_type: Any = instance.content_type
    event = audit_record(
        actor=cast(Any, instance.user), verb="record.deleted", data={"via": "admin"}
    )
    # The record is gone: its type, id and label come from the admin's own log entry.
    event.target_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    event.target_id = str(instance.object_id or "")[:64]
    event.target_label = instance.object_repr[:300]
    event.save(update_fields=["target_type", "target_id", "target_label"])


def connect_signals() -> None:
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid="accord-audit-deletion")
