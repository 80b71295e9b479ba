"""A synthetic national year: ingest, every force's standard measures, one force's hotspots.

Run: ``.venv/bin/python bench/national.py [--rows 6500000] [--data DIR] [--months 12]
[--store DIR] [--steps ingest,duckdb,measures,hotspots] [--repeat N]``

Writes a year of police.uk street files in the national archive's layout
(``YYYY-MM/YYYY-MM-<force>-street.csv``) for the 43 territorial forces, each force's volume in
proportion to its residents (the reference table's Census 2021 figures), about 6.5 million
rows in all; Essex's crimes fall in its real LSOAs (the built-in geography), the other forces'
in invented LSOA-like areas named after their districts. Then, each in its own process so its
peak memory (max RSS) is its own:

1. ``crimeplan ingest policeuk`` of the whole folder (Essex's geography loaded first);
2. DuckDB's own ``read_csv -> Parquet`` of the same files (the baseline, same run);
3. every force's standard measures (the 11 of ``crimeplan plan new``), store -> series;
4. one force's hotspots: Chelmsford, the last six months, 250 m squares.

Prints seconds, CPU seconds (user + system: on a loaded machine the wall clock also measures
the neighbours), rows/s and peak memory for each, and the ratios against the goals: ingest
within 1.25x of DuckDB's figure and under 2 GB; all forces' measures under 2 s. A benchmark,
never a timed test. ``--data`` keeps the generated files for the next run, ``--store`` the
store (so ``--steps measures`` can time the measures again without another ingest);
``--repeat 3`` runs every step three times and keeps each one's fastest run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

YEAR = 2024


def months(n: int) -> list[str]:
    return [f"{YEAR}-{m:02d}" for m in range(1, n + 1)]


def invented_lsoas(force: str, index: int, rng):
    """LSOA-like areas for a force: codes in an unused range (E0199…), police.uk-style names
    so the ingest finds each district by name, points spread around a made-up centre."""
    from crimeplan.crimedata.districts import districts_for
    from crimeplan.crimedata.synth import SynthLsoa

    lon0, lat0 = -4.5 + (index % 8) * 0.8, 50.4 + (index // 8) * 0.7
    out = []
    for d, district in enumerate(districts_for(force)):
        count = max(10, (district.population or 100_000) // 1700)
        cx, cy = lon0 + (d % 4) * 0.15, lat0 + (d // 4) * 0.1
        for i in range(count):
            name = f"{district.name} {i // 4 + 1:03d}{'ABCD'[i % 4]}"
            x, y = rng.normal(cx, 0.04), rng.normal(cy, 0.03)
            code = f"E0199{index:02d}{len(out):04d}"
            out.append(SynthLsoa(code, name, district.code, float(x), float(y)))
    return out


def generate(folder: Path, total_rows: int, n_months: int) -> int:
    import numpy as np

    from crimeplan.crimedata.districts import forces
    from crimeplan.crimedata.synth import generate_policeuk

    table = forces()
    residents = {f: sum(d.population or 0 for d in force.districts) for f, force in table.items()}
    per_resident = total_rows / n_months / sum(residents.values())
    rng = np.random.default_rng(11)
    for index, force in enumerate(table):
        lsoas = None if force == "essex" else invented_lsoas(force, index, rng)
        rows = int(residents[force] * per_resident)
        generate_policeuk(folder, months(n_months), seed=index, force=force, lsoas=lsoas,
                          rows_per_month=rows)  # fmt: skip
    return len(list(folder.rglob("*-street.csv")))


def run_ingest(folder: Path, work: Path) -> dict:
    from crimeplan.crimedata.builtin_geography import builtin_geography_dir
    from crimeplan.crimedata.geography import load_geography
    from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
    from crimeplan.crimedata.store import CrimeStore

    store = CrimeStore(work)
    load_geography(store, builtin_geography_dir("essex"), force="essex")
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    report = ingest_policeuk(store, [folder])
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    assert not report.failed, report.problems[:3]
    return {"rows": sum(f.rows_read for f in report.files), "seconds": seconds, "cpu": cpu}


def run_duckdb(folder: Path, work: Path) -> dict:
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    files = [str(p) for p in sorted(folder.rglob("*-street.csv"))]
    target = work / "limit.parquet"
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    con.execute(
        "COPY (SELECT * FROM read_csv(?, union_by_name = true, normalize_names = true)) "
        f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)",
        [files],
    )
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    rows = con.execute(f"SELECT count(*) FROM '{target}'").fetchone()[0]
    return {"rows": rows, "seconds": seconds, "cpu": cpu}


def run_measures(folder: Path, work: Path) -> dict:
    from crimeplan.crimedata.districts import forces
    from crimeplan.crimedata.store import CrimeStore
    from crimeplan.measures.definition import from_plan_data
    from crimeplan.measures.series import compute_many, policeuk_type_counts_by_force
    from crimeplan.plans.planfile_starter import starter_plan

    store = CrimeStore(work)
    definitions = {
        f: [from_plan_data(m) for m in starter_plan(f, YEAR)["measures"]] for f in forces()
    }
    con = store.connect()
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    points = 0
    # One scan of the store for every force, then each force's measures from its counts.
    counts = policeuk_type_counts_by_force(con, list(definitions))
    for force, defs in definitions.items():
        for series in compute_many(con, force, defs, counts[force]).values():
            points += sum(len(p) for p in series.values())
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    return {"rows": points, "seconds": seconds, "cpu": cpu, "what": f"{len(definitions)} forces"}


def run_hotspots(folder: Path, work: Path) -> dict:
    from crimeplan.crimedata.store import CrimeStore
    from crimeplan.hotspots.query import HotspotQuery
    from crimeplan.hotspots.store_query import analyse, default_period

    store = CrimeStore(work)
    first, last = default_period(store, "essex")
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    result = analyse(store, HotspotQuery("E07000070", first, last, (), 250), "essex").result
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    return {
        "rows": result.n_points_used,
        "seconds": seconds,
        "cpu": cpu,
        "what": f"{result.n_cells} cells",
    }


STEPS = {"ingest": run_ingest, "duckdb": run_duckdb, "measures": run_measures,
         "hotspots": run_hotspots}  # fmt: skip
LABELS = {
    "ingest": "crimeplan ingest policeuk (43 forces)",
    "duckdb": "DuckDB read_csv -> Parquet (baseline)",
    "measures": "every force's 11 standard measures",
    "hotspots": "Chelmsford hotspots, 6 months, 250 m",
}


def cpu_seconds() -> float:
    """User + system CPU of this process and its threads: on a shared, loaded machine the wall
    clock says as much about the neighbours as about the step, the CPU time does not."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(step: str, folder: Path, work: Path) -> None:
    result = STEPS[step](folder, work)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(step: str, folder: Path, work: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(folder), str(work)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"{step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6_500_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--data", type=Path, help="keep the generated files here (reused)")
    parser.add_argument(
        "--store", type=Path,
        help="keep the crime store here; a later run with --steps leaving out ingest reuses it",
    )  # fmt: skip
    parser.add_argument(
        "--steps", default=",".join(STEPS),
        help=f"comma-separated steps to run, of {','.join(STEPS)} (default: all)",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="run each step this many times, ingest and DuckDB alternately, and keep each "
        "step's fastest run (a loaded machine's neighbours only ever add time)",
    )  # fmt: skip
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"--steps: unknown step {', '.join(unknown)} (known: {', '.join(STEPS)})")
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        folder = args.data or Path(tmp) / "archive"
        if not any(folder.rglob("*-street.csv")) if folder.exists() else True:
            started = time.perf_counter()
            files = generate(folder, args.rows, args.months)
            print(f"generated {files} files in {time.perf_counter() - started:.0f} s ({folder})")
        store, scratch = args.store or Path(tmp) / "store", Path(tmp) / "duckdb"
        if "ingest" in steps and store.exists() and any(store.iterdir()):
            parser.error(f"--store {store} already holds a store: give an empty folder to ingest")
        scratch.mkdir()
        runs: dict[str, list[dict]] = {step: [] for step in steps}
        for n in range(max(1, args.repeat)):
            for step in steps:
                # A repeated ingest loads a store of its own, removed afterwards; the other
                # steps read the first run's store.
                work = {"duckdb": scratch, "ingest": store if n == 0 else Path(tmp) / "again"}
                runs[step].append(measure(step, folder, work.get(step, store)))
                shutil.rmtree(Path(tmp) / "again", ignore_errors=True)
        results = {step: min(found, key=lambda r: r["seconds"]) for step, found in runs.items()}
    if args.repeat > 1:
        print("\nwall (CPU) seconds of every run; the fastest run of each step is shown below")
        for step, found in runs.items():
            each = ", ".join(f"{r['seconds']:.2f} ({r['cpu']:.2f})" for r in found)
            print(f"{LABELS[step]:<40}{each}")
    print(f"\n{'step':<40}{'rows':>12}{'seconds':>10}{'CPU s':>9}{'rows/s':>14}{'peak MiB':>10}")
    for step, r in results.items():
        rate = r["rows"] / r["seconds"] if r["seconds"] else float("inf")
        r["rate"] = rate
        print(f"{LABELS[step]:<40}{r['rows']:>12,}{r['seconds']:>10.2f}{r['cpu']:>9.2f}"
              f"{rate:>14,.0f}{r['peak_mib']:>10.0f}")  # fmt: skip
    summary = []
    if "ingest" in results and "duckdb" in results:
        ingest, duck = results["ingest"], results["duckdb"]
        ratio = ingest["seconds"] / duck["seconds"]
        summary.append(
            f"ingest / DuckDB = {ratio:.2f}x wall, {ingest['cpu'] / duck['cpu']:.2f}x CPU "
            f"(goal <= 1.25x: {'met' if ratio <= 1.25 else 'NOT met'})"
        )
    if "ingest" in results:
        peak = results["ingest"]["peak_mib"]
        summary.append(
            f"ingest peak {peak:.0f} MiB (goal < 2048: {'met' if peak < 2048 else 'NOT met'})"
        )
    if "measures" in results:
        seconds = results["measures"]["seconds"]
        summary.append(
            f"all forces' measures {seconds:.2f} s "
            f"(goal < 2 s: {'met' if seconds < 2 else 'NOT met'})"
        )
    print("; ".join(summary))
    print("(rows for measures = series points computed; for hotspots = crimes mapped)")


if __name__ == "__main__":
    main()
