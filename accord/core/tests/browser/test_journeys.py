"""Journeys through the real server in headless Chromium, each page checked by axe-core.

Each journey keeps a screenshot of its last page in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def log_in(journey, username="secretariat", password=DEMO_PASSWORD, *, label="Log in"):
    page = journey.page
    page.get_by_role("banner").get_by_role("link", name=label).click()
    journey.check()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button").click()
    return journey.check()


def test_visitor_reads_the_public_home_and_a_partner(journey):
    page = journey.visit("/")
    expect(page).to_have_title(re.compile("EU-IOM Strategic Cooperation Framework"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategic Cooperation")
    expect(page.get_by_role("heading", name=re.compile("^Members on"))).to_be_visible()
    # The first Tab reaches the skip link, which takes keyboard users past the header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.locator("main").get_by_role("link", name="DG HOME", exact=True).first.click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DG HOME")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Partners")

    page.get_by_role("navigation", name="Main sections").get_by_role(
        "link", name="Partners"
    ).click()
    journey.check()
    expect(page.get_by_role("link", name="Partners", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    # The filter answers through htmx, without a page load.
    page.get_by_label("Search", exact=True).fill("DEVCO")
    expect(page.locator("#partner-results caption")).to_have_text("1 partner")
    journey.check()
    page.get_by_role("link", name="DG INTPA").click()
    journey.check()
    expect(page.get_by_role("heading", name="Names over time")).to_be_visible()
    journey.screenshot("visitor-partner")


def test_secretariat_logs_in_and_sees_the_dashboard(journey):
    journey.visit("/")
    page = log_in(journey, password="not-the-password")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("secretariat")

    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    expect(page.locator(".user-menu")).to_contain_text("Secretariat")
    roles = page.get_by_role("table", name="The partners you work for and your roles with each")
    expect(roles).to_contain_text("IOM-RO-BRU")
    expect(page.get_by_role("region", name="Membership")).to_contain_text("member of")

    page.locator("main").get_by_role("link", name="IOM-RO-BRU").click()
    journey.check()
    page.get_by_role("link", name="History of this record").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")

    page.get_by_role("link", name=re.compile("^Accord")).first.click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    journey.screenshot("secretariat-dashboard")


def test_switching_to_french(journey):
    page = journey.visit("/partners/dg-devco/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("fr")
    journey.check()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile("/partners/dg-devco/$"))
    expect(page.get_by_role("heading", name="Noms successifs")).to_be_visible()
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_attached()

    page.get_by_role("link", name="Accueil").click()
    journey.check()
    expect(page.get_by_role("heading", name=re.compile("^Membres au"))).to_be_visible()
    # Dates in French, month names from Django's catalogues.
    expect(page.locator(".timeline")).to_contain_text("16 février 2016")

    # The meetings and an indicator, in French too.
    page.get_by_role("navigation", name="Rubriques principales").get_by_role(
        "link", name="Réunions"
    ).click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunions")
    expect(page.locator("#meeting-results")).to_contain_text("16 février 2016")
    page.locator('a[href="/meetings/som-3/"]').first.click()
    journey.check()
    expect(page.locator("dl.facts")).to_contain_text("16 février 2016")
    expect(page.get_by_role("heading", name="Ordre du jour")).to_be_visible()
    expect(page.get_by_role("heading", name="Points d'action décidés")).to_be_visible()
    page = journey.visit("/evidence/indicators/MMP_DEAD_MISSING/")
    expect(page.get_by_role("img", name=re.compile("^Graphique"))).to_be_visible()
    expect(page.get_by_role("heading", name="Métadonnées")).to_be_visible()
    expect(page.locator("#figures-table caption")).to_contain_text("chiffres")

    # The commitments and an instrument's coverage, gaps and overlaps, in French.
    page = journey.visit("/commitments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagements")
    expect(page.locator("table caption")).to_have_text("Instruments")
    expect(page.get_by_role("link", name="Toutes les initiatives")).to_be_visible()
    page = journey.visit("/commitments/instruments/JVAP/")
    expect(page.get_by_role("heading", name="Lacunes")).to_be_visible()
    expect(page.get_by_role("heading", name="Chevauchements possibles")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Agrégation de l'avancement")

    journey.visit("/")
    page = log_in(journey, label="Se connecter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Votre tableau de bord")
    expect(page.locator(".user-menu")).to_contain_text("Secrétariat")
    journey.screenshot("french-dashboard")


@pytest.mark.parametrize("journey", [{"locale": "fr-FR"}], indirect=True)
def test_a_french_browser_gets_french_pages(journey):
    page = journey.visit("/partners/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenaires")
    expect(page.get_by_role("navigation", name="Rubriques principales")).to_be_visible()


NARROW_PAGES = [
    "/",
    "/framework/",
    "/partners/",
    "/partners/dg-devco/",
    "/login/",
    "/meetings/",
    "/meetings/som-3/",
    "/action-points/",
    "/evidence/",
    "/evidence/indicators/MMP_DEAD_MISSING/",
]


@pytest.mark.parametrize("journey", [{"viewport": {"width": 360, "height": 740}}], indirect=True)
def test_a_360px_screen_needs_no_horizontal_scroll(journey):
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    for path in NARROW_PAGES:
        page = journey.visit(path)
        assert page.evaluate(overflow) <= 0, f"{path} scrolls sideways at 360 px"
    journey.visit("/")
    page = log_in(journey)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    assert page.evaluate(overflow) <= 0, "the dashboard scrolls sideways at 360 px"
    journey.screenshot("narrow-dashboard")
