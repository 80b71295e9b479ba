"""Store connections are cursors on one database per store and catalog: they see each commit,
keep what they were opened on, stay locked down, and can be used from many threads at once."""

from __future__ import annotations

import threading

import duckdb
import pytest

from crimeplan.crimedata import store as store_module
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import SHARED_DATABASES, CrimeStore


def street_rows(street_row, month: str, count: int) -> list[list[str]]:
    return [street_row(crime_id=f"{month}-{n}", month=month) for n in range(count)]


def ingest(store, tmp_path, write_street_csv, street_row, month: str, count: int) -> None:
    path = write_street_csv(
        tmp_path / f"in-{month}-{count}" / f"{month}-essex-street.csv",
        street_rows(street_row, month, count),
    )
    report = ingest_policeuk(store, [path])
    assert not report.failed and not report.problems


def count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM street").fetchone()[0]


def test_a_commit_is_seen_by_the_next_connection_and_not_by_an_open_one(
    store, tmp_path, write_street_csv, street_row
):
    ingest(store, tmp_path, write_street_csv, street_row, "2024-01", 3)
    before = store.connect()
    assert count(before) == 3
    assert count(store.connect()) == 3  # the same catalog: the same figures

    ingest(store, tmp_path, write_street_csv, street_row, "2024-02", 2)
    assert count(store.connect()) == 5
    assert count(before) == 3  # an open connection keeps the files it was opened on

    # Reloading a month replaces its file; the next connection reads the replacement.
    ingest(store, tmp_path, write_street_csv, street_row, "2024-02", 4)
    assert count(store.connect()) == 7


def test_connections_share_views_but_not_temporary_tables(
    store, tmp_path, write_street_csv, street_row
):
    ingest(store, tmp_path, write_street_csv, street_row, "2024-01", 2)
    first, second = store.connect(), store.connect()
    first.execute("CREATE TEMP TABLE mine AS SELECT 1 AS x")
    with pytest.raises(duckdb.CatalogException):
        second.execute("SELECT * FROM mine")
    first.close()
    assert count(second) == 2  # closing one connection leaves the others working


def test_shared_connections_stay_locked_down(store, tmp_path, write_street_csv, street_row):
    ingest(store, tmp_path, write_street_csv, street_row, "2024-01", 1)
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    store.connect()  # opens the shared database
    con = store.connect()
    with pytest.raises(duckdb.Error, match="lock"):
        con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
    assert count(store.connect(shared=False)) == 1


def test_many_threads_read_through_shared_connections(
    store, tmp_path, write_street_csv, street_row
):
    ingest(store, tmp_path, write_street_csv, street_row, "2024-01", 5)
    results: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                con = store.connect()
                results.append(count(con))
                con.close()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [5] * 160


def test_older_databases_are_let_go(tmp_path, write_street_csv, street_row):
    stores = [CrimeStore(tmp_path / f"store-{n}") for n in range(SHARED_DATABASES + 2)]
    opened = []
    for n, store in enumerate(stores):
        ingest(store, tmp_path / f"s{n}", write_street_csv, street_row, "2024-01", n + 1)
        opened.append(store.connect())
    assert len(store_module._SHARED) <= SHARED_DATABASES  # the cache stays bounded
    # Every connection still reads its own store, including those whose database was dropped
    # from the cache while they were open.
    assert [count(con) for con in opened] == [n + 1 for n in range(len(stores))]
    assert [count(store.connect()) for store in stores] == [n + 1 for n in range(len(stores))]
