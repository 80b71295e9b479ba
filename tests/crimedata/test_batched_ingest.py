"""The files of one month are read together (one DuckDB statement, one catalog commit), yet each
file keeps its own lines, counts and rejects, and a file that cannot be read with the others
fails or loads alone."""

from __future__ import annotations

import csv
import io

from factories import STREET_HEADER

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import StoreWriter

# force -> (LSOA name in one of its districts, falls within)
FORCES = {
    "essex": ("Basildon 001A", "Essex Police"),
    "kent": ("Dover 002B", "Kent Police"),
    "suffolk": ("Ipswich 003C", "Suffolk Constabulary"),
}


def month_files(root, month, street_row, write_street_csv):
    """One file per force; force k has 20 + 7k rows, of which line 3 + k has too many columns,
    line 6 + 2k an unknown crime type, and (in Kent's file only) two rows repeat a crime ID.
    Returns what each file should give, worked out from how it was written."""
    expected = {}
    for k, (force, (lsoa, name)) in enumerate(FORCES.items()):
        rows, rejects, loaded_lines, ids = [], [], [], []
        for i in range(20 + 7 * k):
            line = i + 2
            crime_id = "same" if force == "kent" and i in (10, 11) else f"{force}-{month}-{i}"
            row = street_row(month=month, crime_id=crime_id, lsoa_name=lsoa, reported_by=name)
            if line == 3 + k:
                row = [*row, "extra"]
                rejects.append((line, "(column 13, past the header)"))
            elif line == 6 + 2 * k:
                row = street_row(month=month, crime_type="Jaywalking", lsoa_name=lsoa)
                rejects.append((line, "crime_type"))
            else:
                loaded_lines.append(line)
                ids.append(crime_id)
            rows.append(row)
        path = write_street_csv(root / month / f"{month}-{force}-street.csv", rows)
        expected[force] = {
            "path": str(path),
            "read": len(rows),
            "rejects": rejects,
            "lines": loaded_lines,
            "duplicates": len(ids) - len(set(ids)),
        }
    return expected


def test_each_file_of_a_month_keeps_its_own_lines_counts_and_rejects(
    store, tmp_path, street_row, write_street_csv, monkeypatch
):
    root = tmp_path / "archive"
    expected = {
        month: month_files(root, month, street_row, write_street_csv)
        for month in ("2024-01", "2024-02")
    }
    commits = []
    real_commit = StoreWriter.commit

    def counting_commit(self, units=None, sections=None):
        commits.append(sorted(units or {}))
        return real_commit(self, units=units, sections=sections)

    monkeypatch.setattr(StoreWriter, "commit", counting_commit)
    report = ingest_policeuk(store, [root])
    assert not report.failed
    # One commit per month, naming every force's unit of that month.
    assert commits == [
        sorted(f"policeuk/{force}/street/{month}" for force in FORCES) for month in expected
    ]
    con = store.connect()
    for result in report.files:
        want = expected[result.month][result.force]
        assert result.status == "loaded"
        assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (
            want["read"],
            len(want["lines"]),
            len(want["rejects"]),
        )
        assert result.duplicate_ids == want["duplicates"]
        assert result.in_area == len(want["lines"]) and len(result.by_district) == 1
        got_rejects = con.execute(
            "SELECT line, column_name FROM rejects WHERE source_file = ? ORDER BY line",
            [want["path"]],
        ).fetchall()
        assert got_rejects == want["rejects"]
        got_lines = con.execute(
            "SELECT line FROM street WHERE source_file = ? ORDER BY line", [want["path"]]
        ).fetchall()
        assert [line for (line,) in got_lines] == want["lines"]
    assert sum(r.duplicate_ids for r in report.files) == 2 * 1  # Kent's pair, each month
    manifests = {(m["force"], m["month"]): m for m in store.manifests()}
    assert manifests[("kent", "2024-02")]["duplicate_crime_ids"] == 1
    assert manifests[("suffolk", "2024-01")]["rows_rejected"] == 2


def test_files_that_cannot_be_read_together_load_or_fail_alone(
    store, tmp_path, street_row, write_street_csv
):
    month = tmp_path / "in" / "2024-01"
    good = write_street_csv(month / "2024-01-essex-street.csv", [street_row()] * 4)
    # Mixed CRLF and LF endings stop DuckDB's strict reader: the month's read together fails,
    # each file is then read alone, and this one through its LF copy (line 4 is rejected).
    rows = [street_row(lsoa_name="Dover 001A", context="note")] * 5
    rows[2] = street_row(crime_type="Jaywalking", context="note")
    lines = []
    for row in [STREET_HEADER, *rows]:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        lines.append(buf.getvalue())
    mixed = month / "2024-01-kent-street.csv"
    mixed.write_bytes(
        "".join(line + ("\n" if i % 2 else "\r\n") for i, line in enumerate(lines)).encode()
    )
    # The snake_case header of the 2018 copies is read in a statement of its own.
    snake = write_street_csv(
        month / "2024-01-suffolk-street.csv",
        [street_row(lsoa_name="Ipswich 001A")] * 3,
        header=[h.lower().replace(" ", "_") for h in STREET_HEADER],
    )
    empty = write_street_csv(month / "2024-01-norfolk-street.csv", [])
    report = ingest_policeuk(store, [tmp_path / "in"])
    by_force = {r.force: r for r in report.files}
    assert [(r.force, r.status) for r in report.files] == [
        ("essex", "loaded"),
        ("kent", "loaded"),
        ("norfolk", "refused"),
        ("suffolk", "loaded"),
    ]
    assert (by_force["kent"].rows_loaded, by_force["kent"].rows_rejected) == (4, 1)
    assert by_force["norfolk"].error.startswith(f"{empty}: refused: no data rows")
    con = store.connect()
    assert con.execute("SELECT source_file, line, column_name FROM rejects").fetchall() == [
        (str(mixed), 4, "crime_type")
    ]
    counts = con.execute(
        "SELECT source_file, count(*), min(line), max(line) FROM street GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [(str(good), 4, 2, 5), (str(mixed), 4, 2, 6), (str(snake), 3, 2, 4)]
    # The LF copy leaves no carriage return at the end of the last column.
    assert con.execute("SELECT DISTINCT context FROM street WHERE force = 'kent'").fetchall() == [
        ("note",)
    ]


def test_a_partition_written_in_parts_is_joined_into_one_file(tmp_path):
    import duckdb

    from crimeplan.crimedata.policeuk_ingest import _partition_file

    con = duckdb.connect()
    folder = tmp_path / "rows"
    (folder / "file_index=0").mkdir(parents=True)
    for part, values in enumerate(([1, 2, 3], [4, 5])):
        con.execute(
            f"COPY (SELECT unnest({values}) AS line) "
            f"TO '{folder}/file_index=0/part{part}.parquet' (FORMAT parquet)"
        )
    joined = _partition_file(con, folder, 0)
    lines = con.execute(f"SELECT line FROM '{joined}' ORDER BY 1").fetchall()
    assert [line for (line,) in lines] == [1, 2, 3, 4, 5]
    assert _partition_file(con, folder, 1) is None
