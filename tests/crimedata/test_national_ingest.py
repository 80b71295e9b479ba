"""The police.uk national archive layout (one folder per month, one file per force) in one run,
and a store layout that keeps each partition column in one place (the folder names)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk

# (force, falls within, an LSOA name in one of its districts)
FORCES = {
    "essex": ("Essex Police", "Chelmsford 001A"),
    "kent": ("Kent Police", "Maidstone 002B"),
    "city-of-london": ("City of London Police", "City of London 001C"),
    "btp": ("British Transport Police", "Camden 010A"),  # not a territorial force
}
MONTHS = ("2025-01", "2025-02")


@pytest.fixture
def national(tmp_path, write_street_csv, street_row):
    """A national archive folder: every force's file for every month; force k, month m has
    10 * (k + 1) + m rows, so each file's count is known."""
    root = tmp_path / "archive"
    for k, (force, (name, lsoa)) in enumerate(FORCES.items()):
        for m, month in enumerate(MONTHS):
            rows = [
                street_row(
                    month=month, reported_by=name, falls_within=name, lsoa_code=f"E0199{k}{i:03d}",
                    lsoa_name=lsoa, crime_id=f"{force}{month}{i}",
                )
                for i in range(10 * (k + 1) + m)
            ]  # fmt: skip
            write_street_csv(root / month / f"{month}-{force}-street.csv", rows)
    return root


def test_every_force_in_one_run(store, national):
    report = ingest_policeuk(store, [national])
    assert not report.failed and len(report.files) == len(FORCES) * len(MONTHS)
    con = store.connect()
    got = con.execute(
        "SELECT force, strftime(month, '%Y-%m'), count(*), count(district_code) FROM street "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    expected = []
    for k, force in enumerate(FORCES):
        for m, month in enumerate(MONTHS):
            n = 10 * (k + 1) + m
            # Rows are placed in a district of their own force by the LSOA name; the
            # British Transport Police has no districts of its own.
            expected.append((force, month, n, 0 if force == "btp" else n))
    assert got == sorted(expected)
    district = dict(
        con.execute("SELECT force, any_value(district_code) FROM street GROUP BY 1").fetchall()
    )
    assert district["kent"] in {d.code for d in districts_for("kent")}
    assert district["city-of-london"] == "E09000001"


def test_only_the_forces_asked_for(store, national, settings, cli):
    settings.CRIMEPLAN_DATA_DIR = store.root
    cli("ingest", "policeuk", national, "--force", "kent,essex", "--force", "btp")
    forces = store.connect().execute("SELECT DISTINCT force FROM street ORDER BY 1").fetchall()
    assert forces == [("btp",), ("essex",), ("kent",)]
    commands = {m["command"] for m in store.manifests()}
    assert commands == {f"crimeplan ingest policeuk {national} --force kent,essex,btp"}


def test_partition_columns_live_in_folder_names_only(store, national):
    ingest_policeuk(store, [national])
    files = [
        store.root / u["files"][t] for u in store.catalog()["units"].values() for t in u["files"]
    ]
    assert len(files) == 2 * len(FORCES) * len(MONTHS)  # street and rejects per file
    for path in files:
        names = set(pq.read_schema(path).names)
        folders = dict(part.split("=", 1) for part in path.relative_to(store.root).parts[1:-1])
        assert not names & set(folders), (path, names & set(folders))
        assert set(folders) >= {"source", "force", "month"}
    con = store.connect()
    assert con.execute("SELECT typeof(month), typeof(force) FROM street LIMIT 1").fetchone() == (
        "DATE",
        "VARCHAR",
    )
