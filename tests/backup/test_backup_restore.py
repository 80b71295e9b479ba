"""`crimeplan backup` and `crimeplan restore`: a restore into an empty home gives back every
table row for row and every Parquet partition; damaged backups and full homes are refused.

The database half runs on the database the suite runs on: SQLite in the SQLite pass,
PostgreSQL (pg_dump/pg_restore) in the PostgreSQL pass (``DATABASE_URL``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import duckdb
import factories
import pytest
import yaml
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import connection

from crimeplan.backup.home import MANIFEST, BackupError, backup_home, restore_home
from crimeplan.cli import cli
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.snapshot import copy_store
from crimeplan.crimedata.stats19 import load_stats19
from crimeplan.crimedata.store import CrimeStore
from crimeplan.planfile import import_plan

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "examples" / "plans" / "essex-police-and-crime-plan-2016-2020.yaml"
STREET_HEADER = ",".join(factories.STREET_HEADER) + "\n"


def street_csv(path: Path, month: str, rows: int, bad: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"id{i},{month},Essex Police,Essex Police,0.43,51.64,On or near X,E01021237,"
        f"Basildon 001A,Burglary,Under investigation,\n"
        for i in range(rows)
    ]
    lines += [f"bad{i},{month},Essex Police,Essex Police,x,51.6,,,,Drugs,,\n" for i in range(bad)]
    path.write_text(STREET_HEADER + "".join(lines))
    return path


def require_tools() -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        message = "pg_dump/pg_restore are not installed"
        if os.environ.get("CRIMEPLAN_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def every_row(database: dict) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, read straight from the database (not through our code)."""
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        con = sqlite3.connect(name, uri=name.startswith("file:"))
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rows = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        con.close()
        return rows
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [r[0] for r in cur.fetchall()]
        rows = {}
        for t in tables:
            cur.execute(f'SELECT * FROM "{t}"')
            rows[t] = sorted(cur.fetchall(), key=repr)
    return rows


def add_later_table(database: dict) -> None:
    """A table with a row that the backup does not hold."""
    sql = [
        "CREATE TABLE later_table (id integer PRIMARY KEY)",
        "INSERT INTO later_table VALUES (1)",
    ]
    if database["ENGINE"].endswith("sqlite3"):
        con = sqlite3.connect(str(database["NAME"]))
        with con:
            for statement in sql:
                con.execute(statement)
        con.close()
        return
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)
    connection.close()


def every_partition(store: CrimeStore) -> dict[str, list[tuple]]:
    """Each Parquet file the catalog names, by its partition folder, with its rows."""
    con = duckdb.connect()
    found = {}
    for path in store.all_files():
        if path.suffix == ".parquet":
            rel = str(path.parent.relative_to(store.root))
            found[rel] = sorted(
                con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall(), key=repr
            )
    return found


@pytest.fixture
def home(tmp_path) -> CrimeStore:
    """A home in use: a plan, a user, two loaded months (with rejects)."""
    import_plan(yaml.safe_load(PLAN.read_text(encoding="utf-8")))
    get_user_model().objects.create_user("officer", password="x" * 12)
    store = CrimeStore(tmp_path / "home" / "crimedata")
    ingest_policeuk(
        store,
        [
            street_csv(tmp_path / "in" / "2024-01-essex-street.csv", "2024-01", 30, bad=2),
            street_csv(tmp_path / "in" / "2024-02-essex-street.csv", "2024-02", 20),
        ],
    )
    # Two forces' road collision loads: each its own catalog section, both must come back.
    collisions = tmp_path / "in" / "collisions.csv"
    collisions.write_text(
        "collision_index,police_force,collision_severity,date,local_authority_ons_district\n"
        "E1,42,2,05/03/2024,E07000066\nK1,46,1,06/03/2024,E07000110\n"
    )
    load_stats19(store, [collisions], force="essex")
    load_stats19(store, [collisions], force="kent")
    return store


def empty_database(tmp_path: Path) -> dict:
    """An empty database of the engine under test: a new SQLite file, or for PostgreSQL the
    test database itself emptied (it is the suite's own, thrown away after the run)."""
    if connection.vendor == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "new" / "db.sqlite3"}
    with connection.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()
    return connection.settings_dict


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_home_gives_back_every_table_and_partition(home, tmp_path):
    require_tools()
    source = connection.settings_dict
    tables, partitions = every_row(source), every_partition(home)
    assert tables["plans_commitment"] and tables["auth_user"]
    assert len(partitions) == 6  # street and rejects, two months each; two forces' KSI
    sections = {k: v for k, v in home.catalog().items() if k.startswith("stats19/")}
    assert sorted(sections) == ["stats19/essex", "stats19/kent"]
    summary = backup_home(tmp_path / "backup", source, home)
    assert (summary.units, summary.files) == (2, 6)
    assert summary.rows == sum(len(rows) for rows in tables.values())

    target = empty_database(tmp_path)
    new_store = CrimeStore(tmp_path / "new" / "crimedata")
    restored = restore_home(tmp_path / "backup", target, new_store)
    assert restored.describe() == summary.describe()
    assert every_row(target) == tables
    assert every_partition(new_store) == partitions
    assert new_store.manifests() == home.manifests()
    assert {k: new_store.catalog().get(k) for k in sections} == sections
    # Restoring again into the now full home is refused and changes nothing ...
    with pytest.raises(BackupError, match="refused: the database holds data and the crime store"):
        restore_home(tmp_path / "backup", target, new_store)
    # ... unless forced, which gives the same home again: a table the backup lacks (as a later
    # migration makes) goes too, or the next migrate would stop on it.
    add_later_table(target)
    assert "later_table" in every_row(target)
    restore_home(tmp_path / "backup", target, new_store, force=True)
    assert every_row(target) == tables
    assert every_partition(new_store) == partitions


