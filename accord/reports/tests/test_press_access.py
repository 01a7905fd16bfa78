"""A draft press release reads as its meeting does; the counts in its text are of the
meetings its reader, the public, may see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.models import Classification
from accord.meetings import services as meetings
from accord.meetings.selectors import meeting_get
from accord.partners.models import Organisation
from accord.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_meeting(reference, secretariat):
    meeting = meeting_get(user=None, key="som-4")
    meetings.meeting_update(
        meeting=meeting,
        data={"classification": Classification.RESTRICTED, "city": "Secretville"},
        version=meeting.version,
        by=secretariat,
    )
    meeting.restricted_to.set([Organisation.objects.get(acronym="IOM")])
    return meeting_get(user=secretariat, key="som-4")


def test_a_draft_for_a_restricted_meeting_is_restricted_like_it(
    restricted_meeting, secretariat, member, make_user
):
    release = services.press_release_create_draft(meeting=restricted_meeting, by=secretariat)
    assert release.classification == Classification.RESTRICTED
    assert list(release.restricted_to.values_list("acronym", flat=True)) == ["IOM"]
    reader = Client()
    reader.force_login(member)  # EEAS: not named
    assert release.title not in reader.get(reverse("report-list")).content.decode()
    for fmt in ("md", "html", "docx"):
        url = reverse("press-release-download", args=[release.pk, fmt])
        assert reader.get(url).status_code == 404
    iom = Client()
    iom.force_login(make_user("iom-member", ("IOM", "member")))
    assert iom.get(reverse("press-release-download", args=[release.pk, "md"])).status_code == 200


def test_an_earlier_members_draft_of_a_restricted_meeting_stays_hidden(
    restricted_meeting, secretariat, member
):
    release = services.press_release_create_draft(meeting=restricted_meeting, by=secretariat)
    release.classification = Classification.MEMBERS  # as drafts were classified before
    release.save()
    reader = Client()
    reader.force_login(member)
    assert "Secretville" not in reader.get(reverse("report-list")).content.decode()
    url = reverse("press-release-download", args=[release.pk, "html"])
    assert reader.get(url).status_code == 404


def test_counts_in_the_text_are_of_public_meetings(reference, secretariat):
    from accord.meetings.models import MeetingTier

    expert = MeetingTier.objects.get(code="expert")
    for date, classification in (("2015-03-01", "public"), ("2015-06-01", "restricted")):
        meetings.meeting_create(
            tier=expert, date=date, classification=classification, by=secretariat
        )
    release = services.press_release_create_draft(
        meeting=meeting_get(user=None, key="som-3"), by=secretariat
    )
    assert "This is the third Senior Officials Meeting" in release.body  # the ordinal stays
    assert "One Expert-level meeting has been held so far." in release.body
