"""Without login a visitor reads the framework, its members, published press releases
(and, with those apps, verified initiatives and indicators): never members-only content."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accord.core.models import Classification
from accord.meetings.selectors import meeting_get
from accord.partners.models import Person
from accord.reports.services import press_release_create_draft, press_release_update
from accord.reports.tests.conftest import MEMBERS_ONLY

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Draft: not yet cleared for the press"
SECRET_PERSON = "Ada Members-Only"


def public_urls() -> list[str]:
    urls = [
        "/",
        "/framework/",
        "/partners/",
        "/partners/dg-near/",
        "/press/",
        "/press/feed/",
        "/reports/",
        "/meetings/",
        "/meetings/som-3/",
        "/meetings/som-2/",
        "/action-points/",
        "/meetings/som-3/briefing.html",
        "/exports/action-points.json",
        "/exports/meetings.csv",
    ]
    for name in ("initiative-list", "indicator-list", "evidence-overview"):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def test_a_visitor_never_reads_members_only_content(record, secretariat):
    release = press_release_create_draft(meeting=record.som3, by=secretariat)
    press_release_update(release=release, data={"title": DRAFT_TITLE}, version=1, by=secretariat)
    Person.objects.create(full_name=SECRET_PERSON, classification=Classification.MEMBERS)
    visitor = Client()
    for url in public_urls():
        response = visitor.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        assert MEMBERS_ONLY not in text, url
        assert DRAFT_TITLE not in text, url
        assert SECRET_PERSON not in text, url
    # What a visitor does read: the framework and its members, published releases.
    framework = visitor.get("/framework/").content.decode()
    assert "EU-IOM Strategic Cooperation Framework" in framework
    assert "DG NEAR" in framework
    release.refresh_from_db()
    assert visitor.get(reverse("press-release-edit", args=[release.pk])).status_code == 302


def test_a_members_only_meeting_is_not_packed_for_the_public(record, member):
    meeting = meeting_get(user=None, key="som-4")
    meeting.classification = Classification.MEMBERS
    meeting.save()
    assert Client().get("/meetings/som-4/briefing.pdf").status_code == 404
    reader = Client()
    reader.force_login(member)
    assert reader.get("/meetings/som-4/briefing.html").status_code == 200
