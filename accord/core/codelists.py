"""IATI's codelists, shipped with Accord (``accord/reference/data/iati/codelists/``).

Each list is read once, through the safe XML parser, into codes with their names (by
language), status (active or withdrawn) and category. Readers of IATI files look codes
up here; a code a list does not know is a warning kept with the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from accord.core.importing import xml

DIRECTORY = Path(__file__).resolve().parent.parent / "reference" / "data" / "iati" / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Code:
    code: str
    names: dict[str, str] = field(default_factory=dict)
    status: str = "active"
    category: str = ""

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), "")


@dataclass(frozen=True)
class Codelist:
    name: str
    codes: dict[str, Code]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def get(self, code: str) -> Code | None:
        return self.codes.get(code)

    def label(self, code: str, lang: str = "en") -> str:
        item = self.codes.get(code)
        return item.name(lang) if item else code


@cache
def codelist(name: str) -> Codelist:
    """The codelist of that name (``Country``, ``Region``, ``Sector``, ...)."""
    path = DIRECTORY / f"{name}.xml"
    root = xml.parse(path.read_bytes())
    codes: dict[str, Code] = {}
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        if not code:
            continue
        names: dict[str, str] = {}
        for narrative in item.iterfind("name/narrative"):
            text = " ".join((narrative.text or "").split())
            if text:
                names.setdefault(narrative.get(XML_LANG) or "en", text)
        codes[code] = Code(
            code=code,
            names=names,
            status=item.get("status") or "active",
            category=(item.findtext("category") or "").strip(),
        )
    return Codelist(name=name, codes=codes)
