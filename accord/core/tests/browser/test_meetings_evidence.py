"""Journeys through the meetings and evidence pages, each page checked by axe-core.

The secretariat sets up a meeting, its agenda and an action point; a focal point records
progress on its partner's action point and is refused on another partner's; a file of
observations with an error is refused with its row named; the busiest pages pass axe.
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

# Two action points of the latest Senior Officials Meeting held so far, one per owner,
# written through the services into the server's database before the focal point's journey.
SEED = """
from accord.meetings import services
from accord.meetings.models import ActionPoint, Meeting
from accord.partners.models import Organisation
from django.utils import timezone
meeting = (Meeting.objects.filter(tier__code="som", date__lte=timezone.localdate())
           .order_by("-date").first())
for acronym, text in [("IOM", "Share the displacement figures"),
                      ("DG HOME", "Draft the return guidance")]:
    if not ActionPoint.objects.filter(text=text).exists():
        services.action_point_create(meeting=meeting, text=text,
            owners=[Organisation.objects.get(acronym=acronym)])
"""


def seed_action_points(server) -> None:
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(server.log.parent),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for name in ("ACCORD_DATABASE_URL", "ACCORD_DEBUG", "ACCORD_MEDIA_DIR"):
        env.pop(name, None)
    subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "accord.cli", "shell", "-c", SEED],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_secretariat_sets_up_a_meeting_with_agenda_and_an_action_point(journey):
    journey.visit("/")
    page = log_in(journey)
    page.get_by_role("navigation", name="Main sections").get_by_role(
        "link", name="Meetings"
    ).click()
    journey.check()
    page.get_by_role("link", name="Set up a new meeting").click()
    journey.check()

    # A date the service cannot read: refused next to the field, the rest kept.
    page.get_by_label("Tier").select_option(label="Senior Officials Meeting")
    page.get_by_label("Date").fill("next spring")
    page.get_by_label("Title").fill("Rabat process review")
    page.get_by_label("City").fill("Rabat")
    page.get_by_role("button", name="Set up the meeting").click()
    journey.check()
    expect(page.locator("#id_date_error")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Rabat process review")
    expect(page.get_by_label("City")).to_have_value("Rabat")

    page.get_by_label("Date").fill("2031-03-04")
    page.get_by_role("button", name="Set up the meeting").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rabat process review")

    # The agenda grows through htmx, without a page load.
    agenda = page.locator("#agenda")
    for title in ("Opening and adoption of the agenda", "Evidence on returns"):
        agenda.get_by_label("Agenda item", exact=True).fill(title)
        agenda.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator("#agenda .agenda")).to_contain_text(title)
    journey.check()

    outcomes = page.locator("#outcomes")
    outcomes.get_by_label("Decision", exact=True).fill("Share return figures each quarter")
    outcomes.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#outcomes")).to_contain_text("Decision recorded.")

    # No owner: refused next to the field, the text kept.
    outcomes = page.locator("#outcomes")
    outcomes.get_by_label("Action", exact=True).fill("Compile the quarterly return figures")
    outcomes.get_by_role("button", name="Record the action point").click()
    expect(page.locator("#action_owners_error")).to_be_visible()
    expect(page.locator("#outcomes").get_by_label("Action", exact=True)).to_have_value(
        "Compile the quarterly return figures"
    )
    journey.check()
    outcomes = page.locator("#outcomes")
    outcomes.get_by_label("Owners", exact=True).select_option(label="IOM")
    outcomes.get_by_label("Due", exact=True).fill("2031-06-30")
    outcomes.get_by_role("button", name="Record the action point").click()
    expect(page.locator("#outcomes")).to_contain_text("Action point recorded.")
    expect(page.get_by_role("table", name="Action points raised at this meeting")).to_contain_text(
        "Compile the quarterly return figures"
    )
    journey.check()
    journey.screenshot("secretariat-meeting-action-point")


def test_focal_point_updates_its_action_point_and_is_refused_on_another(journey, server):
    seed_action_points(server)
    journey.visit("/")
    page = log_in(journey, "iom-focal")
    page.get_by_role("navigation", name="Main sections").get_by_role(
        "link", name="Action points"
    ).click()
    journey.check()

    ours = page.locator("tr", has_text="Share the displacement figures")
    theirs = page.locator("tr", has_text="Draft the return guidance")
    expect(ours).to_be_visible()
    expect(theirs).to_be_visible()
    # Only the owners' focal points (and the secretariat) get the progress form.
    expect(theirs.get_by_role("button", name="Record")).to_have_count(0)

    ours.get_by_label("Progress").fill("Figures for 2024 sent to the secretariat")
    ours.get_by_label("Status").select_option("in_progress")
    ours.get_by_role("button", name="Record").click()
    ours = page.locator("tr", has_text="Share the displacement figures")
    expect(ours).to_contain_text("Figures for 2024 sent to the secretariat")
    expect(ours).to_contain_text("In progress")
    journey.check()

    # Posting to the other partner's action point anyway is refused by the server.
    row_id = theirs.get_attribute("id") or ""
    pk = row_id.removeprefix("action-point-")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{journey.base}/action-points/{pk}/progress/",
        form={"text": "Not ours", "status": "done"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert refused.status == 403
    page.reload()
    journey.check()
    expect(page.locator("tr", has_text="Draft the return guidance")).not_to_contain_text("Not ours")
    journey.screenshot("focal-point-action-register")


BAD_FILE = b"Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,1o0\n2021,FRA,3\n"


def test_an_observation_file_with_an_error_is_refused_naming_the_row(journey):
    journey.visit("/")
    page = log_in(journey, "iom-focal")
    page.get_by_role("navigation", name="Main sections").get_by_role(
        "link", name="Evidence"
    ).click()
    journey.check()
    page.get_by_role("link", name="Import a file of observations").click()
    journey.check()
    page.get_by_label("File of observations").set_input_files(
        {"name": "deaths-2019-2021.csv", "mimeType": "text/csv", "buffer": BAD_FILE}
    )
    page.get_by_label("Indicator code").fill("MMP_DEAD_MISSING")
    page.get_by_role("button", name="Import").click()
    report = page.locator("#import-report")
    expect(report.get_by_role("alert")).to_contain_text("The file was refused")
    problems = report.get_by_role("table")
    expect(problems).to_contain_text("line 3")
    expect(problems).to_contain_text("Value")
    expect(problems).to_contain_text("'1o0' is not a number")
    # The form still holds what was given (htmx answered with the report only).
    expect(page.get_by_label("Indicator code")).to_have_value("MMP_DEAD_MISSING")
    journey.check()
    journey.screenshot("import-refused")


def test_meeting_register_indicator_and_evidence_pages_pass_axe(journey):
    page = journey.visit("/meetings/")
    page.get_by_role("link", name=re.compile("3rd Senior Officials Meeting")).click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3rd Senior Officials")
    journey.visit("/action-points/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page = journey.visit("/evidence/")
    page.locator("main").get_by_role("link", name=re.compile("dead or missing", re.I)).first.click()
    journey.check()
    chart = page.get_by_role("img", name=re.compile("^Chart of"))
    expect(chart).to_be_visible()
    expect(page.locator("#figures-table caption")).to_contain_text("figures")
    journey.screenshot("indicator-page")
