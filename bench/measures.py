"""Benchmark: every measure's series and SPC judgement, crimeplan against a pandas route.

The work (issue 4): 14 measures, one per police.uk crime type, each with geography
``each_district`` (the 14 Essex districts plus the force area: 15 series of 36 months), shaped
like the plan file's measures (baseline 2023-01 to 2023-12, a 5% reduction target, so
:func:`assess` resolves the target from the baseline mean). For every series: the monthly values
from the store, then the whole judgement, ``assess`` (SPC, target, icons, reading).

- crimeplan: connect to the store (``CrimeStore.connect``: a cursor on the store's database,
  which the warm-up run opened, as the web process's first page does), ``series.compute_many``
  (one scan for all measures), then ``assess`` per series. The same path with a new database
  every run (``connect(shared=False)``) is timed too and printed beside it.
- pandas: read the same current Parquet files (the catalog's list) with ``pd.read_parquet``,
  filter and ``groupby`` (crime type, district, month) and (crime type, month), then a Python loop
  per series: pick it out, fill the loaded months with zeros, build the observations and call the
  same ``assess``.

Both paths build the same 210 series and run the same SPC, and the benchmark checks that they
agree (every value, and each SPC segment's mean, limits and near limits within 1e-9, plus the
same target, signals, icons and reading) before printing any ratio. The data is synthetic
(``crimeplan synth policeuk``, seed 1, 2023-01 to 2025-12), built once in a temporary folder and
removed afterwards.

Timing: each path runs once to warm up, then ``REPEATS`` times in turn, in this process, each
run from a freshly collected heap; the median and best of each and their ratios are printed,
split into the series part (store to series) and the SPC part. Peak memory comes from one
extra run of each path in its own child process (max RSS, and its growth over the process
after imports). Run with ``python bench/measures.py``. A benchmark, never a timed test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.crimedata.synth import generate_policeuk, parse_months
from crimeplan.measures.assessment import Assessment, assess
from crimeplan.measures.definition import FORCE_AREA, MeasureDefinition, from_plan_data
from crimeplan.measures.series import compute_many, observations_of
from crimeplan.measures.spc import Observation

FORCE = "essex"
MONTHS = "2023-01:2025-12"
SEED = 1
REPEATS = 11
TOLERANCE = 1e-9
GOAL_SECONDS = 2.0
GOAL_RATIO = 5.0
COLUMNS = ["force", "month", "crime_type", "district_code", "area_status"]

Results = dict[tuple[str, str], Assessment]
"""(measure key, area) → the assessment, whose observations are the series."""


@dataclass
class Run:
    results: Results
    series_seconds: float
    total_seconds: float

    @property
    def spc_seconds(self) -> float:
        return self.total_seconds - self.series_seconds


def definitions() -> list[MeasureDefinition]:
    return [
        from_plan_data(
            {
                "id": f"crime-type-{n}",
                "title": crime_type,
                "source": "policeuk",
                "crime_types": [crime_type],
                "geography": "each_district",
                "polarity": "lower",
                "baseline": {"start": "2023-01", "end": "2023-12"},
                "target": {"change_percent": -5},
            }
        )
        for n, crime_type in enumerate(CRIME_TYPES, 1)
    ]


def area_names() -> dict[str, str]:
    names = {d.code: d.name for d in districts_for(FORCE)}
    names[FORCE_AREA] = "the force area"
    return names


def build_store(folder: Path) -> CrimeStore:
    generate_policeuk(folder / "csv", parse_months(MONTHS), seed=SEED, force=FORCE)
    store = CrimeStore(folder / "crimedata")
    report = ingest_policeuk(store, [folder / "csv"])
    if report.problems or report.failed:
        raise SystemExit(f"ingest failed: {report.problems}")
    return store


def run_crimeplan(store: CrimeStore, measures: list[MeasureDefinition], shared: bool = True) -> Run:
    started = time.perf_counter()
    con = store.connect(shared=shared)
    many = compute_many(con, FORCE, measures)
    con.close()
    series_done = time.perf_counter()
    names = area_names()
    results: Results = {}
    for definition in measures:
        for area, points in many[definition.key].items():
            results[(definition.key, area)] = assess(
                definition, observations_of(points), names[area]
            )
    return Run(results, series_done - started, time.perf_counter() - started)


def _pick(table: pd.Series, key: tuple[str, ...], months: list) -> pd.Series:
    """One crime type's monthly counts in one area, zero for loaded months without crimes."""
    try:
        part = table.loc[key]
    except KeyError:
        return pd.Series(0, index=months, dtype="int64")
    return part.reindex(months, fill_value=0)


