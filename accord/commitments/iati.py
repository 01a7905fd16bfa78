"""IATI activity XML in: every ``<iati-activity>`` of a file as an initiative.

Files are streamed through the safe parser of :mod:`accord.core.importing.xml` (no DTD,
no entity, nothing fetched; memory flat whatever the size) and imported all or nothing
in one transaction, a batch of activities at a time. Each activity is read through
IATI's codelists (:mod:`accord.commitments.iati_read`): hard errors refuse the file,
soft problems are imported as warnings, kept with the import run and with each
initiative. A publisher that is not a partner of the framework becomes an organisation
of kind publisher (never a member), and its initiatives name it as their partner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from accord.access.audit import audit_record
from accord.access.permissions import Actor
from accord.commitments.iati_export import A_DIGEST, A_ID, A_VERSION, children_digest, digest
from accord.commitments.iati_read import ActivityReader, OrganisationMatcher, read_activity
from accord.commitments.models import Commitment, Initiative, InitiativeOrigin
from accord.commitments.permissions import importing_partners
from accord.commitments.records import ApplySummary, InitiativeRecord, Lookups, initiatives_apply
from accord.core.errors import Invalid
from accord.core.importing import Bounds, ImportReport, Problem, xml
from accord.core.importing.runs import import_run_finish, import_run_start, record_warnings_keep
from accord.core.params import whole_number
from accord.partners.models import Organisation, OrganisationKind

BATCH = 1_000


class _Run:
    """The state of one import: lookups, publishers made, the batch, the report."""

    def __init__(self, report: ImportReport, partners: set[str] | None, user: Actor):
        self.report = report
        self.partners = partners
        self.user = user
        self.lookups = Lookups()
        self.match = OrganisationMatcher(self.lookups.organisations)
        self.sdg = {
            code: code
            for code in Commitment.objects.filter(code__startswith="SDG-").values_list(
                "code", flat=True
            )
        }
        self.seen: dict[str, int] = {}  # identifier -> the line it was first met on
        self.batch: list[tuple[InitiativeRecord, list[Problem]]] = []
        self.run: Any = None

    def publisher(self, reporting: Any, default_lang: str) -> None:
        """Make the reporting organisation an organisation of the record if unknown."""
        from accord.commitments.iati_read import narratives

        ref = " ".join((reporting.get("ref") or "").split())
        name = next(iter(narratives(reporting, default_lang).values()), "") or ref
        if not name or self.match(name, ref):
            return
        acronym = ref if ref and len(ref) <= 32 else name[:32].strip()
        base, n = acronym, 1
        while acronym in self.lookups.organisations:
            n += 1
            acronym = f"{base[: 32 - len(str(n)) - 1]}-{n}"
        organisation = Organisation.objects.create(
            acronym=acronym,
            name=name[:255],
            kind=OrganisationKind.PUBLISHER,
            iati_identifier=ref[:100],
            source="IATI reporting-org",
        )
        self.lookups.organisations[acronym] = organisation
        self.match.add(acronym, name, ref)

    def read(self, activity: Any, version: str) -> None:
        report = self.report
        identifier = " ".join((activity.findtext("iati-identifier") or "").split())
        line = activity.sourceline or 0
        if not identifier:
            report.error(Problem(line, "iati-identifier", "an activity without an iati-identifier"))
            return
        if identifier in self.seen:
            report.error(
                Problem(
                    line,
                    "iati-identifier",
                    f"the same identifier appears again in the file (first on line "
                    f"{self.seen[identifier]})",
                    value=identifier,
                    record=identifier,
                )
            )
            return
        self.seen[identifier] = line
        own = self.own_export(activity, identifier)
        if own is True:
            report.add_counts(unchanged=1)
            return
        reporting = activity.find("reporting-org")
        publisher = ""
        if reporting is not None:
            publisher = (
                " ".join((reporting.get("ref") or "").split())
                or (reporting.findtext("narrative") or reporting.text or "").strip()
            )
            if not report.errors:
                self.publisher(reporting, (activity.get(XML_LANG) or "en").lower())
        reader = ActivityReader(
            activity,
            self.match,
            version=version,
            sdg_commitments=self.sdg,
            identifier=identifier,
            publisher=publisher,
        )
        try:
            record = read_activity(reader)
        except Invalid as error:
            named = error.details if isinstance(error.details, dict) else {}
            report.error(
                Problem(
                    line,
                    str(named.get("field", "")),
                    error.message,
                    value=str(named.get("value", "")),
                    record=identifier,
                )
            )
            return
        for warning in reader.warnings:
            report.warn(warning)
        if not record.title:
            report.skip(
                Problem(
                    line,
                    "title",
                    "an activity without a title",
                    record=identifier,
                    action="skipped",
                )
            )
            return
        if isinstance(own, int):
            record.pk = own
            if identifier.endswith(f"-ACCORD-{own}"):  # the export's name for it, not IATI's
                record.iati_identifier = None
                record.given.discard("iati_identifier")
        if self.partners is not None and record.partner not in self.partners:
            report.error(
                Problem(
                    line,
                    "reporting-org",
                    "its reporting-org is not a partner you report for",
                    value=publisher,
                    record=identifier,
                )
            )
            return
        self.batch.append((record, reader.warnings))
        if len(self.batch) >= BATCH:
            self.flush()

    def own_export(self, activity: Any, identifier: str) -> bool | int | None:
        """An activity of Accord's own export: True when neither it nor its initiative
        changed since (nothing to do), else the initiative's id to update; None for any
        other activity."""
        pk = activity.get(A_ID)
        number = whole_number(pk or "", minimum=1)
        if number is None:
            return None
        found = Initiative.objects.filter(pk=number).values_list("version", "iati_identifier")
        row = found.first()
        if row is None:
            return None
        version, iati_identifier = row
        if iati_identifier and iati_identifier != identifier:
            return None
        written = activity.get(A_DIGEST)
        if activity.get(A_VERSION) == str(version) and (
            written == digest(activity) or written == children_digest(activity)
        ):
            return True
        return int(pk)

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch or self.report.errors:
            return
        summary = ApplySummary()
        try:
            ids = initiatives_apply(
                [record for record, _w in batch],
                origin=InitiativeOrigin.IMPORTED,
                summary=summary,
                lookups=self.lookups,
                actor=self.user,
            )
        except Invalid as error:
            self.report.error(Problem(0, "", error.message))
            return
        self.report.add_counts(
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged
        )
        if not self.report.strict:
            record_warnings_keep(
                run=self.run,
                model=Initiative,
                warnings=[
                    (pk, warning)
                    for pk, (_record, warnings) in zip(ids, batch, strict=True)
                    for warning in warnings
                ],
            )


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORGANISATION_FILE = (
    "The file is an IATI organisation file (<iati-organisations>), which describes "
    "publishers, not activities: import an activity file (<iati-activities>). "
    "Nothing was imported."
)


def _version(activity: Any) -> str:
    parent = activity.getparent()
    for element in (parent, activity):
        if element is None:
            continue
        for name, value in element.attrib.items():
            if name == "version" or name.endswith("}version"):
                return str(value).strip()
    return "2.03"


def import_iati(
    path: str | Path,
    *,
    dry_run: bool = False,
    partners: set[str] | None = None,
    strict: bool = False,
    actor: Actor = None,
    file_name: str = "",
) -> ImportReport:
    """Create or update initiatives from an IATI activity file, all or nothing.

    ``actor``: who imports (None: the operator, with full rights); ``partners``: the
    acronyms whose activities they may write (default: from the actor's roles; a focal
    point imports its own partners'); others are refused, and no import takes over
    another partner's initiative. ``strict``: warnings refuse the file too.
    """
    report = ImportReport(kind="iati", strict=strict, dry_run=dry_run)
    if partners is None:
        partners = importing_partners(actor)
    bounds = Bounds.from_settings()
    bounds.check_size(path)
    with open(path, "rb") as handle, transaction.atomic():
        state = _Run(report, partners, actor)
        state.run = import_run_start(
            kind="iati", file_name=file_name or Path(path).name, user=actor
        )
        version = ""
        activities = xml.iterate(
            handle,
            tag="{*}iati-activity",
            guard=bounds.guard(),
            roots=("iati-activities", "iati-activity"),  # a file of one activity too
            explain={"iati-organisations": ORGANISATION_FILE},
        )
        for activity in activities:
            version = version or _version(activity)
            state.read(activity, version)
        state.flush()
        report.refuse_if_errors()
        import_run_finish(run=state.run, report=report)
        audit_record(
            actor=actor,
            verb="import.done",
            target=state.run,
            data={"kind": "iati", "file": state.run.file_name, **report.counts()},
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def bare_parse(path: str | Path) -> int:
    """The floor of the import benchmark: stream the file, touch each activity, keep nothing."""
    count = 0
    with open(path, "rb") as handle:
        for _activity in xml.iterate(handle, tag="{*}iati-activity"):
            count += 1
    return count
