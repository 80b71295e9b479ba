"""`crimeplan data rejects` shows what did not load, without opening Parquet files."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from crimeplan.cli import cli
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.rejects import find_rejects
from crimeplan.crimedata.store import CrimeStore


@pytest.fixture
def loaded(settings, tmp_path, street_row, write_street_csv):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    store = CrimeStore(settings.CRIMEPLAN_DATA_DIR)
    jan = write_street_csv(
        tmp_path / "in" / "2024-01-essex-street.csv",
        [street_row(), street_row(crime_type="Jaywalking"), street_row(location="L" * 300)],
    )
    feb = write_street_csv(
        tmp_path / "feb.csv",
        [street_row(month="2024-02"), street_row(month="2024-02", latitude="95")],
    )
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(feb, "2024-02/2024-02-essex-street.csv")
    with open(jan, "a") as fh:
        fh.write("abc," + "x" * 300 + ",too,few\r\n")  # line 5
    ingest_policeuk(store, [jan, archive])
    return store, jan, archive


def test_find_rejects_by_month_and_file(loaded):
    store, jan, _archive = loaded
    every = find_rejects(store)
    assert [(r.source_file, r.line, r.column, r.month) for r in every] == [
        (str(jan), 3, "crime_type", "2024-01"),
        (str(jan), 5, "longitude", "2024-01"),
        ("archive.zip:2024-02/2024-02-essex-street.csv", 3, "latitude", "2024-02"),
    ]
    assert all(r.reason for r in every)
    assert [r.line for r in find_rejects(store, month="2024-02")] == [3]
    # A file by the name it was loaded under, or by its own name.
    assert len(find_rejects(store, file=str(jan))) == 2
    assert len(find_rejects(store, file="2024-02-essex-street.csv")) == 1
    assert find_rejects(store, month="2024-01", file="2024-02-essex-street.csv") == []
    with pytest.raises(ValueError, match="not YYYY-MM"):
        find_rejects(store, month="January")


def test_rejects_command_prints_file_line_column_reason_and_short_raw(loaded):
    _store, jan, _archive = loaded
    result = CliRunner().invoke(cli, ["data", "rejects", "--month", "2024-01"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{jan}:3: crime_type: unknown crime type | Jaywalking"
    assert lines[1].startswith(
        f"{jan}:5: longitude: wrong column count: Expected Number of Columns: 12 Found: 4 | abc,xxx"
    )
    # The 300-character line is cut short to 60, the cut marked.
    raw = lines[1].split(" | ")[1]
    assert len(raw) == 60 and raw.endswith("…")
    assert lines[2:] == ["2 rejected rows"]
    refused = CliRunner().invoke(cli, ["data", "rejects", "--month", "24-1"])
    assert refused.exit_code == 1 and "not YYYY-MM" in refused.stderr
