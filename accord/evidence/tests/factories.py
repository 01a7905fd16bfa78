"""factory_boy factories for indicators, places, datasets and observations."""

from __future__ import annotations

import datetime as dt

import factory

from accord.evidence.models import (
    Dataset,
    DatasetKind,
    Indicator,
    Observation,
    PeriodPrecision,
    Place,
    PlaceKind,
)


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND_{n}")
    name = factory.LazyAttribute(lambda i: f"Indicator {i.code}")
    unit = "persons"


class PlaceFactory(factory.django.DjangoModelFactory[Place]):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ROUTE_{n}")
    name = factory.LazyAttribute(lambda p: f"Place {p.code}")
    kind = PlaceKind.ROUTE


class DatasetFactory(factory.django.DjangoModelFactory[Dataset]):
    class Meta:
        model = Dataset
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"dataset-{n}")
    kind = DatasetKind.TIDY_CSV


class ObservationFactory(factory.django.DjangoModelFactory[Observation]):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    place = factory.SubFactory(PlaceFactory)
    period_start = dt.date(2020, 1, 1)
    period_end = factory.LazyAttribute(lambda o: dt.date(o.period_start.year, 12, 31))
    period_precision = PeriodPrecision.YEAR
    value = 1.0
