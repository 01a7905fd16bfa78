"""The initiative edit page: the full form, from the version the editor read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accord.access.permissions import require
from accord.commitments import permissions, selectors
from accord.commitments.initiative_forms import InitiativeFullForm, initial_for
from accord.commitments.initiatives import initiative_update
from accord.commitments.views import _refusal_on_form, _reporting_partners
from accord.core.errors import Conflict, Invalid, NotFound


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat and the partner's focal points and contributors edit an initiative;
    a save based on a version someone has changed since is refused, the input kept."""
    try:
        initiative = selectors.initiative_get(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    require(
        permissions.can_edit_initiative(request.user, initiative),
        _("You may not edit this initiative."),
    )
    language = (translation.get_language() or "en").split("-")[0]
    partners = _reporting_partners(request)
    if initiative.partner and initiative.partner.acronym not in partners:
        partners = [initiative.partner.acronym, *partners]
    form = InitiativeFullForm(
        request.POST or None, partners=partners, initial=initial_for(initiative, language)
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative_update(
                user=request.user,
                initiative=initiative,
                record=form.record(language, initiative),
                version=form.cleaned_data["version"],
            )
        except (Invalid, Conflict) as problem:
            _refusal_on_form(form, problem)
        else:
            messages.success(request, _("Initiative saved."))
            return redirect("initiative-detail", pk=initiative.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "initiative": initiative}
    return render(request, "commitments/initiative_edit.html", context, status=status)
