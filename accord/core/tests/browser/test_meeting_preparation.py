"""The secretariat prepares the next Senior Officials Meeting from the last one, sets its
agenda with sub-items (the overrun warning shows), publishes it and invites two partners'
delegates; one answers "attending", the other sends a named delegate, each on the page of
their invitation's link without logging in; attendance is taken; and DG INTPA's page on
2019-01-01 shows the name it had then, DG DEVCO. All on the pages, never the admin."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import Journey
from .test_journeys import log_in

pytestmark = pytest.mark.browser

# The signed links of the invitations mailed to these addresses (the server mails them to
# its console), read from the server's database through the services.
LINKS = """
from accord.meetings.invitations import invitation_token
from accord.meetings.models import Invitation
for email in ["delegate.one@iom.int", "delegate.two@home.eu"]:
    print("TOKEN", invitation_token(Invitation.objects.get(email=email)))
"""


def invitation_paths(server) -> list[str]:
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(server.log.parent),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for name in ("ACCORD_DATABASE_URL", "ACCORD_DEBUG", "ACCORD_MEDIA_DIR"):
        env.pop(name, None)
    done = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "accord.cli", "shell", "-c", LINKS],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return [
        f"/invitations/{line.split()[1]}/"
        for line in done.stdout.splitlines()
        if line.startswith("TOKEN ")
    ]


def answer(browser, server, path: str, choice: str, delegate: str = "") -> None:
    """An invitee, in a browser of their own, answers on the page of their link."""
    context = browser.new_context(locale="en-GB")
    try:
        invitee = Journey(context.new_page(), server)
        page = invitee.visit(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text("12th Senior Officials")
        page.get_by_label(choice).check()
        if delegate:
            page.get_by_label("Delegate's name").fill(delegate)
        page.get_by_role("button", name="Send my answer").click()
        invitee.check()
        expect(page.locator("main")).to_contain_text("your answer is recorded")
        invitee.finish()
    finally:
        context.close()


def test_secretariat_prepares_the_next_som_and_its_participants_answer(journey, browser, server):
    journey.visit("/")
    page = log_in(journey)

    # SOM N+1 from SOM N: the date is suggested a year on.
    journey.visit("/meetings/som-11/")
    page.get_by_role("link", name="Prepare the next meeting from this one").click()
    journey.check()
    expect(page.get_by_label("Date of the next meeting")).to_have_value("2026-04-04")
    page.get_by_role("button", name="Prepare the meeting").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("12th Senior Officials Meeting")
    meeting_url = page.url.split("#")[0]

    # The agenda, with sub-items that plan longer than their item: a warning, not a refusal.
    agenda = page.locator("#agenda")
    agenda.get_by_label("Agenda item", exact=True).fill("Return and reintegration")
    agenda.get_by_label("Planned minutes").fill("30")
    agenda.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#agenda ol.agenda").first).to_contain_text("Return and reintegration")
    # Its number follows the standing items carried over from the meeting before.
    label = (
        page.locator("#agenda")
        .get_by_label("Sub-item of")
        .locator("option", has_text="Return and reintegration")
        .inner_text()
        .strip()
    )
    item = page.locator("#agenda ol.agenda > li").filter(has_text=label)
    for title in ("Readmission", "Reintegration"):
        agenda = page.locator("#agenda")
        agenda.get_by_label("Agenda item", exact=True).fill(title)
        agenda.get_by_label("Planned minutes").fill("20")
        agenda.get_by_label("Sub-item of").select_option(label=label)
        agenda.get_by_role("button", name="Add to the agenda").click()
        expect(item.locator(".agenda--sub")).to_contain_text(title)
    expect(page.locator("#agenda")).to_contain_text(
        f"The sub-items of {label} plan 40 minutes, 10 more than the item's 30."
    )
    expect(page.locator("#agenda")).to_contain_text("draft")
    page.get_by_role("button", name="Move Reintegration up").click()
    expect(item.locator(".agenda--sub li").first).to_contain_text("Reintegration")
    journey.check()
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.locator("#agenda")).to_contain_text("Agenda published.")
    expect(page.locator("#agenda-title")).not_to_contain_text("draft")
    journey.check()

    # Two partners' delegates invited, by address.
    for partner, email in (("IOM", "delegate.one@iom.int"), ("DG HOME", "delegate.two@home.eu")):
        invitations = page.locator("#invitations")
        invitations.get_by_label("Partner", exact=True).select_option(label=partner)
        invitations.get_by_label("E-mail addresses").fill(email)
        invitations.get_by_role("button", name="Send the invitations").click()
        journey.check()
        expect(page.locator("ul.messages")).to_contain_text("1 invitation sent")
    expect(page.locator("#invitations-table")).to_contain_text("No answer yet")

    one, two = invitation_paths(server)
    answer(browser, server, one, "I attend")
    answer(browser, server, two, "I send a delegate", delegate="Carla Diaz")

    # The secretariat sees the answers and takes attendance at the meeting.
    page.goto(meeting_url)
    journey.check()
    table = page.locator("#invitations-table")
    expect(table.locator("tr", has_text="delegate.one@iom.int")).to_contain_text("Attending")
    expect(table.locator("tr", has_text="delegate.two@home.eu")).to_contain_text("Carla Diaz")
    for row in ("delegate.one@iom.int", "delegate.two@home.eu"):
        table.locator("tr", has_text=row).get_by_role("checkbox").check()
    page.get_by_role("button", name="Take attendance").click()
    journey.check()
    expect(page.locator("ul.messages")).to_contain_text("Attendance taken: 2 present.")
    expect(page.locator("#invitations-table")).to_contain_text("attended")
    expect(page.get_by_role("table", name="Participants and their roles")).to_contain_text(
        "Carla Diaz"
    )

    # Partners over time: DG INTPA as it was named on 1 January 2019.
    page = journey.visit("/partners/dg-intpa/?on=2019-01-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("DG DEVCO")
    expect(page.locator("main")).to_contain_text("Now DG INTPA")
    journey.screenshot("partner-on-a-date")

    assert not [url for url in journey.landed if "/admin/" in url]


@pytest.mark.parametrize("journey", [{"viewport": {"width": 390, "height": 844}}], indirect=True)
def test_stacked_tables_keep_their_column_labels_at_390_px(journey):
    # The meeting list's cells are labelled by the page's script from the column headers.
    page = journey.visit("/meetings/")
    expect(page.locator("table.data-table thead").first).to_be_hidden()
    cell = page.locator("table.data-table tbody tr td").nth(1)
    expect(cell).to_have_attribute("data-label", re.compile(r"\w"))
    header = page.locator("table.data-table thead th").nth(1).text_content() or ""
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert header.strip() in label, (header, label)
    journey.screenshot("stacked-table-390")
