"""The small readers every part of an IATI activity uses: its texts (narratives in
their languages), amounts, dates and percentages, IATI 1.0x's words for 2.0x's codes, the
organisations a file names, and the reader of one activity that gathers its warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from accord.commitments.models import InitiativeStatus
from accord.core.codelists import codelist
from accord.core.errors import Invalid
from accord.core.importing import Problem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Accord's own namespace (IATI's schema allows other namespaces' attributes): what an
# export needs to read back exactly as it was.
ACCORD_NS = "urn:accord:iati-extension"

ACTIVITY_STATUS = {
    "1": InitiativeStatus.PLANNED,
    "2": InitiativeStatus.ONGOING,
    "3": InitiativeStatus.COMPLETED,  # finalisation: the work is done, accounts close
    "4": InitiativeStatus.COMPLETED,
    "5": InitiativeStatus.CANCELLED,
    "6": InitiativeStatus.SUSPENDED,
}
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
# IATI 1.0x wrote some codes as words or letters; their 2.0x codes.
V1_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
V1_DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
V1_TRANSACTION_TYPES = {
    "IF": "1",
    "C": "2",
    "D": "3",
    "E": "4",
    "IR": "5",
    "LR": "6",
    "R": "7",
    "QP": "8",
    "QS": "9",
    "CG": "10",
}
V1_SECTOR_VOCABULARIES = {"DAC": "1", "DAC-3": "2"}
# Budgets are an activity's funding; without them, incoming funds and commitments, and
# without those, disbursements.
FUNDING_TRANSACTIONS = ({"1", "11"}, {"3"})


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def narratives(element: Any, default_lang: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    if element is None:
        return texts
    for narrative in element:
        if narrative.tag != "narrative":
            continue
        text = (narrative.text or "").strip()
        if text:
            lang = (narrative.get(XML_LANG) or element.get(XML_LANG) or default_lang).lower()
            texts.setdefault(lang[:8], text)
    if not texts and (element.text or "").strip():  # IATI 1.0x: text without narratives
        texts[(element.get(XML_LANG) or default_lang).lower()[:8]] = element.text.strip()
    return texts


def _refusal(where: str, text: str | None, what: str) -> Invalid:
    """A value that refuses the file, naming the field (``where`` after the activity)
    and the value, so the report gives the row and the column."""
    value = _text(text)
    field = where.partition(", ")[2].replace(", ", "/@")
    return Invalid(f"{where}: {value!r} is not {what}.", details={"field": field, "value": value})


def amount(text: str | None, where: str) -> Decimal:
    """An ``xsd:decimal`` (a sign and surrounding spaces allowed); commas are not: a
    reader of amounts decides what a comma meant (:mod:`.iati_money`)."""
    try:
        value = Decimal(_text(text))
    except InvalidOperation:
        raise _refusal(where, text, "a number") from None
    if not value.is_finite():
        raise _refusal(where, text, "a number")
    return value


def date(text: str | None, where: str) -> dt.date | None:
    if not _text(text):
        return None
    try:
        return dt.date.fromisoformat(_text(text)[:10])
    except ValueError:
        raise _refusal(where, text, "a date") from None


class OrganisationMatcher:
    """Finds a known organisation from an IATI organisation: by its IATI identifier,
    ``... (IOM)``, its acronym or its exact name."""

    def __init__(self, organisations: dict[str, Any]):
        self.acronyms = set(organisations)
        self.by_name = {o.name.lower(): o.acronym for o in organisations.values()}
        self.by_ref = {
            o.iati_identifier: o.acronym
            for o in organisations.values()
            if getattr(o, "iati_identifier", "")
        }

    def add(self, acronym: str, name: str, ref: str) -> None:
        self.acronyms.add(acronym)
        self.by_name[name.lower()] = acronym
        if ref:
            self.by_ref[ref] = acronym

    def __call__(self, name: str, ref: str = "") -> str | None:
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        name = name.strip()
        if name.endswith(")") and "(" in name:
            inside = name[name.rindex("(") + 1 : -1].strip()
            if inside in self.acronyms:
                return inside
            name = name[: name.rindex("(")].strip()
        return self.by_name.get(name.lower()) or (name if name in self.acronyms else None)


@dataclass
class ActivityReader:
    """Reads one activity; ``warnings`` gathers its soft problems."""

    activity: Any
    match: OrganisationMatcher
    version: str = "2.03"
    sdg_commitments: dict[str, str] = field(default_factory=dict)  # SDG code -> commitment
    warnings: list[Problem] = field(default_factory=list)
    identifier: str = ""
    publisher: str = ""

    def warn(self, element: Any, name: str, value: str, message: str, action: str) -> None:
        self.warnings.append(
            Problem(
                (element.sourceline if element is not None else None)
                or self.activity.sourceline
                or 0,
                name,
                message,
                value=value,
                record=self.identifier,
                action=action,
                code=name,
                publisher=self.publisher,
            )
        )

    def check_code(self, element: Any, name: str, listname: str, code: str) -> bool:
        if code and code not in codelist(listname):
            self.warn(
                element,
                name,
                code,
                f"not a code of IATI's {listname} codelist",
                "kept as text",
            )
            return False
        return bool(code)

    @property
    def v1(self) -> bool:
        return self.version.startswith("1")

    def org(self, element: Any, default_lang: str, tag: str) -> dict[str, str]:
        names = narratives(element, default_lang)
        kind = element.get("type") or ""
        self.check_code(element, f"{tag}/@type", "OrganisationType", kind)
        return {
            "ref": _text(element.get("ref")),
            "type": kind,
            "name": next(iter(names.values()), ""),
        }


def _percent(text: str | None, where: str) -> Decimal | None:
    if not _text(text):
        return None
    value = amount(text, f"{where}, percentage")
    if not 0 <= value <= 100:
        raise _refusal(f"{where}, percentage", text, "a percentage between 0 and 100")
    return value.quantize(Decimal("0.01"))
