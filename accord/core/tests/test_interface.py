"""The shared interface: sections, home and dashboard, languages."""

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path, reverse
from django.utils import translation

from accord.core.context_processors import SECTIONS, nav_sections
from accord.core.dashboard import PANEL_LIMIT, PANELS, Panel, dashboard_panels, panel_selector
from accord.core.dates import DatePrecision, format_partial_date

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _page(request):
    return HttpResponse()


# The addresses the meetings app will have: its sections appear as soon as they resolve.
urlpatterns = [
    path("meetings/", _page, name="meeting-list"),
    path("meetings/actions/", _page, name="action-register"),
    path("partners/", _page, name="partner-list"),
]


@pytest.mark.urls(__name__)
def test_sections_appear_when_their_pages_exist_and_the_deepest_is_current():
    sections = nav_sections(RequestFactory().get("/meetings/actions/"))
    assert [(str(s.label), s.current, s.exact) for s in sections] == [
        ("Meetings", False, False),
        ("Action points", True, True),
        ("Partners", False, False),
    ]
    # Commitments, Evidence and Documents have no page here: they are not shown.
    assert {str(label) for label, _names in SECTIONS} >= {"Commitments", "Evidence", "Documents"}


def test_sections_mark_where_the_reader_is():
    request = RequestFactory().get("/partners/iom/")
    (partners,) = [s for s in nav_sections(request) if s.url == reverse("partner-list")]
    assert partners.current
    assert not partners.exact


@pytest.mark.django_db
def test_the_nav_marks_the_current_page(client):
    page = client.get(reverse("partner-list")).content.decode()
    assert f'<a href="{reverse("partner-list")}" aria-current="page">Partners</a>' in page
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page


@pytest.mark.django_db
def test_a_visitor_gets_the_public_home(client, reference):
    page = client.get(reverse("home")).content.decode()
    assert "Members on" in page
    assert "Your dashboard" not in page
    assert "Log in" in page


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_dashboard(client, make_user, reference):
    client.force_login(make_user("focal", ("DG HOME", "focal_point"), ("DG HOME", "contributor")))
    page = client.get(reverse("home")).content.decode()
    assert "Your dashboard" in page
    assert "Contributor, Focal point" in page
    assert "DG HOME is a member of EU-IOM Strategic Cooperation Framework since July 2012" in page


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow(client, make_user, reference, django_assert_max_num_queries):
    client.force_login(make_user("sec", ("IOM-RO-BRU", "secretariat"), ("IOM", "member")))
    # The dashboard's panels, its start-here panel and the header's unread notifications:
    # a fixed number of queries, whatever the record holds. (Within the test's transaction
    # the members' history is read anew, two statements, where a server keeps it.)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_the_framework_page_shows_the_whole_timeline(client, make_user, reference):
    client.force_login(make_user("member", ("EEAS", "member")))
    page = client.get(reverse("framework")).content.decode()
    assert "Membership timeline" in page
    assert "16 February 2016" in page


def signed_up_items(*, user):
    return [f"item {n} for {user}" for n in range(PANEL_LIMIT + 3)]


def test_a_panel_shows_only_when_its_app_is_installed():
    missing = Panel(app="accord.nowhere", title="t", selector="accord.nowhere.x", empty="e")
    assert dashboard_panels(user="u", panels=[missing]) == []


def test_a_panel_lists_the_first_records_of_its_selector():
    panel = Panel(
        app="accord.partners",
        title="Things",
        selector=f"{__name__}.signed_up_items",
        empty="None",
    )
    (filled,) = dashboard_panels(user="ann", panels=[panel])
    assert filled.full_list_url is None
    assert filled.records[0] == "item 0 for ann"
    assert len(filled.records) == PANEL_LIMIT
    assert filled.more


def test_a_panel_whose_selector_is_missing_is_left_out(caplog):
    panel = Panel(app="accord.partners", title="t", selector="accord.partners.nope", empty="e")
    assert dashboard_panels(user="u", panels=[panel]) == []
    assert "accord.partners.nope" in caplog.text


@pytest.mark.parametrize("panel", PANELS, ids=lambda panel: panel.selector)
def test_every_installed_panel_has_its_selector(panel):
    """After a merge: an installed app must offer the selector its panel names."""
    if apps.is_installed(panel.app):
        assert panel_selector(panel) is not None, (
            f"{panel.app} has no {panel.selector}: add it, or fix accord.core.dashboard.PANELS"
        )


def test_partial_dates_in_french():
    day = dt.date(2016, 2, 16)
    with translation.override("fr"):
        assert format_partial_date(day) == "16 février 2016"
        assert format_partial_date(day, DatePrecision.MONTH) == "février 2016"
        assert format_partial_date(day, DatePrecision.YEAR) == "2016"
    assert format_partial_date(day) == "16 February 2016"


def test_the_french_catalogue_is_complete_and_compiled():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="fr")
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all([message.string] if isinstance(message.string, str) else message.string)
        )
    ]
    assert untranslated == []
    with translation.override("fr"):
        assert str(translation.gettext("Skip to content")) == "Aller au contenu", (
            "the French catalogue is not compiled: run `make install`"
        )


@pytest.mark.django_db
def test_the_browser_language_picks_french(client, reference):
    page = client.get(reverse("home"), headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    body = page.content.decode()
    assert '<html lang="fr">' in body
    assert "Membres au" in body
    assert "Partenaires" in body


@pytest.mark.django_db
def test_the_reader_can_choose_french(client, reference):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/partners/"})
    assert response.status_code == 302
    body = client.get(reverse("partner-list")).content.decode()
    assert "<h1>Partenaires</h1>" in body


@pytest.mark.django_db
def test_a_signed_in_user_is_not_shown_the_login_form_again(client, make_user):
    client.force_login(make_user("ann"))
    assert client.get(reverse("login")).status_code == 302


class Initiative:
    title = "Return and reintegration"
    title_fr = "Retour et réintégration"
    summary = {"en": "In English", "fr": ""}


def test_content_shows_in_the_reader_language_when_present():
    from accord.core.templatetags.accord import in_reader_language

    with translation.override("fr"):
        assert in_reader_language(Initiative(), "title") == "Retour et réintégration"
        assert in_reader_language(Initiative(), "summary") == "In English"
    with translation.override("en"):
        assert in_reader_language(Initiative(), "title") == "Return and reintegration"


@pytest.mark.django_db
def test_a_missing_page_keeps_the_layout(client, reference):
    response = client.get("/partners/nobody-by-that-name/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'class="skip-link"' in body
