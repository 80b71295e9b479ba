"""One site, plans of two forces: each plan's measures are counted in its own force's districts."""

from __future__ import annotations

import csv

from crimeplan.core.audit import acting_as
from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.crimedata.synth import SynthLsoa, generate_policeuk
from crimeplan.measures.compute import compute_measures
from crimeplan.measures.models import Measure, SeriesValue
from crimeplan.planfile import import_plan, validate_text


def test_each_plan_uses_its_own_forces_districts(db, example_plans, settings, tmp_path, cli):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    settings.CRIMEPLAN_FORCE = "essex"
    generate_policeuk(tmp_path / "archive", ["2025-01", "2025-02"], seed=4, rows_per_month=3000)
    kent = [
        SynthLsoa(f"E0199{i:04d}", f"{d.name} 00{i % 3 + 1}A", d.code, 0.6, 51.2)
        for i, d in enumerate(districts_for("kent"))
    ]
    kent_files = generate_policeuk(
        tmp_path / "archive", ["2025-01", "2025-02"], seed=5, force="kent", lsoas=kent,
        rows_per_month=1500,
    )  # fmt: skip
    assert not ingest_policeuk(
        CrimeStore(settings.CRIMEPLAN_DATA_DIR), [tmp_path / "archive"]
    ).failed
    path = tmp_path / "kent.yaml"
    cli("plan", "new", "--force", "kent", "--start", "2025", "-o", path)
    data, problems = validate_text(path.read_text())
    assert problems == []
    with acting_as(label="test"):
        kent_plan = import_plan(data).plan
    compute_measures(Measure.objects.select_related("plan"))

    def areas(plan_slug: str, measure: str) -> set[str]:
        values = SeriesValue.objects.filter(measure__plan__slug=plan_slug, measure__key=measure)
        return set(values.values_list("area", flat=True))

    kent_codes = {d.code for d in districts_for("kent")}
    essex_codes = {d.code for d in districts_for("essex")}
    assert areas(kent_plan.slug, "all-crime") == {"force", *kent_codes}
    assert areas("essex-police-and-crime-plan-2016-2020", "all-crime") == {"force", *essex_codes}
    # Kent's burglary in January: the generated Kent file's located rows, counted here.
    with open(kent_files[0], encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(1 for r in rows if r["Crime type"] == "Burglary" and r["LSOA code"])
    january = SeriesValue.objects.get(
        measure__plan=kent_plan, measure__key="burglary", area="force", period="2025-01"
    )
    assert january.value == expected
