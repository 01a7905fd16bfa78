"""The page that imports initiatives (IATI XML or the spreadsheet) and shows the report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


def initiatives_xml(request: HttpRequest) -> HttpResponseBase:
    """``/exports/initiatives.xml``: the initiatives list as this reader sees it, with its
    filters, as IATI 2.03 activity XML; 404 with the reason when none can be written."""
    from django.http import FileResponse

    from accord.commitments.iati_export import export_iati
    from accord.commitments.selectors import InitiativeFilters, initiatives_filtered
    from accord.reports.exports import INITIATIVE_FILTERS
    from accord.reports.services import export_record

    chosen = {name: request.GET.get(name) or None for name in INITIATIVE_FILTERS}
    queryset = initiatives_filtered(user=request.user, filters=InitiativeFilters(**chosen))
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    result = export_iati(queryset, output)
    if not result.written:
        output.close()
        return HttpResponse(
            no_iati_reason(result.left_out), status=404, content_type="text/plain; charset=utf-8"
        )
    export_record(
        user=request.user,
        kind="initiatives",
        fmt="iati",
        filters={k: v for k, v in chosen.items() if v},
        rows=result.written,
        via="page",
    )
    output.seek(0)
    response = FileResponse(output, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.xml"'
    response["X-Accord-Left-Out"] = str(result.left_out)
    return response


def no_iati_reason(left_out: int) -> str:
    if left_out:
        return str(
            _(
                "No initiative to write: the %(count)d chosen have no partner with an IATI "
                "organisation identifier."
            )
            % {"count": left_out}
        )
    return str(_("No initiative to write: none matches."))
