"""Readers never fail while the store changes: files a commit supersedes stay on disk for a
retention period, since a reader that read the previous catalog may still be scanning them,
and are removed by a later writer once the period is over."""

from __future__ import annotations

import threading
import time

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

MONTHS = ("2024-01", "2024-02")


def write_versions(tmp_path, street_row, write_street_csv) -> list[list]:
    """Two versions of the same two months, with different row counts so each is a new file."""
    versions = []
    for v, rows in enumerate((40, 55)):
        versions.append(
            [
                write_street_csv(
                    tmp_path / f"v{v}" / f"{month}-essex-street.csv",
                    [street_row(month=month, crime_id=f"{v}-{i}") for i in range(rows)],
                )
                for month in MONTHS
            ]
        )
    return versions


def read_like_a_page(store: CrimeStore) -> None:
    """What the district comparison and hotspot pages do: several queries on one connection."""
    con = store.connect()
    con.execute("SELECT district_code, crime_type, count(*) FROM street GROUP BY ALL").fetchall()
    time.sleep(0.01)
    con.execute("SELECT month, count(*) FROM street GROUP BY 1").fetchall()
    con.execute("SELECT count(*) FROM rejects").fetchall()


def race(store: CrimeStore, versions: list[list], rounds: int) -> tuple[list[str], int]:
    errors: list[str] = []
    reads = 0
    done = threading.Event()

    def reader() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                read_like_a_page(store)
                reads += 1
            except Exception as exc:  # every failure is counted, whatever it is
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in range(rounds):
            report = ingest_policeuk(store, versions[n % 2])
            assert [r.status for r in report.files] == ["loaded", "loaded"]
    finally:
        done.set()
        for t in threads:
            t.join()
    return errors, reads


def test_readers_racing_a_writer_see_no_errors(tmp_path, street_row, write_street_csv):
    versions = write_versions(tmp_path, street_row, write_street_csv)
    store = CrimeStore(tmp_path / "store", retain_seconds=600)
    ingest_policeuk(store, versions[1])
    errors, reads = race(store, versions, rounds=12)
    assert reads > 20
    assert errors == []
    # Superseded files are kept (a reader may hold them), and listed as retired.
    on_disk = {p for p in store.root.rglob("*.parquet") if "staging" not in p.parts}
    assert store.all_files() < on_disk
    assert on_disk == store.all_files() | store.retained_files()


def test_superseded_files_are_removed_once_no_reader_can_hold_them(
    tmp_path, street_row, write_street_csv
):
    versions = write_versions(tmp_path, street_row, write_street_csv)
    store = CrimeStore(tmp_path / "store", retain_seconds=1.0)
    ingest_policeuk(store, versions[1])
    errors, _reads = race(store, versions, rounds=4)
    assert errors == []
    assert store.retained_files()
    time.sleep(1.2)
    # The next writer removes what is past the retention period, and only that.
    with store.writer("crimeplan ingest policeuk (next)"):
        pass
    on_disk = {p for p in store.root.rglob("*.parquet") if "staging" not in p.parts}
    assert on_disk == store.all_files()
    assert store.retained_files() == set()
    assert store.connect().execute("SELECT count(*) FROM street").fetchone() == (110,)
