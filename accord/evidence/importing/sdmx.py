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
from accord.evidence.importing.layout import MULTIPLIER_NAMES, NOTE_NAMES, STATUS_NAMES, UNITS_NAMES
from accord.evidence.importing.reading import unreadable

GENERIC = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
# The elements of a structure-specific data set, unqualified in the schema.
DATA_SET_PARTS = {"Series", "Group", "Obs"}


def _qualified(element: Any) -> bool:
    """A structure-specific ``Obs`` written with a namespace (``ns1:Obs``)."""
    namespace = etree.QName(element).namespace
    return namespace is not None and namespace != GENERIC


# The attributes an import keeps (status, multiplier, units, footnotes) and the other
# cross-domain attributes of SDMX, never a dimension of the figures.
ATTRIBUTES = (
    STATUS_NAMES
    | MULTIPLIER_NAMES
    | UNITS_NAMES
    | NOTE_NAMES
    | {
        "decimals",
        "obs_conf",
        "obs_pre_break",
        "time_format",
        "title",
        "comment_ts",
        "comment_dset",
    }
)
# The data set's own XML attributes (of the message, not of the figures).
DATA_SET_OWN = {
    "structureRef",
    "setID",
    "action",
    "dataScope",
    "reportingBeginDate",
    "reportingEndDate",
    "validFromDate",
    "validToDate",
    "publicationYear",
    "publicationPeriod",
}


class Observations:
    """What core's safe parser reads of the observations, in document order: the file
    line of each; whether they are qualified where the schema has them unqualified; and
    the attributes their structure-specific data set carries for all of them
    (``<DataSet UNIT_MULT="3">``) and whether it deletes them (``action="Delete"``),
    which ``sdmx1`` without the structure does not read."""

    def __init__(self) -> None:
        self.lines: array[int] = array("I")
        self.qualified = False
        self.shared: list[dict[str, str]] = []  # one per observation, shared per data set
        self._data_set: Any = None

    def add(self, element: Any) -> None:
        self.lines.append(element.sourceline or 0)
        self.qualified = self.qualified or _qualified(element)
        data_set = element.getparent()
        while data_set is not None and etree.QName(data_set).localname != "DataSet":
            data_set = data_set.getparent()
        if data_set is not self._data_set or not self.shared:
            self._data_set = data_set
            found: dict[str, str] = {}
            if data_set is not None and etree.QName(element).namespace != GENERIC:
                found = {
                    str(name): str(value)
                    for name, value in data_set.attrib.items()
                    if "}" not in str(name) and str(name) not in DATA_SET_OWN
                }
            if data_set is not None and _deletes(data_set):
                found["ACTION"] = "D"  # skipped, as SDMX-CSV's deletions are
            self.shared.append(found)
        else:
            self.shared.append(self.shared[-1])


def _deletes(data_set: Any) -> bool:
    """A data set of deletions: ``action="Delete"`` (``ss:action`` when structure-specific)."""
    return any(
        etree.QName(str(name)).localname == "action" and str(value).strip().lower() == "delete"
        for name, value in data_set.attrib.items()
    )


def observation_lines(path: Path) -> Observations:
    """The observations as core's safe XML parser reads them: a DTD is refused there,
    entities are never expanded, nothing is fetched."""
    bounds = Bounds.from_settings()
    bounds.check_size(path)
    found = Observations()
    with path.open("rb") as handle:
        for element in xml.iterate(handle, tag="{*}Obs", guard=bounds.guard()):
            found.add(element)
    return found


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

    read = observation_lines(path)
    lines = read.lines
    source: Path | io.BytesIO = io.BytesIO(_unqualified(path)) if read.qualified else path
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
            # Without the structure, sdmx1 reads a series' attributes as its key.
            moved = {name: key.pop(name) for name in list(key) if name.lower() in ATTRIBUTES}
            number = len(records)
            written = read.shared[number] if number < len(read.shared) else {}
            attrib = {**written, **shared, **moved}
            series = observation.series_key
            if series is not None:
                attrib.update({name: _text(value) for name, value in series.attrib.items()})
            for group in observation.group_keys:
                attrib.update({name: _text(value) for name, value in group.attrib.items()})
            # The observation's own attributes, not sdmx1's view (where its series' win).
            own = getattr(observation, "attached_attribute", observation.attrib)
            attrib.update({name: _text(value) for name, value in own.items()})
            dimensions.update(dict.fromkeys(key))
            attributes.update(dict.fromkeys(attrib))
            records.append((key, _text(observation.value), attrib))
    for name in attributes:  # a name both: an attribute, the observation's own first
        dimensions.pop(name, None)
    header = [*dimensions, "OBS_VALUE", *attributes]
    rows = [
        [
            *(key.get(name, "") for name in dimensions),
            value,
            *(attrib.get(n) or key.get(n, "") for n in attributes),
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
