"""Bad rows are kept as rejects with file, line, column and reason; bad files stop alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk


def rejects(store) -> list[tuple]:
    return (
        store.connect()
        .execute("SELECT line, column_name, reason, raw FROM rejects ORDER BY line")
        .fetchall()
    )


def test_each_bad_row_is_rejected_with_line_column_and_reason(
    store, tmp_path, street_row, write_street_csv
):
    path = tmp_path / "in" / "2024-01" / "2024-01-essex-street.csv"
    write_street_csv(
        path,
        [
            street_row(crime_id="good1"),  # line 2
            street_row(longitude="0.43x"),  # line 3
            street_row(crime_type="Jaywalking"),  # line 4
            street_row(crime_id="good2"),  # line 5
            street_row(month="2024-02"),  # line 6
            [*street_row(), "extra"],  # line 7
            street_row()[:5],  # line 8
            street_row(latitude="95.5"),  # line 9
            street_row(longitude="", latitude="51.5"),  # line 10
            street_row(crime_id="good3", longitude="", latitude="", lsoa_code="", lsoa_name=""),
        ],
    )
    # Line 12: a Latin-1 byte, which is not UTF-8.
    with open(path, "ab") as fh:
        fh.write(
            b"bad\xe9,2024-01,Essex Police,Essex Police,0.1,51.6,On or near X,"
            b"E01021237,Basildon 001A,Drugs,,\n"
        )
        fh.write(",".join(street_row(crime_id="good4")).encode() + b"\n")  # line 13
    report = ingest_policeuk(store, [path])
    [result] = report.files
    assert not report.failed
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (12, 4, 8)
    got = rejects(store)
    assert [(line, col) for line, col, _r, _raw in got] == [
        (3, "longitude"),
        (4, "crime_type"),
        (6, "month"),
        (7, "(column 13, past the header)"),
        (8, "latitude"),  # the first column missing
        (9, "latitude"),
        (10, "longitude"),
        (12, "crime_id"),
    ]
    reasons = {line: reason for line, _c, reason, _raw in got}
    assert reasons[3] == "not a coordinate"
    assert reasons[4] == "unknown crime type"
    assert reasons[6].startswith("month disagrees with the file name month 2024-01")
    assert reasons[7].startswith("wrong column count") and reasons[8].startswith(
        "wrong column count"
    )
    assert reasons[12].startswith("bad encoding")
    raws = {line: raw for line, _c, _r, raw in got}
    assert (raws[3], raws[4], raws[6], raws[9]) == ("0.43x", "Jaywalking", "2024-02", "95.5")
    assert raws[7].startswith("abc123,2024-01,") and raws[7].endswith(",extra")
    con = store.connect()
    loaded = con.execute("SELECT crime_id, line, area_status FROM street ORDER BY line").fetchall()
    assert loaded == [
        ("good1", 2, "in_area"),
        ("good2", 5, "in_area"),
        ("good3", 11, "no_location"),
        ("good4", 13, "in_area"),
    ]
    source_files = {
        r[0] for r in con.execute("SELECT DISTINCT source_file FROM rejects").fetchall()
    }
    assert source_files == {str(path)}


def test_unreadable_files_fail_alone_and_the_rest_load(
    store, tmp_path, street_row, write_street_csv
):
    good = write_street_csv(tmp_path / "2024-01-essex-street.csv", [street_row()])
    not_csv = tmp_path / "2024-02-essex-street.csv"
    not_csv.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2024-03/2024-03-essex-street.csv", "x" * 5000)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[:200])
    report = ingest_policeuk(store, [good, not_csv, truncated])
    assert report.failed
    by_month = {r.month: r for r in report.files}
    assert by_month["2024-01"].status == "loaded"
    assert by_month["2024-02"].status == "failed"
    assert str(not_csv) in by_month["2024-02"].error
    assert "\n" not in by_month["2024-02"].error
    assert len(report.problems) == 1 and str(truncated) in report.problems[0]
    assert store.connect().execute("SELECT count(*) FROM street").fetchone() == (1,)


def test_archive_zip_with_many_forces_and_kinds(store, tmp_path, street_row, write_street_csv):
    street = write_street_csv(tmp_path / "s.csv", [street_row(), street_row(crime_id="b")])
    other = write_street_csv(
        tmp_path / "k.csv", [street_row(reported_by="Kent Police", lsoa_name="Dover 001A")]
    )
    outcomes = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\n"
        "abc,2024-01,Essex Police,Essex Police,0.43,51.64,On or near X,E01021237,Basildon 001A,"
        "Investigation complete; no suspect identified\n"
    )
    stops = (
        "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
        "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
        "Outcome,Outcome linked to object of search,Removal of more than just outer clothing\n"
        "Person search,2024-01-05T10:00:00+00:00,False,,51.6,0.4,Male,18-24,White,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,"
        "A no further action disposal,,False\n"
        "Person search,2024-02-05T10:00:00+00:00,False,,51.6,0.4,Male,18-24,White,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,,False\n"
    )
    archive = tmp_path / "latest.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(street, "2024-01/2024-01-essex-street.csv")
        zf.write(other, "2024-01/2024-01-kent-street.csv")
        zf.writestr("2024-01/2024-01-essex-outcomes.csv", outcomes)
        zf.writestr("2024-01/2024-01-essex-stop-and-search.csv", stops)
    report = ingest_policeuk(store, [archive], force="essex")
    assert sorted((r.kind, r.rows_read, r.rows_loaded) for r in report.files) == [
        ("outcomes", 1, 1),
        ("stop_search", 2, 1),
        ("street", 2, 2),
    ]
    con = store.connect()
    assert con.execute("SELECT DISTINCT force FROM street").fetchall() == [("essex",)]
    assert con.execute("SELECT outcome_type, district_code FROM outcomes").fetchall() == [
        ("Investigation complete; no suspect identified", "E07000066")
    ]
    assert con.execute("SELECT column_name, reason FROM rejects").fetchall() == [
        ("date", "date disagrees with the file name month 2024-01")
    ]
    assert con.execute("SELECT typeof(datetime) FROM stop_search").fetchone() == (
        "TIMESTAMP WITH TIME ZONE",
    )


def test_same_file_twice_changes_nothing_and_a_new_file_replaces_the_month(
    store, tmp_path, street_row, write_street_csv
):
    path = write_street_csv(tmp_path / "2024-01-essex-street.csv", [street_row()] * 3)
    first = ingest_policeuk(store, [path])
    catalog = (store.root / "catalog.json").read_bytes()
    again = ingest_policeuk(store, [path, path])
    assert [r.status for r in again.files] == ["unchanged", "unchanged"]
    assert (store.root / "catalog.json").read_bytes() == catalog
    assert store.connect().execute("SELECT count(*) FROM street").fetchone() == (3,)
    write_street_csv(path, [street_row(crime_type="Drugs")] * 2)
    ingest_policeuk(store, [path])
    con = store.connect()
    assert con.execute(
        "SELECT crime_type::VARCHAR, count(*) FROM street GROUP BY 1"
    ).fetchall() == [("Drugs", 2)]
    assert [m["rows_loaded"] for m in store.manifests()] == [2]
    assert first.files[0].rows_loaded == 3
    # The superseded file is kept for readers of the previous catalog, and is gone once the
    # retention period is over (zero here) and the next writer has run.
    assert len(list((store.root / "street").rglob("*.parquet"))) == 2
    store.retain_seconds = 0
    with store.writer("next"):
        pass
    assert len(list((store.root / "street").rglob("*.parquet"))) == 1


def test_district_from_lsoa_name_when_the_code_is_unknown(
    store, tmp_path, street_row, write_street_csv
):
    path = write_street_csv(
        tmp_path / "2024-01-essex-street.csv",
        [
            street_row(lsoa_code="E01999999", lsoa_name="Southend-on-Sea 042Z"),
            street_row(lsoa_code="E01029905", lsoa_name="Babergh 010G"),
        ],
    )
    [result] = ingest_policeuk(store, [path]).files
    assert result.by_district == {"E06000033": 1}
    assert (result.in_area, result.outside_area, result.no_location) == (1, 1, 0)


def test_file_names_that_do_not_say_month_and_force_are_refused(
    store, tmp_path, street_row, write_street_csv
):
    path = write_street_csv(tmp_path / "crimes.csv", [street_row()])
    report = ingest_policeuk(store, [path, tmp_path / "missing"])
    assert report.failed and len(report.problems) == 2
    assert "cannot tell month, force and kind" in report.problems[0]
    assert store.is_empty()


def test_empty_store_has_views_with_no_rows(store):
    con = store.connect()
    for view in (
        "street",
        "outcomes",
        "stop_search",
        "rejects",
        "lsoa_population",
        "district_population",
        "lsoa_districts",
        "ksi",
    ):
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM districts WHERE force = 'essex'").fetchone() == (14,)
    assert store.is_empty()


def test_reader_connection_cannot_read_outside_the_store(store, tmp_path):
    import duckdb
    import pytest

    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a\n1\n")
    con = store.connect()
    with pytest.raises(duckdb.Error):
        con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
    assert isinstance(Path(store.root), Path)
