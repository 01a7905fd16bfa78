"""A partner's profile over time: its names, memberships, people and their positions,
the meetings it attended, its initiatives, its action points and its reporting in each
cycle. Other apps are read through their models only when they are installed, each as
the reader may see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

from accord.core.errors import Invalid
from accord.partners.models import Organisation, OrganisationName
from accord.partners.selectors import person_roles_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    Reader = AbstractBaseUser | AnonymousUser | None


def parse_on(value: str | None) -> dt.date | None:
    """``?on=2015-06-01``: a day, or nothing for today."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise Invalid(
            f"on={value!r} is not a date: give it as YYYY-MM-DD.", details={"on": ["invalid"]}
        ) from error


@dataclass
class Profile:
    organisation: Organisation
    on: dt.date
    name_then: OrganisationName | None
    people_roles: list[Any]
    meetings: list[tuple[Any, bool | None]] = field(default_factory=list)
    initiatives: list[Any] = field(default_factory=list)
    initiative_count: int = 0
    action_points: Any = None
    reporting: list[tuple[Any, dict[str, int]]] = field(default_factory=list)

    @property
    def acronym_then(self) -> str:
        return self.name_then.acronym if self.name_then else self.organisation.acronym

    @property
    def full_name_then(self) -> str:
        return self.name_then.name if self.name_then else self.organisation.name

    @property
    def renamed_since(self) -> bool:
        return self.acronym_then != self.organisation.acronym


# The sections other apps add to a partner's profile: (app, function by dotted path). A
# section shows when its app is installed; the function is imported only then.
SECTIONS: dict[str, tuple[str, str]] = {
    "meetings": ("accord.meetings", "accord.meetings.partner_profile.partner_meetings"),
    "action_points": ("accord.meetings", "accord.meetings.partner_profile.partner_action_points"),
    "initiatives": (
        "accord.commitments",
        "accord.commitments.partner_profile.partner_initiatives",
    ),
    "reporting": ("accord.commitments", "accord.commitments.partner_profile.partner_reporting"),
}


def _section(name: str, **arguments: Any) -> Any:
    app, path = SECTIONS[name]
    if not apps.is_installed(app):
        return None
    return import_string(path)(**arguments)


def partner_profile(*, user: Reader, organisation: Organisation, on: dt.date | None) -> Profile:
    today = timezone.localdate()
    day = on or today
    profile = Profile(
        organisation=organisation,
        on=day,
        name_then=organisation.name_on(day),
        people_roles=list(person_roles_visible(user=user, organisation=organisation)),
    )
    reader = {"user": user, "organisation": organisation}
    profile.meetings = _section("meetings", **reader) or []
    profile.action_points = _section("action_points", **reader, today=today)
    profile.initiatives, profile.initiative_count = _section("initiatives", **reader) or ([], 0)
    profile.reporting = _section("reporting", **reader) or []
    return profile
