"""Accounts, tokens, people and roles, and the audit log."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.access.models import ApiToken, AuditEvent
from accord.access.people import user_by_name_or_email
from accord.access.selectors import roles_of
from accord.access.selectors_audit import AuditFilters, audit_events, people_for, tokens_of
from accord.access.services import role_grant, role_revoke, token_create, token_revoke
from accord.access.twofactor import has_two_factor
from accord.access.users import user_deactivate, user_invite
from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Invalid, NotFound
from accord.partners.models import Organisation

router = Router(tags=["access"])


class RoleOut(Schema):
    partner: str
    role: str


class TokenOut(Schema):
    prefix: str
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    live: bool


class TokenCreatedOut(TokenOut):
    token: str


class MeOut(Schema):
    username: str
    email: str
    roles: list[RoleOut]
    two_factor: bool


def _roles(user: Any) -> list[dict]:
    return [{"partner": r.organisation.acronym, "role": r.kind} for r in roles_of(user)]


def _token_out(token: ApiToken) -> dict:
    return {
        "prefix": token.prefix,
        "name": token.name,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "live": token.is_live,
    }


@router.get("/me", response=MeOut, auth=authenticated, summary="The user of the token")
def me(request: HttpRequest) -> dict:
    user: Any = request.user
    return {
        "username": user.get_username(),
        "email": user.email,
        "roles": _roles(user),
        "two_factor": has_two_factor(user),
    }


@router.get("/me/tokens", response=list[TokenOut], auth=authenticated, summary="My tokens")
@paginate(Page)
def my_tokens(request: HttpRequest) -> list[dict]:
    return [_token_out(token) for token in tokens_of(request.user)]


class TokenIn(Schema):
    name: str = ""
    expires_days: int | None = None


@router.post(
    "/me/tokens", response={201: TokenCreatedOut}, auth=authenticated, summary="A new token"
)
def my_token_create(request: HttpRequest, payload: TokenIn) -> Status:
    """The plain token is in the answer once, never again."""
    token, plain = token_create(
        user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        expires_days=payload.expires_days,
        actor=request.user,
    )
    return Status(201, {**_token_out(token), "token": plain})


@router.delete(
    "/me/tokens/{prefix}", response={204: None}, auth=authenticated, summary="Revoke a token"
)
def my_token_revoke(request: HttpRequest, prefix: str) -> Status:
    user: Any = request.user
    token = ApiToken.objects.filter(user_id=user.pk, prefix=prefix).first()
    if token is None:
        raise NotFound("You have no token with this prefix.")
    token_revoke(token=token, actor=request.user)
    return Status(204, None)


class PersonOut(Schema):
    username: str
    email: str
    full_name: str
    active: bool
    roles: list[RoleOut]


@router.get("/users", response=list[PersonOut], auth=authenticated, summary="People and roles")
@paginate(Page)
def user_list(request: HttpRequest) -> list[dict]:
    """All users for the secretariat; a focal point sees the people of its partners."""
    return [
        {
            "username": user.get_username(),
            "email": user.email,
            "full_name": user.get_full_name(),
            "active": user.is_active,
            "roles": [
                {"partner": r.organisation.acronym, "role": r.kind} for r in user.accord_roles.all()
            ],
        }
        for user in people_for(request.user)
    ]


class InviteIn(Schema):
    email: str
    username: str = ""
    full_name: str = ""
    partner: str | None = None
    role: str = ""


def _partner(acronym: str) -> Organisation:
    organisation = Organisation.objects.filter(acronym=acronym).first()
    if organisation is None:
        raise NotFound(f"No partner with the acronym {acronym!r}.")
    return organisation


@router.post(
    "/users/invite", response={201: PersonOut}, auth=authenticated, summary="Invite a user"
)
def user_invite_route(request: HttpRequest, payload: InviteIn) -> Status:
    """Secretariat: an account and an e-mail with a timed link to choose a password."""
    user: Any = user_invite(
        actor=request.user,
        email=payload.email,
        username=payload.username,
        full_name=payload.full_name,
        organisation_id=_partner(payload.partner).pk if payload.partner else None,
        kind=payload.role,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(
        201,
        {
            "username": user.get_username(),
            "email": user.email,
            "full_name": user.get_full_name(),
            "active": user.is_active,
            "roles": _roles(user),
        },
    )


@router.post(
    "/users/{username}/deactivate", response={204: None}, auth=authenticated, summary="Deactivate"
)
def user_deactivate_route(request: HttpRequest, username: str) -> Status:
    user = get_object_or_404(get_user_model(), username=username)
    user_deactivate(actor=request.user, user=user)
    return Status(204, None)


class RoleIn(Schema):
    user: str
    partner: str
    role: str


def _role_target(payload: RoleIn) -> tuple[Any, Organisation]:
    user = user_by_name_or_email(payload.user)
    if user is None:
        raise NotFound(f"No active user named {payload.user!r}.")
    return user, _partner(payload.partner)


@router.post("/roles", response={201: RoleIn}, auth=authenticated, summary="Give a role")
def role_give(request: HttpRequest, payload: RoleIn) -> Status:
    """The secretariat gives any role; a focal point designates its partner's contributors."""
    user, organisation = _role_target(payload)
    role_grant(user=user, organisation_id=organisation.pk, kind=payload.role, actor=request.user)
    return Status(201, payload.dict())


@router.post("/roles/remove", response={204: None}, auth=authenticated, summary="Take a role")
def role_take(request: HttpRequest, payload: RoleIn) -> Status:
    user, organisation = _role_target(payload)
    role_revoke(user=user, organisation_id=organisation.pk, kind=payload.role, actor=request.user)
    return Status(204, None)


class PasswordResetIn(Schema):
    email: str


@router.post("/password-reset", response={202: dict}, summary="Mail a password link")
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status:
    """Always 202, so the answer does not tell which addresses have an account."""
    form = PasswordResetForm({"email": payload.email})
    if not form.is_valid():
        raise Invalid("An e-mail address is needed.")
    form.save(request=request, use_https=request.is_secure())
    return Status(202, {"detail": "If an account has this address, a link is on its way."})


class AuditOut(Schema):
    at: dt.datetime
    who: str
    verb: str
    record_type: str
    record_id: str
    record: str
    data: dict
    address: str | None


class AuditQuery(Schema):
    who: str = ""
    verb: str = ""
    record: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _audit_out(event: AuditEvent) -> dict:
    return {
        "at": event.at,
        "who": event.actor_name,
        "verb": event.verb,
        "record_type": event.target_type,
        "record_id": event.target_id,
        "record": event.target_label,
        "data": event.data,
        "address": event.address,
    }


@router.get("/audit", response=list[AuditOut], auth=authenticated, summary="The audit log")
@paginate(Page)
def audit_list(request: HttpRequest, filters: Query[AuditQuery]) -> list[dict]:
    """Secretariat only; newest first."""
    events = audit_events(actor=request.user, filters=AuditFilters(**filters.dict()))
    return [_audit_out(event) for event in events]
