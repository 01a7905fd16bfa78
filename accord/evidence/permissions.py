"""Who may write figures: named predicates over the existing record and the new values.
Services (the import) enforce them; the import page and the API ask them.

- the secretariat, and the operator at the command line, import anything;
- a focal point imports figures for an indicator it may read whose source partner is
  one of its own (or that names none), and replaces only a dataset that it or another
  focal point of its partner imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.models import Role, RoleKind
from accord.access.permissions import Actor, access_for, focal_partners, is_secretariat

if TYPE_CHECKING:
    from accord.evidence.models import Dataset, Indicator


def can_import_observations(actor: Actor) -> bool:
    """Import a file of figures at all: the secretariat and partners' focal points."""
    return is_secretariat(actor) or bool(focal_partners(actor))


def can_import_into(actor: Actor, indicator: Indicator) -> bool:
    """Write figures for ``indicator`` (which the caller has read as ``actor``)."""
    if is_secretariat(actor):
        return True
    focal = focal_partners(actor)
    return bool(focal) and (indicator.organisation_id is None or indicator.organisation_id in focal)


def can_replace_dataset(actor: Actor, dataset: Dataset | None) -> bool:
    """Import a new version of ``dataset`` (None or never imported: a new dataset)."""
    if is_secretariat(actor):
        return True
    if not can_import_observations(actor):
        return False
    if dataset is None or (not dataset.version and dataset.imported_by_id is None):
        return True
    if dataset.imported_by_id is None:  # the reference record's, or the operator's
        return False
    if dataset.imported_by_id == access_for(actor).user_id:
        return True
    return Role.objects.filter(
        user_id=dataset.imported_by_id,
        kind=RoleKind.FOCAL_POINT,
        organisation_id__in=focal_partners(actor),
    ).exists()


def can_set_targets(actor: Actor, indicator: Indicator | None = None) -> bool:
    """Set and remove an indicator's targets per place and year: the secretariat."""
    return is_secretariat(actor)
