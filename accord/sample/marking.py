"""Which records are sample ones: marking them, counting them, deleting exactly them.

Every model the scenario writes carries :class:`accord.core.models.SampleModel`'s
``is_sample``. The scenario writes through the services, as users do, then marks what
it wrote; the reset deletes the marked records only, in an order the foreign keys allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from accord.commitments.models import Cycle, CycleEntry, Initiative
from accord.evidence.models import IndicatorTarget
from accord.meetings.call_models import ContributionCall
from accord.meetings.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    Participant,
)
from accord.meetings.participation import Invitation
from accord.meetings.procedure_models import Procedure
from accord.reports.models import PressRelease

# Deleted in this order: what points at a record goes before it (an action point
# protects its meeting, a press release its meeting, an entry cascades from its cycle,
# a decision protects its procedure, a call's contributions hold their documents).
SAMPLE_MODELS: list[type[models.Model]] = [
    ActionPointUpdate,
    ActionPoint,
    PressRelease,
    ContributionCall,
    Decision,
    Procedure,
    Minutes,
    Document,
    Invitation,
    Participant,
    AgendaItem,
    CycleEntry,
    Cycle,
    Initiative,
    IndicatorTarget,
    Meeting,
]


def mark(*records: Any) -> None:
    """Mark these records as sample (without touching their version or history)."""
    by_model: dict[type[models.Model], list[Any]] = {}
    for record in records:
        if record is None:
            continue
        by_model.setdefault(type(record), []).append(record)
    for model, found in by_model.items():
        model._default_manager.filter(pk__in=[r.pk for r in found]).update(is_sample=True)
        for record in found:
            record.is_sample = True


def mark_all(queryset: Iterable[Any]) -> None:
    mark(*list(queryset))


def sample_counts() -> dict[str, int]:
    """How many sample records of each kind the database holds, by model name."""
    return {
        str(model._meta.verbose_name_plural): model._default_manager.filter(is_sample=True).count()
        for model in SAMPLE_MODELS
    }


def is_loaded() -> bool:
    return any(model._default_manager.filter(is_sample=True).exists() for model in SAMPLE_MODELS)


@transaction.atomic
def sample_delete() -> int:
    """Delete every sample record (the real record stays as it is); how many went."""
    deleted = 0
    for version in DocumentVersion.objects.filter(document__is_sample=True):
        version.file.delete(save=False)
    for model in SAMPLE_MODELS:
        count, _by_model = model._default_manager.filter(is_sample=True).delete()
        deleted += count
    return deleted
