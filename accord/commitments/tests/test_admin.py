import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/commitments/instrument/",
        "/admin/commitments/commitment/",
        "/admin/commitments/initiative/",
        "/admin/commitments/cycle/",
        "/admin/commitments/exchangerate/",
    ],
)
def test_secretariat_manages_commitments_in_the_admin(client, make_user, reference, url):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_instrument_change_page(client, make_user, reference):
    from accord.commitments.models import Instrument

    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    jvap = Instrument.objects.get(code="JVAP")
    assert client.get(f"/admin/commitments/instrument/{jvap.pk}/change/").status_code == 200
