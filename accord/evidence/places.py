"""Places by UN M49 code, ISO 3166 alpha-2 or alpha-3 code, or a name the record knows.

Countries, M49 regions and the record's named routes and groups come from the one
registry of :mod:`accord.core.places`; a place is saved the first time it is used
(routes and groups an administrator adds exist once saved).
An unknown code is an error, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.core import places
from accord.evidence.models import Place


def _standard_place(code: str) -> Place | None:
    """The country, M49 region or named place a code names, from the registry of
    :mod:`accord.core.places` (not saved). DAC regions are not places of figures."""
    found = places.place(code)
    if found is None or found.kind == places.DAC_REGION:
        return None
    return Place(
        code=found.code, name=found.name, kind=found.kind, iso2=found.iso2, iso3=found.iso3
    )


@dataclass
class PlaceResolver:
    """Resolves place codes to places for one import or one request, without writing.

    Standard places not yet in the database are created by :meth:`save_new` (inside
    the import's transaction), so a refused import leaves no trace.
    """

    known: dict[str, Place] = field(default_factory=dict)
    new: dict[str, Place] = field(default_factory=dict)
    misses: set[str] = field(default_factory=set)

    @classmethod
    def from_database(cls) -> PlaceResolver:
        resolver = cls()
        for place in Place.objects.all():
            resolver.known[place.code.upper()] = place
            if place.iso2:
                resolver.known[place.iso2.upper()] = place
            if place.iso3:
                resolver.known[place.iso3.upper()] = place
        return resolver

    def resolve(self, code: str) -> Place | None:
        key = code.strip().upper()
        if not key or key in self.misses:
            return None
        if key.isdigit() and len(key) <= 3:
            key = key.zfill(3)
        place = self.known.get(key)
        if place is not None:
            return place
        place = _standard_place(key)
        if place is None:
            self.misses.add(key)
            return None
        existing = self.known.get(place.code) or self.new.get(place.code)
        if existing is not None:
            self.known[key] = existing
            return existing
        self.new[place.code] = place
        self.known[key] = place
        return place

    def save_new(self) -> int:
        """Save the standard places met for the first time; their ids fill in."""
        if not self.new:
            return 0
        created = Place.objects.bulk_create(list(self.new.values()))
        if created and created[0].pk is None:  # backends that return no ids
            ids = dict(Place.objects.filter(code__in=list(self.new)).values_list("code", "id"))
            for place in self.new.values():
                place.pk = ids[place.code]
        count = len(self.new)
        self.new = {}
        return count


def place_find(code: str) -> Place | None:
    """The place a code names, read only: a saved place, or an unsaved standard one
    (a valid M49 or ISO code that has no data yet); None for an unknown code."""
    text = code.strip()
    if not text:
        return None
    wanted = text.zfill(3) if text.isdigit() and len(text) <= 3 else text
    saved = (
        Place.objects.filter(code__iexact=wanted).first()
        or (len(text) == 3 and Place.objects.filter(iso3__iexact=text).first())
        or (len(text) == 2 and Place.objects.filter(iso2__iexact=text).first())
    )
    if saved:
        return saved
    standard = _standard_place(wanted)
    if standard is None:
        return None
    return Place.objects.filter(code=standard.code).first() or standard
