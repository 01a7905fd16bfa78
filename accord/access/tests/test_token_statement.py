"""The token of an API request read by one statement: the same token and user as the
ORM reads, only while it is live, with whether any sign-in failed since a moment; and
the roles of its user by one statement too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.utils import timezone

from accord.access.models import ApiToken
from accord.access.services import token_create, token_digest, token_revoke
from accord.access.tokens import token_lookup

pytestmark = pytest.mark.django_db


def _columns(record: Any) -> dict[str, Any]:
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def test_the_statement_reads_the_token_and_user_the_orm_reads(make_user: Any) -> None:
    user = make_user("hana")
    token, plain = token_create(user=user, name="scripts", expires_days=30)
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now - dt.timedelta(hours=1))
    found = token_lookup(token_digest(plain), now=now, since=None)
    assert found.token is not None
    assert found.recent_failure
    stored = ApiToken.objects.get(pk=token.pk)
    assert _columns(found.token) == _columns(stored)
    assert found.token.last_used_at is not None
    assert timezone.is_aware(found.token.last_used_at)
    assert _columns(found.token.user) == _columns(get_user_model().objects.get(pk=user.pk))
    assert model_to_dict(found.token.user)["username"] == "hana"
    # Read as the ORM reads it, the instance saves as one read by the ORM does.
    found.token.name = "renamed"
    found.token.save(update_fields=["name"])
    assert ApiToken.objects.get(pk=token.pk).name == "renamed"


def test_only_a_live_token_of_an_active_user_is_found(make_user: Any) -> None:
    now = timezone.now()
    live, live_plain = token_create(user=make_user("ines"))
    _expired, expired_plain = token_create(user=make_user("jon"), expires_days=1)
    _revoked, revoked_plain = token_create(user=make_user("kai"))
    token_revoke(token=_revoked)
    _idle, idle_plain = token_create(user=make_user("lea"))
    get_user_model().objects.filter(username="lea").update(is_active=False)
    later = now + dt.timedelta(days=2)
    found = token_lookup(token_digest(live_plain), now=later, since=None)
    assert found.token is not None
    assert found.token.pk == live.pk
    for plain in (expired_plain, revoked_plain, idle_plain, "acc_unknown"):
        assert token_lookup(token_digest(plain), now=later, since=None).token is None


def test_a_recent_failure_is_told_with_the_token(make_user: Any) -> None:
    _token, plain = token_create(user=make_user("mo"))
    now = timezone.now()
    assert not token_lookup(token_digest(plain), now=now, since=now).recent_failure
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.9", failures_since_start=1, attempt_time=now
    )
    since = now - dt.timedelta(minutes=5)
    assert token_lookup(token_digest(plain), now=now, since=since).recent_failure
    assert not token_lookup(
        token_digest(plain), now=now, since=now + dt.timedelta(seconds=1)
    ).recent_failure


def test_the_roles_statement_reads_the_roles_the_orm_reads(make_user: Any) -> None:
    from accord.access.models import Role
    from accord.access.selectors import access_for
    from accord.access.services import role_grant
    from accord.partners.tests.factories import OrganisationFactory

    user = make_user("nia")
    first, second = OrganisationFactory(), OrganisationFactory()
    role_grant(user=user, organisation_id=first.pk, kind="focal_point")
    role_grant(user=user, organisation_id=first.pk, kind="contributor")
    role_grant(user=user, organisation_id=second.pk, kind="member")
    expected: dict[int, set[str]] = {}
    for organisation_id, kind in Role.objects.filter(user_id=user.pk).values_list(
        "organisation_id", "kind"
    ):
        expected.setdefault(organisation_id, set()).add(kind)
    fresh = get_user_model().objects.get(pk=user.pk)
    assert {org: set(kinds) for org, kinds in access_for(fresh).roles.items()} == expected
    assert set(expected) == {first.pk, second.pk}


def test_the_roles_come_with_the_token(make_user: Any, django_assert_num_queries: Any) -> None:
    from accord.access.selectors import access_for
    from accord.access.services import role_grant
    from accord.partners.tests.factories import OrganisationFactory

    holder, bare = make_user("oto"), make_user("pia")
    first, second = OrganisationFactory(), OrganisationFactory()
    role_grant(user=holder, organisation_id=first.pk, kind="focal_point")
    role_grant(user=holder, organisation_id=first.pk, kind="secretariat")
    role_grant(user=holder, organisation_id=second.pk, kind="member")
    _token, plain = token_create(user=holder)
    _bare_token, bare_plain = token_create(user=bare)
    now = timezone.now()

    found = token_lookup(token_digest(plain), now=now, since=None).token
    assert found is not None
    with django_assert_num_queries(0):
        kept = access_for(found.user)
    asked = access_for(get_user_model().objects.get(pk=holder.pk))
    assert kept == asked
    assert kept.roles == {
        first.pk: frozenset({"focal_point", "secretariat"}),
        second.pk: frozenset({"member"}),
    }

    none = token_lookup(token_digest(bare_plain), now=now, since=None).token
    assert none is not None
    with django_assert_num_queries(0):
        assert access_for(none.user).roles == {}
