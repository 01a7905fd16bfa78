"""Importing initiatives: an IATI file, or initiatives as CSV or XLSX.

Its route keeps the operation id it had in :mod:`accord.api.commitments`.
"""

import csv
import zipfile

from defusedxml import DefusedXmlException
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from accord.api.base import authenticated
from accord.commitments.importing import initiatives_import_file
from accord.core.importing import ImportRejected
from accord.core.uploads import saved_upload

router = Router(tags=["commitments"])


class ImportProblemOut(Schema):
    line: int
    column: str
    message: str
    severity: str = "error"
    record: str = ""
    value: str = ""
    action: str = ""
    code: str = ""


class InitiativeImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: int
    warnings: int
    skipped_reasons: list[str]
    problems: list[ImportProblemOut]
    warnings_by_publisher: dict[str, int]
    errors: list[str]
    dry_run: bool = False
    run: int | None = None


@router.post(
    "/imports/{kind}",
    response=InitiativeImportOut,
    auth=authenticated,
    summary="Import initiatives (iati, or initiatives as CSV/XLSX)",
    operation_id="accord_api_commitments_import_file",
)
def import_file(
    request: HttpRequest,
    kind: str,
    file: File[UploadedFile],
    strict: bool = False,
    dry_run: bool = False,
) -> dict:
    """For focal points and the secretariat. All or nothing: a bad file answers 422 with
    each bad row and column, and nothing is written; soft problems of IATI files are
    imported and listed as warnings (``strict``: refused instead)."""
    with saved_upload(file, default_suffix=".xml" if kind == "iati" else ".csv") as path:
        try:
            report = initiatives_import_file(
                user=request.user,
                kind=kind,
                path=path,
                file_name=file.name or "",
                strict=strict,
                dry_run=dry_run,
            )
        except (ValueError, zipfile.BadZipFile, csv.Error) as error:
            raise _unreadable(error) from error
    return report.as_dict()


def _unreadable(error: Exception) -> Exception:
    """A file the readers could not read, as the refusal it is (422); else ``error``."""
    causes = [error, error.__cause__, error.__context__]
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return ImportRejected("The file is refused: it declares a DTD or entities.")
    # openpyxl: "Unable to read workbook" (bad XML inside), or not an XLSX at all. Imported
    # here: openpyxl (and numpy under it) adds 45 MB to every worker that loads the API.
    from openpyxl.utils.exceptions import InvalidFileException

    not_a_table = isinstance(error, InvalidFileException | UnicodeError | zipfile.BadZipFile)
    if not_a_table or isinstance(error, csv.Error) or str(error).startswith("Unable to read"):
        return ImportRejected(f"The file cannot be read as CSV or XLSX ({type(error).__name__}).")
    return error
