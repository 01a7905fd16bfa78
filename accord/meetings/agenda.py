"""The agenda of a meeting: items and sub-items, their order, the time they take, and
its publication. Until it is published an agenda is a draft only the secretariat reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Invalid
from accord.core.services import full_clean_or_invalid
from accord.meetings.models import AgendaItem, Meeting
from accord.meetings.permissions import can_edit_agenda

if TYPE_CHECKING:
    from accord.access.permissions import Actor
    from accord.meetings.selectors import AgendaEntry


REFUSED = "Only the secretariat may set the agenda, and not of a closed meeting."


def total_minutes(tree: Sequence[AgendaEntry]) -> int:
    """The planned time of the whole agenda (an item without its own time counts its
    sub-items')."""
    return sum(entry.minutes for entry in tree)


def agenda_warnings(meeting: Meeting, tree: Sequence[AgendaEntry]) -> list[str]:
    """Warnings, not refusals: sub-items planned longer than their item, and an agenda
    longer than the meeting's slot. The secretariat decides."""
    warnings: list[str] = []

    def walk(entries: Sequence[AgendaEntry]) -> None:
        for entry in entries:
            own = entry.item.planned_minutes
            inside = sum(child.minutes for child in entry.children)
            if own is not None and entry.children and inside > own:
                warnings.append(
                    _(
                        "The sub-items of %(number)s. %(title)s plan %(inside)s minutes, "
                        "%(over)s more than the item's %(own)s."
                    )
                    % {
                        "number": entry.number,
                        "title": entry.item.title,
                        "inside": inside,
                        "over": inside - own,
                        "own": own,
                    }
                )
            walk(entry.children)

    walk(tree)
    slot = meeting.slot_minutes
    planned = total_minutes(tree)
    if slot is not None and planned > slot:
        warnings.append(
            _(
                "The agenda plans %(planned)s minutes but the meeting's slot is %(slot)s "
                "minutes (%(over)s over)."
            )
            % {"planned": planned, "slot": slot, "over": planned - slot}
        )
    return warnings


def _parent_of(meeting: Meeting, parent_id: int | None) -> AgendaItem | None:
    if parent_id is None:
        return None
    parent = AgendaItem.objects.filter(meeting=meeting, pk=parent_id).first()
    if parent is None:
        raise Invalid(
            f"This meeting has no agenda item {parent_id}.", details={"parent": ["unknown"]}
        )
    if parent.parent_id is not None:
        raise Invalid(
            "Sub-items go under a top-level item: the agenda has two levels.",
            details={"parent": ["too deep"]},
        )
    return parent


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    planned_minutes: int | None = None,
    parent: int | None = None,
    description: str = "",
    standing: bool = False,
    by: Actor = None,
) -> AgendaItem:
    """An item at the end of the agenda, or a sub-item at the end of item ``parent``."""
    require(can_edit_agenda(by, meeting), REFUSED)
    parent_item = _parent_of(meeting, parent)
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent_item).aggregate(
        last=Max("position")
    )["last"]
    item = AgendaItem(
        meeting=meeting,
        parent=parent_item,
        position=1 if last is None else last + 1,
        title=title.strip(),
        description=description,
        planned_minutes=planned_minutes,
        standing=standing,
    )
    full_clean_or_invalid(item)
    item.save()
    return item


@transaction.atomic
def agenda_reorder(
    *, meeting: Meeting, order: Sequence[int], parent: int | None = None, by: Actor = None
) -> list[AgendaItem]:
    """Put the items directly under ``parent`` (the top level when None) in ``order``,
    which names every one of them once."""
    require(can_edit_agenda(by, meeting), REFUSED)
    parent_item = _parent_of(meeting, parent)
    siblings = {
        item.pk: item
        for item in AgendaItem.objects.select_for_update().filter(
            meeting=meeting, parent=parent_item
        )
    }
    if sorted(order) != sorted(siblings):
        raise Invalid(
            "Give the order of every item at that level once: "
            f"expected {sorted(siblings)}, got {list(order)}.",
            details={"order": ["incomplete"]},
        )
    now = timezone.now()
    for position, pk in enumerate(order, start=1):
        siblings[pk].position = position
        siblings[pk].updated_at = now
    AgendaItem.objects.bulk_update(siblings.values(), ["position", "updated_at"])
    return [siblings[pk] for pk in order]


def agenda_item_move(*, item: AgendaItem, step: int, by: Actor = None) -> AgendaItem:
    """One place earlier (``step=-1``) or later (``step=1``) among its siblings."""
    order = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    target = max(0, min(len(order) - 1, index + step))
    order.insert(target, order.pop(index))
    agenda_reorder(meeting=item.meeting, order=order, parent=item.parent_id, by=by)
    return item


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: Actor = None) -> Meeting:
    """Publish the draft agenda: from now on whoever reads the meeting reads it."""
    require(can_edit_agenda(by, meeting), REFUSED)
    if meeting.agenda_published_at is not None:
        raise Invalid("This agenda is published already.")
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise Invalid("An empty agenda cannot be published: add its items first.")
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "updated_at"])
    audit_record(
        actor=by,
        verb="agenda.published",
        target=meeting,
        data={"items": AgendaItem.objects.filter(meeting=meeting).count()},
    )
    return meeting
