"""How a commitment's progress is rolled up, in words a reader can check: the method of
its instrument (plain average or weighted by EUR funding) and each part with its weight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accord.commitments.models import Commitment, ProgressWeighting
from accord.commitments.selectors import instrument_coverage

if TYPE_CHECKING:
    from accord.access.permissions import Actor


@dataclass
class RollupPart:
    what: str  # a part's code, or "" for the initiatives linked to the commitment itself
    progress: float
    weight: float

    @property
    def label(self) -> str:
        return self.what or _("initiatives linked directly")


@dataclass
class Rollup:
    code: str
    weighting: str  # plain | funding
    progress: float | None
    parts: list[RollupPart] = field(default_factory=list)

    @property
    def method(self) -> str:
        if self.weighting == ProgressWeighting.FUNDING:
            return _(
                "weighted by funding: each part counts for its funding in EUR (the "
                "initiatives linked directly, for theirs)"
            )
        return _(
            "plain average: each part counts once, and each initiative linked directly counts once"
        )

    @property
    def explanation(self) -> str:
        """``plain average of JVAP-5.1 40% (weight 1), ...``, or "" without progress."""
        if self.progress is None:
            return ""
        unit = " EUR" if self.weighting == ProgressWeighting.FUNDING else ""
        terms = "; ".join(
            _("%(part)s %(progress)s%% (weight %(weight)s)")
            % {
                "part": part.label,
                "progress": f"{part.progress:.0f}",
                "weight": f"{part.weight:,.0f}{unit}",
            }
            for part in self.parts
        )
        return f"{self.progress:.0f}% = {terms}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "weighting": self.weighting,
            "progress": self.progress,
            "method": self.method,
            "parts": [
                {
                    "part": part.what or None,
                    "progress": round(part.progress, 1),
                    "weight": part.weight,
                }
                for part in self.parts
            ],
        }


def commitment_rollup(commitment: Commitment, *, user: Actor) -> Rollup:
    """The commitment's progress over the initiatives ``user`` may see, and how it was
    computed (its subtree's figures only)."""
    coverage = instrument_coverage(commitment.instrument, user=user, subtree=commitment)
    node = coverage.by_code().get(commitment.code)
    return Rollup(
        code=commitment.code,
        weighting=coverage.weighting,
        progress=node.progress if node else None,
        parts=[
            RollupPart(what, value, weight) for what, value, weight in (node.parts if node else [])
        ],
    )
