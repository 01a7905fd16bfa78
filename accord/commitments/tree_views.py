"""Pages that edit an instrument's commitment tree: add a commitment, edit, move, re-code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.access.permissions import require
from accord.commitments import permissions, selectors, services
from accord.commitments.models import CODE_VALIDATOR, Commitment, Instrument
from accord.commitments.tree import commitment_edit, commitment_resolve, texts
from accord.core.errors import Conflict, Invalid, NotFound


class CommitmentForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40, validators=[CODE_VALIDATOR])
    title_en = forms.CharField(label=gettext_lazy("Title in English"), max_length=500)
    title_fr = forms.CharField(
        label=gettext_lazy("Title in French"), max_length=500, required=False
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description in English"), required=False, widget=forms.Textarea
    )
    description_fr = forms.CharField(
        label=gettext_lazy("Description in French"), required=False, widget=forms.Textarea
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Part of"),
        queryset=Commitment.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("(top level)"),
    )
    position = forms.IntegerField(
        label=gettext_lazy("Position among its siblings"), min_value=0, initial=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Commitment.objects.filter(instrument=instrument).order_by("path")
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].label_from_instance = lambda c: f"{c.code} {c.title_text}"  # type: ignore[attr-defined]


def _add_error(form: forms.Form, problem: Invalid | Conflict) -> None:
    name, _sep, rest = problem.message.partition(": ")
    if name in form.fields:
        form.add_error(name, rest)
    else:
        form.add_error(None, problem.message)


def _instrument(code: str) -> Instrument:
    try:
        return selectors.instrument_get(code)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def commitment_add(request: HttpRequest, code: str) -> HttpResponse:
    """The secretariat adds a commitment to an instrument's tree."""
    instrument = _instrument(code)
    require(
        permissions.can_edit_instruments(request.user),
        permissions.secretariat_only("add commitments"),
    )
    initial = {"parent": request.GET.get("parent", "")}
    form = CommitmentForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_create(
                user=request.user,
                instrument=instrument,
                parent=data["parent"],
                code=data["code"].strip(),
                title=texts(en=data["title_en"], fr=data["title_fr"]),
                description=texts(en=data["description_en"], fr=data["description_fr"]),
                position=data["position"] or 0,
            )
        except Invalid as problem:
            _add_error(form, problem)
        else:
            messages.success(request, _("Commitment added."))
            return redirect("commitment-detail", code=commitment.code)
    context = {"instrument": instrument, "form": form, "commitment": None}
    status = 422 if request.method == "POST" else 200
    return render(request, "commitments/commitment_form.html", context, status=status)


@login_required
def commitment_change(request: HttpRequest, code: str) -> HttpResponse:
    """The secretariat edits a commitment: titles, description, parent, position, code."""
    try:
        commitment, former = commitment_resolve(code)
    except NotFound as error:
        raise Http404(error.message) from error
    if former:
        return redirect("commitment-edit", code=commitment.code, permanent=True)
    require(
        permissions.can_edit_instruments(request.user),
        permissions.secretariat_only("edit commitments"),
    )
    initial = {
        "code": commitment.code,
        "title_en": commitment.title.get("en", ""),
        "title_fr": commitment.title.get("fr", ""),
        "description_en": (commitment.description or {}).get("en", ""),
        "description_fr": (commitment.description or {}).get("fr", ""),
        "parent": commitment.parent.code if commitment.parent else "",
        "position": commitment.position,
        "version": commitment.version,
    }
    form = CommitmentForm(request.POST or None, instrument=commitment.instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = commitment_edit(
                user=request.user,
                commitment=commitment,
                title=texts(en=data["title_en"], fr=data["title_fr"]),
                description=texts(en=data["description_en"], fr=data["description_fr"]),
                parent=data["parent"],
                position=data["position"],
                code=data["code"],
                version=data["version"],
            )
        except (Invalid, Conflict) as problem:
            _add_error(form, problem)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect("commitment-detail", code=changed.code)
    context = {"instrument": commitment.instrument, "form": form, "commitment": commitment}
    status = 422 if request.method == "POST" else 200
    return render(request, "commitments/commitment_form.html", context, status=status)
