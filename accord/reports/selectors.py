"""Reads: press releases as the reader may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accord.core.selectors import get_visible
from accord.meetings.models import Meeting
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


def readable_press_releases(user: Actor) -> QuerySet:
    """The releases ``user`` may read: published ones, and drafts classified for them whose
    meeting they may read too (a draft tells what its meeting is)."""
    return PressRelease.objects.visible_to(user).filter(
        Q(status=PressReleaseStatus.PUBLISHED)
        | Q(meeting__isnull=True)
        | Q(meeting__in=Meeting.objects.visible_to(user).values("pk"))
    )


def press_release_list(*, user: Actor) -> QuerySet:
    """Everything the reader may see: drafts too for the secretariat and members."""
    return (
        readable_press_releases(user)
        .select_related("meeting__tier")
        .order_by("status", "-published_at", "-pk")
    )


def published_press_release_get(slug: str) -> PressRelease:
    release: PressRelease = get_visible(
        PressRelease.objects.filter(status=PressReleaseStatus.PUBLISHED), user=None, slug=slug
    )
    return release


def press_release_get(*, user: Actor, pk: int) -> PressRelease:
    release: PressRelease = get_visible(readable_press_releases(user), user=user, pk=pk)
    return release
