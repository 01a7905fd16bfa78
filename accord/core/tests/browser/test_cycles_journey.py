"""A reporting cycle from end to end in the browser, with no admin page: the secretariat
plans and opens cycle N+1 continuing N; the partner's returned entry comes back, is fixed
and submitted; the secretariat verifies, records a later change with its reason, reads
the completeness board (one partner late) and the progress report (verified figures
only), adds a commitment with English and French titles and sets a place's target."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in
from .test_reporting_press import log_out, run_on_server

pytestmark = pytest.mark.browser

TODAY = dt.date.today()  # noqa: DTZ011 - the server's local date, as the form expects

# Cycle N (2025) closed: DG HOME's "Legal pathways desk" was returned in it with a comment.
# "Seasonal work scheme" has no entry yet. Both serve JVAP-2; IOM's reference initiative
# serves JVAP and is never reported, so IOM is late once the deadline passes.
CYCLE_N = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from accord.commitments import cycles
from accord.commitments.models import Commitment, Initiative, Instrument
from accord.partners.models import Organisation
users = {u.username: u for u in get_user_model().objects.all()}
today = timezone.localdate()
home = Organisation.objects.get(acronym="DG HOME")
made = []
for title, progress in (("Legal pathways desk", 30), ("Seasonal work scheme", 80)):
    initiative = Initiative.objects.create(
        title={"en": title}, partner=home, status="ongoing", progress_override=progress
    )
    initiative.commitments.add(Commitment.objects.get(code="JVAP-2"))
    made.append(initiative)
cycle = cycles.cycle_open(
    user=users["secretariat"], name="2025", opens_on=today - dt.timedelta(days=90),
    closes_on=today - dt.timedelta(days=30), instruments=[Instrument.objects.get(code="JVAP")],
)
entry = cycles.entry_draft(user=users["home-contrib"], cycle=cycle, initiative=made[0])
entry = cycles.entry_submit(user=users["home-focal"], entry=entry)
cycles.entry_return(user=users["secretariat"], entry=entry, comment="Add the funding figures")
cycles.cycle_close(user=users["secretariat"], cycle=cycle)
print(made[0].pk, made[1].pk)
"""


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def entry_in(page, cycle: str):
    """The reporting section's block of one open cycle (the demo has others open)."""
    return page.locator("#reporting .entry-state").filter(
        has=page.get_by_role("heading", name=cycle, exact=True)
    )


