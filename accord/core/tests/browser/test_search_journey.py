"""Searching the record from the site header: a word that only a members-only action point
holds is found by a member and the secretariat, never by an anonymous visitor; a French
word finds another form of it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.browser

SECRET_WORD = "quillmarsh"


def _search(journey, words: str):
    page = journey.page
    box = page.get_by_role("search").get_by_label("Search Accord")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    return journey.check()


def _log_out(journey) -> None:
    journey.page.get_by_role("banner").get_by_role("button", name="Log out").click()
    journey.check()


def test_search_finds_only_what_the_reader_may_read(journey):
    page = journey.visit("/meetings/som-5/")
    log_in(journey)
    page = journey.visit("/meetings/som-5/")
    outcomes = page.get_by_role("group", name="Record an action point")
    outcomes.get_by_label("Action", exact=True).fill(
        f"Map the {SECRET_WORD} corridor: la réintégration durable des migrants de retour"
    )
    outcomes.get_by_label("Owners").select_option(label="IOM")
    outcomes.get_by_label("Classification").select_option("members")
    outcomes.get_by_role("button", name="Record the action point").click()
    expect(page.locator("#outcomes")).to_contain_text("Action point recorded.")

    page = _search(journey, SECRET_WORD)
    expect(page.locator("#results-title")).to_have_text("1 result")
    hit = page.locator(".search-hit")
    expect(hit.locator("mark")).to_have_text(re.compile(SECRET_WORD, re.IGNORECASE))
    journey.screenshot("search-secretariat")
    hit.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/meetings/som-5/#action-point-\d+"))
    journey.check()

    # A French verb finds the noun the action point holds, whatever the interface language.
    page = _search(journey, "réintégrer")
    expect(page.locator(".search-hits")).to_contain_text(SECRET_WORD)
    expect(page.locator(".search-hit mark").first).to_be_visible()
    _log_out(journey)

    page = _search(journey, SECRET_WORD)
    expect(page.locator("#results-title")).to_have_text("0 results")
    expect(page.locator("main")).not_to_contain_text(f"{SECRET_WORD} corridor")

    log_in(journey, "member")
    page = _search(journey, SECRET_WORD)
    expect(page.locator("#results-title")).to_have_text("1 result")
    expect(page.locator(".search-hits")).to_contain_text(f"Map the {SECRET_WORD} corridor")
    journey.screenshot("search-member")
