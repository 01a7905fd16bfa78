"""Tokens, people and roles, invitations, deactivation, erasure: each leaves its audit row."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.access.models import ApiToken, AuditEvent, Role
from accord.access.services import role_grant, role_revoke, token_create
from accord.partners.tests.factories import OrganisationFactory


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def test_token_command_creates_lists_and_revokes(make_user: Any) -> None:
    make_user("alice")
    out = io.StringIO()
    call_command("token", "create", "alice", "--expires", "3", stdout=out)
    plain = out.getvalue().strip().splitlines()[-1]
    assert plain.startswith("acc_")
    api = Client(headers={"Authorization": f"Bearer {plain}"})
    assert api.get("/api/v1/me").json()["username"] == "alice"
    listing = io.StringIO()
    call_command("token", "list", "alice", stdout=listing)
    assert plain[:12] in listing.getvalue()
    assert "live" in listing.getvalue()
    call_command("token", "revoke", "alice", plain[:8], stdout=io.StringIO())
    refused = api.get("/api/v1/me")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert verbs()[-2:] == ["token.created", "token.revoked"] or "token.revoked" in verbs()


def test_an_expired_token_is_refused(make_user: Any) -> None:
    user = make_user("bob")
    token, plain = token_create(user=user, expires_days=2)
    api = Client(headers={"Authorization": f"Bearer {plain}"})
    assert api.get("/api/v1/me").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert api.get("/api/v1/me").status_code == 401
    assert token.expires_at is not None


def test_tokens_expire_by_default_after_the_set_days(make_user: Any) -> None:
    token, _plain = token_create(user=make_user("carl"))
    assert token.expires_at is not None
    days = (token.expires_at - timezone.now()).days
    assert days in (settings.ACCORD_TOKEN_DAYS - 1, settings.ACCORD_TOKEN_DAYS)


def test_guessed_tokens_are_throttled(make_user: Any) -> None:
    user = make_user("dana")
    _token, plain = token_create(user=user)
    for number in range(settings.AXES_FAILURE_LIMIT):
        guess = Client(headers={"Authorization": f"Bearer acc_guess{number}"})
        assert guess.get("/api/v1/me", REMOTE_ADDR="192.0.2.50").status_code in (401, 429)
    right = Client(headers={"Authorization": f"Bearer {plain}"})
    locked = right.get("/api/v1/me", REMOTE_ADDR="192.0.2.50")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert right.get("/api/v1/me", REMOTE_ADDR="192.0.2.51").status_code == 200


def test_a_user_sees_and_revokes_their_tokens_on_their_page(make_user: Any) -> None:
    user = make_user("erin")
    other = make_user("frank")
    token, _plain = token_create(user=user, name="script")
    foreign, _ = token_create(user=other)
    client = Client()
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert token.prefix in page
    assert foreign.prefix not in page
    assert client.post(f"/account/tokens/{foreign.pk}/revoke/").status_code == 404
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    made = client.post("/account/", {"name": "new", "expires_days": "5"})
    assert "acc_" in made.content.decode()
    assert ApiToken.objects.filter(user=user, name="new").exists()


def test_a_focal_point_designates_contributors_of_its_own_partner_only(make_user: Any) -> None:
    focal = make_user("home-focal", ("DG HOME", "focal_point"))
    person = make_user("newcomer")
    other = OrganisationFactory(acronym="IOM")
    home = OrganisationFactory(acronym="DG HOME")
    role_grant(user=person, organisation_id=home.pk, kind="contributor", actor=focal)
    assert Role.objects.filter(user=person, organisation_id=home.pk, kind="contributor").exists()
    with pytest.raises(PermissionDenied):
        role_grant(user=person, organisation_id=other.pk, kind="contributor", actor=focal)
    with pytest.raises(PermissionDenied):
        role_grant(user=person, organisation_id=home.pk, kind="focal_point", actor=focal)
    role_revoke(user=person, organisation_id=home.pk, kind="contributor", actor=focal)
    assert not Role.objects.filter(user=person, organisation_id=home.pk).exists()
    given = AuditEvent.objects.get(verb="role.given", actor=focal)
    assert given.data == {"partner": "DG HOME", "role": "contributor"}
    assert given.target_label == "newcomer"
    assert AuditEvent.objects.filter(verb="role.taken", actor=focal).count() == 1


def test_the_people_page_and_api_for_a_focal_point(make_user: Any, api_client: Any) -> None:
    focal = make_user("home-focal", ("DG HOME", "focal_point"))
    make_user("newcomer")
    OrganisationFactory(acronym="IOM")
    client = Client()
    client.force_login(focal)
    assert client.get("/people/").status_code == 200
    client.post(
        "/people/",
        {
            "action": "role",
            "username": "newcomer",
            "organisation": "DG HOME",
            "kind": "contributor",
        },
    )
    assert Role.objects.filter(user__username="newcomer", kind="contributor").exists()
    refused = client.post(
        "/people/",
        {"action": "role", "username": "newcomer", "organisation": "IOM", "kind": "contributor"},
    )
    assert refused.status_code == 200
    assert not Role.objects.filter(user__username="newcomer", organisation__acronym="IOM").exists()
    api = api_client(focal)
    answer = api.post(
        "/api/v1/roles",
        {"user": "newcomer", "partner": "IOM", "role": "contributor"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    removed = api.post(
        "/api/v1/roles/remove",
        {"user": "newcomer", "partner": "DG HOME", "role": "contributor"},
        content_type="application/json",
    )
    assert removed.status_code == 204
    member = make_user("reader", ("IOM", "member"))
    reader = Client()
    reader.force_login(member)
    assert reader.get("/people/").status_code == 403


def test_the_secretariat_invites_a_user_who_chooses_a_password(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = make_user("clerk", ("IOM", "secretariat"))
    client = Client()
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/people/",
            {
                "action": "invite",
                "invite-email": "new.person@example.org",
                "invite-full_name": "New Person",
                "invite-organisation": "IOM",
                "invite-kind": "contributor",
            },
        )
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/choose/\S+)", mail.outbox[0].body).group(1)
    visitor = Client()
    form = visitor.get(link, follow=True)
    assert form.status_code == 200
    chosen = visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": "12345678901", "new_password2": "12345678901"},
    )
    assert "entirely numeric" in chosen.content.decode()
    visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long pass phrase", "new_password2": "a long pass phrase"},
    )
    signed = Client().post("/login/", {"username": "new.person", "password": "a long pass phrase"})
    assert signed.status_code == 302
    assert {"user.invited", "role.given"} <= set(verbs())
    # The link is good for a set time only.
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    ):
        assert "not valid" in Client().get(link, follow=True).content.decode()


def test_the_secretariat_deactivates_a_user(make_user: Any, api_client: Any) -> None:
    clerk = make_user("clerk", ("IOM", "secretariat"))
    leaving = make_user("leaving", ("IOM", "member"))
    _token, plain = token_create(user=leaving)
    api_client(clerk).post("/api/v1/users/leaving/deactivate")
    leaving.refresh_from_db()
    assert not leaving.is_active
    assert Client(headers={"Authorization": f"Bearer {plain}"}).get("/api/v1/me").status_code == 401
    event = AuditEvent.objects.get(verb="user.deactivated")
    assert (event.actor_name, event.target_label) == ("clerk", "leaving")
    assert api_client(leaving).get("/api/v1/me").status_code == 401


def test_a_forgotten_password_is_reset_by_mail(make_user: Any) -> None:
    make_user("gina", email="gina@example.org")
    answer = Client().post("/password/reset/", {"email": "gina@example.org"})
    assert answer.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password/choose/" in mail.outbox[0].body
    Client().post(
        "/api/v1/password-reset", {"email": "gina@example.org"}, content_type="application/json"
    )
    assert len(mail.outbox) == 2


def test_the_audit_page_filters_and_exports(make_user: Any, api_client: Any) -> None:
    clerk = make_user("clerk", ("IOM", "secretariat"))
    member = make_user("reader", ("IOM", "member"))
    token_create(user=member, actor=member)
    client = Client()
    client.force_login(clerk)
    page = client.get("/audit/", {"verb": "token.created", "who": "reader"})
    assert page.status_code == 200
    assert "token.created" in page.content.decode()
    csv_text = client.get("/audit/export.csv", {"verb": "role.given"}).content.decode()
    assert csv_text.splitlines()[0].startswith("at,who,event")
    assert "role.given" in csv_text
    assert "token.created" not in csv_text
    items = (
        api_client(clerk)
        .get("/api/v1/audit", {"verb": "token.created", "who": "reader"})
        .json()["items"]
    )
    assert [item["who"] for item in items] == ["reader"]
    reader = Client()
    reader.force_login(member)
    assert reader.get("/audit/").status_code == 403
    assert api_client(member).get("/api/v1/audit").status_code == 403


def test_prune_clears_old_addresses(make_user: Any) -> None:
    from accord.access.audit import audit_record, request_address

    with (
        time_machine.travel(
            timezone.now() - dt.timedelta(days=settings.ACCORD_AUDIT_ADDRESS_DAYS + 1)
        ),
        request_address("192.0.2.1"),
    ):
        old = audit_record(actor=None, verb="page.old")
    with request_address("192.0.2.2"):
        new = audit_record(actor=None, verb="page.new")
    call_command("audit", "prune", stdout=io.StringIO())
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.address is None
    assert new.address == "192.0.2.2"


def test_person_erase_keeps_the_record_under_former_participant(make_user: Any) -> None:
    from accord.partners.models import Person

    user = make_user("hugo", ("IOM", "contributor"), email="hugo@example.org", first_name="Hugo")
    token_create(user=user, actor=user)
    person = Person.objects.create(full_name="Hugo Example", email="hugo@example.org")
    call_command("person", "erase", "hugo", stdout=io.StringIO())
    call_command("person", "erase", "Hugo Example", stdout=io.StringIO())
    user.refresh_from_db()
    person.refresh_from_db()
    assert (user.username, user.email, user.first_name, user.is_active) == (
        f"former-{user.pk}",
        "",
        "",
        False,
    )
    assert not Role.objects.filter(user=user).exists()
    assert person.full_name.startswith("former participant")
    assert person.email == ""
    assert not person.history.filter(full_name="Hugo Example").exists()
    assert set(AuditEvent.objects.filter(actor=user).values_list("actor_name", flat=True)) == {
        "former participant"
    }


def test_the_privacy_page_lists_the_data_and_the_erasure() -> None:
    page = Client().get("/privacy/").content.decode()
    assert "accord person erase NAME" in page
    assert "90 days" in page
    assert "e-mail address" in page


def test_failures_older_than_the_cool_off_lock_no_one_and_are_not_summed(
    make_user: Any,
) -> None:
    """The lockout check asks first whether any failure is recent: with none, a token's
    request reads no sums of failures; with one that old, a locked address is free."""
    from axes.models import AccessAttempt

    user = make_user("gail")
    _token, plain = token_create(user=user)
    right = Client(headers={"Authorization": f"Bearer {plain}"})
    right.get("/api/v1/me", REMOTE_ADDR="192.0.2.60")
    with CaptureQueriesContext(connection) as statements:
        assert right.get("/api/v1/me", REMOTE_ADDR="192.0.2.60").status_code == 200
    failures = [s["sql"] for s in statements if AccessAttempt._meta.db_table in s["sql"]]
    assert len(failures) == 1
    assert "SUM" not in failures[0].upper()

    for number in range(settings.AXES_FAILURE_LIMIT):
        guess = Client(headers={"Authorization": f"Bearer acc_guess{number}"})
        guess.get("/api/v1/me", REMOTE_ADDR="192.0.2.60")
    assert right.get("/api/v1/me", REMOTE_ADDR="192.0.2.60").status_code == 429
    past_cool_off = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past_cool_off)
    assert right.get("/api/v1/me", REMOTE_ADDR="192.0.2.60").status_code == 200
