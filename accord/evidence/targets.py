"""Targets per place and per year on indicators: who sets them, and which one applies.

Progress in a place is measured against that place's own target (the first target year
at or after the latest figure, else the last one); the indicator-wide ``target_value``
applies only to places that have no target of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import Actor, require
from accord.core.errors import Invalid, NotFound
from accord.core.services import full_clean_or_invalid
from accord.evidence.models import Indicator, IndicatorTarget, Place
from accord.evidence.permissions import can_set_targets


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    place_specific: bool


def place_for_code(code: str) -> Place:
    place = Place.objects.filter(code__iexact=code.strip()).first() or (
        Place.objects.filter(iso3__iexact=code.strip()).first() if code.strip() else None
    )
    if place is None:
        raise Invalid(_("place: no place has the code %(code)s.") % {"code": code})
    return place


@transaction.atomic
def indicator_target_set(
    *, user: Actor, indicator: Indicator, place: Place, year: int, value: float, note: str = ""
) -> IndicatorTarget:
    """Set (or replace) the indicator's target for ``place`` in ``year``."""
    require(
        can_set_targets(user, indicator), _("Only the secretariat may set indicators' targets.")
    )
    if not 1900 <= year <= 2100:
        raise Invalid(_("year: give a year between 1900 and 2100."))
    target, _created = IndicatorTarget.objects.get_or_create(
        indicator=indicator, place=place, year=year, defaults={"value": value, "note": note}
    )
    target.value, target.note = value, note
    full_clean_or_invalid(target)
    target.save()
    audit_record(
        actor=user,
        verb="indicator.target_set",
        target=indicator,
        data={"place": place.code, "year": year, "value": value},
    )
    return target


@transaction.atomic
def indicator_target_remove(*, user: Actor, indicator: Indicator, pk: int) -> None:
    require(
        can_set_targets(user, indicator), _("Only the secretariat may set indicators' targets.")
    )
    target = IndicatorTarget.objects.filter(indicator=indicator, pk=pk).select_related("place")
    found = target.first()
    if found is None:
        raise NotFound(_("No such target."))
    audit_record(
        actor=user,
        verb="indicator.target_removed",
        target=indicator,
        data={"place": found.place.code, "year": found.year, "value": found.value},
    )
    found.delete()


def indicator_targets(indicator: Indicator) -> list[IndicatorTarget]:
    return list(indicator.targets.select_related("place").order_by("place__name", "year"))


def targets_by_place(indicator: Indicator) -> dict[int, list[tuple[int, float]]]:
    """Each place's (year, value) targets, by place id, in year order."""
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    rows = indicator.targets.order_by("year").values_list("place_id", "year", "value")
    for place_id, year, value in rows:
        found[place_id].append((year, value))
    return found


def target_for(
    indicator: Indicator, own: Iterable[tuple[int, float]], current_year: int
) -> Target | None:
    """The target that applies: the place's own (the next one due, else the last), or the
    indicator-wide one when the place has none."""
    own = list(own)
    if own:
        year, value = next(((y, v) for y, v in own if y >= current_year), own[-1])
        return Target(value=value, year=year, place_specific=True)
    if indicator.has_target:
        return Target(
            value=float(indicator.target_value),  # type: ignore[arg-type]
            year=int(indicator.target_year),  # type: ignore[arg-type]
            place_specific=False,
        )
    return None
