"""Pages of people and roles: the secretariat invites and deactivates users and gives any
role; a focal point designates and removes the contributors of its own partner."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.forms import InviteForm, RoleForm
from accord.access.forms import partners as organisations
from accord.access.models import RoleKind
from accord.access.selectors import access_for
from accord.access.selectors_audit import people_for
from accord.access.services import role_grant, role_revoke
from accord.access.user_permissions import (
    can_deactivate_user,
    can_designate_contributors,
    can_invite_users,
    can_manage_roles,
)
from accord.access.users import user_deactivate, user_invite
from accord.core.errors import AccordError


def user_by_name_or_email(text: str) -> Any:
    text = text.strip()
    return (
        get_user_model()
        ._default_manager.filter(Q(username=text) | Q(email__iexact=text), is_active=True)
        .first()
    )


def _role_form(request: HttpRequest, data: object = None) -> RoleForm:
    form = RoleForm(data)
    access = access_for(request.user)
    if not access.is_secretariat:
        partners = access.partners_with_role(RoleKind.FOCAL_POINT)
        form.fields["organisation"].queryset = organisations().filter(  # type: ignore[attr-defined]
            pk__in=partners
        )
        form.fields["kind"].choices = [(RoleKind.CONTRIBUTOR, RoleKind.CONTRIBUTOR.label)]  # type: ignore[attr-defined]
    return form


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not can_designate_contributors(request.user):
        raise PermissionDenied(_("Only the secretariat and focal points manage people."))
    role_form = _role_form(request, request.POST if request.POST.get("action") == "role" else None)
    invite_form = InviteForm(
        request.POST if request.POST.get("action") == "invite" else None, prefix="invite"
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "role" and role_form.is_valid():
                user = user_by_name_or_email(role_form.cleaned_data["username"])
                if user is None:
                    role_form.add_error("username", _("No active user has this name or address."))
                else:
                    role_grant(
                        user=user,
                        organisation_id=role_form.cleaned_data["organisation"].pk,
                        kind=role_form.cleaned_data["kind"],
                        actor=request.user,
                    )
                    messages.success(request, _("The role is given."))
                    return redirect("people")
            elif request.POST.get("action") == "invite" and invite_form.is_valid():
                data = invite_form.cleaned_data
                invited = user_invite(
                    actor=request.user,
                    email=data["email"],
                    username=data["username"],
                    full_name=data["full_name"],
                    organisation_id=data["organisation"].pk if data["organisation"] else None,
                    kind=data["kind"],
                    base_url=request.build_absolute_uri("/"),
                )
                messages.success(
                    request,
                    _("%(name)s is invited: a link to choose a password is on its way.")
                    % {"name": invited.get_username()},
                )
                return redirect("people")
        except AccordError as error:
            form = invite_form if request.POST.get("action") == "invite" else role_form
            form.add_error(None, error.message)
    users = people_for(request.user)
    access = access_for(request.user)
    rows = [
        {
            "user": user,
            "roles": [
                {
                    "role": role,
                    "removable": can_manage_roles(request.user, role.organisation, role.kind),
                }
                for role in user.accord_roles.all()
            ],
            "can_deactivate": user.is_active and can_deactivate_user(request.user, user),
        }
        for user in users
    ]
    context = {
        "rows": rows,
        "role_form": role_form,
        "invite_form": invite_form if can_invite_users(request.user) else None,
        "is_secretariat": access.is_secretariat,
    }
    return render(request, "access/people.html", context)


@login_required
@require_POST
def people_role_remove(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(get_user_model(), username=username)
    organisation = get_object_or_404(organisations(), acronym=request.POST.get("organisation", ""))
    role_revoke(
        user=user,
        organisation_id=organisation.pk,
        kind=request.POST.get("kind", ""),
        actor=request.user,
    )
    messages.success(request, _("The role is taken away."))
    return redirect("people")


@login_required
@require_POST
def people_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(get_user_model(), username=username)
    user_deactivate(actor=request.user, user=user)
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": username})
    return redirect("people")
