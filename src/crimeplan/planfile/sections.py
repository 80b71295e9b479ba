"""The section protocol, the registry of sections, and the schema assembled from them.

See the package docstring for how an app adds its section.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from crimeplan.planfile.problems import LoadedFile, Problem

if TYPE_CHECKING:
    from django.db.models import Model

    from crimeplan.planfile.transfer import Importer

PlanData = dict[str, Any]
"""A plan file's data after validation (a plain mapping, as YAML gives it)."""

SchemaPart = dict[str, Any]
"""A section's share of the schema: ``properties`` (in file order), ``required``, ``$defs``."""

SECTION_MODULE = "planfile_section"
"""The module of an installed ``crimeplan`` app that holds its section, as ``SECTION``."""

BASE_SCHEMA = Path(__file__).with_name("schema_base.json")


@runtime_checkable
class Section(Protocol):
    """One app's part of a plan file: its keys' schema, rules, import and export."""

    name: str
    """Who owns it, for messages and ordering (the app's label, e.g. ``"measures"``)."""

    includable: tuple[str, ...]
    """Top-level keys whose value may be ``{include: FILE}`` instead of the list."""

    def schema(self) -> SchemaPart:
        """This section's properties, required keys and definitions."""
        ...

    def problems(self, loaded: LoadedFile) -> list[Problem]:
        """What the schema cannot say; only called on a file the whole schema accepts."""
        ...

    def import_data(self, importer: Importer, data: PlanData) -> None:
        """Make the stored rows equal to the file's (the plan is ``importer.plan``)."""
        ...

    def export_data(self, plan: Model, out: PlanData) -> None:
        """Add this section's keys to ``out``, in file order, leaving out empty values."""
        ...


_registered: list[Section] = []
_discovered = False


def register(section: Section) -> Section:
    """Add a section (sections run in the order they are registered)."""
    if not isinstance(section, Section):
        raise TypeError(f"{section!r} does not follow the plan-file section protocol")
    if any(s.name == section.name for s in _registered):
        raise ValueError(f"a plan-file section named {section.name!r} is registered already")
    _registered.append(section)
    schema.cache_clear()
    return section


def discover() -> None:
    """Register the ``SECTION`` of every installed ``crimeplan`` app with a section module,
    in ``INSTALLED_APPS`` order (so ``plans``, which creates the plan, comes first).

    Reads only the settings: Django need not be set up, so ``plan validate`` stays light.
    """
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.conf import settings

    for app in settings.INSTALLED_APPS:
        if not app.startswith("crimeplan."):
            continue
        module_name = f"{app}.{SECTION_MODULE}"
        if importlib.util.find_spec(module_name) is None:
            continue
        section = importlib.import_module(module_name).SECTION
        if not any(s is section for s in _registered):
            register(section)


def sections() -> list[Section]:
    discover()
    return list(_registered)


def includable_keys() -> list[str]:
    return [key for section in sections() for key in section.includable]


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema: the base (meta and shared ``$defs``) and every section's."""
    assembled: dict[str, Any] = json.loads(BASE_SCHEMA.read_text(encoding="utf-8"))
    for section in sections():
        part = copy.deepcopy(section.schema())
        for key in part.get("properties", {}):
            if key in assembled["properties"]:
                raise ValueError(f"plan-file key {key!r} is claimed by two sections")
        assembled["properties"].update(part.get("properties", {}))
        assembled["required"].extend(part.get("required", []))
        assembled["$defs"].update(part.get("$defs", {}))
    return assembled
