"""SDMX-ML 2.1 data messages (generic and structure-specific), read with the maintained
``sdmx1`` library, as the rows of a table: the series' and observations' dimensions, then
``OBS_VALUE``, then the attributes, as SDMX-CSV lays them out. (SDMX-CSV itself is read
as a table directly: ``sdmx1`` refuses SDMX-CSV 1.0 and needs the structure for 2.0.)

XML is parsed safely: core's parser reads the document first (a DTD is refused, no
entity is expanded, nothing is fetched; the file's size and rows within the import
bounds), noting each observation's line for the report; only then does ``sdmx1`` read it."""

from __future__ import annotations

import io
import logging
import math
import warnings
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from accord.core.importing import Bounds, xml
from accord.evidence.importing.reading import unreadable

GENERIC = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
# The elements of a structure-specific data set, unqualified in the schema.
DATA_SET_PARTS = {"Series", "Group", "Obs"}


def _qualified(element: Any) -> bool:
    """A structure-specific ``Obs`` written with a namespace (``ns1:Obs``)."""
    namespace = etree.QName(element).namespace
    return namespace is not None and namespace != GENERIC


def observation_lines(path: Path) -> tuple[array[int], bool]:
    """The file line of each observation, in document order, read by core's safe XML
    parser (a DTD is refused there, entities are never expanded, nothing is fetched),
    and whether the observations are qualified where the schema has them unqualified."""
    bounds = Bounds.from_settings()
    bounds.check_size(path)
    lines: array[int] = array("I")
    qualified = False
    with path.open("rb") as handle:
        for element in xml.iterate(handle, tag="{*}Obs", guard=bounds.guard()):
            lines.append(element.sourceline or 0)
            qualified = qualified or _qualified(element)
    return lines, qualified


def _unqualified(path: Path) -> bytes:
    """The message with its data sets' ``Series``, ``Group`` and ``Obs`` unqualified
    (parsed safely by core's parser; the file is within the import bounds)."""
    with path.open("rb") as handle:
        root = xml.parse(handle)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        if name.localname in DATA_SET_PARTS and _qualified(element):
            element.tag = name.localname
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else repr(value)
    found = getattr(value, "value", value)  # attribute and key values wrap their code
    found = getattr(found, "id", found)
    return "" if found is None else str(found)


def read_message(path: Path) -> tuple[list[str], list[list[str]], array[int]]:
    """The message's header (dimensions, OBS_VALUE, attributes), its rows, one per
    observation in document order, and the file line of each."""
    import sdmx
    from sdmx.message import DataMessage

    lines, qualified = observation_lines(path)
    source: Path | io.BytesIO = io.BytesIO(_unqualified(path)) if qualified else path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.getLogger("sdmx").setLevel(logging.ERROR)  # "no structure given"
            message = sdmx.read_sdmx(source)
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
    return header, rows, lines


def numbered(rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Each row with its observation's number (1, 2, ...), staged as its ``ord``."""
    yield from enumerate(rows, start=1)


def line_finder(lines: array[int]) -> Callable[[set[int]], dict[int, int]]:
    """The file line of each numbered observation (1, 2, ...), for the report."""

    def find(numbers: set[int]) -> dict[int, int]:
        return {n: lines[n - 1] if 0 < n <= len(lines) else 0 for n in numbers}

    return find
