"""What the indicator page reads from all of an indicator's figures, kept per version.

Each place's progress (its yearly totals rolled up against its target: 10,000 rows at
250 places over 40 years), the places the indicator has figures for, and its series,
units and breakdowns depend only on the indicator, its figures and targets and the
places' names. They are kept in the site's cache under the version of those figures
(:mod:`accord.evidence.figures_state`), which every write raises, so a reader after
another reads them in one probe until the figures change, and never after.

Nothing here depends on the reader: every reader who may see the indicator sees all of
its figures, and the page checks that before it asks (``indicator_get``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from accord.evidence import progress, selectors
from accord.evidence.figures_state import figures_version
from accord.evidence.models import Indicator, Place

#: How long what was read is kept. The key holds the version of the figures, so nothing
#: is served for figures it was not read from; the time only bounds the store.
KEPT_SECONDS = 24 * 3600


@dataclass
class IndicatorFigures:
    progress: list[progress.Progress]
    #: The (series, units) pairs, as :func:`selectors.indicator_series`.
    series: list[tuple[str, str]]
    #: Each dimension with its categories, as :func:`selectors.dimensions_of`.
    dimensions: dict[str, list[str]]
    #: The places with figures, by name, as :func:`selectors.observation_places`.
    places: list[Place]


def figures_read(indicator: Indicator) -> IndicatorFigures:
    """Everything read anew from the figures (what a changed version costs)."""
    return IndicatorFigures(
        progress=progress.indicator_progress(indicator),
        series=selectors.indicator_series(indicator),
        dimensions=selectors.dimensions_of(indicator),
        places=list(selectors.observation_places(indicator)),
    )


def indicator_figures(indicator: Indicator) -> IndicatorFigures:
    """What was kept for the indicator's figures as they stand; read now if nothing was."""
    # The version first, then the figures: see accord.evidence.figures_state.
    key = f"indicator-figures:{indicator.pk}:{figures_version(indicator.pk)}"
    kept = cache.get(key)
    if not isinstance(kept, IndicatorFigures):
        kept = figures_read(indicator)
        cache.set(key, kept, KEPT_SECONDS)
    return kept
