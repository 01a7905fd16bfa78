"""factory_boy factories for initiatives."""

from __future__ import annotations

import datetime as dt

import factory

from accord.commitments.models import Initiative, InitiativeStatus
from accord.core.models import Classification


class InitiativeFactory(factory.django.DjangoModelFactory[Initiative]):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: {"en": f"Initiative {n}"})
    status = InitiativeStatus.ONGOING
    start_on = dt.date(2020, 1, 1)
    classification = Classification.MEMBERS
