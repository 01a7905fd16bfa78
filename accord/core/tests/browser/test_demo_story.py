"""The demo tells its story: each demo account, signed in, finds its own work on the first
click (dashboard, action register, the next meeting, the open cycle, the JVAP), with the
sample badge on the sample records, and the public reads the public sample action points.

With ACCORD_SCREENSHOTS set to a directory (``make screenshots``: docs/screenshots), the
main pages are kept there at a fixed size for the README.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accord.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ACCOUNTS = ["secretariat", "iom-focal", "home-focal", "home-contrib", "member"]
DOCS_SHOTS = os.environ.get("ACCORD_SCREENSHOTS", "")
# The README's screenshots: a laptop screen's first view, not the whole page.
SHOT_SIZE = {"width": 1280, "height": 800}


def keep(journey, name: str) -> None:
    if not DOCS_SHOTS:
        return
    folder = Path(DOCS_SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    journey.page.set_viewport_size(SHOT_SIZE)
    journey.page.screenshot(path=str(folder / f"{name}.png"))


def sign_in(journey, username: str):
    page = journey.visit("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    return journey.check()


def open_cycle_name() -> str:
    return f"{dt.date.today().year}-sample"  # noqa: DTZ011 (the server's day, as the scenario's)


@pytest.mark.parametrize("username", ACCOUNTS)
def test_each_demo_account_finds_its_work_on_the_first_click(journey, username):
    page = sign_in(journey, username)
    main = page.locator("main")
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    start = page.locator(".card--start li")
    expect(start).to_have_count(3)
    expect(main.locator(".record-list li a").first).to_be_visible()
    expect(main.locator(".badge--sample").first).to_be_visible()
    expect(main).not_to_contain_text("No open action point")
    expect(main).not_to_contain_text("No meeting is planned")
    if username == "secretariat":
        keep(journey, "dashboard-secretariat")
    elif username == "iom-focal":
        keep(journey, "dashboard-focal-point")

    page = journey.visit("/action-points/")
    expect(page.locator("main tbody tr").first).to_be_visible()
    expect(page.locator("main .badge--sample").first).to_be_visible()
    if username == "secretariat":
        keep(journey, "action-register")

    page = journey.visit("/action-points/mine/")
    expect(page.locator("main tbody tr").first).to_be_visible()

    page = journey.visit("/meetings/som-12/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("12th Senior Officials Meeting")
    expect(page.locator("h1 .badge--sample")).to_be_visible()
    expect(page.locator("#agenda li").first).to_be_visible()
    if username == "secretariat":
        keep(journey, "next-meeting")

    if username == "member":
        # Members do not report: they read the open cycle's progress report.
        page = journey.visit(f"/reports/progress/JVAP/{open_cycle_name()}/")
    else:
        page = journey.visit(f"/cycles/{open_cycle_name()}/")
    expect(page.locator("h1 .badge--sample")).to_be_visible()
    expect(page.locator("main tbody tr").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("No entries yet.")
    expect(page.locator("main")).to_contain_text("(sample)")
    if username == "secretariat":
        keep(journey, "reporting-cycle")

    page = journey.visit("/commitments/instruments/JVAP/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("JVAP")
    page = journey.visit("/commitments/JVAP-2/")
    expect(page.locator("main tbody tr").first).to_be_visible()
    expect(page.locator("main .badge--sample").first).to_be_visible()
    if username == "member":
        keep(journey, "commitment")


def test_the_public_reads_the_public_sample_action_points_with_their_badge(journey):
    page = journey.visit("/action-points/")
    rows = page.locator("main tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("main .badge--sample").first).to_be_visible()
    page = journey.visit("/meetings/som-11/")
    expect(page.locator("#agenda .badge--sample").first).to_be_visible()
    keep(journey, "last-meeting")
