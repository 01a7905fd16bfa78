"""An activity's results in and out: each result indicator's periods (baseline, target,
actual) read as the initiative's milestones, and the milestones written as IATI
``result`` elements that read back as the same milestones."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from accord.commitments.iati_values import (
    ACCORD_NS,
    XML_LANG,
    ActivityReader,
    _text,
    date,
    narratives,
)
from accord.commitments.records import MilestoneLine
from accord.core.dates import DatePrecision

# A milestone's own title, whether it is done and its date's precision, on its period.
A_TITLE = f"{{{ACCORD_NS}}}title"
A_DONE = f"{{{ACCORD_NS}}}done"
A_PRECISION = f"{{{ACCORD_NS}}}precision"
RESULT_OTHER = "9"  # IATI ResultType: 1 output, 2 outcome, 3 impact, 9 other
MEASURE_UNIT, MEASURE_QUALITATIVE = "1", "5"  # IATI IndicatorMeasure


def _results(
    reader: ActivityReader, elements: list[Any], default_lang: str, where: str, within: Any
) -> tuple[list[MilestoneLine], list[str]]:
    """Each result indicator's periods as milestones: target and actual, with the baseline."""
    milestones: list[MilestoneLine] = []
    titles: list[str] = []
    for result in elements:
        result_title = next(iter(narratives(result.find("title"), default_lang).values()), "")
        titles.append(result_title)
        for indicator in result.iterfind("indicator"):
            name = next(iter(narratives(indicator.find("title"), default_lang).values()), "")
            name = name or result_title
            baseline = indicator.find("baseline")
            base = ""
            if baseline is not None and _text(baseline.get("value")):
                base = f"baseline {_text(baseline.get('value'))}"
                if _text(baseline.get("year")):
                    base += f" in {_text(baseline.get('year'))}"
            for period in indicator.iterfind("period"):
                end = period.find("period-end")
                start = period.find("period-start")
                on = date(
                    (end if end is not None else start).get("iso-date")
                    if (end is not None or start is not None)
                    else None,
                    f"{where}, result period",
                )
                if on is None:
                    continue
                within(end if end is not None else start, "result/indicator/period", on)
                target = period.find("target")
                actual = period.find("actual")
                parts = [name]
                if target is not None and _text(target.get("value")):
                    parts.append(f"target {_text(target.get('value'))}")
                if actual is not None and _text(actual.get("value")):
                    parts.append(f"actual {_text(actual.get('value'))}")
                if base:
                    parts.append(base)
                title = "; ".join(p for p in parts if p)[:255]
                done = actual is not None and bool(_text(actual.get("value")))
                precision = DatePrecision.DAY
                if period.get(A_TITLE) is not None:  # an export of Accord's: as it was
                    title = period.get(A_TITLE, "")[:255] or title
                    done = period.get(A_DONE) == "true"
                    given = period.get(A_PRECISION) or DatePrecision.DAY
                    precision = DatePrecision(given) if given in DatePrecision.values else precision
                milestones.append(MilestoneLine(on, title, precision=precision, done=done))
    return milestones, titles


def _title_parts(title: str) -> tuple[str, str, str, str, str]:
    """A milestone's title as the import writes it (``name; target T; actual A; baseline
    B in YEAR``): name, target, actual, baseline and its year."""
    names: list[str] = []
    target = actual = baseline = year = ""
    for part in title.split("; "):
        if part.startswith("target ") and not target:
            target = part.removeprefix("target ").strip()
        elif part.startswith("actual ") and not actual:
            actual = part.removeprefix("actual ").strip()
        elif part.startswith("baseline ") and not baseline:
            value, _in, when = part.removeprefix("baseline ").partition(" in ")
            baseline, year = value.strip(), when.strip() if when.strip().isdigit() else ""
        else:
            names.append(part)
    return "; ".join(names) or title, target, actual, baseline, year


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.replace(",", "")).is_finite()
    except InvalidOperation:
        return False


def _value(parent: Any, tag: str, text: str) -> None:
    """A target or actual: its value when a number, else the words as its comment."""
    if _is_number(text):
        etree.SubElement(parent, tag, {"value": text})
    else:
        comment = etree.SubElement(etree.SubElement(parent, tag), "comment")
        etree.SubElement(comment, "narrative", {XML_LANG: "en"}).text = text


def write_results(activity: Any, milestones: list[Any]) -> None:
    """Each milestone as a ``result`` with one indicator and one period (its date),
    its target, actual and baseline from its title; the title itself, whether it is done
    and its precision ride along in Accord's namespace."""
    for milestone in milestones:
        name, target, actual, baseline, year = _title_parts(milestone.title)
        result = etree.SubElement(activity, "result", {"type": RESULT_OTHER})
        title = etree.SubElement(result, "title")
        etree.SubElement(title, "narrative", {XML_LANG: "en"}).text = name
        numeric = all(_is_number(text) for text in (target, actual, baseline) if text)
        measure = MEASURE_UNIT if numeric and (target or actual) else MEASURE_QUALITATIVE
        indicator = etree.SubElement(result, "indicator", {"measure": measure})
        etree.SubElement(
            etree.SubElement(indicator, "title"), "narrative", {XML_LANG: "en"}
        ).text = name
        if baseline:
            etree.SubElement(
                indicator,
                "baseline",
                {"year": year or str(milestone.on.year), "value": baseline},
            )
        attributes = {A_TITLE: milestone.title, A_DONE: "true" if milestone.done else "false"}
        if milestone.precision and milestone.precision != DatePrecision.DAY:
            attributes[A_PRECISION] = str(milestone.precision)
        period = etree.SubElement(indicator, "period", attributes)
        on = milestone.on.isoformat()
        etree.SubElement(period, "period-start", {"iso-date": on})
        etree.SubElement(period, "period-end", {"iso-date": on})
        if target:
            _value(period, "target", target)
        if actual:
            _value(period, "actual", actual)
