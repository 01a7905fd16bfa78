"""The initiatives list in IATI 2.03 XML: ``/exports/initiatives.xml`` and
``accord export iati``, as the reader sees the list, with its filters; recorded as
every export is. The XML is written by ``accord.commitments.iati_export``."""

from __future__ import annotations

import os
import tempfile
from importlib import import_module
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from accord.access.services import command_actor
from accord.core.errors import Invalid
from accord.reports.exports import INITIATIVE_FILTERS
from accord.reports.services import export_record


def no_iati_reason(left_out: int) -> str:
    if left_out:
        return _(
            "No initiative to write: the %(count)d chosen have no partner with an IATI "
            "organisation identifier."
        ) % {"count": left_out}
    return _("No initiative to write: none matches.")


def _write(user: Any, filters: dict[str, str], output: Any) -> Any:
    selectors = import_module("accord.commitments.selectors")
    iati_export = import_module("accord.commitments.iati_export")
    chosen = {name: filters.get(name) or None for name in INITIATIVE_FILTERS}
    queryset = selectors.initiatives_filtered(
        user=user, filters=selectors.InitiativeFilters(**chosen)
    )
    return iati_export.export_iati(queryset, output)


def initiatives_xml(request: HttpRequest) -> HttpResponseBase:
    """404 with the reason when no initiative can be written."""
    filters = {name: request.GET[name] for name in INITIATIVE_FILTERS if request.GET.get(name)}
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    result = _write(request.user, filters, output)
    if not result.written:
        output.close()
        return HttpResponse(
            no_iati_reason(result.left_out), status=404, content_type="text/plain; charset=utf-8"
        )
    export_record(
        user=request.user,
        kind="initiatives",
        fmt="iati",
        filters=filters,
        rows=result.written,
        via="page",
    )
    output.seek(0)
    response = FileResponse(output, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.xml"'
    response["X-Accord-Left-Out"] = str(result.left_out)
    return response


def export_iati_command(options: dict[str, Any], stdout: Any) -> None:
    """``accord export iati -o FILE``: as ``--as`` reads (default: a public reader), with
    ``--filter`` as on the list page; nothing to write is an error (exit 1)."""
    if not options.get("output"):
        raise Invalid("An IATI export needs --output FILE.")
    user = command_actor(options.get("username"))
    filters: dict[str, str] = {}
    for item in options.get("filter") or []:
        name, _sep, value = item.partition("=")
        if name not in INITIATIVE_FILTERS:
            raise Invalid(f"No filter {name!r}; use {', '.join(INITIATIVE_FILTERS)}.")
        filters[name] = value
    with open(options["output"], "wb") as output:
        result = _write(user, filters, output)
    if not result.written:
        os.unlink(options["output"])
        raise Invalid(no_iati_reason(result.left_out))
    export_record(
        user=None,
        kind="initiatives",
        fmt="iati",
        filters=filters,
        rows=result.written,
        via="command",
    )
    stdout.write(
        f"{result.written} initiatives written to {options['output']} (IATI 2.03); "
        f"{result.left_out} left out: their partner has no IATI organisation identifier"
    )
