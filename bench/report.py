"""Benchmark: the quarterly report of the full 2016–2020 plan, HTML and PDF (issue 13).

The work: the Performance, Resource and Scrutiny Board's 2025-Q2 report on the Police and Crime
Plan 2016–2020 with every demo measure (``crimeplan demo``: 36 months of synthetic crime, road
collisions and entered values, every measure computed) and every action. When the plan has no
actions yet (no delivery demo data), two synthetic actions per commitment are added, each with
an approved update, labelled as benchmark data.

Timed, in one child process (so its peak memory is the report's alone), wall and CPU seconds:
the snapshot with the cache emptied first (every measure judged to June 2025 and its SPC chart
drawn by vl-convert), the snapshot again (each chart now from the cache, as when the measure
pages or an earlier version drew it), the HTML rendered from the snapshot (charts as SVG
images, as the file and the PDF carry them), and the PDF (WeasyPrint). Baseline, in the same
process: WeasyPrint on the same HTML with the charts taken out, so the ratio shows what the
vector charts cost. Last, the snapshot once more with the cache emptied again: as in a task
worker's second report, vl-convert's engine is running and every chart is drawn anew. Goals:
PDF under 15 s and under 1 GB; HTML under 2 s. The child empties the cache of the folder it
runs in.

    python bench/report.py                 # a fresh demo in a temporary folder (slow: minutes)
    python bench/report.py --home var      # reuse a folder where `crimeplan demo` has run

A benchmark, never a timed test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PCP = "essex-police-and-crime-plan-2016-2020"
BOARD = "performance-resource-and-scrutiny-board"
QUARTER = "2025-Q2"


def _setup(home: Path) -> None:
    os.environ["CRIMEPLAN_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    # The demo's development site (its known passwords need DEBUG), in the parent and the child.
    os.environ["DEBUG"] = "1"
    from crimeplan.cli import django_setup

    django_setup()


def prepare(home: Path) -> None:
    _setup(home)
    from django.core.management import call_command

    from crimeplan.plans.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(slug=PCP).exists():
        from click.testing import CliRunner

        from crimeplan.cli import cli

        result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    _benchmark_actions()


def _benchmark_actions() -> None:
    from django.utils import timezone

    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Action, Update
    from crimeplan.plans.models import Plan

    plan = Plan.objects.get(slug=PCP)
    if Action.objects.filter(plan=plan).exists():
        return
    rags = ["green", "amber", "red", "green"]
    statuses = ["on_track", "at_risk", "off_track", "on_track", "not_started"]
    now = timezone.now()
    with acting_as(label="bench"):
        for i, commitment in enumerate(plan.commitments.select_related("priority")):
            for j in range(2):
                action = Action.objects.create(
                    reference=f"BENCH-{commitment.code.upper()}-{j + 1}",
                    plan=plan,
                    title=f"Benchmark action {j + 1} for {commitment.code} (synthetic)",
                    lead_organisation=plan.owner,
                    status=statuses[(i + j) % len(statuses)],
                    progress=(10 * (i + j)) % 100,
                )
                action.commitments.add(commitment)
                for quarter in ("2025-Q1", "2025-Q2")[: 1 + (i + j) % 2]:
                    Update.objects.create(
                        action=action,
                        quarter=quarter,
                        rag=rags[(i + j) % len(rags)],
                        narrative="Synthetic benchmark update.",
                        progress=action.progress,
                        state="approved",
                        submitted_at=now,
                        reviewed_at=now,
                    )


class _Clock:
    """Wall and CPU (user + system, this process) seconds since the last lap: the machine may
    be shared, so CPU time is the steadier figure."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def child(home: Path) -> None:
    """Time the report in this process and print the figures as JSON."""
    _setup(home)
    from django.core.cache import cache
    from django.utils import timezone

    from crimeplan.delivery.models import Action
    from crimeplan.governance.quarters import Quarter
    from crimeplan.governance.render import render_html, render_pdf
    from crimeplan.governance.reports import status_line
    from crimeplan.governance.snapshot import build_snapshot
    from crimeplan.plans.models import Board

    board = Board.objects.select_related("plan").get(plan__slug=PCP, slug=BOARD)
    cache.clear()  # cold: no chart drawn yet by a measure page or an earlier version

    def snapshot_now() -> dict:
        return build_snapshot(
            board,
            Quarter.parse(QUARTER),
            version=1,
            generated_at=timezone.now(),
            generated_by="bench",
        )

    clock = _Clock()
    snapshot = snapshot_now()
    t_snapshot, c_snapshot = clock.lap()
    again = snapshot_now()
    t_warm, c_warm = clock.lap()
    assert again["measures"] == snapshot["measures"]
    html = render_html(snapshot, status_line(snapshot))
    t_html, c_html = clock.lap()
    pdf = render_pdf(html)
    t_pdf, c_pdf = clock.lap()
    bare = re.sub(r'<figure class="cp-chart".*?</figure>', "", html, flags=re.S)
    clock.lap()
    baseline = render_pdf(bare)
    t_base, c_base = clock.lap()
    # As in the task worker, a long-lived process whose chart engine (vl-convert's, about
    # 0.4 s to start) already runs: every chart drawn again, none from the cache.
    cache.clear()
    clock.lap()
    snapshot_now()
    t_engine, c_engine = clock.lap()
    print(
        json.dumps(
            {
                "measures": len(snapshot["measures"]),
                "charts": html.count('<figure class="cp-chart"'),
                "actions": Action.objects.filter(plan=board.plan).count(),
                "figures": len(snapshot["figures"]),
                "snapshot_s": t_snapshot,
                "snapshot_cpu_s": c_snapshot,
                "warm_snapshot_s": t_warm,
                "warm_snapshot_cpu_s": c_warm,
                "html_s": t_html,
                "html_cpu_s": c_html,
                "html_bytes": len(html.encode()),
                "pdf_s": t_pdf,
                "pdf_cpu_s": c_pdf,
                "pdf_pages": pdf.pages,
                "pdf_bytes": len(pdf.data),
                "baseline_pdf_s": t_base,
                "baseline_pdf_cpu_s": c_base,
                "baseline_pages": baseline.pages,
                "engine_snapshot_s": t_engine,
                "engine_snapshot_cpu_s": c_engine,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a CRIMEPLAN_HOME where the demo has run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="crimeplan-bench-report-") as tmp:
        home = (args.home or Path(tmp)).resolve()
        print(f"preparing the demo in {home} (plan, measures, actions)...", flush=True)
        start = time.perf_counter()
        prepare(home)
        print(f"  ready in {time.perf_counter() - start:.1f} s")
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(home)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
    total = r["snapshot_s"] + r["pdf_s"] + r["html_s"]
    total_cpu = r["snapshot_cpu_s"] + r["pdf_cpu_s"] + r["html_cpu_s"]
    print(
        f"\nquarterly report {QUARTER}: {r['measures']} measures ({r['charts']} charts), "
        f"{r['actions']} actions, {r['figures']} figures"
    )
    print(f"{'':51}{'wall':>8}{'CPU':>9}")

    def line(label: str, wall: float, cpu: float, note: str = "") -> None:
        print(f"  {label:49}{wall:7.2f} s{cpu:7.2f} s  {note}".rstrip())

    line("snapshot (judge every measure, draw every chart)", r["snapshot_s"], r["snapshot_cpu_s"])
    line(
        "snapshot again (every chart from the cache)",
        r["warm_snapshot_s"],
        r["warm_snapshot_cpu_s"],
    )
    line(
        "HTML from the snapshot",
        r["html_s"],
        r["html_cpu_s"],
        f"({r['html_bytes'] / 1e6:.2f} MB)",
    )
    line(
        "PDF from the HTML (WeasyPrint)",
        r["pdf_s"],
        r["pdf_cpu_s"],
        f"({r['pdf_pages']} pages, {r['pdf_bytes'] / 1e6:.2f} MB)",
    )
    line(
        "baseline: the same PDF without charts",
        r["baseline_pdf_s"],
        r["baseline_pdf_cpu_s"],
        f"({r['baseline_pages']} pages); charts cost "
        f"x{r['pdf_cpu_s'] / r['baseline_pdf_cpu_s']:.2f} CPU",
    )
    line(
        "whole PDF path (snapshot + HTML + PDF)",
        total,
        total_cpu,
        f"goal < 15 s: {'met' if total < 15 else 'NOT met'}",
    )
    html_path = r["snapshot_s"] + r["html_s"]
    line(
        "HTML path (snapshot + HTML)",
        html_path,
        r["snapshot_cpu_s"] + r["html_cpu_s"],
        f"goal < 2 s: {'met' if html_path < 2 else 'NOT met'}",
    )
    engine_path = r["engine_snapshot_s"] + r["html_s"]
    line(
        "HTML path, chart engine started, no chart cached",
        engine_path,
        r["engine_snapshot_cpu_s"] + r["html_cpu_s"],
        f"goal < 2 s: {'met' if engine_path < 2 else 'NOT met'} (a worker's second report)",
    )
    warm_path = r["warm_snapshot_s"] + r["html_s"]
    line(
        "HTML path, charts cached (snapshot again + HTML)",
        warm_path,
        r["warm_snapshot_cpu_s"] + r["html_cpu_s"],
        f"goal < 2 s: {'met' if warm_path < 2 else 'NOT met'}",
    )
    print(
        f"  peak memory (child process max RSS)              {r['maxrss_mb']:7.0f} MB  "
        f"goal < 1 GB: {'met' if r['maxrss_mb'] < 1024 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
