"""The `crimeplan ingest`, `data status` commands as an analyst runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crimeplan.crimedata.store import CrimeStore


@pytest.fixture
def data_dir(settings, tmp_path) -> Path:
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    return settings.CRIMEPLAN_DATA_DIR


def run(*args: str, exit_code: int = 0) -> str:
    """``crimeplan ...`` in this process: what it printed, or on a refusal its stderr."""
    from crimeplan.cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result.stderr if exit_code else result.stdout


def test_ingest_then_status(data_dir, tmp_path, street_row, write_street_csv):
    folder = tmp_path / "archive"
    write_street_csv(folder / "2024-01" / "2024-01-essex-street.csv", [street_row()] * 2)
    write_street_csv(
        folder / "2024-02" / "2024-02-essex-street.csv",
        [street_row(month="2024-02"), street_row(month="2024-02", longitude="bad")],
    )
    out = run("ingest", "policeuk", str(folder), "--force", "essex")
    assert "police.uk ingest" in out and "rows by district" in out
    status = run("data", "status")
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in status.splitlines()
        if "2024-0" in line and "essex" in line
    ]
    assert [r[2:7] for r in rows] == [
        ["2024-01", "street", "2", "2", "0"],
        ["2024-02", "street", "2", "1", "1"],
    ]
    assert "geography: not loaded" in status
    command = CrimeStore(data_dir).manifests()[0]["command"]
    assert command == f"crimeplan ingest policeuk {folder} --force essex"


def test_ingest_exits_non_zero_when_a_file_fails(data_dir, tmp_path, street_row, write_street_csv):
    good = write_street_csv(tmp_path / "2024-01-essex-street.csv", [street_row()])
    bad = tmp_path / "2024-02-essex-street.csv"
    bad.write_bytes(b"\x00\x01garbage")
    refused = run("ingest", "policeuk", str(good), str(bad), exit_code=1)
    assert refused == "Error: 1 input(s) could not be loaded (see above)\n"
    assert len(CrimeStore(data_dir).manifests()) == 1


def test_status_of_an_empty_store(data_dir):
    assert "no crime data loaded" in run("data", "status")


def test_geography_from_a_missing_folder_says_so(data_dir, tmp_path):
    refused = run("ingest", "geography", "--from", str(tmp_path / "nowhere"), exit_code=1)
    assert refused.startswith("Error: geography folder not found")


def test_ingest_refuses_a_header_only_file_unless_allowed(
    data_dir, tmp_path, street_row, write_street_csv
):
    write_street_csv(tmp_path / "a" / "2024-01-essex-street.csv", [street_row()] * 2)
    run("ingest", "policeuk", str(tmp_path / "a"))
    empty = write_street_csv(tmp_path / "x" / "2024-01-essex-street.csv", [])
    refused = run("ingest", "policeuk", str(empty), "--force", "essex", exit_code=1)
    assert refused == "Error: 1 input(s) could not be loaded (see above)\n"
    [manifest] = CrimeStore(data_dir).manifests()
    assert manifest["rows_loaded"] == 2
    run("ingest", "policeuk", str(empty), "--allow-empty")
    [manifest] = CrimeStore(data_dir).manifests()
    assert manifest["rows_loaded"] == 0 and manifest["command"].endswith("--allow-empty")


def test_ingest_refuses_one_month_in_two_files(data_dir, tmp_path, street_row, write_street_csv):
    from crimeplan.cli import cli

    one = write_street_csv(tmp_path / "a" / "2024-01-essex-street.csv", [street_row()])
    two = write_street_csv(tmp_path / "b" / "2024-01-essex-street.csv", [street_row()])
    result = CliRunner().invoke(cli, ["ingest", "policeuk", str(one), str(two)])
    assert result.exit_code == 1
    assert f"{one} and {two}" in result.stdout.replace("\n", "")
    assert result.stderr == "Error: refused: nothing was loaded (see above)\n"
    assert CrimeStore(data_dir).is_empty()
