"""Journeys through reporting and the press pages, each page checked by axe-core.

A contributor drafts an initiative, a focal point submits it, the secretariat verifies it
and a visitor then finds it among the public initiatives; a visitor reads the public home
and a published press release. What the demo lacks (an open reporting cycle, a published
press release) is written through the services into the server's database first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.browser

CYCLE = "Journey reporting round"

OPEN_CYCLE = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from accord.commitments.cycles import cycle_open
from accord.commitments.models import Cycle
user = get_user_model().objects.get(username="secretariat")
today = timezone.localdate()
if not Cycle.objects.filter(name={CYCLE!r}).exists():
    cycle_open(user=user, name={CYCLE!r}, opens_on=today - dt.timedelta(days=1),
               closes_on=today + dt.timedelta(days=30))
"""

# The press release of the 3rd Senior Officials Meeting, drafted from the record and
# published; prints its slug and title.
PUBLISH_PRESS_RELEASE = """
from django.contrib.auth import get_user_model
from accord.meetings.selectors import meeting_get
from accord.reports import services
from accord.reports.models import PressReleaseStatus
user = get_user_model().objects.get(username="secretariat")
meeting = meeting_get(user=user, key="som-3")
release = services.press_release_create_draft(meeting=meeting, by=user)
if release.status != PressReleaseStatus.PUBLISHED:
    release = services.press_release_publish(release=release, version=release.version, by=user)
print(release.slug)
print(release.title)
"""


def run_on_server(server, code: str) -> str:
    """Run ``code`` in ``accord shell`` against the server's database; its output."""
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(server.log.parent),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for name in ("ACCORD_DATABASE_URL", "ACCORD_DEBUG", "ACCORD_MEDIA_DIR"):
        env.pop(name, None)
    done = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "accord.cli", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout


def log_out(journey) -> None:
    journey.page.get_by_role("banner").get_by_role("button", name="Log out").click()
    journey.check()


def entry_in(page, cycle: str):
    """The reporting section's block of one open cycle (the demo has others open)."""
    return page.locator("#reporting .entry-state").filter(
        has=page.get_by_role("heading", name=cycle, exact=True)
    )


def test_an_initiative_is_drafted_submitted_verified_and_public(journey, server):
    run_on_server(server, OPEN_CYCLE)
    title = "Reintegration desks in Mogadishu"

    # The contributor enters the initiative; a country code it cannot read is refused
    # next to the field, the rest kept.
    journey.visit("/")
    page = log_in(journey, "home-contrib")
    journey.visit("/initiatives/")
    page.get_by_role("link", name="Enter a new initiative").click()
    journey.check()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind", exact=True).select_option("project")
    page.get_by_label("Status", exact=True).select_option("ongoing")
    page.get_by_label("Start date", exact=True).fill("2026-01-15")
    page.get_by_label("Countries", exact=True).fill("SOM, XXQ")
    page.get_by_label("Commitments", exact=True).fill("JVAP-5")
    page.get_by_role("button", name="Record the initiative").click()
    journey.check()
    expect(page.locator("#id_countries_error")).to_contain_text("XXQ")
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    expect(page.get_by_label("Commitments", exact=True)).to_have_value("JVAP-5")
    page.get_by_label("Countries", exact=True).fill("SOM")
    page.get_by_role("button", name="Record the initiative").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    initiative_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]
    assert re.fullmatch(r"/initiatives/\d+/", initiative_path)

    reporting = entry_in(page, CYCLE)
    expect(reporting).to_contain_text(CYCLE)
    expect(reporting.get_by_role("button", name="Submit")).to_have_count(0)
    reporting.get_by_role("button", name="Draft in cycle").click()  # htmx
    expect(entry_in(page, CYCLE)).to_contain_text("Entry: Draft")
    journey.check()
    log_out(journey)

    # The focal point submits it.
    log_in(journey, "home-focal")
    journey.visit(initiative_path)
    entry_in(page, CYCLE).get_by_role("button", name="Submit").click()
    expect(entry_in(page, CYCLE)).to_contain_text("Entry: Submitted")
    journey.check()
    log_out(journey)

    # The secretariat verifies it: the initiative becomes public.
    log_in(journey, "secretariat")
    journey.visit(initiative_path)
    reporting = entry_in(page, CYCLE)
    expect(reporting.get_by_role("button", name="Return with comment")).to_be_visible()
    reporting.get_by_role("button", name="Verify").click()
    expect(entry_in(page, CYCLE)).to_contain_text("Entry: Verified")
    journey.check()
    log_out(journey)

    # A visitor finds it among the public initiatives.
    journey.visit("/initiatives/")
    page.get_by_role("link", name=title).click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("#reporting")).to_have_count(0)
    journey.screenshot("initiative-verified-public")


def test_visitor_reads_the_public_home_and_a_press_release(journey, server):
    slug, title = run_on_server(server, PUBLISH_PRESS_RELEASE).strip().splitlines()[-2:]
    page = journey.visit("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategic Cooperation")
    journey.visit("/press/")
    page.locator("main").get_by_role("link", name=title).click()
    journey.check()
    assert page.url.split("#")[0].endswith(f"/press/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article")).to_contain_text("Published")
    journey.screenshot("press-release")
