"""Who may write about partners: the secretariat keeps the record of organisations,
their names, units, people and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.permissions import Actor, is_secretariat

if TYPE_CHECKING:
    from accord.partners.models import Organisation


def can_edit_partner(actor: Actor, organisation: Organisation | None = None) -> bool:
    return is_secretariat(actor)
