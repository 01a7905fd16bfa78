"""The audit log of domain events: who did what, when, from which address.

Services write a row through :func:`audit_record` inside their own transaction, so an
event is logged exactly when its change is kept. A row names its target by type, id and
label instead of a foreign key, so it outlives the record it is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models

from accord.access.models import AuditEvent

if TYPE_CHECKING:
    from accord.access.permissions import Actor

#: The address of the request being served, set by ``AuditAddressMiddleware``.
current_address: ContextVar[str | None] = ContextVar("accord_audit_address", default=None)


@contextmanager
def request_address(address: str | None) -> Iterator[None]:
    token = current_address.set(address or None)
    try:
        yield
    finally:
        current_address.reset(token)


def audit_record(
    *,
    actor: Actor,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Log ``verb`` (``"entry.verified"``, ``"import.done"``, ...) by ``actor`` on ``target``."""
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        actor_id=user_id,
        actor_name=str(getattr(actor, "username", "") or "") if user_id else "",
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        data=data or {},
        address=address or current_address.get(),
    )
    event.save()
    return event
