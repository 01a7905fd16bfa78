"""Imports of initiatives as a person asks for them (page, API): who may, and as whom.

The secretariat imports anything; a focal point imports its own partners' initiatives
only (an import never takes over another partner's initiative). The page and the API
both call :func:`initiatives_import_file`.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.iati import import_iati
from accord.commitments.spreadsheet import import_initiatives
from accord.core.errors import NotFound
from accord.core.importing import ImportReport

KINDS = ("iati", "initiatives")


def initiatives_import_file(
    *,
    user: Actor,
    kind: str,
    path: Path,
    file_name: str = "",
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    require(
        permissions.can_import_initiatives(user),
        _("Only focal points and the secretariat import initiatives."),
    )
    if kind not in KINDS:
        raise NotFound(_("No import of kind %(kind)r; use iati or initiatives.") % {"kind": kind})
    if kind == "iati":
        return import_iati(
            path,
            strict=strict,
            dry_run=dry_run,
            actor=user,
            file_name=file_name,
        )
    return import_initiatives(path, strict=strict, dry_run=dry_run, actor=user, file_name=file_name)
