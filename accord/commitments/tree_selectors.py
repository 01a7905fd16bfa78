"""Reads about instruments and their commitment trees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from accord.commitments.models import Commitment, Instrument
from accord.core.errors import NotFound

if TYPE_CHECKING:
    from accord.commitments.coverage_selectors import NodeCoverage


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.annotate(commitment_count=Count("commitments")).order_by(
        "adopted_on", "code"
    )


def instrument_get(code: str) -> Instrument:
    instrument = Instrument.objects.filter(code__iexact=code).first()
    if instrument is None:
        raise NotFound(f"No instrument has the code {code!r}.")
    return instrument


def commitment_get(code: str) -> Commitment:
    commitment = Commitment.objects.select_related("instrument", "parent").filter(code=code).first()
    if commitment is None:
        raise NotFound(f"No commitment has the code {code!r}.")
    return commitment


@dataclass
class Node:
    commitment: Commitment
    children: list[Node] = field(default_factory=list)
    coverage: NodeCoverage | None = None

    @property
    def code(self) -> str:
        return self.commitment.code

    def walk(self) -> list[Node]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def commitment_tree(instrument: Instrument) -> list[Node]:
    """The instrument's commitments as a tree, children in their given order (one query)."""
    nodes = {
        c.pk: Node(c) for c in Commitment.objects.filter(instrument=instrument).order_by("path")
    }
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.commitment.parent_id or 0)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.commitment.position, n.code))
    roots.sort(key=lambda n: (n.commitment.position, n.code))
    return roots
