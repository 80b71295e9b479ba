"""Ingest speed: crimeplan against the analyst's pandas path and DuckDB's own CSV -> Parquet.

Run: ``.venv/bin/python bench/ingest.py [--shared DIR] [--national-rows 550000]``

Inputs: (a) every police.uk file in ../shared/data/policeuk (skipped when absent) and (b) one
national-size month made with ``crimeplan synth``. Each method runs in its own process, so its
peak memory (max RSS) is its own. Prints rows per second, the ratios, and peak memory.
A benchmark, never a timed test: the figures depend on the machine and what else it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def csv_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*-street.csv"))


def run_crimeplan(folder: Path, work: Path) -> int:
    from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
    from crimeplan.crimedata.store import CrimeStore

    report = ingest_policeuk(CrimeStore(work / "store"), [folder])
    assert not report.failed, report.problems
    return sum(f.rows_read for f in report.files)


def run_pandas(folder: Path, work: Path) -> int:
    import pandas as pd

    con = sqlite3.connect(work / "analyst.sqlite3")
    rows = 0
    for path in csv_files(folder):
        frame = pd.read_csv(path)
        # The tip in SOURCE.md an analyst follows so 2018's snake_case files append too.
        frame.columns = [c.strip().lower().replace(" ", "_") for c in frame.columns]
        frame.to_sql("street", con, if_exists="append", index=False)
        rows += len(frame)
    con.commit()
    con.close()
    return rows


def run_duckdb(folder: Path, work: Path) -> int:
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    files = [str(p) for p in csv_files(folder)]
    con.execute(
        f"COPY (SELECT * FROM read_csv(?, union_by_name = true, normalize_names = true)) "
        f"TO '{work / 'limit.parquet'}' (FORMAT parquet, COMPRESSION zstd)",
        [files],
    )
    return con.execute(f"SELECT count(*) FROM '{work / 'limit.parquet'}'").fetchone()[0]


METHODS = {"crimeplan": run_crimeplan, "pandas": run_pandas, "duckdb": run_duckdb}


def child(method: str, folder: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        started = time.perf_counter()
        rows = METHODS[method](folder, Path(tmp))
        seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mib": peak_kib / 1024}))


def measure(method: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, folder: Path) -> None:
    results = {m: measure(m, folder) for m in METHODS}
    print(f"\n{name}")
    print(f"{'method':<40}{'rows':>10}{'seconds':>10}{'rows/s':>12}{'peak MiB':>10}")
    labels = {
        "crimeplan": "crimeplan ingest policeuk",
        "pandas": "pandas.read_csv + DataFrame.to_sql (SQLite)",
        "duckdb": "DuckDB read_csv -> Parquet (limit)",
    }
    for method, r in results.items():
        rate = r["rows"] / r["seconds"]
        r["rate"] = rate
        print(
            f"{labels[method]:<40.40}{r['rows']:>10,}{r['seconds']:>10.2f}{rate:>12,.0f}"
            f"{r['peak_mib']:>10.0f}"
        )
    cp, pd_, dk = results["crimeplan"], results["pandas"], results["duckdb"]
    print(
        f"crimeplan / pandas = {cp['rate'] / pd_['rate']:.1f}x (goal >= 10x); "
        f"DuckDB limit / crimeplan = {dk['rate'] / cp['rate']:.2f}x (goal <= 2x); "
        f"crimeplan peak memory {cp['peak_mib']:.0f} MiB (goal < 2048)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--national-rows", type=int, default=550_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    policeuk = args.shared / "policeuk"
    if policeuk.is_dir():
        report(
            f"(a) all police.uk files in {policeuk} ({len(csv_files(policeuk))} files)", policeuk
        )
    else:
        print(f"(a) skipped: no police.uk files at {policeuk}")
    sys.path.insert(0, str(REPO / "src"))
    from crimeplan.crimedata.synth import generate_policeuk

    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        generate_policeuk(Path(tmp), ["2024-06"], seed=1, rows_per_month=args.national_rows)
        report(f"(b) one national-size synthetic month (~{args.national_rows:,} rows)", Path(tmp))


if __name__ == "__main__":
    main()