def run_pandas(store: CrimeStore, measures: list[MeasureDefinition]) -> Run:
    started = time.perf_counter()
    files = store.files("street")  # the catalog's current files, as an analyst should read them
    frame = pd.concat([pd.read_parquet(f, columns=COLUMNS) for f in files], ignore_index=True)
    frame = frame[frame["force"] == FORCE]
    months = sorted(frame["month"].unique())
    labels = [m.strftime("%Y-%m") for m in months]
    in_area = frame[frame["area_status"] == "in_area"]
    by_district = in_area.groupby(["crime_type", "district_code", "month"]).size()
    by_force = in_area.groupby(["crime_type", "month"]).size()
    districts = sorted(d.code for d in districts_for(FORCE))
    series: dict[tuple[str, str], tuple[Observation, ...]] = {}
    for definition in measures:
        assert definition.counts and definition.source == "policeuk", "counts only here"
        keep = [
            i
            for i, label in enumerate(labels)
            if not definition.baseline_start or label >= definition.baseline_start
        ]
        for area in definition.areas(districts):
            total = pd.Series(0, index=months, dtype="int64")
            for crime_type in definition.crime_types:
                if area == FORCE_AREA:
                    total = total + _pick(by_force, (crime_type,), months)
                else:
                    total = total + _pick(by_district, (crime_type, area), months)
            values = total.to_numpy()
            series[(definition.key, area)] = tuple(
                Observation(labels[i], float(values[i])) for i in keep
            )
    series_done = time.perf_counter()
    names = area_names()
    by_key = {d.key: d for d in measures}
    results = {
        (key, area): assess(by_key[key], observations, names[area])
        for (key, area), observations in series.items()
    }
    return Run(results, series_done - started, time.perf_counter() - started)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOLERANCE)


def disagreements(ours: Results, theirs: Results) -> list[str]:
    """Every way the two paths' results differ (empty when they agree)."""
    problems = []
    if ours.keys() != theirs.keys():
        return [f"different series: {sorted(ours.keys() ^ theirs.keys())[:5]}"]
    for key, a in ours.items():
        b = theirs[key]
        obs_a, obs_b = a.result.points, b.result.points
        if [p.period for p in obs_a] != [p.period for p in obs_b]:
            problems.append(f"{key}: different periods")
            continue
        if not all(_close(p.value, q.value) for p, q in zip(obs_a, obs_b, strict=True)):
            problems.append(f"{key}: different values")
        if len(a.result.segments) != len(b.result.segments):
            problems.append(f"{key}: different segments")
            continue
        for s, t in zip(a.result.segments, b.result.segments, strict=True):
            for field in (
                "mean",
                "mean_moving_range",
                "upper_limit",
                "lower_limit",
                "upper_near_limit",
                "lower_near_limit",
            ):
                if not _close(getattr(s, field), getattr(t, field)):
                    problems.append(f"{key}: segment {s.index} {field} differs")
        if not _close(a.target, b.target):
            problems.append(f"{key}: different target")
        same_judgement = (
            [(p.signals, p.variation) for p in obs_a] == [(p.signals, p.variation) for p in obs_b]
            and (a.result.variation, a.result.assurance) == (b.result.variation, b.result.assurance)
            and a.reading == b.reading
            and a.notes == b.notes
        )
        if not same_judgement:
            problems.append(f"{key}: different signals, icons or reading")
    return problems


def timed(store: CrimeStore, measures: list[MeasureDefinition]) -> dict[str, list[Run]]:
    """Every timed run of each path; only the last run of each keeps its results.

    Each run starts from a collected heap (``gc.collect()`` beforehand, the collector left on
    during the run), so neither path pays for collecting the other's garbage: without it, a
    full collection of what the pandas path left behind landed now and then inside a
    crimeplan run and tripled its SPC time. Earlier runs' results are dropped for the same
    reason, so the heap is the same size for every run.
    """
    paths: dict[str, Callable[[CrimeStore, list[MeasureDefinition]], Run]] = {
        "crimeplan": run_crimeplan,
        "crimeplan_new_database": functools.partial(run_crimeplan, shared=False),
        "pandas": run_pandas,
    }
    runs: dict[str, list[Run]] = {name: [] for name in paths}
    for run in paths.values():
        run(store, measures)  # warm-up: imports, caches, file system
    for n in range(REPEATS):
        order = list(paths) if n % 2 == 0 else list(reversed(paths))
        for name in order:
            if runs[name]:
                runs[name][-1].results = {}
            gc.collect()
            runs[name].append(paths[name](store, measures))
    return runs


