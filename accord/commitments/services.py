"""Writes about instruments, their commitments, and exchange rates. One transaction each.

Only the secretariat edits instruments and commitments (see
:mod:`accord.commitments.permissions`). Initiatives are written in
:mod:`accord.commitments.initiatives`, reporting cycles in :mod:`accord.commitments.cycles`,
and the records shared with the importers live in :mod:`accord.commitments.records`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.models import Commitment, ExchangeRate, Instrument
from accord.core.errors import Invalid
from accord.core.services import full_clean_or_invalid, model_update


@transaction.atomic
def instrument_create(
    *, user: Actor, code: str, name: str, adopted_on: dt.date | None = None, venue: str = ""
) -> Instrument:
    require(permissions.can_edit_instruments(user), permissions.secretariat_only("add instruments"))
    instrument = Instrument(code=code, name=name, adopted_on=adopted_on, venue=venue)
    full_clean_or_invalid(instrument)
    instrument.save()
    return instrument


def instrument_update(
    *, user: Actor, instrument: Instrument, data: dict[str, Any], version: int | None
) -> Instrument:
    require(
        permissions.can_edit_instruments(user), permissions.secretariat_only("edit instruments")
    )
    return model_update(instance=instrument, data=data, version=version)


@transaction.atomic
def commitment_create(
    *,
    user: Actor,
    instrument: Instrument,
    code: str,
    title: dict[str, str],
    parent: Commitment | None = None,
    description: dict[str, str] | None = None,
    target_date: dt.date | None = None,
    position: int = 0,
) -> Commitment:
    require(permissions.can_edit_instruments(user), permissions.secretariat_only("add commitments"))
    if parent is not None and parent.instrument_id != instrument.pk:
        raise Invalid(_("A commitment's parent must belong to the same instrument."))
    commitment = Commitment(
        instrument=instrument,
        parent=parent,
        code=code,
        title=title,
        description=description or {},
        target_date=target_date,
        position=position,
    )
    commitment.path = commitment.computed_path()
    full_clean_or_invalid(commitment)
    commitment.save()
    return commitment


# --- exchange rates ----------------------------------------------------------------------


def exchange_rate_set(*, currency: str, date: dt.date, per_eur: Decimal) -> ExchangeRate:
    rate, _created = ExchangeRate.objects.update_or_create(
        currency=currency.upper(), date=date, defaults={"per_eur": per_eur}
    )
    full_clean_or_invalid(rate)
    return rate
