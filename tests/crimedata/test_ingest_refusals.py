"""Data is never lost or silently replaced: empty files, zip bombs, corrupt members, one month
in two files, repeated crime IDs and over-long lines, each as an analyst would meet it."""

from __future__ import annotations

import io
import random
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest
from rich.console import Console

from crimeplan.crimedata.policeuk_files import DEFAULT_ZIP_LIMITS, MiB, ZipLimits
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.summaries import file_results_table, manifest_table


def street_count(store) -> int:
    return store.connect().execute("SELECT count(*) FROM street").fetchone()[0]


def loaded_month(store, tmp_path, street_row, write_street_csv, rows: int = 3) -> Path:
    path = write_street_csv(
        tmp_path / "first" / "2024-01-essex-street.csv",
        [street_row(crime_id=f"id{i}") for i in range(rows)],
    )
    [result] = ingest_policeuk(store, [path]).files
    assert result.status == "loaded"
    return path


def test_header_only_file_never_replaces_a_loaded_month(
    store, tmp_path, street_row, write_street_csv
):
    first = loaded_month(store, tmp_path, street_row, write_street_csv)
    catalog = (store.root / "catalog.json").read_bytes()
    empty = write_street_csv(tmp_path / "x" / "2024-01-essex-street.csv", [])
    report = ingest_policeuk(store, [empty])
    [result] = report.files
    assert report.failed and result.status == "refused"
    assert result.error == (
        f"{empty}: refused: no data rows (a header and nothing else); essex street 2024-01 "
        f"keeps its 3 rows from {first} (--allow-empty loads it anyway)"
    )
    assert (store.root / "catalog.json").read_bytes() == catalog
    assert street_count(store) == 3
    # Asked for on purpose, the empty month is loaded.
    [result] = ingest_policeuk(store, [empty], allow_empty=True).files
    assert result.status == "loaded" and street_count(store) == 0


def test_file_whose_every_row_is_rejected_is_refused_too(
    store, tmp_path, street_row, write_street_csv
):
    loaded_month(store, tmp_path, street_row, write_street_csv)
    wrong = write_street_csv(
        tmp_path / "x" / "2024-01-essex-street.csv", [street_row(month="2023-12")] * 2
    )
    [result] = ingest_policeuk(store, [wrong]).files
    assert result.status == "refused"
    assert "no rows to load (all 2 rows read were rejected)" in result.error
    assert street_count(store) == 3


def test_nul_bytes_file_is_refused_and_the_month_kept(
    store, tmp_path, street_row, write_street_csv
):
    loaded_month(store, tmp_path, street_row, write_street_csv)
    nul = tmp_path / "x" / "2024-01-essex-street.csv"
    nul.parent.mkdir()
    nul.write_bytes(b"\x00" * 200_000)
    [result] = ingest_policeuk(store, [nul]).files
    assert result.status == "failed"
    assert result.error == f"{nul}: no data rows: the file holds only NUL bytes"
    assert street_count(store) == 3


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_it_fills_the_disk(
    store, tmp_path, street_row, write_street_csv
):
    good = write_street_csv(tmp_path / "g.csv", [street_row(month="2024-02")])
    bomb = zip_with(
        tmp_path / "bomb.zip",
        {
            "2024-01/2024-01-essex-street.csv": b"\x00" * (8 * MiB),
            "2024-02/2024-02-essex-street.csv": good.read_bytes(),
        },
    )
    assert bomb.stat().st_size < 64 * 1024
    limits = ZipLimits(max_bytes=64 * MiB, max_ratio=100, ratio_floor=1 * MiB)
    report = ingest_policeuk(store, [bomb], zip_limits=limits)
    by_month = {r.month: r for r in report.files}
    assert by_month["2024-01"].status == "failed"
    assert by_month["2024-01"].error.startswith(
        "bomb.zip:2024-01/2024-01-essex-street.csv: refused: expands more than 100 times"
    )
    assert by_month["2024-02"].status == "loaded" and street_count(store) == 1
    # Nothing of the bomb is left in staging.
    assert [p for p in (store.root / "staging").rglob("*") if p.is_file()] == []


def test_zip_member_past_the_size_cap_is_refused(store, tmp_path, street_row, write_street_csv):
    big = write_street_csv(tmp_path / "b.csv", [street_row(crime_id=f"{i}") for i in range(50)])
    archive = zip_with(tmp_path / "a.zip", {"2024-01-essex-street.csv": big.read_bytes()})
    limits = ZipLimits(max_bytes=1000)
    [result] = ingest_policeuk(store, [archive], zip_limits=limits).files
    assert result.status == "failed"
    assert "over the 1,000-byte limit for one zip member" in result.error
    assert store.is_empty()
    # A member that would eat into the space kept free on the disk is refused too.
    store.root.mkdir(parents=True, exist_ok=True)
    limits = ZipLimits(keep_free=2 * shutil.disk_usage(store.root).free)
    [result] = ingest_policeuk(store, [archive], zip_limits=limits).files
    assert result.status == "failed"
    assert "bytes are free where it would be staged" in result.error
    assert store.is_empty()


