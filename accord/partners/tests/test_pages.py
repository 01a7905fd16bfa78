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
        whole = [(e.date, e.text) for e in membership_timeline(framework)]
        assert [(e.date, e.text) for e in membership_timeline(framework, latest)] == whole[-latest:]


def test_home_shows_the_latest_changes_with_a_link_to_all(client, reference):
    from accord.bench.generate import partners as generated_framework

    framework = generated_framework("small")
    with override_settings(ACCORD_FRAMEWORK=framework.code):
        page = client.get(reverse("home")).content.decode()
    assert "Latest changes of membership" in page
    assert page.count('class="timeline__event') == 15
    assert reverse("framework") in page
