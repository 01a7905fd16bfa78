"""Open SDG's indicator metadata: the YAML front matter of a ``meta/*.md`` file (or a
plain YAML file) read into an indicator: ``indicator_name``, ``computation_units``,
``source_organisation_1``, and every other field kept in the indicator's metadata,
``expected_disaggregations`` among them (the reporting status compares them with the
breakdowns the figures have). Values some platforms write as translation keys
(``computation_definitions.10-7-4``) are kept as written, with a warning."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from accord.access.audit import audit_record
from accord.core.errors import Invalid
from accord.evidence.importing.report import ImportReport, Problem, rejected
from accord.evidence.models import Indicator

MAX_BYTES = 1 << 20
_TRANSLATION_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z0-9_.-]+$")
_SDG_CODE = re.compile(r"(\d{1,2})[-.]([0-9a-z]{1,2})[-.]([0-9a-z]{1,2})", re.IGNORECASE)


def _front_matter(text: str) -> str:
    """The YAML between the first two ``---`` lines of a Markdown file, else all of it."""
    lines = text.lstrip("\ufeff").splitlines()
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], start=1):
            if line.strip() in {"---", "..."}:
                return "\n".join(lines[1:number])
    return "\n".join(lines)


def _as_json(value: Any) -> Any:
    """A YAML value as JSON holds it: dates (``2019-01-01`` unquoted) as ISO text, keys
    as text; anything else JSON lacks as its text."""
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def read_meta(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_BYTES:
        raise rejected("The metadata file is larger than 1 MB.", [Problem(0, "", "too large")])
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(_front_matter(text))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise rejected(
            "Nothing was imported: not readable as YAML front matter.",
            [Problem(getattr(getattr(error, "problem_mark", None), "line", 0) + 1, "", str(error))],
        ) from error
    if not isinstance(data, dict):
        raise rejected(
            "Nothing was imported: no metadata fields.", [Problem(1, "", "not a mapping")]
        )
    return data


def _indicator_for(path: Path, data: dict[str, Any], code: str) -> Indicator:
    if code:
        found = Indicator.objects.filter(code__iexact=code).first()
        if found is None:
            raise Invalid(f"No indicator has the code {code!r}.")
        return found
    for text in (
        str(data.get("indicator_number") or ""),
        str(data.get("indicator") or ""),
        path.stem,
    ):
        match = _SDG_CODE.search(text)
        if match:
            sdg = ".".join(match.groups()).lower()
            found = (
                Indicator.objects.filter(sdg_code__iexact=sdg).first()
                or Indicator.objects.filter(code__iexact=sdg.replace(".", "-")).first()
            )
            if found is not None:
                return found
    raise Invalid(
        "No indicator found for this metadata (by --indicator, indicator_number or the file "
        "name's SDG code): give --indicator CODE."
    )


def expected_disaggregations(indicator: Indicator) -> list[str]:
    """The breakdowns the metadata says the figures should have, canonical in lower case."""
    found = indicator.metadata.get("expected_disaggregations") or []
    if isinstance(found, str):
        found = re.split(r"[,;]", found)
    return [" ".join(str(name).lower().split()) for name in found if str(name).strip()]


@transaction.atomic
def indicator_meta_import(
    *, path: Path, indicator_code: str = "", actor: Any = None, dry_run: bool = False
) -> tuple[Indicator, ImportReport]:
    data = read_meta(path)
    indicator = _indicator_for(path, data, indicator_code.strip())
    report = ImportReport(dataset=indicator.code, kind="open_sdg_meta", dry_run=dry_run)
    metadata = dict(indicator.metadata)
    changed = False
    for key, raw in data.items():
        name = str(key).strip()
        value = _as_json(raw)
        if not name:
            report.warnings.append(Problem(0, "''", "a field without a name: not imported"))
            report.skipped += 1
            continue
        if isinstance(value, str) and _TRANSLATION_KEY.match(value.strip()):
            report.warnings.append(
                Problem(
                    0,
                    name,
                    "the value is a translation key of the platform, not text: kept as written",
                    value=value.strip(),
                )
            )
        if metadata.get(name) != value:
            metadata[name] = value
            changed = True
    fields = {
        "name": data.get("indicator_name"),
        "unit": data.get("computation_units"),
        "source_organisation": data.get("source_organisation_1") or data.get("source_organisation"),
    }
    for field, value in fields.items():
        text = str(value).strip() if isinstance(value, str | int | float) else ""
        if text and not _TRANSLATION_KEY.match(text) and getattr(indicator, field) != text:
            setattr(indicator, field, text[:255])
            changed = True
    report.rows = len(data)
    report.unchanged = not changed
    if changed:
        indicator.metadata = metadata
        indicator.full_clean()
        indicator.save()
        audit_record(
            actor=actor,
            verb="indicator.metadata_imported",
            target=indicator,
            data={"file": path.name, "fields": len(data), "warnings": len(report.warnings)},
        )
    if dry_run:
        transaction.set_rollback(True)
    return indicator, report


def import_indicator_meta_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    """``accord import indicator-meta FILE [--indicator CODE]``."""
    indicator, report = indicator_meta_import(
        path=Path(path),
        indicator_code=options.get("indicator") or "",
        dry_run=bool(options.get("dry_run")),
    )
    verb = "unchanged" if report.unchanged else "updated"
    lines = [
        f"Indicator {indicator.code}: metadata {verb} ({report.rows} fields; "
        f"{report.skipped} skipped, {len(report.warnings)} warnings)."
        + (" Dry run: nothing written." if report.dry_run else "")
    ]
    lines += [f"  warning: field {w.column!r}: {w.message} ({w.value})" for w in report.warnings]
    stdout.write("\n".join(lines))
