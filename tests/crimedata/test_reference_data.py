"""The reference data the package carries: rebuilt byte for byte from ../shared/data, and the
generalised geography gives the same districts (by LSOA) as the full-resolution files."""

from __future__ import annotations

import csv
import runpy
from pathlib import Path

import pytest

from crimeplan.crimedata.builtin_geography import builtin_geography_dir
from crimeplan.crimedata.districts import (
    REFERENCE_DIR,
    dft_police_force,
    districts_for,
    forces,
)
from crimeplan.crimedata.geography import geography_basis, load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.query import HotspotQuery
from crimeplan.hotspots.store_query import analyse

CHELMSFORD = "E07000070"


def test_the_carried_reference_data_is_small():
    size = sum(p.stat().st_size for p in REFERENCE_DIR.rglob("*") if p.is_file())
    assert size < 5_000_000


def test_forces_table_holds_43_forces_and_every_district_once():
    table = forces()
    assert len(table) == 43
    codes = [d.code for f in table.values() for d in f.districts]
    assert len(codes) == len(set(codes)) == 321
    assert table["kent"].name == "Kent Police"
    assert len(districts_for("kent")) == 13
    assert {d.code for d in districts_for("essex")} == {
        *(f"E070000{n}" for n in range(66, 78)),
        "E06000033",
        "E06000034",
    }


@pytest.mark.realdata
def test_the_build_script_reproduces_the_carried_files(shared_data, repo_dir, tmp_path):
    script = runpy.run_path(str(repo_dir / "scripts" / "build_reference.py"))
    written = script["build"](shared_data, tmp_path)
    carried = {p.relative_to(REFERENCE_DIR) for p in REFERENCE_DIR.rglob("*") if p.is_file()}
    built = {p.relative_to(tmp_path) for p in written}
    assert built == carried - {Path("SOURCE.md")}
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (REFERENCE_DIR / rel).read_bytes(), rel


@pytest.mark.realdata
def test_every_force_has_one_dft_code_with_the_data_guide_label(shared_data):
    with open(shared_data / "roads" / "stats19_schema.csv", encoding="utf-8") as fh:
        guide = {
            int(r["code"]): r["label"]
            for r in csv.DictReader(fh)
            if (r["table"], r["variable"]) == ("collision", "police_force")
        }
    codes = {force: dft_police_force(force) for force in forces()}
    assert len(set(codes.values())) == 43
    for force, code in codes.items():
        # The guide's label is the police.uk name without "Police", "Constabulary", "Service".
        words = forces()[force].name.replace("&", "and").split()
        name = " ".join(w for w in words if w not in ("Police", "Constabulary", "Service"))
        assert guide[code] in (name, name + " Police"), force
    assert (codes["essex"], codes["kent"]) == (42, 46)


@pytest.mark.realdata
def test_forces_table_agrees_with_the_source_tables(shared_data):
    with open(shared_data / "reference" / "lad_force_area_2025.csv", encoding="utf-8") as fh:
        source = {r["lad_cd"]: r["force"] for r in csv.DictReader(fh)}
    assert {d.code: d.force for f in forces().values() for d in f.districts} == source
    with open(shared_data / "geo" / "essex_pfa_lad_population_census2011_2021.csv") as fh:
        essex = {
            r["lad_cd"]: int(r["census2021_usual_residents_rounded_100"])
            for r in csv.DictReader(fh)
        }
    assert {d.code: d.population for d in districts_for("essex")} == essex


@pytest.fixture(scope="module")
def two_stores(shared_data, tmp_path_factory):
    """Six months of real Essex crime, with the full-resolution and with the built-in
    geography loaded before the crimes (so each assigns districts from its own lookups)."""
    stores = {}
    months = [shared_data / "policeuk" / f"2025-0{m}" for m in range(1, 7)]
    for name, folder in (
        ("full", shared_data / "geo"),
        ("builtin", builtin_geography_dir("essex")),
    ):
        store = CrimeStore(tmp_path_factory.mktemp(name) / "store")
        load_geography(store, folder, force="essex")
        report = ingest_policeuk(store, months)
        assert not report.failed
        stores[name] = store
    return stores


def _lookup(store: CrimeStore) -> dict[tuple[str, int], str]:
    rows = store.connect().execute("SELECT lsoa_code, vintage, district_code FROM lsoa_districts")
    return {(code, vintage): district for code, vintage, district in rows.fetchall()}


@pytest.mark.realdata
def test_builtin_lookups_give_every_essex_lsoa_the_district_the_full_files_do(
    two_stores, shared_data
):
    full, builtin = _lookup(two_stores["full"]), _lookup(two_stores["builtin"])
    assert builtin == full
    # And both equal the published lookups, read here without the loader.
    for vintage in (2011, 2021):
        path = shared_data / "geo" / f"essex_pfa_lsoa{vintage % 100}_lad_lookup.csv"
        with open(path, encoding="utf-8") as fh:
            published = {
                (r[f"lsoa{vintage % 100}cd"], vintage): r["lad_cd"] for r in csv.DictReader(fh)
            }
        assert {k: v for k, v in builtin.items() if k[1] == vintage} == published
    assert geography_basis(two_stores["builtin"], "essex").startswith("built-in generalised")
    assert geography_basis(two_stores["full"], "essex") == "full-resolution boundary files"


@pytest.mark.realdata
def test_builtin_populations_equal_the_full_files(two_stores):
    def populations(store):
        con = store.connect()
        return (
            sorted(con.execute("SELECT * FROM lsoa_population").fetchall()),
            sorted(
                con.execute(
                    "SELECT district_code, year, population FROM district_population "
                    "WHERE source LIKE 'Census%'"
                ).fetchall()
            ),
        )

    assert populations(two_stores["builtin"]) == populations(two_stores["full"])


@pytest.mark.realdata
def test_chelmsford_hotspot_cells_agree_but_for_a_few_on_the_boundary(two_stores):
    query = HotspotQuery(CHELMSFORD, "2025-01", "2025-06", (), 250)
    results = {name: analyse(store, query, "essex").result for name, store in two_stores.items()}
    full, builtin = results["full"], results["builtin"]
    # Crimes are assigned by LSOA code, so the same crimes go into the map.
    assert (
        full.n_points_used + full.n_points_outside
        == builtin.n_points_used + builtin.n_points_outside
    )

    def cells(result):
        west, south = result.grid.cell_west_south()
        return {
            (int(x), int(y)): int(n) for x, y, n in zip(west, south, result.counts, strict=True)
        }

    a, b = cells(full), cells(builtin)
    common = a.keys() & b.keys()
    differing = (a.keys() ^ b.keys()) | {k for k in common if a[k] != b[k]}
    print(
        f"Chelmsford 250 m: {len(a)} cells (full) / {len(b)} (built-in); {len(common)} shared; "
        f"{len(a.keys() ^ b.keys())} in one grid only; "
        f"{sum(a[k] != b[k] for k in common)} shared cells with other counts; "
        f"crimes used {full.n_points_used} / {builtin.n_points_used}"
    )
    # Only cells on the district's edge differ: at most 2% of the cells, and every cell in one
    # grid only is within one cell of the other grid.
    assert len(differing) <= 0.02 * len(a)
    for x, y in a.keys() ^ b.keys():
        near = {(x + dx * 250, y + dy * 250) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
        assert near & common
    assert abs(full.n_points_used - builtin.n_points_used) <= 0.01 * full.n_points_used