def _memory_mib() -> tuple[float, float]:
    """This process's resident memory now and its high-water mark, in MiB.

    Read from /proc (reset at exec, unlike ``ru_maxrss``, which a child started from a large
    parent inherits); ``ru_maxrss`` is the fallback elsewhere.
    """
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak, peak


def child(path: str, root: Path) -> None:
    """One run of a path in a fresh process, printing its peak memory as JSON."""
    store = CrimeStore(root)
    measures = definitions()
    before, _ = _memory_mib()
    {"crimeplan": run_crimeplan, "pandas": run_pandas}[path](store, measures)
    _, peak = _memory_mib()
    print(json.dumps({"peak_mib": peak, "growth_mib": peak - before}))


def memory(path: str, root: Path) -> dict[str, float] | None:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path, "--store", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"  (memory of {path} not measured: {done.stderr.strip()[-300:]})")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["crimeplan", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.store)
        return 0

    measures = definitions()
    with tempfile.TemporaryDirectory(prefix="bench-measures-") as tmp:
        print(f"Building the synthetic store ({FORCE}, {MONTHS}, seed {SEED}) ...", flush=True)
        started = time.perf_counter()
        store = build_store(Path(tmp))
        con = store.connect()
        rows, in_area, months, districts = con.execute(
            "SELECT count(*), count(*) FILTER (area_status = 'in_area'), count(DISTINCT month), "
            "count(DISTINCT district_code) FROM street WHERE force = ?",
            [FORCE],
        ).fetchone()
        con.close()
        print(f"  built in {time.perf_counter() - started:.1f} s (not timed below)")
        print(
            f"Store: {rows:,} street rows ({in_area:,} in the area), {months} months, "
            f"{districts} districts"
        )

        runs = timed(store, measures)
        ours, theirs = runs["crimeplan"][-1].results, runs["pandas"][-1].results
        problems = disagreements(ours, theirs) + disagreements(
            runs["crimeplan_new_database"][-1].results, theirs
        )
        values = sum(len(a.result.points) for a in ours.values())
        print(
            f"Work: {len(measures)} measures, {len(ours)} series ({values:,} monthly values), "
            f"{len(ours)} SPC assessments per path"
        )
        if problems:
            print(f"Results DISAGREE in {len(problems)} ways, e.g.:")
            for problem in problems[:10]:
                print(f"  {problem}")
            return 1
        print(
            f"Results agree: all {values:,} values, every SPC segment's mean, mean moving range, "
            f"limits and near limits within {TOLERANCE:g}; same targets, signals, icons, readings"
        )

        def figures(name: str, part: str) -> tuple[float, float]:
            seconds = [getattr(r, f"{part}_seconds") for r in runs[name]]
            return statistics.median(seconds), min(seconds)

        print(f"\nSeconds over {REPEATS} runs after a warm-up (median / best):")
        print(f"  {'':28}{'crimeplan':>18}{'pandas':>18}{'ratio':>16}")
        labels = {
            "series": "store -> series",
            "spc": "SPC (assess, same code)",
            "total": "total",
        }
        for part, label in labels.items():
            (cm, cb), (pm, pb) = figures("crimeplan", part), figures("pandas", part)
            print(
                f"  {label:28}{cm:9.3f} / {cb:.3f}{pm:9.3f} / {pb:.3f}"
                f"{pm / cm:8.1f}x / {pb / cb:.1f}x"
            )
        (cm, cb), (pm, pb) = figures("crimeplan", "total"), figures("pandas", "total")
        ratio = pm / cm
        print(
            f"\nGoal: under {GOAL_SECONDS:g} s: {'met' if cm < GOAL_SECONDS else 'NOT met'} "
            f"({cm:.3f} s median); at least {GOAL_RATIO:g}x the pandas path: "
            f"{'met' if ratio >= GOAL_RATIO else 'NOT met'} ({ratio:.1f}x median, "
            f"{pb / cb:.1f}x best)"
        )
        (sm, _), (nm, nb) = (
            figures("crimeplan_new_database", "series"),
            figures("crimeplan_new_database", "total"),
        )
        print(
            f"With a new DuckDB database each run (what the first page after a start or an ingest "
            f"pays): store -> series {sm:.3f} s, total {nm:.3f} s median; {pm / nm:.1f}x median, "
            f"{pb / nb:.1f}x best"
        )

        print("\nPeak memory, one run in a fresh process (peak RSS; growth after imports):")
        for name in ("crimeplan", "pandas"):
            mem = memory(name, store.root)
            if mem:
                print(f"  {name:10} {mem['peak_mib']:7.1f} MiB  (+{mem['growth_mib']:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