def test_a_reporting_cycle_from_plan_to_progress_report(journey, server):
    returned_pk, other_pk = run_on_server(server, CYCLE_N).split()[-2:]

    # The secretariat plans cycle 2026 continuing 2025, and opens it.
    journey.visit("/")
    page = log_in(journey, "secretariat")
    journey.visit("/cycles/")
    page.get_by_label("Name", exact=True).fill("2026")
    page.get_by_label("Opens on", exact=True).fill(str(TODAY - dt.timedelta(days=7)))
    page.get_by_label("Deadline", exact=True).fill(str(TODAY + dt.timedelta(days=30)))
    page.get_by_label("Continues", exact=True).select_option("2025")
    page.get_by_label("JVAP", exact=False).check()
    page.get_by_role("button", name="Plan the cycle").click()
    journey.check()
    expect(page.locator("#cycle-status")).to_have_text("Planned")
    page.get_by_role("button", name="Open the cycle").click()
    journey.check()
    expect(page.locator("#cycle-status")).to_have_text("Open")
    expect(page.get_by_role("main")).to_contain_text("Add the funding figures")
    log_out(journey)

    # A contributor drafts the other initiative's entry.
    log_in(journey, "home-contrib")
    journey.visit(f"/initiatives/{other_pk}/")
    entry_in(page, "2026").get_by_role("button", name="Draft in cycle").click()
    expect(entry_in(page, "2026")).to_contain_text("Entry: Draft")
    journey.check()
    log_out(journey)

    # The focal point follows the dashboard to its entries, finds the returned one carried
    # over with its comment, adds the funding and submits; then submits the draft.
    log_in(journey, "home-focal")
    journey.visit("/")
    panel = page.locator(".card").filter(has_text="Waiting for you in the current reporting cycle")
    panel.get_by_role("link", name="See them all").click()
    journey.check()
    assert path_of(page) == "/cycles/"
    row = page.get_by_role("row").filter(has_text="Legal pathways desk")
    expect(row).to_contain_text("Returned")
    expect(row).to_contain_text("carried over")
    expect(row).to_contain_text("Add the funding figures")
    row.get_by_role("link", name="Legal pathways desk").click()
    journey.check()
    page.get_by_role("link", name="Edit this initiative").click()
    journey.check()
    page.get_by_label("Funders", exact=True).fill("DG HOME; 250000; EUR")
    page.get_by_role("button", name="Save the initiative").click()
    journey.check()
    expect(page.get_by_role("main")).to_contain_text("250,000")
    reporting = entry_in(page, "2026")
    expect(reporting).to_contain_text("Entry: Returned")
    reporting.get_by_role("button", name="Submit").click()
    expect(entry_in(page, "2026")).to_contain_text("Entry: Submitted")
    journey.check()
    journey.visit(f"/initiatives/{other_pk}/")
    entry_in(page, "2026").get_by_role("button", name="Submit").click()
    expect(entry_in(page, "2026")).to_contain_text("Entry: Submitted")
    journey.check()
    log_out(journey)

    # The secretariat verifies the fixed entry; a later change needs a recorded reason.
    log_in(journey, "secretariat")
    journey.visit(f"/initiatives/{returned_pk}/")
    entry_in(page, "2026").get_by_role("button", name="Verify").click()
    expect(entry_in(page, "2026")).to_contain_text("Entry: Verified")
    journey.check()
    journey.visit("/cycles/2026/")
    page.get_by_label("Progress (%)", exact=True).fill("35")
    page.get_by_role("button", name="Record the change and its reason").click()
    journey.check()
    # The refusal answers 422 with the form, its input and the error: expected here.
    journey.failed_requests[:] = [r for r in journey.failed_requests if not r.startswith("422 ")]
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.get_by_label("Progress (%)", exact=True)).to_have_value("35")
    page.get_by_label("Reason", exact=True).fill("The partner corrected its figure")
    page.get_by_role("button", name="Record the change and its reason").click()
    journey.check()
    expect(page.locator("#exceptions")).to_contain_text("The partner corrected its figure")
    expect(page.locator("#exceptions")).to_contain_text("progress 30 → 35")

    # The deadline passes: DG HOME's two entries of this journey are in (the demo's sample
    # initiatives of DG HOME, never reported here, count too), IOM reported nothing.
    page.get_by_label("New deadline", exact=True).fill(str(TODAY - dt.timedelta(days=1)))
    page.get_by_role("button", name="Set the deadline").click()
    journey.check()
    board = page.locator("#completeness")
    home = board.locator('tr[data-partner="DG HOME"]')
    expect(home.locator('td[data-label="Submitted"]')).to_have_text("2")
    expect(home.locator('td[data-label="Verified"]')).to_have_text("1")
    expect(board.locator('tr[data-partner="IOM"]')).to_contain_text("Late")
    journey.screenshot("cycle-completeness")

    # The progress report counts only the verified entry, at its verified figure.
    journey.visit("/reports/progress/JVAP/2026/")
    jvap2 = page.get_by_role("row").filter(has=page.get_by_role("cell", name="JVAP-2", exact=True))
    expect(jvap2).to_contain_text("35%")
    expect(jvap2.locator("td").nth(2)).to_have_text("1")

    # The secretariat adds a commitment under JVAP-2 in English and French.
    journey.visit("/commitments/JVAP-2/")
    page.get_by_role("link", name="Add a part to it").click()
    journey.check()
    page.get_by_label("Code", exact=True).fill("JVAP-2.9")
    page.get_by_label("Title in English", exact=True).fill("Talent partnerships")
    page.get_by_label("Title in French", exact=True).fill("Partenariats pour les talents")
    page.get_by_role("button", name="Add the commitment").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Talent partnerships")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("JVAP-2")

    # ... and sets a target for one place on an indicator's page.
    journey.visit("/evidence/indicators/EUROSTAT_FIRST_TIME_ASYLUM_APPLICANTS/")
    targets = page.locator("#targets")
    targets.get_by_label("Place", exact=True).fill("EU27_2020")
    targets.get_by_label("Year", exact=True).fill("2030")
    targets.get_by_label("Target value", exact=True).fill("500000")
    targets.get_by_role("button", name="Set the target").click()
    journey.check()
    expect(page.locator("#targets")).to_contain_text("2030")
    expect(page.locator("#progress")).to_contain_text("by 2030")

    # The cycle closes; nothing of it went through the admin.
    journey.visit("/cycles/2026/")
    page.get_by_role("button", name="Close the cycle").click()
    journey.check()
    expect(page.locator("#cycle-status")).to_have_text("Closed")
    assert not [url for url in journey.landed if "/admin/" in url]


@pytest.mark.parametrize("journey", [{"viewport": {"width": 390, "height": 844}}], indirect=True)
def test_the_jvap_page_fits_a_phone(journey):
    page = journey.visit("/commitments/instruments/JVAP/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
