"""What commitments, initiatives and indicators put in the index."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from accord.commitments.models import Commitment, Initiative
from accord.commitments.texts import localized
from accord.evidence.models import Indicator
from accord.search.entry import Entry, _clip, _instruments_of
from accord.search.models import Kind
from accord.search.text import joined


def _texts(values: dict[str, str] | None) -> list[str]:
    return [text for text in (values or {}).values() if text]


def _commitment_entries(commitment: Commitment) -> list[Entry]:
    with translation.override("en"):
        title = localized(commitment.title)
    return [
        Entry(
            Kind.COMMITMENT,
            commitment.pk,
            title=f"{commitment.code} {title}".strip(),
            body=_clip(joined([*_texts(commitment.title), *_texts(commitment.description)])),
            url=reverse("commitment-detail", args=[commitment.code]),
            date=commitment.target_date,
            instruments=[commitment.instrument.code],
        )
    ]


def _initiative_entries(initiative: Initiative) -> list[Entry]:
    with translation.override("en"):
        title = localized(initiative.title) or f"Initiative {initiative.pk}"
    partners = {o.acronym for o in initiative.implementers.all()}
    if initiative.partner is not None:
        partners.add(initiative.partner.acronym)
    return [
        Entry(
            Kind.INITIATIVE,
            initiative.pk,
            title=title,
            body=_clip(
                joined(
                    [
                        *_texts(initiative.title),
                        *_texts(initiative.description),
                        initiative.iati_identifier,
                    ]
                )
            ),
            url=reverse("initiative-detail", args=[initiative.pk]),
            date=initiative.start_on,
            partners=sorted(partners),
            instruments=sorted({c.instrument.code for c in initiative.commitments.all()}),
        )
    ]


def _indicator_entries(indicator: Indicator) -> list[Entry]:
    codes = [link.commitment_code for link in indicator.commitment_links.all()]
    return [
        Entry(
            Kind.INDICATOR,
            indicator.pk,
            title=f"{indicator.code}: {indicator.name}",
            body=_clip(
                joined(
                    [
                        indicator.definition,
                        indicator.unit,
                        indicator.source_organisation,
                        indicator.sdg_code,
                    ]
                )
            ),
            url=reverse("indicator-detail", args=[indicator.code]),
            partners=[indicator.organisation.acronym] if indicator.organisation else [],
            instruments=_instruments_of(codes),
        )
    ]
