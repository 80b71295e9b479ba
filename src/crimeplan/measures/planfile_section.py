"""The ``measures`` section of a plan file: its schema, cross-checks, import and export.

The schema says each field's shape (its vocabularies come from :mod:`~crimeplan.measures.
definition` and the police.uk categories, not from a second list); these rules say what only
makes sense together (a police.uk measure needs crime types, a manual one needs its source, a
measure evidences commitments the plan really has). An entry's fields are mapped to the stored
columns once, in ``definition.SIMPLE_FIELDS``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.districts import all_districts, districts_for
from crimeplan.measures.definition import (
    HARM_CHOICES,
    Source,
    Unit,
    entry_from_stored,
    rebase_entry_from_stored,
    rebase_stored_from_entry,
    stored_from_entry,
)
from crimeplan.measures.spc import Polarity
from crimeplan.planfile import (
    Importer,
    LoadedFile,
    PathKey,
    PlanData,
    Problem,
    SchemaPart,
    duplicates,
    put,
)

DISTRICT_CODES = {code for _force, code, _name in all_districts()}
SCHEMA_PART = Path(__file__).with_name("planfile.schema.json")


@cache
def _schema() -> SchemaPart:
    part: SchemaPart = json.loads(SCHEMA_PART.read_text(encoding="utf-8"))
    entry = part["properties"]["measures"]["else"]["items"]["properties"]
    entry["source"]["enum"] = [s.value for s in Source]
    entry["crime_types"]["oneOf"][1]["items"]["enum"] = sorted(CRIME_TYPES)
    entry["unit"]["enum"] = [u.value for u in Unit]
    entry["harm"]["enum"] = [value for value, _label in HARM_CHOICES]
    # Improvement is usually "lower" (less crime), so the schema offers it first.
    entry["polarity"]["enum"] = [
        p.value for p in (Polarity.LOWER, Polarity.HIGHER, Polarity.NEUTRAL)
    ]
    return part


def _problems(loaded: LoadedFile) -> list[Problem]:
    data = loaded.data
    problems: list[Problem] = []

    def add(path: PathKey, message: str) -> None:
        problems.append(loaded.problem(path, message))

    codes = {
        f"{p['number']}{c['letter']}"
        for p in data.get("priorities", [])
        for c in p.get("commitments", [])
    }
    problems += duplicates(loaded, data.get("measures", []), "id", ("measures",), "measure")
    force = data.get("force")
    forced = {d.code for d in districts_for(force)} if isinstance(force, str) else set()
    for index, item in enumerate(data.get("measures", [])):
        base: PathKey = ("measures", index)
        source = item["source"]
        if source == "policeuk" and "crime_types" not in item:
            add(base, "'crime_types' is required for a police.uk measure")
        if source != "policeuk" and "crime_types" in item:
            add((*base, "crime_types"), f"a {source} measure does not count police.uk crime types")
        if source == "manual":
            if not item.get("manual_source", "").strip():
                add(base, "'manual_source' is required for a manual measure (who supplies it)")
            if item.get("harm", "none") != "none":
                add((*base, "harm"), "a manual measure cannot be harm-weighted")
        elif item.get("unit") == "percentage":
            add((*base, "unit"), "only manual measures can be percentages")
        if item.get("harm", "none") != "none" and source != "policeuk":
            add((*base, "harm"), "only police.uk measures can be harm-weighted")
        geography = item.get("geography", "force")
        if geography not in ("force", "each_district") and geography not in DISTRICT_CODES:
            add((*base, "geography"), f"unknown district {geography!r}")
        elif geography in DISTRICT_CODES and forced and geography not in forced:
            add((*base, "geography"), f"district {geography!r} is not in {force}'s area")
        baseline = item.get("baseline")
        if baseline and baseline["end"] < baseline["start"]:
            add((*base, "baseline", "end"), "ends before it starts")
        if "target" in item and item["polarity"] == "neutral":
            add((*base, "target"), "a neutral measure has no direction, so it cannot have a target")
        for c_index, code in enumerate(item.get("evidences", [])):
            if code not in codes:
                add((*base, "evidences", c_index), f"unknown commitment {code!r}")
        periods = [r["period"] for r in item.get("rebases", [])]
        if len(periods) != len(set(periods)):
            add((*base, "rebases"), "two rebases start in the same period")
    return problems


def _import(importer: Importer, data: PlanData) -> None:
    """Upsert the plan's measures and their rebases; remove those the file no longer has."""
    from crimeplan.measures.models import Measure, MeasureRebase
    from crimeplan.plans.models import Commitment

    plan = importer.plan
    commitments = {
        c.code: c for c in Commitment.objects.filter(plan=plan).select_related("priority")
    }
    keep = set()
    for order, item in enumerate(data.get("measures", [])):
        values = stored_from_entry(item)
        key = values.pop("key")
        measure = importer.upsert(Measure, {"plan": plan, "key": key}, {**values, "order": order})
        keep.add(measure.pk)
        importer.set_links(
            measure, "commitments", [commitments[c] for c in item.get("evidences", [])]
        )
        keep_rebases = set()
        for rebase in item.get("rebases", []):
            values = rebase_stored_from_entry(rebase)
            period = values.pop("period")
            lookup = {"measure": measure, "period": period}
            keep_rebases.add(importer.upsert(MeasureRebase, lookup, values).pk)
        importer.prune(measure.rebases.all(), keep_rebases)
    importer.prune(plan.measures.all(), keep)


def _export(plan: Any) -> list[dict[str, Any]]:
    out = []
    for measure in plan.measures.order_by("order").prefetch_related(
        "commitments__priority", "rebases"
    ):
        codes = sorted((c.priority.number, c.letter) for c in measure.commitments.all())
        # prefetched; MeasureRebase sorts by period
        rebases = [rebase_entry_from_stored(r.stored()) for r in measure.rebases.all()]
        evidences = [f"{n}{letter}" for n, letter in codes]
        out.append(entry_from_stored(measure.stored(), evidences, rebases))
    return out


class MeasuresSection:
    name = "measures"
    includable = ("measures",)

    def schema(self) -> SchemaPart:
        return _schema()

    def problems(self, loaded: LoadedFile) -> list[Problem]:
        return _problems(loaded)

    def import_data(self, importer: Importer, data: PlanData) -> None:
        _import(importer, data)

    def export_data(self, plan: Any, out: PlanData) -> None:
        put(out, "measures", _export(plan))


SECTION = MeasuresSection()
