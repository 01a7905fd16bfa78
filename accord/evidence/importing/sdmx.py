"""SDMX-ML 2.1 data messages (generic and structure-specific), read with the maintained
``sdmx1`` library, as the rows of a table: the series' and observations' dimensions, then
``OBS_VALUE``, then the attributes, as SDMX-CSV lays them out. (SDMX-CSV itself is read
as a table directly: ``sdmx1`` refuses SDMX-CSV 1.0 and needs the structure for 2.0.)

XML is parsed safely: a document whose prolog declares a DTD or an entity is refused
before any parser sees it, and the pass that finds observations' lines for the report
neither loads DTDs nor resolves entities."""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accord.evidence.importing.reading import unreadable

PROLOG_BYTES = 1 << 16
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_declarations(path: Path) -> None:
    """A DTD or entity declaration can only stand before the root element."""
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    if _DECLARATION.search(head):
        raise unreadable(1, "the XML declares a DTD or entities, which Accord does not read")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else repr(value)
    found = getattr(value, "value", value)  # attribute and key values wrap their code
    found = getattr(found, "id", found)
    return "" if found is None else str(found)


def read_message(path: Path) -> tuple[list[str], list[list[str]]]:
    """The message's header (dimensions, OBS_VALUE, attributes) and its rows, one per
    observation in document order."""
    import sdmx
    from sdmx.message import DataMessage

    refuse_declarations(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.getLogger("sdmx").setLevel(logging.ERROR)  # "no structure given"
            message = sdmx.read_sdmx(path)
    except Exception as error:  # the library's own errors: not a data message it reads
        raise unreadable(0, f"not a readable SDMX-ML data message ({error})") from error
    if not isinstance(message, DataMessage):
        raise unreadable(0, "an SDMX-ML message, but not a data message")
    dimensions: dict[str, None] = {}
    attributes: dict[str, None] = {}
    records: list[tuple[dict[str, str], str, dict[str, str]]] = []
    for dataset in message.data:
        shared = {name: _text(value) for name, value in (dataset.attrib or {}).items()}
        for observation in dataset.obs:
            key = {name: _text(value) for name, value in observation.key.values.items()}
            attrib = dict(shared)
            series = observation.series_key
            if series is not None:
                attrib.update({name: _text(value) for name, value in series.attrib.items()})
            attrib.update({name: _text(value) for name, value in observation.attrib.items()})
            dimensions.update(dict.fromkeys(key))
            attributes.update(dict.fromkeys(attrib))
            records.append((key, _text(observation.value), attrib))
    header = [*dimensions, "OBS_VALUE", *attributes]
    rows = [
        [
            *(key.get(name, "") for name in dimensions),
            value,
            *(attrib.get(n, "") for n in attributes),
        ]
        for key, value, attrib in records
    ]
    return header, rows


def numbered(rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Each row with its observation's number (1, 2, ...), staged as its ``ord``."""
    yield from enumerate(rows, start=1)


def observation_lines(path: Path, numbers: set[int]) -> dict[int, int]:
    """The file line of each numbered observation, for the report."""
    from lxml import etree

    wanted = set(numbers)
    lines: dict[int, int] = {}
    count = 0
    context = etree.iterparse(
        str(path), events=("start",), resolve_entities=False, load_dtd=False, no_network=True
    )
    for _event, element in context:
        if isinstance(element.tag, str) and etree.QName(element).localname == "Obs":
            count += 1
            if count in wanted:
                lines[count] = element.sourceline or 0
                if len(lines) == len(wanted):
                    break
    return {number: lines.get(number, 0) for number in numbers}
