"""Between meetings, on the pages: the secretariat opens a silence procedure on a draft
decision, IOM's focal point agrees, and at the deadline the procedure closes itself,
adopted, its decision in the register; and the secretariat calls for contributions to a
meeting, IOM's focal point sends a note and an agenda request, the board shows who has
answered, and the briefing pack includes them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import Journey
from .test_journeys import log_in
from .test_reporting_press import log_out, run_on_server

pytestmark = pytest.mark.browser

# The worker's periodic job, run in the server's database the day after the deadline.
CLOSE_DUE = """
import datetime as dt
import time_machine
from accord.meetings.procedures import close_due_procedures
with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4)):
    for procedure in close_due_procedures():
        print("CLOSED", procedure.pk, procedure.state)
"""


def test_a_silence_procedure_from_opening_to_adoption(journey: Journey, server) -> None:
    text = "The framework adopts the joint work plan on legal pathways for 2027."
    closes = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    journey.visit("/")
    page = log_in(journey)
    journey.visit("/decisions/")
    page.get_by_role(
        "link", name="Decisions between meetings: written and silence procedures"
    ).click()
    journey.check()
    page.get_by_role("link", name="Open a procedure").click()
    journey.check()
    page.get_by_label("Procedure", exact=True).select_option("silence")
    page.get_by_label("Draft decision").fill(text)
    page.get_by_label("Deadline").fill(closes)
    page.get_by_label("IOM", exact=True).check()
    page.get_by_label("Classification").select_option("public")
    page.get_by_role("button", name="Open the procedure").click()
    journey.check()
    expect(page.locator("#procedure-state")).to_contain_text("Open")
    expect(page.locator("#procedure-answers")).to_contain_text("No answer yet")
    procedure_path = page.url.removeprefix(journey.base)
    log_out(journey)

    # IOM's focal point agrees, on the procedure's page.
    page = log_in(journey, "iom-focal")
    journey.visit(procedure_path)
    expect(page.locator("main")).to_contain_text("You answer for IOM.")
    page.get_by_label("Agrees").check()
    page.get_by_role("button", name="Send the answer").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Your answer is recorded.")
    expect(page.locator("#answer-iom")).to_contain_text("Agrees")
    log_out(journey)

    # The deadline passes: the procedure closes itself, adopted.
    closed = run_on_server(server, CLOSE_DUE)
    assert re.search(r"CLOSED \d+ adopted", closed), closed
    page = journey.visit(procedure_path)
    expect(page.locator("#procedure-state")).to_contain_text("Adopted")
    expect(page.get_by_role("heading", name="Decision adopted")).to_be_visible()
    expect(page.locator("#procedure-trail")).to_contain_text("IOM")
    # A public decision: in the register and its feed, for anyone.
    page = journey.visit("/decisions/")
    expect(page.locator("#decision-results")).to_contain_text(text)
    feed = page.request.get(journey.base + "/decisions/feed/")
    assert text in feed.text()
    journey.screenshot("silence-procedure-adopted")


def test_a_call_for_contributions_from_request_to_the_briefing_pack(
    journey: Journey, server
) -> None:
    due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10)).isoformat()
    journey.visit("/")
    page = log_in(journey)
    journey.visit("/meetings/som-11/")
    page.get_by_role("link", name="Calls for contributions").click()
    journey.check()
    page.get_by_label("What is asked").fill("Send your notes and agenda requests for the SOM.")
    page.get_by_label("Deadline").fill(due)
    page.get_by_label("IOM", exact=True).check()
    page.get_by_label("DG HOME", exact=True).check()
    page.get_by_role("button", name="Send the call").click()
    journey.check()
    board_path = page.url.removeprefix(journey.base)
    expect(page.locator("#board-iom")).to_contain_text("Not yet")
    log_out(journey)

    # IOM's focal point sends a note and asks for an agenda item.
    page = log_in(journey, "iom-focal")
    journey.visit(board_path)
    expect(page.locator("main")).to_contain_text("You answer for IOM.")
    page.get_by_label("Document title").fill("IOM note on assisted voluntary return")
    page.get_by_label("Document", exact=True).set_input_files(
        {"name": "note.txt", "mimeType": "text/plain", "buffer": b"IOM note on AVRR."}
    )
    page.get_by_label("Agenda request").fill("An item on reintegration in the Sahel.")
    page.get_by_role("button", name="Send the contribution").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Your contribution is sent to the secretariat.")
    log_out(journey)

    # The secretariat's board: IOM answered, DG HOME has not and is reminded.
    page = log_in(journey)
    journey.visit(board_path)
    expect(page.locator("#board-iom")).to_contain_text("IOM note on assisted voluntary return")
    expect(page.locator("#board-dg-home")).to_contain_text("Not yet")
    page.get_by_role("button", name="Remind those who have not answered").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("1 partner reminded.")
    journey.screenshot("call-for-contributions-board")
    # The briefing pack includes the contribution. Read as the file it is (its print
    # styles are inline, for the PDF engine, and not applied under the page's policy).
    pack = page.request.get(journey.base + "/meetings/som-11/briefing.html")
    assert pack.status == 200
    text = pack.text()
    assert "IOM note on assisted voluntary return" in text
    assert "An item on reintegration in the Sahel." in text
    assert "Not answered: DG HOME" in text
