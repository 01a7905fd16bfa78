"""A partner's initiatives and its reporting in each cycle, for its profile page
(``partners.profile`` reaches these by name when the commitments app is installed)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from accord.commitments.models import Cycle, CycleEntry, EntryState, Initiative
from accord.partners.models import Organisation

if TYPE_CHECKING:
    from accord.access.permissions import Actor as Reader


def partner_initiatives(*, user: Reader, organisation: Organisation) -> tuple[list[Any], int]:
    queryset = (
        Initiative.objects.visible_to(user)
        .filter(Q(partner=organisation) | Q(implementers=organisation))
        .distinct()
        .order_by("-pk")
    )
    return list(queryset[:20]), queryset.count()


def partner_reporting(
    *, user: Reader, organisation: Organisation
) -> list[tuple[Any, dict[str, int]]]:
    """Per cycle, the partner's entries by state (of initiatives this reader may see)."""
    visible = Initiative.objects.visible_to(user).filter(partner=organisation)
    counts: dict[int, Counter[str]] = {}
    for cycle_id, state in CycleEntry.objects.filter(initiative__in=visible).values_list(
        "cycle_id", "state"
    ):
        counts.setdefault(cycle_id, Counter())[str(EntryState(state).label)] += 1
    cycles = Cycle.objects.filter(pk__in=counts).order_by("-opens_on")
    return [(cycle, dict(counts[cycle.pk])) for cycle in cycles]
