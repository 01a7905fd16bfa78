"""The OpenAPI document names each schema by its class: two classes of one name would
share one schema, and one operation's answers would be checked against another's."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import accord.api


def test_every_api_schema_has_a_name_of_its_own() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for module in pkgutil.iter_modules(accord.api.__path__):
        if module.name == "tests":
            continue
        loaded = importlib.import_module(f"accord.api.{module.name}")
        for value in vars(loaded).values():
            ours = isinstance(value, type) and value.__module__.startswith("accord.")
            if ours and issubclass(value, Schema):
                owners[value.__name__].add(value.__module__)
    shared = {name: sorted(modules) for name, modules in owners.items() if len(modules) > 1}
    assert not shared, shared
