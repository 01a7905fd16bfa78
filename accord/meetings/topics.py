"""Topics of meetings and agenda items as records: the commitments each is about, and the
topics a commitment is discussed under."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import NotFound
from accord.meetings.decisions import check_commitment_codes, clean_codes
from accord.meetings.models import Topic, TopicCommitment
from accord.meetings.permissions import can_manage_meetings

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def topic_get(slug: str) -> Topic:
    """A topic by its slug. Topics are names of subjects, public like the tiers."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise NotFound(f"No topic {slug!r}.")
    return topic


def topic_codes(topic: Topic) -> list[str]:
    return list(topic.commitment_links.values_list("commitment_code", flat=True))


def topic_commitments_set(
    *, topic: Topic, codes: Iterable[str], by: Actor, check: bool = True
) -> list[str]:
    """Link ``topic`` to exactly these commitment codes (an unknown code answers 422
    unless ``check`` is off, as when the reference record loads its own codes)."""
    require(can_manage_meetings(by), "Only the secretariat may link topics to commitments.")
    wanted = check_commitment_codes(codes) if check else clean_codes(codes)
    with transaction.atomic():
        current = set(topic_codes(topic))
        topic.commitment_links.exclude(commitment_code__in=wanted).delete()
        TopicCommitment.objects.bulk_create(
            [TopicCommitment(topic=topic, commitment_code=code) for code in wanted],
            ignore_conflicts=True,
        )
        if current != set(wanted):
            audit_record(
                actor=by,
                verb="topic.linked",
                target=topic,
                data={"commitments": wanted, "before": sorted(current)},
            )
    return wanted


def topics_for_commitment(codes: Iterable[str]) -> list[Topic]:
    """The topics linked to any of these commitment codes."""
    return list(Topic.objects.filter(commitment_links__commitment_code__in=list(codes)).distinct())
