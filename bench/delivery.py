"""Benchmark: import 5,000 actions from XLSX, then render the asset × strand matrix for them.

The work (issue 12): a spreadsheet of ``N`` actions (default 5,000) across the strategy's five
assets and its strands and the plan's 53 commitments, imported with ``plan_import`` (the
preview) and ``apply_import`` (the write, audited in bulk), then one approved update per action,
then the matrix page and the priority page rendered through Django's test client as a signed-in
partner.

Baseline, in the same process: the obvious import, one ``Action.objects.create`` per row with its
commitments added (the model signals write the audit one row at a time), timed on ``BASELINE``
rows and scaled to ``N``; and the matrix page with only ``SMALL`` actions stored. Printed: seconds
and ratios, the priority page's query count at ``SMALL`` and at ``N`` actions (it must not grow),
and peak memory (the process's max RSS before and after the import, and at the end).

Goals from the issue: import under 10 s, matrix under 0.3 s, constant query count. Uses a fresh
SQLite database in a temporary folder (``DATABASE_URL`` is ignored), removed afterwards, with
production settings (``DEBUG`` off). Run
with ``python bench/delivery.py [--rows N]``. A benchmark, never a timed test.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = 500
SMALL = 50
PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


def setup(home: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["CRIMEPLAN_HOME"] = str(home)
    # Production settings: with DEBUG on, Django also formats every query for its debug log.
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crimeplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from crimeplan.core.audit import acting_as
    from crimeplan.planfile import import_plan, validate_file

    with acting_as(label="bench"):
        for path in sorted((REPO / "examples" / "plans").glob("*.yaml")):
            data, problems = validate_file(path)
            assert not problems, problems
            import_plan(data)


def workbook(rows: int, prefix: str) -> bytes:
    from openpyxl import Workbook

    from crimeplan.delivery.spreadsheet import COLUMNS
    from crimeplan.plans.models import Commitment

    codes = [c.code for c in Commitment.objects.filter(plan__slug=PCP).select_related("priority")]
    orgs = ["essex-police", "safer-essex", "ecvs-network", "essex-pfcc"]
    statuses = ["not_started", "on_track", "at_risk", "off_track", "complete"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    sheet.append(COLUMNS)
    for i in range(rows):
        sheet.append(
            [
                f"{prefix}-{i:05d}",
                CPS,
                f"Bench action {i}",
                "Generated for the benchmark",
                f"{PCP}/{codes[i % len(codes)]}; {PCP}/{codes[(i * 7) % len(codes)]}",
                "places" if i % 3 == 0 else "",
                str(i % 5 + 1),
                orgs[i % len(orgs)],
                "",
                "safer-essex" if i % 2 else "",
                "2025-01-01",
                "2026-12-31",
                statuses[i % 5],
                i % 101,
                1 + i % 3,
                "yes" if i % 2 else "no",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def naive_import(data: bytes) -> float:
    """One ORM create per row, as a hand-written import would (signals audit each save)."""
    from openpyxl import load_workbook

    from crimeplan.accounts.models import Organisation
    from crimeplan.delivery.models import Action
    from crimeplan.plans.models import Asset, Commitment, Plan, Strand

    start = time.perf_counter()
    plan = Plan.objects.get(slug=CPS)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    for values in rows:
        row = dict(zip(header, values, strict=False))
        action = Action.objects.create(
            reference=row["reference"],
            plan=plan,
            title=row["title"],
            lead_organisation=Organisation.objects.get(slug=row["lead_organisation"]),
            asset=Asset.objects.get(plan=plan, number=int(row["asset"])),
            strand=Strand.objects.get(plan=plan, slug=row["strand"]) if row["strand"] else None,
            status=row["status"],
            progress=row["progress"],
            weight=row["weight"],
        )
        for code in row["commitments"].split("; "):
            number, letter = code.split("/")[1][:-1], code[-1]
            action.commitments.add(
                Commitment.objects.get(plan__slug=PCP, priority__number=number, letter=letter)
            )
    return time.perf_counter() - start


def approve_all() -> None:
    from django.utils import timezone

    from crimeplan.delivery.models import Action, Update
    from crimeplan.delivery.quarters import current_quarter

    now, quarter = timezone.now(), current_quarter()
    rags = ["green", "amber", "red"]
    have = set(Update.objects.values_list("action_id", flat=True))
    Update.objects.bulk_create(
        [
            Update(
                action_id=pk,
                quarter=quarter,
                rag=rags[pk % 3],
                narrative="bench",
                progress=50,
                state="approved",
                submitted_at=now,
                reviewed_at=now,
            )
            for pk in Action.objects.values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=1000,
    )


def timed_get(client, url: str, repeats: int = 5) -> tuple[float, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # the warm-up run counts the page's queries
        assert client.get(url).status_code == 200
    best = float("inf")
    for _ in range(repeats):  # timed without query capture, as in production
        start = time.perf_counter()
        response = client.get(url)
        best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return best, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crimeplan-bench-delivery-") as tmp:
        setup(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.test import Client

        from crimeplan.core.audit import acting_as
        from crimeplan.delivery.models import Action
        from crimeplan.delivery.spreadsheet import apply_import, plan_import

        admin = get_user_model().objects.create_superuser("bench", password="bench-pw-1")
        client = Client()
        client.force_login(admin)
        matrix_url = f"/delivery/plans/{CPS}/matrix/"
        priorities_url = f"/delivery/plans/{PCP}/priorities/"

        with acting_as(label="bench"):
            apply_import(plan_import(workbook(SMALL, "SMALL"), "small.xlsx"))
        approve_all()
        small_matrix, _ = timed_get(client, matrix_url)
        _, small_queries = timed_get(client, priorities_url, repeats=1)

        data = workbook(args.rows, "BENCH")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        found = plan_import(data, "bench.xlsx")
        preview = time.perf_counter() - start
        assert not found.problems, found.problems[:5]
        with acting_as(label="bench"):
            counts = apply_import(found)
        total = time.perf_counter() - start
        rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert counts["created"] == args.rows, counts
        again = plan_import(data, "bench.xlsx")
        assert (len(again.created), len(again.changed), again.unchanged) == (0, 0, args.rows)
        approve_all()
        n = Action.objects.count()
        big_matrix, _ = timed_get(client, matrix_url)
        priorities_time, big_queries = timed_get(client, priorities_url, repeats=1)

        baseline_data = workbook(BASELINE, "NAIVE")
        with acting_as(label="bench"):
            naive = naive_import(baseline_data) * args.rows / BASELINE

        print(f"delivery benchmark: {args.rows:,} actions from XLSX ({len(data) / 1e6:.1f} MB)")
        print(
            f"  import (preview + apply):   {total:6.2f} s   (preview {preview:.2f} s)"
            "   goal < 10 s"
        )
        print(
            f"  naive per-row import:       {naive:6.2f} s   (timed on {BASELINE} rows, scaled)"
            f"   ratio {naive / total:.1f}x"
        )
        print(f"  second import of the file:  0 created, 0 changed, {again.unchanged:,} unchanged")
        print(f"  matrix page, {n:,} actions:  {big_matrix:6.3f} s   goal < 0.3 s")
        print(
            f"  matrix page, {SMALL} actions:   {small_matrix:6.3f} s"
            f"   ratio {big_matrix / small_matrix:.1f}x"
        )
        print(
            f"  priority page queries:      {small_queries} at {SMALL} actions,"
            f" {big_queries} at {n:,}"
            f"   ({'constant' if small_queries == big_queries else 'GROWS'}); "
            f"page {priorities_time:.3f} s"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  peak memory: max RSS {rss_before:.0f} MB before the import, "
            f"{rss_import:.0f} MB after it (+{rss_import - rss_before:.0f} MB),"
            f" {rss:.0f} MB at the end"
        )
        if small_queries != big_queries:
            sys.exit("the priority page's query count grows with the number of actions")


if __name__ == "__main__":
    main()
