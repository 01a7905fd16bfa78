"""The progress side of a commitment's trail: the initiatives implementing it with their
verified progress per cycle, and the indicators evidencing it with their latest value and
progress status by the Open SDG method.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from accord.commitments.models import Commitment, CycleEntry, EntryState, Initiative
from accord.commitments.texts import localized
from accord.core.links import url_of
from accord.evidence.models import Indicator, Observation
from accord.evidence.progress import progress_by_indicator
from accord.reports.trail_items import TrailItem

if TYPE_CHECKING:
    from accord.access.permissions import Actor

# The worst first: the status an indicator's trail item shows is its worst place's.
PROGRESS_ORDER = ("deterioration", "negligible", "moderate", "substantial", "target_achieved")


def initiative_items(user: Actor, commitment: Commitment) -> list[TrailItem]:
    """The initiatives implementing the commitment the reader may see, and each one's
    verified progress per cycle."""
    linked = Initiative.objects.visible_to(user).filter(commitment_links__commitment=commitment)
    rows = list(linked.values_list("pk", "title", "start_on", "status", "progress"))
    statuses = {
        value: str(label) for value, label in Initiative._meta.get_field("status").choices or []
    }
    titles: dict[int, str] = {}
    out: list[TrailItem] = []
    initiative_url = url_of("initiative-detail")
    implementing = _("initiative implementing %(code)s") % {"code": commitment.code}
    in_cycle = _("%(initiative)s in the %(cycle)s cycle")
    verified_tie = _("verified progress of an initiative implementing %(code)s") % {
        "code": commitment.code
    }
    verified = _("%(progress)s%% verified")
    for pk, title, start, status, progress in rows:
        name = _localized(title) or f"#{pk}"
        titles[pk] = name
        out.append(
            TrailItem(
                date=start,
                kind="initiative",
                title=name,
                url=initiative_url(pk),
                tie=implementing,
                state=f"{statuses.get(status, status)}, {progress}%",
                key=("initiative", pk),
            )
        )
    # Of the initiatives read above (visible and linked): the subquery is bounded by the
    # link's index. Visible alone, it named every initiative the reader may see (23 ms of
    # the trail's 25 ms of statements at 200,000 initiatives).
    entries = CycleEntry.objects.filter(
        initiative__in=linked.values("pk"), state=EntryState.VERIFIED
    ).values_list(
        "pk", "initiative_id", "cycle__name", "cycle__closes_on", "submitted_at", "progress"
    )
    for pk, initiative_id, cycle, closes_on, submitted_at, progress in entries:
        out.append(
            TrailItem(
                date=submitted_at.date() if submitted_at else closes_on,
                kind="cycle_entry",
                title=in_cycle % {"initiative": titles[initiative_id], "cycle": cycle},
                url=initiative_url(initiative_id),
                tie=verified_tie,
                state=verified % {"progress": progress or 0},
                key=("cycle_entry", pk),
            )
        )
    return out


def _localized(texts: Any) -> str:
    return localized(texts) if isinstance(texts, dict) else str(texts or "")


def progress_summary(results: list[Any]) -> tuple[str, str]:
    """(status, words) of an indicator's progress by the Open SDG method (its
    :class:`~accord.evidence.progress.Progress` per place): its worst place's status,
    named; ("", "") when no place has a measurable series."""
    if not results:
        return "", ""
    worst = min(results, key=lambda p: PROGRESS_ORDER.index(p.status))
    words = f"{worst.label} ({worst.place})"
    if len(results) > 1:
        words = _("%(status)s, the worst of %(places)s places") % {
            "status": words,
            "places": len(results),
        }
    return worst.status, words


def _latest(indicator_ids: list[int]) -> dict[int, tuple[dt.date, float, str]]:
    """Each indicator's latest total (its period start, value and place), in one query."""
    latest: dict[int, tuple[dt.date, float, str]] = {}
    rows = (
        Observation.objects.filter(indicator_id__in=indicator_ids, disaggregation_key="")
        .order_by("indicator_id", "-period_start")
        .values_list("indicator_id", "period_start", "value", "place__name")
    )
    for indicator_id, start, value, place in rows:
        latest.setdefault(indicator_id, (start, value, place))
    return latest


def indicator_items(user: Actor, code: str) -> list[TrailItem]:
    """The indicators evidencing ``code``, each with its latest value and progress status."""
    out: list[TrailItem] = []
    indicators = list(
        Indicator.objects.visible_to(user).filter(commitment_links__commitment_code=code).distinct()
    )
    progress = progress_by_indicator(indicators)
    latest_of = _latest([indicator.pk for indicator in indicators])
    indicator_url = url_of("indicator-detail")
    for indicator in indicators:
        latest = latest_of.get(indicator.pk)
        _status, words = progress_summary(progress.get(indicator.pk, []))
        state = []
        if latest is not None:
            start, value, place = latest
            state.append(
                _("latest %(value)s %(unit)s (%(year)s, %(place)s)")
                % {
                    "value": f"{value:,g}",
                    "unit": indicator.unit,
                    "year": start.year,
                    "place": place,
                }
            )
        if words:
            state.append(words)
        out.append(
            TrailItem(
                date=latest[0] if latest else None,
                kind="indicator",
                title=f"{indicator.code}: {indicator.name}",
                url=indicator_url(indicator.code),
                tie=_("indicator evidencing %(code)s") % {"code": code},
                state="; ".join(state) or _("no data"),
                key=("indicator", indicator.pk),
            )
        )
    return out
