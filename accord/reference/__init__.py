"""The reference record Accord ships: real, sourced facts about the EU-IOM framework.

The files in ``data/`` are copies of the project's reference facts; each fact names the
public source it was read from.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORK_FILE = DATA_DIR / "eu-iom-framework.yaml"
HEADLINES_FILE = DATA_DIR / "migration_headlines.csv"


class _FactsLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so a key such as ``on:`` stays a string."""


_FactsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FactsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def framework_facts() -> dict[str, Any]:
    with FRAMEWORK_FILE.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_FactsLoader)  # noqa: S506 - a SafeLoader subclass


def sources_of(entry: dict[str, Any]) -> str:
    """The public sources a fact names (``source`` or ``sources``), one per line."""
    if "sources" in entry:
        return "\n".join(str(source) for source in entry["sources"])
    return str(entry.get("source", ""))
