"""The shape of an initiative as an import or a form gives it (its lines of places,
fundings and milestones), and the comparable form of a record and of an initiative that
tells whether a write would change anything. Written by :mod:`.records`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accord.commitments.models import Initiative, PlaceKind
from accord.core.dates import DatePrecision, iso_partial_date


@dataclass
class FundingLine:
    amount: Decimal | None
    currency: str
    funder: str = ""  # an acronym of a known organisation, or a free-text name
    value_date: dt.date | None = None


@dataclass
class PlaceLine:
    code: str  # M49
    kind: str = PlaceKind.COUNTRY
    percentage: Decimal | None = None


@dataclass
class MilestoneLine:
    on: dt.date
    title: str
    precision: str = DatePrecision.DAY
    done: bool = False


@dataclass
class InitiativeRecord:
    """An initiative as an import or a form gives it. ``None`` means "not given"."""

    title: dict[str, str]
    description: dict[str, str] | None = None
    kind: str | None = None
    status: str | None = None
    progress_override: int | None = None
    start_on: dt.date | None = None
    start_precision: str = DatePrecision.DAY
    end_on: dt.date | None = None
    end_precision: str = DatePrecision.DAY
    partner: str | None = None
    implementers: list[str] | None = None
    commitments: list[str] | None = None
    places: list[PlaceLine] | None = None
    fundings: list[FundingLine] | None = None
    milestones: list[MilestoneLine] | None = None
    iati_identifier: str | None = None
    external_ids: dict[str, str] | None = None
    sectors: list[dict[str, Any]] | None = None
    iati: dict[str, Any] | None = None
    classification: str | None = None
    source: str | None = None
    pk: int | None = None
    given: set[str] = field(default_factory=set)
    # Read from XML, whose text cannot hold control characters: nothing to strip.
    texts_clean: bool = False

    def __post_init__(self) -> None:
        """Fields passed with a value count as given; pass a name in ``given`` to clear one."""
        self.given.add("title")
        names = {"start_on": "start", "end_on": "end"}
        for name, value in vars(self).items():
            if value is not None and name not in {
                "given",
                "texts_clean",
                "pk",
                "start_precision",
                "end_precision",
            }:
                self.given.add(names.get(name, name))

    def canonical(self) -> dict[str, Any]:
        """The comparable form of what this record gives (see :func:`initiative_canonical`)."""
        full = {
            "title": self.title,
            "description": self.description,
            "kind": self.kind,
            "status": self.status,
            "progress_override": self.progress_override,
            "start": iso_partial_date(self.start_on, self.start_precision),
            "end": iso_partial_date(self.end_on, self.end_precision),
            "partner": self.partner,
            "implementers": sorted(self.implementers) if self.implementers is not None else None,
            "commitments": sorted(self.commitments) if self.commitments is not None else None,
            "places": _places_key(self.places),
            "fundings": _fundings_key(self.fundings),
            "milestones": _milestones_key(self.milestones),
            "iati_identifier": self.iati_identifier,
            "external_ids": self.external_ids,
            "sectors": self.sectors,
            "iati": self.iati,
            "classification": self.classification,
            "source": self.source,
        }
        return {key: value for key, value in full.items() if key in self.given}


def _places_key(places: Iterable[PlaceLine] | None) -> list[tuple[str, str, str]] | None:
    if places is None:
        return None
    return sorted(
        (p.code, p.kind, "" if p.percentage is None else f"{Decimal(p.percentage):.2f}")
        for p in places
    )


def _fundings_key(fundings: Iterable[FundingLine] | None) -> list[tuple[str, ...]] | None:
    if fundings is None:
        return None
    return sorted(
        (
            f.funder,
            "" if f.amount is None else f"{Decimal(f.amount):.2f}",
            f.currency,
            f.value_date.isoformat() if f.value_date else "",
        )
        for f in fundings
    )


def _milestones_key(milestones: Iterable[MilestoneLine] | None) -> list[tuple[str, ...]] | None:
    if milestones is None:
        return None
    return sorted((m.on.isoformat(), m.precision, m.title, str(m.done)) for m in milestones)


@dataclass
class Related:
    """An initiative's related rows as plain values, read in bulk by :func:`related_of`."""

    implementers: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    places: list[PlaceLine] = field(default_factory=list)
    fundings: list[FundingLine] = field(default_factory=list)
    milestones: list[MilestoneLine] = field(default_factory=list)


def related_of(pks: Iterable[int]) -> dict[int, Related]:
    """The related rows of the initiatives ``pks``: one query a relation, values only
    (no model instances, no querysets per initiative)."""
    from accord.commitments.models import Funding, InitiativePlace, Milestone

    pks = list(pks)
    related = {pk: Related() for pk in pks}
    implementers = Initiative.implementers.through.objects.filter(initiative_id__in=pks)
    for pk, acronym in implementers.values_list("initiative_id", "organisation__acronym"):
        related[pk].implementers.append(acronym)
    commitments = Initiative.commitments.through.objects.filter(initiative_id__in=pks)
    for pk, code in commitments.values_list("initiative_id", "commitment__code"):
        related[pk].commitments.append(code)
    places = InitiativePlace.objects.filter(initiative_id__in=pks)
    for pk, code, kind, percentage in places.values_list(
        "initiative_id", "code", "kind", "percentage"
    ):
        related[pk].places.append(PlaceLine(code, kind, percentage))
    fundings = Funding.objects.filter(initiative_id__in=pks).values_list(
        "initiative_id", "amount", "currency", "funder__acronym", "funder_name",
        "programme__code", "value_date",
    )  # fmt: skip
    for pk, amount, currency, acronym, name, programme, value_date in fundings:
        funder = acronym or name or programme or ""  # as Funding.funder_display
        related[pk].fundings.append(FundingLine(amount, currency, funder, value_date))
    milestones = Milestone.objects.filter(initiative_id__in=pks)
    for pk, on, title, precision, done in milestones.values_list(
        "initiative_id", "on", "title", "precision", "done"
    ):
        related[pk].milestones.append(MilestoneLine(on, title, precision, done))
    return related


def initiative_canonical(initiative: Initiative, lines: Related) -> dict[str, Any]:
    """An initiative in the comparable form of :meth:`InitiativeRecord.canonical`, its
    relations as :func:`related_of` read them."""
    return {
        "title": initiative.title,
        "description": initiative.description,
        "kind": initiative.kind,
        "status": initiative.status,
        "progress_override": initiative.progress_override,
        "start": iso_partial_date(initiative.start_on, initiative.start_precision),
        "end": iso_partial_date(initiative.end_on, initiative.end_precision),
        "partner": initiative.partner.acronym if initiative.partner else None,
        "implementers": sorted(lines.implementers),
        "commitments": sorted(lines.commitments),
        "places": _places_key(lines.places),
        "fundings": _fundings_key(lines.fundings),
        "milestones": _milestones_key(lines.milestones),
        "iati_identifier": initiative.iati_identifier,
        "external_ids": initiative.external_ids,
        "sectors": initiative.sectors,
        "iati": initiative.iati,
        "classification": initiative.classification,
        "source": initiative.source,
    }
