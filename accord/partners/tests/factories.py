"""factory_boy factories for partners, frameworks, memberships and users."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from accord.core.models import Classification
from accord.partners.models import (
    Framework,
    Membership,
    MembershipInstrument,
    Organisation,
    OrganisationKind,
    Person,
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-password")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organisation {o.acronym}")
    kind = OrganisationKind.OTHER


class FrameworkFactory(factory.django.DjangoModelFactory[Framework]):
    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.LazyAttribute(lambda f: f"Framework {f.code}")
    established_on = dt.date(2012, 7, 1)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    framework = factory.SubFactory(FrameworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = dt.date(2012, 7, 1)
    instrument = MembershipInstrument.FOUNDING


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    classification = Classification.MEMBERS
