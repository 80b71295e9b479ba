"""KSI from DfT collision and casualty files in both the accident_* and collision_* layouts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crimeplan.crimedata.stats19 import Stats19Error, load_stats19
from crimeplan.crimedata.store import CATALOG, stats19_sections

OLD_COLLISIONS = [
    "accident_index", "accident_year", "accident_reference", "longitude", "latitude",
    "police_force", "accident_severity", "number_of_vehicles", "number_of_casualties", "date",
    "local_authority_district", "local_authority_ons_district",
]  # fmt: skip
NEW_COLLISIONS = [
    "collision_index", "collision_year", "collision_ref_no", "longitude", "latitude",
    "police_force", "collision_severity", "number_of_vehicles", "number_of_casualties", "date",
    "local_authority_ons_district", "collision_adjusted_severity_serious",
    "collision_adjusted_severity_slight",
]  # fmt: skip
CASUALTIES = [
    "collision_index", "collision_year", "vehicle_reference", "casualty_reference",
    "casualty_severity", "casualty_adjusted_severity_serious", "casualty_adjusted_severity_slight",
]  # fmt: skip


def write(path: Path, header: list[str], rows: list[dict]) -> Path:
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, header, restval="-1")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_old_layout_counts_collisions_by_month_and_district(store, tmp_path):
    rows = [
        # Essex (42): a fatal and a serious in Basildon in March, a slight in Thurrock.
        {"accident_index": "1", "police_force": "42", "accident_severity": "1",
         "date": "05/03/2019", "local_authority_ons_district": "E07000066"},
        {"accident_index": "2", "police_force": "42", "accident_severity": "2",
         "date": "28/03/2019", "local_authority_ons_district": "E07000066"},
        {"accident_index": "3", "police_force": "42", "accident_severity": "3",
         "date": "01/04/2019", "local_authority_ons_district": "E06000034"},
        {"accident_index": "4", "police_force": "42", "accident_severity": "2",
         "date": "02/04/2019", "local_authority_ons_district": "E06000034"},
        # Kent (46) is filtered out; an Essex collision coded to a London borough is counted.
        {"accident_index": "5", "police_force": "46", "accident_severity": "1",
         "date": "02/04/2019", "local_authority_ons_district": "E07000066"},
        {"accident_index": "6", "police_force": "42", "accident_severity": "2",
         "date": "02/04/2019", "local_authority_ons_district": "E09000002"},
    ]  # fmt: skip
    path = write(tmp_path / "dft-road-casualty-statistics-accident-2019.csv", OLD_COLLISIONS, rows)
    result = load_stats19(store, [path])
    assert (result.basis, result.adjusted) == ("collisions", False)
    assert (result.collisions_read, result.collisions_in_force) == (6, 5)
    assert result.collisions_outside_area == 1
    con = store.connect()
    got = con.execute(
        "SELECT strftime(month, '%Y-%m'), district_code, killed, serious, ksi FROM ksi ORDER BY ALL"
    ).fetchall()
    assert got == [
        ("2019-03", "E07000066", 1, 1.0, 2.0),
        ("2019-04", "E06000034", 0, 1.0, 1.0),
    ]


def test_new_layout_with_casualties_uses_adjusted_severity(store, tmp_path):
    collisions = [
        {"collision_index": "A", "police_force": "42", "collision_severity": "2",
         "date": "2023-07-14", "local_authority_ons_district": "E07000070",
         "collision_adjusted_severity_serious": "1", "collision_adjusted_severity_slight": "0"},
        {"collision_index": "B", "police_force": "42", "collision_severity": "3",
         "date": "2023-07-20", "local_authority_ons_district": "E07000070",
         "collision_adjusted_severity_serious": "0.3", "collision_adjusted_severity_slight": "0.7"},
    ]  # fmt: skip
    casualties = [
        # A: one killed (fatal casualties carry no serious probability), one serious.
        {"collision_index": "A", "casualty_severity": "1",
         "casualty_adjusted_severity_serious": "", "casualty_adjusted_severity_slight": ""},
        {"collision_index": "A", "casualty_severity": "2",
         "casualty_adjusted_severity_serious": "1", "casualty_adjusted_severity_slight": "0"},
        # B: two slight casualties with adjusted serious probabilities 0.25 and 0.5.
        {"collision_index": "B", "casualty_severity": "3",
         "casualty_adjusted_severity_serious": "0.25", "casualty_adjusted_severity_slight": "0.75"},
        {"collision_index": "B", "casualty_severity": "3",
         "casualty_adjusted_severity_serious": "0.5", "casualty_adjusted_severity_slight": "0.5"},
        {"collision_index": "Z", "casualty_severity": "1"},  # another force's collision
    ]  # fmt: skip
    c1 = write(tmp_path / "collision-2023.csv", NEW_COLLISIONS, collisions)
    c2 = write(tmp_path / "casualty-2023.csv", CASUALTIES, casualties)
    result = load_stats19(store, [c1, c2])
    assert (result.basis, result.adjusted, result.casualties_matched) == ("casualties", True, 4)
    got = store.connect().execute("SELECT district_code, killed, serious, ksi FROM ksi").fetchall()
    assert got == [("E07000070", 1, 1.75, 2.75)]
    # A second load of the same files replaces, never adds.
    load_stats19(store, [c1, c2])
    assert store.connect().execute("SELECT sum(ksi) FROM ksi").fetchone() == (2.75,)


def test_a_file_in_neither_layout_is_refused(store, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(Stats19Error, match="neither a DfT collision nor a casualty file"):
        load_stats19(store, [path])


def test_each_force_takes_its_own_dft_code_from_the_schema(store, tmp_path, shared_data):
    # The DfT code is read independently here, from the data guide's code table.
    with open(shared_data / "roads" / "stats19_schema.csv", newline="") as fh:
        codes = {
            r["label"]: r["code"]
            for r in csv.DictReader(fh)
            if (r["table"], r["variable"]) == ("collision", "police_force")
        }
    rows = [
        {"accident_index": "K1", "police_force": codes["Kent"], "accident_severity": "1",
         "date": "05/03/2019", "local_authority_ons_district": "E07000110"},
        {"accident_index": "K2", "police_force": codes["Kent"], "accident_severity": "2",
         "date": "06/03/2019", "local_authority_ons_district": "E07000110"},
        {"accident_index": "E1", "police_force": codes["Essex"], "accident_severity": "2",
         "date": "05/03/2019", "local_authority_ons_district": "E07000066"},
    ]  # fmt: skip
    path = write(tmp_path / "dft-road-casualty-statistics-accident-2019.csv", OLD_COLLISIONS, rows)
    kent = load_stats19(store, [path], force="kent")
    assert (kent.collisions_read, kent.collisions_in_force) == (3, 2)
    got = store.connect().execute("SELECT district_code, killed, serious FROM ksi").fetchall()
    assert got == [("E07000110", 1, 1.0)]
    assert store.catalog()["stats19/kent"]["manifest"]["police_force"] == int(codes["Kent"])
    # Essex's load beside it keeps Kent's: each force's KSI is its own catalog section.
    essex = load_stats19(store, [path], force="essex")
    assert essex.collisions_in_force == 1
    got = (
        store.connect()
        .execute("SELECT district_code, sum(ksi) FROM ksi GROUP BY 1 ORDER BY 1")
        .fetchall()
    )
    assert got == [("E07000066", 1.0), ("E07000110", 2.0)]
    assert sorted(stats19_sections(store.catalog())) == ["essex", "kent"]
    # Kent loaded again from the same file changes nothing.
    assert load_stats19(store, [path], force="kent").unchanged


def test_files_with_nothing_in_the_force_area_are_refused_and_keep_the_loaded_table(
    store, tmp_path
):
    essex = {"accident_index": "E1", "police_force": "42", "accident_severity": "2",
             "date": "05/03/2019", "local_authority_ons_district": "E07000066"}  # fmt: skip
    load_stats19(store, [write(tmp_path / "essex.csv", OLD_COLLISIONS, [essex])])
    other = {**essex, "local_authority_ons_district": "E07000110"}  # a Kent district
    with pytest.raises(Stats19Error, match="no dated collision with police_force 42 falls in"):
        load_stats19(store, [write(tmp_path / "kent.csv", OLD_COLLISIONS, [other])])
    assert store.connect().execute("SELECT sum(ksi) FROM ksi").fetchone() == (1.0,)


def test_a_force_without_a_dft_code_is_refused(store, tmp_path):
    path = write(tmp_path / "c.csv", OLD_COLLISIONS, [])
    with pytest.raises(Stats19Error, match="unknown force 'atlantis'"):
        load_stats19(store, [path], force="atlantis")


def test_a_store_from_before_per_force_sections_reads_and_is_replaced_by_a_new_load(
    store, tmp_path
):
    row = {"accident_index": "E1", "police_force": "42", "accident_severity": "2",
           "date": "05/03/2019", "local_authority_ons_district": "E07000066"}  # fmt: skip
    path = write(tmp_path / "essex.csv", OLD_COLLISIONS, [row])
    load_stats19(store, [path])
    # As an older crimeplan wrote it: one "stats19" section, no force in its manifest.
    catalog_file = store.root / CATALOG
    catalog = json.loads(catalog_file.read_text())
    legacy = catalog.pop("stats19/essex")
    del legacy["manifest"]["force"]
    catalog["stats19"] = legacy
    catalog_file.write_text(json.dumps(catalog))
    assert list(stats19_sections(store.catalog())) == ["essex"]  # from its files' folder
    assert store.connect().execute("SELECT sum(ksi) FROM ksi").fetchone() == (1.0,)
    load_stats19(
        store,
        [write(tmp_path / "again.csv", OLD_COLLISIONS, [row, {**row, "accident_index": "E2"}])],
    )
    assert "stats19" not in {k for k, v in store.catalog().items() if v}
    assert store.connect().execute("SELECT sum(ksi) FROM ksi").fetchone() == (2.0,)
