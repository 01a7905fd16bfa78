"""The outbox: where mail goes when no SMTP server is set (the embedded default, the demo).

Each message is written whole, as the SMTP server would have received it, to one ``.eml``
file in ``ACCORD_OUTBOX_DIR`` (``$ACCORD_DATA_DIR/outbox``). The file's name starts with
the time it was sent, so that names sort by time.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone


def outbox_dir() -> Path:
    return Path(settings.ACCORD_OUTBOX_DIR)


class OutboxBackend(BaseEmailBackend):
    """Django mail backend writing each message to its own ``.eml`` file in the outbox."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{secrets.token_hex(4)}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\r\n"))
            sent += 1
        return sent


def outbox_names(limit: int = 500) -> list[str]:
    """The newest ``limit`` messages of the outbox, newest first, by file name."""
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.glob("*.eml")), reverse=True)[:limit]


def outbox_read(name: str) -> ParsedMessage | None:
    """The outbox message ``name`` parsed, or None for a name that is not one of them."""
    if name not in set(outbox_names(limit=10**6)):
        return None
    raw = (outbox_dir() / name).read_bytes()
    parsed: Any = BytesParser(policy=policy.default).parsebytes(raw)
    return parsed
