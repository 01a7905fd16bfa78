"""``iati_reimport``: importing again an IATI file whose activities are all in the record,
as a publisher's monthly file mostly is (dry run: every activity found unchanged), against
its floor: the bare streaming parse plus reading back, a thousand activities at a time,
the rows of the same initiatives and of their places and fundings by raw SQL, and
comparing them. Goal 3, as for the first import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from accord.bench.harness import scenario
from accord.bench.scenarios.commitments import ImportContext, _iati_setup, run_import
from accord.commitments.iati import import_iati
from accord.commitments.models import Funding, Initiative, InitiativePlace
from accord.core.importing import xml

PREFIX = "XM-REIMPORT-"
BATCH = 1_000


def reimport_setup(scale: str) -> ImportContext:
    """The file, imported once and kept: what the scenario imports again."""
    context = _iati_setup(scale, "iati", 200, prefix=PREFIX, name="reimport")
    if Initiative.objects.filter(iati_identifier__startswith=PREFIX).count() < context.activities:
        import_iati(context.path)
    return context


def _read_back(batch: list[dict[str, Any]]) -> int:
    """The rows an unchanged import compares with, read by identifier; the same ones."""
    quote = connection.ops.quote_name
    initiatives = quote(Initiative._meta.db_table)
    marks = ", ".join(["%s"] * len(batch))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, iati_identifier, title, start_on, end_on FROM {initiatives} "
            f"WHERE iati_identifier IN ({marks})",
            [row["identifier"] for row in batch],
        )
        found = {identifier: (pk, start) for pk, identifier, _t, start, _e in cursor.fetchall()}
        ids = [pk for pk, _start in found.values()]
        pks = ", ".join(["%s"] * len(ids)) or "NULL"
        for model, columns in (
            (InitiativePlace, "initiative_id, code, kind, percentage"),
            (Funding, "initiative_id, funder_name, amount, currency"),
        ):
            cursor.execute(
                f"SELECT {columns} FROM {quote(model._meta.db_table)} "
                f"WHERE initiative_id IN ({pks})",
                ids,
            )
            cursor.fetchall()
    same = 0
    for row in batch:
        pk_start = found.get(row["identifier"])
        start = pk_start[1] if pk_start else None
        if isinstance(start, str):
            start = dt.date.fromisoformat(start)
        same += start == row["start_on"]
    return same


def parse_and_read_back(context: ImportContext) -> int:
    """The floor: the file streamed, each activity's fields taken, its rows read back."""
    same = 0
    batch: list[dict[str, Any]] = []
    with context.path.open("rb") as handle:
        for activity in xml.iterate(handle, tag="{*}iati-activity"):
            dates = {d.get("type"): d.get("iso-date") for d in activity.iterfind("activity-date")}
            batch.append(
                {
                    "identifier": activity.findtext("iati-identifier"),
                    "title": activity.findtext("title/narrative"),
                    "start_on": dt.date.fromisoformat(dates.get("2") or "2020-01-01"),
                    "country": activity.find("recipient-country").get("code"),
                    "budget": activity.findtext("budget/value"),
                }
            )
            if len(batch) >= BATCH:
                same += _read_back(batch)
                batch.clear()
    if batch:
        same += _read_back(batch)
    return same


@scenario(
    "iati_reimport",
    goal=3.0,
    floor="bare streaming parse + raw SQL read-back of the same rows",
    setup=reimport_setup,
    baseline=parse_and_read_back,
    size=lambda c: f"{c.activities} activities, all in the record",
    repeat=3,
)
def iati_reimport(context: ImportContext) -> object:
    report: Any = run_import(context)
    if report.unchanged != context.activities:
        raise RuntimeError(f"the file should import unchanged: {report.counts()}")
    return report