@pytest.mark.django_db(transaction=True)
def test_damaged_backup_is_refused_before_anything_changes(home, tmp_path):
    require_tools()
    backup_home(tmp_path / "backup", connection.settings_dict, home)
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    damaged = tmp_path / "backup" / "crimedata" / sorted(manifest["crimedata"]["files"])[0]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    # Even forced over the home it came from, nothing is touched.
    before = every_row(connection.settings_dict), every_partition(home), home.catalog()
    with pytest.raises(BackupError, match="does not match its checksum; nothing restored"):
        restore_home(tmp_path / "backup", connection.settings_dict, home, force=True)
    assert (every_row(connection.settings_dict), every_partition(home), home.catalog()) == before


def test_store_copy_is_one_generation_while_a_writer_reloads(tmp_path):
    """Copies taken while the same months are re-ingested: each names exactly the files it
    holds, and each month's rows agree with its manifest (no mix of two loads)."""
    store = CrimeStore(tmp_path / "store")
    versions = [
        [
            street_csv(
                tmp_path / f"v{v}" / f"2024-0{m}-essex-street.csv", f"2024-0{m}", 10 + v * 7 + m
            )
            for m in (1, 2)
        ]
        for v in (0, 1)
    ]
    ingest_policeuk(store, versions[0])
    stop = threading.Event()

    def writer() -> None:
        n = 1
        while not stop.is_set():
            ingest_policeuk(store, versions[n % 2])
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for k in range(6):
            dest = tmp_path / f"copy{k}"
            hashes = copy_store(store, dest)
            copied = CrimeStore(dest, retain_seconds=0)
            assert set(hashes) == {str(p.relative_to(dest)) for p in copied.all_files()}
            con = copied.connect(lock_down=False)
            for m in copied.manifests():
                got = con.execute(
                    "SELECT count(*) FROM street WHERE strftime(month, '%Y-%m') = ?", [m["month"]]
                ).fetchone()[0]
                assert got == m["rows_loaded"]
    finally:
        stop.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_commands(home, tmp_path, settings):
    require_tools()
    settings.CRIMEPLAN_DATA_DIR = home.root
    runner = CliRunner()
    full = tmp_path / "full"
    (full / "x").mkdir(parents=True)
    result = runner.invoke(cli, ["backup", str(full)])
    assert result.exit_code == 1 and "already exists and is not empty" in result.output
    result = runner.invoke(cli, ["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"backed up to {tmp_path / 'b'}: database: ")
    assert "crime store: 2 loaded months (units), 6 files" in result.output
    result = runner.invoke(cli, ["restore", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "refused: the database holds data and the crime store" in result.output
    result = runner.invoke(cli, ["restore", str(tmp_path / "b"), "--force"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"restored from {tmp_path / 'b'}: database: ")


def test_sqlite_dump_is_whole_while_another_connection_writes(tmp_path):
    """The server keeps writing (WAL, one transaction per row) while the dump runs: the copy
    passes SQLite's integrity check and holds a whole prefix of the rows, none half-written."""
    from crimeplan.backup.database import dump

    live = tmp_path / "live.sqlite3"
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    con.commit()
    stop = threading.Event()

    def server() -> None:
        writer = sqlite3.connect(live, timeout=20)
        n = 0
        while not stop.is_set():
            writer.execute("INSERT INTO t VALUES (?, ?)", (n, "x" * 2000))
            writer.commit()
            n += 1
        writer.close()

    thread = threading.Thread(target=server)
    thread.start()
    try:
        copies = []
        for k in range(5):
            dest = tmp_path / f"copy{k}.sqlite3"
            dump({"ENGINE": "django.db.backends.sqlite3", "NAME": live}, dest)
            copies.append(dest)
    finally:
        stop.set()
        thread.join()
    counts = []
    for dest in copies:
        copy = sqlite3.connect(dest)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count, top = copy.execute("SELECT count(*), coalesce(max(n), -1) FROM t").fetchone()
        assert count == top + 1
        counts.append(count)
        copy.close()
    assert counts == sorted(counts) and counts[-1] > 0  # later copies saw later writes
