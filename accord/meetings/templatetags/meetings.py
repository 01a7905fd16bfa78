"""Template helpers for meetings: a partner under the name it bore on the meeting date."""

from __future__ import annotations

import datetime as dt

from django import template

from accord.partners.models import Organisation

register = template.Library()


@register.filter
def acronym_on(organisation: Organisation | None, on: dt.date) -> str:
    """``{{ participant.organisation|acronym_on:meeting.date }}``: DG DEVCO in 2016, DG
    INTPA in 2022 (reads the prefetched names)."""
    if organisation is None:
        return ""
    then = organisation.name_on(on)
    return then.acronym if then else organisation.acronym