@pytest.mark.realdata
def test_default_zip_caps_pass_real_files_and_refuse_a_gibibyte_of_nul(shared_data):
    limits = DEFAULT_ZIP_LIMITS
    # The 1 GiB member of the report is refused on size and on ratio alike ...
    assert 1024 * MiB > limits.max_bytes >= 100 * MiB
    gib_of_nul_compressed = 1024 * MiB // 1000  # deflate packs NUL bytes about 1000:1
    assert 1024 * MiB / gib_of_nul_compressed > limits.max_ratio
    # ... while a real police.uk CSV (about 4:1) is far inside both.
    data = (shared_data / "policeuk" / "2025-05" / "2025-05-essex-street.csv").read_bytes()
    assert len(data) < limits.max_bytes
    assert len(data) / len(zlib.compress(data)) < limits.max_ratio / 10


def corrupt_member_zip(path: Path, good: bytes) -> Path:
    rng = random.Random(9)
    noise = "\n".join(
        ",".join(str(rng.randrange(10**6)) for _ in range(12)) for _ in range(4000)
    ).encode()
    zip_with(
        path,
        {
            "2024-01/2024-01-essex-street.csv": noise,
            "2024-02/2024-02-essex-street.csv": good,
        },
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("2024-01/2024-01-essex-street.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2000, start + 2400):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def test_corrupt_zip_member_is_reported_in_one_line_and_the_rest_load(
    store, tmp_path, street_row, write_street_csv
):
    good = write_street_csv(tmp_path / "g.csv", [street_row(month="2024-02")])
    archive = corrupt_member_zip(tmp_path / "archive.zip", good.read_bytes())
    report = ingest_policeuk(store, [archive])
    by_month = {r.month: r for r in report.files}
    assert by_month["2024-01"].status == "failed"
    error = by_month["2024-01"].error
    assert error.startswith(
        "archive.zip:2024-01/2024-01-essex-street.csv: cannot extract from zip, member is corrupt"
    )
    assert "\n" not in error
    assert by_month["2024-02"].status == "loaded" and street_count(store) == 1


def test_same_month_in_two_files_refuses_the_run(store, tmp_path, street_row, write_street_csv):
    one = write_street_csv(tmp_path / "a" / "2024-01-essex-street.csv", [street_row()])
    two = write_street_csv(tmp_path / "b" / "2024-01-essex-street.csv", [street_row()] * 2)
    other = write_street_csv(
        tmp_path / "b" / "2024-02-essex-street.csv", [street_row(month="2024-02")]
    )
    report = ingest_policeuk(store, [one, two, other])
    assert report.failed and report.refused_run and report.files == []
    assert report.problems == [
        f"essex street 2024-01 is in more than one file: {one} and {two}; load one of them "
        "(or each in its own run, the last replacing the first)"
    ]
    assert store.is_empty()
    # The same file named twice is one file, not a conflict.
    again = ingest_policeuk(store, [one, one])
    assert [r.status for r in again.files] == ["loaded", "unchanged"]


def test_repeated_crime_ids_are_counted_in_the_result_and_the_manifest(
    store, tmp_path, street_row, write_street_csv
):
    path = write_street_csv(
        tmp_path / "2024-01-essex-street.csv",
        [
            street_row(crime_id="a"),
            street_row(crime_id="a"),
            street_row(crime_id="a"),
            street_row(crime_id="b"),
            street_row(crime_id="", crime_type="Anti-social behaviour"),
            street_row(crime_id="", crime_type="Anti-social behaviour"),
        ],
    )
    [result] = ingest_policeuk(store, [path]).files
    assert (result.rows_loaded, result.duplicate_ids) == (6, 2)
    [manifest] = store.manifests()
    assert manifest["duplicate_crime_ids"] == 2
    # The summary the ingest prints and `data status` both show the count.
    for table in (file_results_table([result]), manifest_table([manifest])):
        console = Console(width=250, record=True, file=io.StringIO())
        console.print(table)
        header, row = [
            [c.strip() for c in line.split("│" if "│" in line else "┃")[1:-1]]
            for line in console.export_text().splitlines()
            if "repeated IDs" in line or "2024-01" in line
        ]
        assert row[header.index("repeated IDs")] == "2"
    # Loaded as published: every row is in the store.
    assert street_count(store) == 6


def test_over_long_line_is_rejected_with_a_column_and_a_reason(
    store, tmp_path, street_row, write_street_csv
):
    path = write_street_csv(
        tmp_path / "2024-01-essex-street.csv",
        [street_row(), street_row(location="x" * (10 * MiB)), street_row()],
    )
    [result] = ingest_policeuk(store, [path]).files
    assert (result.rows_loaded, result.rows_rejected) == (2, 1)
    [(line, column, reason, raw)] = (
        store.connect().execute("SELECT line, column_name, reason, raw FROM rejects").fetchall()
    )
    assert (line, column) == (3, "(whole line)")
    assert reason.startswith("line too long: Maximum line size of 1048576 bytes exceeded")
    assert raw.startswith("abc123,2024-01,Essex Police") and len(raw) == 4096
