import pytest
from django.contrib.auth.models import AnonymousUser

from accord.core.errors import NotFound
from accord.core.models import Classification
from accord.core.selectors import get_visible
from accord.partners.models import Person
from accord.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    iom, home = OrganisationFactory(acronym="IOM"), OrganisationFactory(acronym="DG HOME")
    public = PersonFactory(full_name="Public", classification=Classification.PUBLIC)
    members = PersonFactory(full_name="Members", classification=Classification.MEMBERS)
    for_iom = PersonFactory(full_name="IOM only", classification=Classification.RESTRICTED)
    for_iom.restricted_to.add(iom)
    for_home = PersonFactory(full_name="HOME only", classification=Classification.RESTRICTED)
    for_home.restricted_to.add(home)
    return {"public": public, "members": members, "iom": for_iom, "home": for_home}


def names(user):
    return sorted(Person.objects.visible_to(user).values_list("full_name", flat=True))


def test_public_reads_public_only(people):
    assert names(AnonymousUser()) == ["Public"]


def test_a_user_without_role_reads_public_only(people, make_user):
    assert names(make_user("nobody")) == ["Public"]


def test_member_reads_members_and_own_restricted(people, make_user):
    assert names(make_user("m", ("IOM", "member"))) == ["IOM only", "Members", "Public"]


def test_secretariat_reads_everything(people, make_user):
    assert len(names(make_user("s", ("IOM", "secretariat")))) == 4


def test_get_visible_answers_hidden_as_missing(people, make_user):
    member = make_user("m", ("IOM", "member"))
    assert get_visible(Person.objects, user=member, pk=people["iom"].pk) == people["iom"]
    with pytest.raises(NotFound) as hidden:
        get_visible(Person.objects, user=member, pk=people["home"].pk)
    with pytest.raises(NotFound) as missing:
        get_visible(Person.objects, user=member, pk=999_999)
    assert hidden.value.status == missing.value.status == 404
    # The message names the lookup alike: nothing tells the hidden one from the missing one.
    assert str(hidden.value).replace(str(people["home"].pk), "N") == str(missing.value).replace(
        "999999", "N"
    )
