"""Synthetic police.uk files: deterministic, labelled, and plausible to the ingest."""

from __future__ import annotations

import hashlib

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.synth import generate_policeuk, parse_months


def digest(paths) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_months_spec():
    assert parse_months("2023-11:2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert parse_months("2024-05") == ["2024-05"]


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    months = parse_months("2024-01:2024-02")
    a = generate_policeuk(tmp_path / "a", months, seed=7)
    b = generate_policeuk(tmp_path / "b", months, seed=7)
    c = generate_policeuk(tmp_path / "c", months, seed=8)
    assert digest(a) == digest(b)
    assert digest(a) != digest(c)


def test_ingest_accepts_synthetic_files_and_keeps_the_label(store, tmp_path):
    paths = generate_policeuk(tmp_path / "synth", parse_months("2024-01:2024-12"), seed=1)
    report = ingest_policeuk(store, [tmp_path / "synth"])
    assert not report.failed and len(report.files) == 12
    assert all(r.rows_rejected == 0 for r in report.files)
    con = store.connect()
    total, synthetic, types, districts, no_location = con.execute(
        "SELECT count(*), count(*) FILTER (synthetic), count(DISTINCT crime_type), "
        "count(DISTINCT district_code), count(*) FILTER (area_status = 'no_location') FROM street"
    ).fetchone()
    assert total == synthetic
    assert types == 14 and districts == len(districts_for("essex"))
    assert 0.005 < no_location / total < 0.03
    # Essex scale, and more violence in summer than in winter.
    per_month = total / 12
    assert 10_000 < per_month < 22_000
    summer, winter = con.execute(
        "SELECT count(*) FILTER (month(month) IN (6, 7)), count(*) FILTER (month(month) IN (12, 1))"
        " FROM street WHERE crime_type = 'Violence and sexual offences'"
    ).fetchone()
    assert summer > winter * 1.1
    # A few hotspots: the busiest 1% of LSOAs hold far more than 1% of records.
    top = con.execute(
        "SELECT sum(n) FROM (SELECT count(*) n FROM street WHERE lsoa_code IS NOT NULL "
        "GROUP BY lsoa_code ORDER BY n DESC LIMIT (SELECT count(DISTINCT lsoa_code) // 100 "
        "FROM street))"
    ).fetchone()[0]
    assert top / total > 0.04
    assert len(paths) == 12


def test_synth_command(settings, tmp_path, cli):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    out = cli(
        "synth", "policeuk", "--months", "2024-01:2024-03", "--seed", "3",
        "--out", tmp_path / "synth",
    ).stdout  # fmt: skip
    assert "wrote 3 synthetic files" in out
    assert sorted(p.name for p in (tmp_path / "synth").rglob("*.csv")) == [
        "2024-01-essex-street.csv",
        "2024-02-essex-street.csv",
        "2024-03-essex-street.csv",
    ]


def test_crimes_fall_on_shared_snap_points_so_repeat_locations_exist(tmp_path):
    import csv

    (path,) = generate_policeuk(tmp_path, ["2024-03"], seed=3)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Longitude"]]
    places: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["Location"], row["Longitude"], row["Latitude"])
        places[key] = places.get(key, 0) + 1
    # Far fewer places than crimes, and the busiest snap points carry many crimes each.
    assert len(places) < len(rows) * 0.6
    assert max(places.values()) >= 10
