"""Who may import figures, and into what: asked before the file is read. An import only
writes into indicators and datasets the importer may write (``evidence/permissions.py``);
an indicator the importer may not read is unknown to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.permissions import require
from accord.evidence import permissions
from accord.evidence.importing.checks import Options
from accord.evidence.importing.report import ImportRejected, Problem
from accord.evidence.models import Dataset, Indicator

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def check_import_rights(user: Actor, dataset: Dataset | None, options: Options) -> None:
    """Refuse before reading the file: the importer, the dataset it would replace and the
    indicator it names."""
    require(
        permissions.can_import_observations(user),
        "Only focal points and the secretariat import observations.",
    )
    require(
        permissions.can_replace_dataset(user, dataset),
        f"The dataset {dataset.name if dataset else ''!r} was imported by another partner; "
        "give this import another dataset name.",
    )
    code = options.indicator.strip()
    if code:
        # The operator (no user) imports into every indicator.
        readable = Indicator.objects.all() if user is None else Indicator.objects.visible_to(user)
        indicator = readable.filter(code__iexact=code).first()
        if indicator is None:
            raise ImportRejected(
                f"Nothing was imported: unknown indicator {code!r}.",
                problems=[Problem(0, "indicator", f"unknown indicator {code!r}")],
            )
        require(
            permissions.can_import_into(user, indicator),
            f"You may not import figures for the indicator {indicator.code}.",
        )


def importable_indicators(user: Actor) -> dict[str, int]:
    """The indicators ``user`` may import figures for, by upper-case code."""
    readable = Indicator.objects.visible_to(user).select_related(None)
    return {
        indicator.code.upper(): indicator.pk
        for indicator in readable.only("pk", "code", "organisation_id")
        if permissions.can_import_into(user, indicator)
    }
