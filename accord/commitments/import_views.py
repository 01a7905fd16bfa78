"""The page that imports initiatives (IATI XML or the spreadsheet) and shows the report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accord.commitments import permissions
from accord.commitments.importing import initiatives_import_file
from accord.core.errors import Invalid
from accord.core.importing import ImportRejected


class InitiativeImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[("iati", _("IATI activity XML")), ("initiatives", _("Initiatives spreadsheet"))],
    )
    upload = forms.FileField(label=_("File"))
    strict = forms.BooleanField(label=_("Refuse the file on any warning too"), required=False)
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


@login_required
def initiative_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_initiatives(request.user):
        raise PermissionDenied(_("Only focal points and the secretariat import initiatives."))
    form = InitiativeImportForm(request.POST or None, request.FILES or None)
    report, refusal = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        name = Path(upload.name or "upload").name
        with tempfile.TemporaryDirectory(prefix="accord-import-") as folder:
            path = Path(folder) / f"upload{Path(name).suffix.lower()}"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                report = initiatives_import_file(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    path=path,
                    file_name=name,
                    strict=form.cleaned_data["strict"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportRejected as error:
                refusal = error
            except Invalid as error:
                refusal = ImportRejected(error.message)
    context = {"form": form, "report": report, "refusal": refusal}
    htmx = getattr(request, "htmx", False)
    template = "commitments/initiative_import.html"
    return render(request, f"{template}#report" if htmx else template, context)
