"""The ``measures`` section of a plan file: cross-checks, import and export.

The schema says each field's shape; these rules say what only makes sense together (a police.uk
measure needs crime types, a manual one needs its source, a measure evidences commitments the
plan really has).
"""

from __future__ import annotations

from typing import Any

from crimeplan.crimedata.districts import all_districts, districts_for
from crimeplan.plans.planfile_validate import duplicates
from crimeplan.plans.planfile_yaml import LoadedFile, PathKey, Problem

DISTRICT_CODES = {code for _force, code, _name in all_districts()}


def measure_problems(loaded: LoadedFile) -> list[Problem]:
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
            add((*base, "geography"), f"district {geography!r} is not in {data['force']}'s area")
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


def import_measures(imp: Any, plan: Any, data: dict[str, Any]) -> None:
    """Upsert the plan's measures (``imp`` is the plans importer, which counts and audits)."""
    from crimeplan.measures.models import Measure, MeasureRebase
    from crimeplan.plans.models import Commitment

    commitments = {
        c.code: c for c in Commitment.objects.filter(plan=plan).select_related("priority")
    }
    keep = set()
    for order, item in enumerate(data.get("measures", [])):
        target = item.get("target", {})
        baseline = item.get("baseline", {})
        spec = item.get("crime_types", [])
        measure = imp.upsert(
            Measure,
            {"plan": plan, "key": item["id"]},
            {
                "title": item["title"],
                "description": item.get("description", ""),
                "source": item["source"],
                "crime_types_spec": spec,
                "geography": item.get("geography", "force"),
                "unit": item.get("unit", "count"),
                "harm": item.get("harm", "none"),
                "polarity": item["polarity"],
                "baseline_start": baseline.get("start", ""),
                "baseline_end": baseline.get("end", ""),
                "target_value": target.get("value"),
                "target_change_percent": target.get("change_percent"),
                "manual_source": item.get("manual_source", ""),
                "order": order,
            },
        )
        keep.add(measure.pk)
        imp.set_links(measure, "commitments", [commitments[c] for c in item.get("evidences", [])])
        keep_rebases = set()
        for rebase in item.get("rebases", []):
            keep_rebases.add(
                imp.upsert(
                    MeasureRebase,
                    {"measure": measure, "period": rebase["period"]},
                    {
                        "reason": rebase["reason"],
                        "decided_on": _date(rebase["decided_on"]),
                        "approved_by": rebase["approved_by"],
                        "baseline_end": rebase.get("baseline_end", ""),
                    },
                ).pk
            )
        imp.prune(measure.rebases.all(), keep_rebases)
    imp.prune(plan.measures.all(), keep)


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def export_measures(plan: Any) -> list[dict[str, Any]]:
    out = []
    for measure in plan.measures.order_by("order").prefetch_related(
        "commitments__priority", "rebases"
    ):
        entry: dict[str, Any] = {"id": measure.key, "title": measure.title}
        if measure.description:
            entry["description"] = measure.description
        entry["source"] = measure.source
        if measure.crime_types_spec:
            entry["crime_types"] = measure.crime_types_spec
        for name, default in (("geography", "force"), ("unit", "count"), ("harm", "none")):
            if getattr(measure, name) != default:
                entry[name] = getattr(measure, name)
        entry["polarity"] = measure.polarity
        if measure.baseline_start:
            entry["baseline"] = {"start": measure.baseline_start, "end": measure.baseline_end}
        if measure.target_value is not None:
            entry["target"] = {"value": _number(measure.target_value)}
        elif measure.target_change_percent is not None:
            entry["target"] = {"change_percent": _number(measure.target_change_percent)}
        codes = sorted((c.priority.number, c.letter) for c in measure.commitments.all())
        if codes:
            entry["evidences"] = [f"{n}{letter}" for n, letter in codes]
        if measure.manual_source:
            entry["manual_source"] = measure.manual_source
        rebases = []
        for rebase in measure.rebases.all():  # prefetched; MeasureRebase sorts by period
            r = {
                "period": rebase.period,
                "reason": rebase.reason,
                "decided_on": rebase.decided_on.isoformat(),
                "approved_by": rebase.approved_by,
            }
            if rebase.baseline_end:
                r["baseline_end"] = rebase.baseline_end
            rebases.append(r)
        if rebases:
            entry["rebases"] = rebases
        out.append(entry)
    return out


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
