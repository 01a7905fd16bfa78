"""What press releases put in the index, and which of them a reader may see: the press
pages' own reading rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse

from accord.search.entry import Entry, _clip, _date
from accord.search.models import Kind

if TYPE_CHECKING:
    from accord.core.readers import Actor


def _press_model() -> type[Model]:
    return apps.get_model("reports", "PressRelease")


def _press_visible(user: Actor) -> QuerySet:
    # Reports and search share a layer and do not import each other's modules; the
    # press pages' reading rule is reached through the reports app's selectors.
    from accord.reports.selectors import readable_press_releases

    return readable_press_releases(user)


def _press_entries(release: Any) -> list[Entry]:
    if release.is_published:
        url = reverse("press-detail", args=[release.slug])
    else:
        url = reverse("press-release-edit", args=[release.pk])
    return [
        Entry(
            Kind.PRESS_RELEASE,
            release.pk,
            title=release.title,
            body=_clip(release.body),
            url=url,
            meeting_id=None,
            date=_date(release.published_at) or (release.meeting.date if release.meeting else None),
        )
    ]
