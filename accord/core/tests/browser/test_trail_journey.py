"""A journey along a trail: the secretariat records a decision of the 11th SOM citing a
commitment; the commitment page's trail says how the decision is tied and leads to it; a
visitor follows a 2016 topic of the 3rd SOM to its own trail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.browser

TEXT = "Step up the joint investigation teams against smuggling"


def test_a_trail_leads_from_a_commitment_to_the_decision_that_cites_it(journey):
    journey.visit("/")
    log_in(journey)
    page = journey.visit("/meetings/som-11/")
    outcomes = page.locator("#outcomes")
    outcomes.get_by_label("Decision", exact=True).fill(TEXT)
    outcomes.get_by_label("Commitments", exact=True).fill("JVAP-4")
    outcomes.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#outcomes")).to_contain_text("Decision recorded.")

    page = journey.visit("/commitments/JVAP-4/")
    trail = page.locator("#trail")
    expect(trail).to_contain_text("of som-11 cites JVAP-4")
    expect(page.locator("#rollup")).to_be_visible()
    journey.check()
    trail.get_by_role("link", name=TEXT).click()
    journey.check()
    assert "/meetings/som-11/#decision-" in page.url
    expect(page.locator("#outcomes .decisions")).to_contain_text(TEXT)


def test_a_visitor_follows_a_2016_topic_to_its_trail(journey):
    page = journey.visit("/meetings/som-3/")
    page.get_by_role("link", name="legal avenues for migration").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("JVAP-2")
    expect(page.locator("#trail")).to_contain_text("som-3 discussed legal avenues for migration")
