import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_members_and_timeline(client, reference):
    page = client.get(reverse("home")).content.decode()
    assert "EU-IOM Strategic Cooperation Framework" in page
    assert "DG INTPA" in page
    assert "16 February 2016" in page
    assert "Exchange of letters" in page


def test_partner_page_by_former_acronym(client, reference):
    page = client.get(reverse("partner-detail", args=["dg-devco"])).content.decode()
    assert "DG INTPA" in page
    assert "Names over time" in page
    assert "uncertain" in page


def test_unknown_partner_is_404(client, reference):
    assert client.get(reverse("partner-detail", args=["nope"])).status_code == 404


def test_partner_list_htmx_renders_only_results(client, reference):
    response = client.get(reverse("partner-list"), {"q": "IOM"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="partner-results"' in body
    assert "<html" not in body
    assert "IOM-RO-BRU" in body


def test_partner_list_query_count_does_not_grow(client, reference, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("partner-list"))


def test_the_partner_list_is_paged_with_its_count(client, db):
    from accord.partners.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(acronym=f"P{n:03d}", name=f"Partner {n}") for n in range(60)
    )
    first = client.get(reverse("partner-list")).content.decode()
    assert "60 partners" in first
    assert "P049" in first
    assert "P050" not in first
    assert "Page 1 of 2" in first
    assert 'page=2" rel="next"' in first
    second = client.get(reverse("partner-list"), {"page": 2, "q": "P0"}).content.decode()
    assert "P050" in second
    assert "P059" in second
    assert "P049" not in second
    assert "q=P0&amp;page=1" in second
    # A page past the last, or not a number, is the nearest one there is.
    assert "P059" in client.get(reverse("partner-list"), {"page": "9"}).content.decode()
    assert "P000" in client.get(reverse("partner-list"), {"page": "x"}).content.decode()


def test_history_is_for_the_secretariat(client, make_user, reference):
    from accord.partners.models import Organisation

    iom = Organisation.objects.get(acronym="IOM")
    url = reverse("record-history", args=["partners", "organisation", iom.pk])
    client.force_login(make_user("member", ("IOM", "member")))
    assert client.get(url).status_code == 403
    client.force_login(make_user("sec", ("IOM-RO-BRU", "secretariat")))
    assert "created" in client.get(url).content.decode()


@pytest.mark.parametrize("latest", [1, 3, 15, 40])
def test_latest_timeline_is_the_tail_of_the_whole_one(latest, reference):
    from accord.bench.generate import partners as generated_framework
    from accord.partners.models import Framework
    from accord.partners.selectors import membership_timeline

    for framework in [Framework.objects.get(code="eu-iom-scf"), generated_framework("small")]:
        whole = membership_timeline(framework)
        assert membership_timeline(framework, latest) == whole[-latest:]


def test_home_shows_the_latest_changes_with_a_link_to_all(client, reference):
    from accord.bench.generate import partners as generated_framework

    framework = generated_framework("small")
    with override_settings(ACCORD_FRAMEWORK=framework.code):
        page = client.get(reverse("home")).content.decode()
    assert "Latest changes of membership" in page
    assert page.count('class="timeline__event') == 15
    assert reverse("framework") in page


@pytest.mark.parametrize("latest", [1, 2, 3, 4, 5, 6])
def test_latest_timeline_reaches_a_renaming_long_after_the_partner_left(latest, db):
    """The latest events are bounded by date before they are made: a renaming of a partner
    that left long before, or one taken before it joined, is still placed rightly."""
    import datetime as dt

    from accord.partners.models import (
        Framework,
        Membership,
        MembershipInstrument,
        Organisation,
        OrganisationName,
    )
    from accord.partners.selectors import membership_timeline

    framework = Framework.objects.create(code="t", name="T", established_on=dt.date(2000, 1, 1))

    def member(acronym, joined, left=None, names=()):
        organisation = Organisation.objects.create(acronym=acronym, name=acronym)
        for old, valid_from in names:
            OrganisationName.objects.create(
                organisation=organisation, acronym=old, name=f"{old} name", valid_from=valid_from
            )
        Membership.objects.create(
            framework=framework,
            organisation=organisation,
            joined_on=joined,
            left_on=left,
            instrument=MembershipInstrument.FOUNDING,
        )

    member(
        "AAA",
        dt.date(2000, 1, 1),
        dt.date(2001, 1, 1),
        [("A0", None), ("AAA", dt.date(2010, 5, 1))],
    )
    member("BBB", dt.date(2005, 1, 1), dt.date(2006, 1, 1), [("B0", dt.date(2004, 1, 1))])
    member("CCC", dt.date(2012, 1, 1))
    whole = [(e.date.isoformat(), e.text) for e in membership_timeline(framework)]
    assert whole == [
        ("2000-01-01", "A0 joins (Founding act)"),
        ("2001-01-01", "AAA leaves"),
        ("2005-01-01", "B0 joins (Founding act)"),
        ("2006-01-01", "BBB leaves"),
        ("2010-05-01", "A0 becomes AAA (AAA name)"),
        ("2012-01-01", "CCC joins (Founding act)"),
    ]
    assert [(e.date.isoformat(), e.text) for e in membership_timeline(framework, latest)] == (
        whole[-latest:]
    )


def test_the_whole_timeline_is_paged(client, reference):
    """The framework's page shows its whole membership timeline a hundred events at a
    time, oldest first, with a pager; the last page ends with the latest change."""
    from accord.bench.generate import partners as generated_framework
    from accord.partners.selectors import membership_timeline
    from accord.partners.views import TIMELINE_PAGE

    framework = generated_framework("small")
    whole = membership_timeline(framework)
    pages = -(-len(whole) // TIMELINE_PAGE)
    assert pages > 2
    with override_settings(ACCORD_FRAMEWORK=framework.code):
        first = client.get(reverse("framework")).content.decode()
        last = client.get(reverse("framework"), {"page": pages}).content.decode()
        beyond = client.get(reverse("framework"), {"page": "x"}).content.decode()
    assert first.count('class="timeline__event') == TIMELINE_PAGE
    assert f"Page 1 of {pages}" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    assert last.count('class="timeline__event') == len(whole) - (pages - 1) * TIMELINE_PAGE
    assert whole[-1].text in last
    assert 'rel="next"' not in last
    assert f"Page 1 of {pages}" in beyond  # a page that is no number is the first
