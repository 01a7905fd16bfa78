"""Signing in: lockout after repeated failures, the cool-off, two-factor, sessions, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.access.models import AuditEvent
from accord.access.twofactor import totp_confirm, totp_pending

PASSWORD = "secret-password"


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.9") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():0{device.digits}d}"


def test_the_right_password_is_refused_after_the_failures_then_accepted(make_user: Any) -> None:
    make_user("alice")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            assert sign_in(client, "alice", "wrong-password").status_code in (200, 429)
        refused = sign_in(client, "alice", PASSWORD)
        assert refused.status_code == 429
        assert "refused for 15 minutes" in refused.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        accepted = sign_in(client, "alice", PASSWORD)
        assert accepted.status_code == 302
        assert client.session["_auth_user_id"] == str(
            AuditEvent.objects.get(verb="signin.succeeded").actor_id
        )
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("signin.failed") >= settings.AXES_FAILURE_LIMIT
    assert "signin.locked_out" in verbs
    failed = AuditEvent.objects.filter(verb="signin.failed").first()
    assert failed.data["username"] == "alice"
    assert failed.address == "203.0.113.9"


def test_one_address_guessing_many_names_is_locked_out(make_user: Any) -> None:
    make_user("bob")
    client = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{number}", "wrong-password", address="198.51.100.20")
    assert sign_in(client, "bob", PASSWORD, address="198.51.100.20").status_code == 429
    # Another address may still sign bob in: the lockout is per name or per address.
    assert sign_in(client, "bob", PASSWORD, address="198.51.100.21").status_code == 302


@pytest.mark.parametrize("password", ["12345678901234", "password1234", "qwertyuiop"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes() -> None:
    validate_password("correct horse battery staple")


def test_two_factor_asks_a_code_after_the_password(make_user: Any) -> None:
    user = make_user("carol")
    device = totp_pending(user)
    _device, codes = totp_confirm(user=user, code=code_of(device))
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = sign_in(client, "carol", PASSWORD)
        assert first.status_code == 302
        assert first["Location"] == "/login/verify/"
        assert "_auth_user_id" not in client.session
        wrong = client.post("/login/verify/", {"code": "000000"})
        assert wrong.status_code == 200
        assert "_auth_user_id" not in client.session
    # django-otp holds a device back for a moment after a wrong code.
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        # A recovery code works once.
        right = client.post("/login/verify/", {"code": codes[0]})
        assert right.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
        again = Client()
        sign_in(again, "carol", PASSWORD)
        assert again.post("/login/verify/", {"code": codes[0]}).status_code == 200
        assert "_auth_user_id" not in again.session
    with time_machine.travel(start + dt.timedelta(seconds=120), tick=False):
        device.refresh_from_db()
        assert again.post("/login/verify/", {"code": code_of(device)}).status_code == 302


def test_the_secretariat_must_set_up_two_factor_when_required(
    make_user: Any, settings: Any
) -> None:
    settings.ACCORD_REQUIRE_MFA = True
    make_user("clerk", ("IOM", "secretariat"))
    make_user("reader", ("IOM", "member"))
    client = Client()
    assert sign_in(client, "clerk", PASSWORD).status_code == 302
    blocked = client.get("/meetings/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/account/two-factor/"
    assert client.get("/api/v1/partners").status_code == 403
    setup = client.get("/account/two-factor/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user__username="clerk", confirmed=False)
    done = client.post("/account/two-factor/", {"code": code_of(device)})
    assert done.status_code == 200
    assert "Recovery codes" in done.content.decode()
    assert client.get("/meetings/").status_code == 200
    # A member is not concerned.
    member = Client()
    sign_in(member, "reader", PASSWORD)
    assert member.get("/meetings/").status_code == 200


def test_off_by_default_the_secretariat_signs_in_with_a_password(make_user: Any) -> None:
    assert settings.ACCORD_REQUIRE_MFA is False
    make_user("clerk", ("IOM", "secretariat"))
    client = Client()
    sign_in(client, "clerk", PASSWORD)
    assert client.get("/meetings/").status_code == 200


def test_sessions_expire_after_the_set_hours(make_user: Any) -> None:
    make_user("dora")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "dora", PASSWORD)
        assert client.get("/account/").status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        assert client.get("/account/").status_code == 302


def test_the_login_page_links_the_forgotten_password_page() -> None:
    page = Client().get("/login/")
    assert b'href="/password/reset/"' in page.content


def test_a_token_lifetime_past_ten_years_is_refused_not_a_server_error(
    make_user: Any, api_client: Any
) -> None:
    client = api_client(make_user("tokens", ("IOM", "member")))
    for days in (10**12, 3651, -1):
        refused = client.post(
            "/api/v1/me/tokens", {"expires_days": days}, content_type="application/json"
        )
        assert refused.status_code == 422, (days, refused.content)
        assert "expires_days" in refused.json()["detail"]
    made = client.post("/api/v1/me/tokens", {"expires_days": 30}, content_type="application/json")
    assert made.status_code == 201
