"""factory_boy factories for meetings and action points."""

from __future__ import annotations

import datetime as dt

import factory

from accord.core.models import Classification
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    AgendaItem,
    Meeting,
    MeetingStatus,
    MeetingTier,
)
from accord.partners.tests.factories import FrameworkFactory, OrganisationFactory


class MeetingTierFactory(factory.django.DjangoModelFactory[MeetingTier]):
    class Meta:
        model = MeetingTier
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tier{n}")
    name = factory.LazyAttribute(lambda t: f"Tier {t.code}")
    framework = factory.SubFactory(FrameworkFactory)


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    tier = factory.SubFactory(MeetingTierFactory)
    date = factory.Sequence(lambda n: dt.date(2013, 1, 1) + dt.timedelta(days=30 * n))
    city = "Brussels"
    status = MeetingStatus.HELD
    classification = Classification.PUBLIC


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Item {n}")


class ActionPointFactory(factory.django.DjangoModelFactory[ActionPoint]):
    class Meta:
        model = ActionPoint
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Action {n}")
    status = ActionPointStatus.OPEN
    classification = Classification.PUBLIC

    @factory.post_generation
    def owners(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create:
            self.owners.set(extracted or [OrganisationFactory()])
