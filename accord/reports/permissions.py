"""Who may write press releases: the secretariat drafts, edits and publishes them.

Services enforce these predicates; the documents page and the editor ask them to decide
which buttons show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.permissions import Actor, is_secretariat

if TYPE_CHECKING:
    from accord.reports.models import PressRelease


def can_draft_press_release(actor: Actor) -> bool:
    return is_secretariat(actor)


def can_edit_press_release(actor: Actor, release: PressRelease | None = None) -> bool:
    return is_secretariat(actor)


def can_publish_press_release(actor: Actor, release: PressRelease) -> bool:
    return is_secretariat(actor) and not release.is_published
