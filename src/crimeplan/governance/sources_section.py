"""Where a report's figures come from: each data source with its last month and row count."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max

from crimeplan.crimedata.store import stats19_sections
from crimeplan.measures.compute import store
from crimeplan.measures.models import ComputeRun, ManualValue, Measure

KIND_LABELS = {
    "street": "street-level crime",
    "outcomes": "outcomes",
    "stop-and-search": "stop and search",
}


def data_sources(measures: list[Measure]) -> list[dict[str, Any]]:
    """One row per source the plan's measures read: police.uk files by kind from the crime
    store's manifests, the STATS19 load, and entered values by measure."""
    sources: list[dict[str, Any]] = []
    crime_store = store()
    # A site may hold several forces' data: a report counts only its plan's force.
    force = measures[0].plan.area_force if measures else None
    by_kind: dict[tuple[str, str], dict[str, Any]] = {}
    for manifest in crime_store.manifests():
        if force and manifest["force"] != force:
            continue
        key = (manifest["source"], manifest["kind"])
        row = by_kind.setdefault(
            key,
            {
                "source": f"{manifest['source']} "
                f"{KIND_LABELS.get(manifest['kind'], manifest['kind'])}",
                "first_month": manifest["month"],
                "last_month": manifest["month"],
                "months": 0,
                "rows": 0,
            },
        )
        row["first_month"] = min(row["first_month"], manifest["month"])
        row["last_month"] = max(row["last_month"], manifest["month"])
        row["months"] += 1
        row["rows"] += int(manifest["rows_loaded"])
    sources.extend(by_kind[k] for k in sorted(by_kind))
    stats19 = (stats19_sections(crime_store.catalog()).get(force or "") or {}).get("manifest")
    if stats19:
        con = crime_store.connect()
        try:
            first, last, months = con.execute(
                "SELECT strftime(min(month), '%Y-%m'), strftime(max(month), '%Y-%m'), "
                "count(DISTINCT month) FROM ksi WHERE district_code IN "
                "(SELECT code FROM districts WHERE force = ?)",
                [force],
            ).fetchall()[0]
        finally:
            con.close()
        sources.append(
            {
                "source": "STATS19 road collisions in the force area",
                "first_month": first or "",
                "last_month": last or "",
                "months": months,
                "rows": stats19.get("collisions_in_force"),
            }
        )
    manual = (
        ManualValue.objects.filter(measure__in=[m for m in measures if m.source == "manual"])
        .values("measure__title", "measure__manual_source")
        .annotate(rows=Count("pk"), last_month=Max("period"))
        .order_by("measure__title")
    )
    for row in manual:
        label = row["measure__manual_source"] or "entered values"
        sources.append(
            {
                "source": f"{row['measure__title']} ({label})",
                "first_month": "",
                "last_month": row["last_month"],
                "months": None,
                "rows": row["rows"],
            }
        )
    run = ComputeRun.objects.order_by("-pk").first()
    if run is not None:
        sources.append(
            {
                "source": "Measures computed (crimeplan measures compute)",
                "first_month": "",
                "last_month": run.last_month,
                "months": None,
                "rows": run.points,
            }
        )
    return sources
