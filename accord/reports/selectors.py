"""Reads: press releases as the reader may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accord.core.selectors import get_visible
from accord.reports.models import PressRelease, PressReleaseStatus

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def published_press_releases() -> QuerySet:
    """Published releases, newest first: public whoever reads them."""
    return (
        PressRelease.objects.visible_to(None)
        .filter(status=PressReleaseStatus.PUBLISHED)
        .select_related("meeting__tier")
        .order_by("-published_at", "-pk")
    )


def press_release_list(*, user: Actor) -> QuerySet:
    """Everything the reader may see: drafts too for the secretariat and members."""
    return (
        PressRelease.objects.visible_to(user)
        .select_related("meeting__tier")
        .order_by("status", "-published_at", "-pk")
    )


def published_press_release_get(slug: str) -> PressRelease:
    release: PressRelease = get_visible(
        PressRelease.objects.filter(status=PressReleaseStatus.PUBLISHED), user=None, slug=slug
    )
    return release


def press_release_get(*, user: Actor, pk: int) -> PressRelease:
    release: PressRelease = get_visible(PressRelease.objects, user=user, pk=pk)
    return release
