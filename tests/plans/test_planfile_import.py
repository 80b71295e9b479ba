"""Import is all or nothing; the same file twice changes nothing; export round-trips."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from crimeplan.core.models import AuditEvent
from crimeplan.planfile import export_plan, import_plan
from crimeplan.plans.models import Commitment, Plan, Priority, Strand

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "plans"
PCP = EXAMPLES / "essex-police-and-crime-plan-2016-2020.yaml"
CPS = EXAMPLES / "essex-crime-prevention-strategy-2021-2025.yaml"


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _state() -> dict:
    """Everything an import can touch, as comparable text."""
    return {plan.slug: export_plan(plan) for plan in Plan.objects.order_by("slug")} | {
        "audit": AuditEvent.objects.count()
    }


@pytest.mark.django_db
def test_import_creates_the_seed_plan():
    report = import_plan(_load(PCP))
    plan = Plan.objects.get(slug="essex-police-and-crime-plan-2016-2020")
    assert report.plan == plan
    # What the import stored, against the file as PyYAML reads it.
    expected = _load(PCP)
    priorities = expected["priorities"]
    assert plan.priorities.count() == len(priorities) > 1
    assert plan.commitments.count() == sum(len(p["commitments"]) for p in priorities)
    counts = {p.number: p.commitments.count() for p in plan.priorities.all()}
    assert counts == {p["number"]: len(p["commitments"]) for p in priorities}
    titles = {p.number: p.title for p in plan.priorities.all()}
    assert titles == {p["number"]: p["title"] for p in priorities}
    assert plan.engagement.count() == len(expected["engagement"]) > 0
    assert plan.is_public


@pytest.mark.django_db
def test_second_import_changes_nothing():
    import_plan(_load(PCP))
    before = _state()
    ids = sorted(Commitment.objects.values_list("pk", flat=True))
    report = import_plan(_load(PCP))
    assert not report.changed
    assert report.summary() == "no changes"
    assert _state() == before
    assert sorted(Commitment.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_reimport_updates_in_place_and_removes_what_the_file_dropped():
    import_plan(_load(PCP))
    original = Commitment.objects.get(priority__number=1, letter="c")
    data = _load(PCP)
    data["priorities"][0]["commitments"][2]["text"] = "Give every officer a tablet."
    del data["priorities"][6]["commitments"][6]  # 7g
    report = import_plan(data)
    changed = Commitment.objects.get(priority__number=1, letter="c")
    assert changed.pk == original.pk
    assert changed.text == "Give every officer a tablet."
    assert not Commitment.objects.filter(priority__number=7, letter="g").exists()
    assert report.updated == {"commitments": 1}
    assert report.deleted == {"commitments": 1}
    event = AuditEvent.objects.filter(model="plans.Commitment", object_id=str(original.pk)).first()
    assert event.action == AuditEvent.UPDATE
    assert event.before["text"] == original.text
    assert event.after["text"] == "Give every officer a tablet."


@pytest.mark.django_db
def test_failed_import_leaves_database_as_it_was():
    import_plan(_load(PCP))
    before = _state()
    data = _load(PCP)
    data["priorities"][0]["commitments"][0]["text"] = "Changed before the failure"
    data["title"] = "Changed too"
    # A reference the importer cannot resolve, reached after the plan and commitments were saved.
    data["boards"] = [{"slug": "b", "name": "Board", "assets": [99]}]
    with pytest.raises(KeyError):
        import_plan(copy.deepcopy(data))
    assert _state() == before


@pytest.mark.django_db
def test_cli_import_refuses_every_file_if_one_is_bad(tmp_path, cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text(CPS.read_text(encoding="utf-8").replace("sector: public", "sector: civic"))
    refused = cli("plan", "import", PCP, bad, exit_code=1)
    assert "Error: 1 of 2 plan file(s) refused" in refused.stderr
    assert Plan.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_export_import_export_is_identical(tmp_path, cli):
    import_plan(_load(PCP))
    import_plan(_load(CPS))
    first = {p.slug: export_plan(p) for p in Plan.objects.all()}
    # The example files are kept in canonical form: export gives them back byte for byte.
    assert first["essex-police-and-crime-plan-2016-2020"] == PCP.read_text(encoding="utf-8")
    assert first["essex-crime-prevention-strategy-2021-2025"] == CPS.read_text(encoding="utf-8")
    for model in (Commitment, Priority, Strand, Plan):
        model.objects.all().delete()
    for slug, text in first.items():
        path = tmp_path / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        cli("plan", "import", path)
    second = {p.slug: export_plan(p) for p in Plan.objects.all()}
    assert second == first


@pytest.mark.django_db
def test_cli_export_to_file_and_unknown_slug(tmp_path, cli):
    cli("plan", "import", CPS)
    out = tmp_path / "cps.yaml"
    cli("plan", "export", "essex-crime-prevention-strategy-2021-2025", "-o", out)
    assert out.read_text(encoding="utf-8") == CPS.read_text(encoding="utf-8")
    printed = cli("plan", "export", "essex-crime-prevention-strategy-2021-2025").stdout
    assert printed == CPS.read_text(encoding="utf-8")
    refused = cli("plan", "export", "nope", exit_code=1)
    assert "Error: no plan with slug 'nope' (known: essex-crime" in refused.stderr


@pytest.mark.django_db
def test_strategy_counts_strands_and_assets():
    import_plan(_load(CPS))
    plan = Plan.objects.get(slug="essex-crime-prevention-strategy-2021-2025")
    expected = _load(CPS)
    assert plan.strands_expected == expected["strands_expected"]
    named = [strand["name"] for strand in expected["strands"]]
    assert list(plan.strands.values_list("name", flat=True)) == named
    assert named
    assets = {a.number: (a.sector, a.lead.slug) for a in plan.assets.all()}
    assert assets == {a["number"]: (a["sector"], a["lead"]) for a in expected["assets"]}
    assert len(assets) > 1
    safer = plan.boards.get(slug="safer-essex")
    board = next(b for b in expected["boards"] if b["slug"] == "safer-essex")
    assert sorted(a.number for a in safer.assets.all()) == sorted(board["assets"])
    assert plan.boards.get(slug="local-policing-board").reports_to.slug == "chief-officer-group"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "queries"), [(PCP, 15), (CPS, 11)])  # PCP: + its board's assets
def test_export_reads_each_kind_of_row_once(path, queries, django_assert_num_queries):
    """One query per table (prefetches included), however many measures, rebases, strands and
    boards the plan has, and the bytes are the example file's."""
    import_plan(_load(path))
    plan = Plan.objects.get(slug=path.stem)
    with django_assert_num_queries(queries):
        text = export_plan(plan)
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_rebases_round_trip_byte_for_byte(tmp_path, cli):
    from crimeplan.measures.models import MeasureRebase
    from crimeplan.planfile import dump

    data = yaml.safe_load(PCP.read_text(encoding="utf-8"))
    burglary = next(m for m in data["measures"] if m["id"] == "burglary")
    burglary["rebases"] = [
        {
            "period": "2024-04",
            "reason": "Crime recording standard changed",
            "decided_on": "2024-05-02",
            "approved_by": "Performance board",
            "baseline_end": "2024-09",
        },
        {
            "period": "2025-01",
            "reason": "Boundary change",
            "decided_on": "2025-01-20",
            "approved_by": "Chief officer group",
        },
    ]
    text = dump(data)
    path = tmp_path / "rebased.yaml"
    path.write_text(text, encoding="utf-8")

    cli("plan", "import", path)
    stored = list(MeasureRebase.objects.filter(measure__key="burglary").order_by("period"))
    assert [(r.period, r.decided_on.isoformat(), r.baseline_end) for r in stored] == [
        ("2024-04", "2024-05-02", "2024-09"),
        ("2025-01", "2025-01-20", ""),
    ]
    first = cli("plan", "export", "essex-police-and-crime-plan-2016-2020").stdout
    assert first == text
    (tmp_path / "again.yaml").write_text(first, encoding="utf-8")
    assert cli("plan", "import", tmp_path / "again.yaml").stdout.endswith(": no changes\n")
    assert cli("plan", "export", "essex-police-and-crime-plan-2016-2020").stdout == first
