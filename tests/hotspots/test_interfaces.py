"""The hotspot CLI, pages and API over a crime store loaded from real police.uk files.

The session's real-data store (every Essex month in the shared data, and the ONS geography) is
read; Chelmsford (E07000070) is the district every test looks at. The GeoJSON must be strict
(no NaN), every cell a closed 250 m square, one feature per grid cell, and the hot cells in it
must be the ones the terminal table and the page's table list, in the same order.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from factories import STREET_HEADER

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.grid import to_bng
from crimeplan.hotspots.query import HotspotQuery
from crimeplan.hotspots.store_query import analyse
from tests.pages import Page, summary, table_rows, text

# Pages render the site layout, which asks the database whether the figures are synthetic.
pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

AREA = "E07000070"
QUERY = {"type": "Burglary", "from": "2025-04", "to": "2025-06", "cell": "250"}
CELL_ID = re.compile(r"\bE\d{6}N\d{6}\b")
# Without a period, the pages, API and command look at the latest six loaded months.
DEFAULT_MONTHS = 6


@pytest.fixture
def store(real_store, settings) -> CrimeStore:
    """The session's real-data store (read only here), as the site's crime store."""
    loaded, report, _geography = real_store
    assert not report.failed
    settings.CRIMEPLAN_DATA_DIR = loaded.root
    return loaded


@pytest.fixture(scope="module")
def default_months(shared_data: Path) -> list[str]:
    """The months a request without a period covers, from the shared data's month folders
    (which the store holds every one of), not from the store."""
    loaded = sorted(p.name for p in (shared_data / "policeuk").iterdir() if any(p.glob("*.csv")))
    default = loaded[-DEFAULT_MONTHS:]
    # More months are loaded than the default takes, and QUERY's period lies inside it.
    assert len(loaded) > DEFAULT_MONTHS and default[0] < QUERY["from"] <= QUERY["to"] <= default[-1]
    return default


def strict_json(text: str):
    def refuse(constant: str):
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def run_command(*args: str, exit_code: int = 0) -> str:
    """``crimeplan hotspots ...`` in this process: what it printed, or on a refusal its stderr."""
    from crimeplan.cli import cli

    result = CliRunner().invoke(cli, ["hotspots", *args], catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result.stderr if exit_code else result.stdout


def hot_ids(collection: dict, n: int = 10) -> list[str]:
    """The file's hot cells ranked as the tables rank them: z, then the value, descending."""
    hot = [f["properties"] for f in collection["features"] if f["properties"]["bin"] > 0]
    hot.sort(key=lambda p: (-p["z"], -p.get("harm", p["count"])))
    return [p["id"] for p in hot[:n]]


def check_cells(collection: dict, cell_size: int) -> None:
    ids = set()
    for feature in collection["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and len(ring) == 5
        assert ring[0] == ring[-1], "ring not closed"
        lon, lat = np.array(ring).T
        x, y = to_bng(lon, lat)
        sides = np.hypot(np.diff(x), np.diff(y))
        assert np.allclose(sides, cell_size, atol=0.5), sides
        area = 0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])
        assert math.isclose(area, cell_size**2, rel_tol=1e-3), "not an anticlockwise square"
        props = feature["properties"]
        assert all(math.isfinite(props[k]) for k in ("z", "p", "p_adjusted"))
        ids.add(feature["id"])
    assert len(ids) == len(collection["features"])


# -- command line ---------------------------------------------------------------------------------


def test_cli_writes_valid_geojson_whose_hot_cells_match_the_tables(store, client, tmp_path):
    out_file = tmp_path / "hotspots.geojson"
    printed = run_command(
        "--area", AREA, "--type", "Burglary", "--from", "2025-04", "--to", "2025-06",
        "--cell", "250", "--out", str(out_file),
    )  # fmt: skip
    collection = strict_json(out_file.read_text())
    assert collection["type"] == "FeatureCollection"
    expected = analyse(
        store, HotspotQuery(AREA, "2025-04", "2025-06", ("Burglary",), 250), "essex"
    ).result
    assert len(collection["features"]) == expected.n_cells == collection["properties"]["n_cells"]
    check_cells(collection, 250)
    props = collection["properties"]
    assert props["cell_size_m"] == 250 and props["crime_types"] == ["Burglary"]
    assert props["period"] == {"from": "2025-04", "to": "2025-06"}
    assert sum(f["properties"]["count"] for f in collection["features"]) == props["n_points_used"]

    table_ids = CELL_ID.findall(printed.split("Hottest 10 cells")[1])
    assert len(table_ids) == 10
    assert table_ids == hot_ids(collection) == [c.cell_id for c in expected.hottest(10)]
    for words in ("250 m", "Getis-Ord Gi*", "Benjamini–Hochberg", "Cells hot 99%"):
        assert words in printed
    assert f"wrote {len(collection['features']):,} cells" in printed

    page = Page(client.get(f"/hotspots/{AREA}/", QUERY).content)
    squares = [row[0] for row in table_rows(page.testid("hottest"))]
    # The page lists every hot square, hottest first: the command's ten lead it.
    assert squares[:10] == table_ids
    assert len(squares) == int((expected.bins > 0).sum())


def test_cli_harm_weighting_leaves_out_asb_and_names_its_source(store, tmp_path, default_months):
    out_file = tmp_path / "harm.geojson"
    printed = run_command("--area", AREA, "--harm", "cchi", "--out", str(out_file))
    props = strict_json(out_file.read_text())["properties"]
    assert props["value"] == "harm"
    assert "Cambridge Crime Harm Index" in props["harm_weighting"]
    assert "Source:" in props["harm_weighting"] and "Method:" in props["harm_weighting"]
    assert "Anti-social behaviour" not in props["crime_types"] and len(props["crime_types"]) == 13
    assert re.search(r"Left out\s+│ [\d,]+ Anti-social behaviour \(no CCHI weight\)", printed)
    # The default period is the latest loaded months.
    assert props["period"] == {"from": default_months[0], "to": default_months[-1]}


def test_cli_accepts_comma_lists_repeats_and_slugs(store):
    printed = run_command(
        "--area", AREA.lower(), "--type", "burglary,robbery", "--type", "vehicle-crime",
        "--correction", "holm", "--cell", "500",
    )  # fmt: skip
    assert "Burglary, Robbery, Vehicle crime" in printed
    assert "Holm" in printed and "500 m" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "E09999999"], "unknown area 'E09999999'"),
        (["--area", AREA, "--type", "Burglry"], "unknown crime type 'Burglry'"),
        (["--area", AREA, "--from", "2025-13", "--to", "2025-06"], "bad --from month '2025-13'"),
        (["--area", AREA, "--from", "2025-06", "--to", "2025-04"], "the period runs backwards"),
        (["--area", AREA, "--cell", "ten"], "bad cell size 'ten'"),
        (["--area", AREA, "--harm", "severity"], "unknown harm weighting 'severity'"),
        (["--area", AREA, "--correction", "bonferroni"], "unknown correction 'bonferroni'"),
        (
            ["--area", AREA, "--type", "Anti-social behaviour", "--harm", "cchi"],
            "Anti-social behaviour has no CCHI harm weight",
        ),
    ],
)
def test_cli_refuses_bad_requests_in_one_line(store, args, message):
    refused = run_command(*args, exit_code=1)
    assert refused.startswith("Error: ") and message in refused
    assert refused.count("\n") == 1


def test_cli_period_without_crimes_says_so_and_still_writes_every_cell(store, tmp_path):
    out_file = tmp_path / "empty.geojson"
    refused = run_command(
        "--area", AREA, "--from", "2019-01", "--to", "2019-02", "--out", str(out_file), exit_code=1
    )  # fmt: skip
    assert re.match(r"Error: no hotspots: .*no crimes", refused)
    collection = strict_json(out_file.read_text())
    assert len(collection["features"]) == collection["properties"]["n_cells"] > 100
    assert collection["properties"]["n_points_used"] == 0
    assert all(f["properties"]["bin"] == 0 for f in collection["features"])
    assert collection["properties"]["message"]


def test_cli_without_data_or_geography(shared_data, settings, tmp_path):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "empty"
    assert "no essex street crime loaded" in run_command("--area", AREA, exit_code=1)
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "no-geography"
    store = CrimeStore(settings.CRIMEPLAN_DATA_DIR)
    ingest_policeuk(store, [shared_data / "policeuk" / "2025-06"])
    refused = run_command("--area", AREA, exit_code=1)
    assert "no geography loaded: run `crimeplan ingest geog" in refused


def test_cli_exits_non_zero_with_one_line(tmp_path):
    env = dict(os.environ, CRIMEPLAN_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "crimeplan.cli", "hotspots", "--area", AREA],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: no essex street crime loaded in {tmp_path / 'crimedata'}: "
        "run `crimeplan ingest policeuk <folders>` first"
    ]


# -- pages ----------------------------------------------------------------------------------------


def test_district_list_links_every_district(store, client, default_months):
    page = client.get("/hotspots/").content.decode()
    assert page.count('href="/hotspots/E0') == 14
    assert "Chelmsford" in page and f"{default_months[0]} to {default_months[-1]}" in page


def test_district_page_shows_map_tables_and_method(store, client):
    response = client.get(f"/hotspots/{AREA}/", {**QUERY, "type": "", "harm": "cchi"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert 'id="hotspot-map"' in page and "/static/leaflet/leaflet.js" in page
    assert "/static/hotspots/map.js" in page
    shown = Page(page)
    hot = table_rows(shown.testid("hottest"))
    n_hot = sum(numbers(n)[0] for n in re.findall(r"([\d,]+) hot \d+%", summary_row(page, "Cells")))
    assert len(hot) == n_hot > 10
    # Skipping the map lands on the hot squares; the map's description stays as text.
    assert shown.testid("skip-map")["href"] == "#hottest"
    assert "Hotspots of harm-weighted crimes" in text(shown.testid("map-description"))
    assert 'data-testid="repeats-by-count"' in page and 'data-testid="repeats-by-harm"' in page
    assert "anonymised snap points" in page
    for words in ("Getis-Ord Gi*", "250 m squares", "Benjamini–Hochberg", "2025-04 to 2025-06"):
        assert words in page
    assert "Method: Median CCHI days" in page and "Source: Sherman" in page
    assert "Harm (CCHI)" in page


def test_district_page_defaults_to_all_crime_over_the_latest_months(store, client, default_months):
    page = client.get(f"/hotspots/{AREA}/").content.decode()
    assert f'<option value="{default_months[0]}" selected>' in page
    assert f'<option value="{default_months[-1]}" selected>' in page
    assert '<option value="" selected>All crime types</option>' in page
    assert "Number of crimes" in page


def test_district_page_reports_bad_choices_against_their_fields(store, client):
    response = client.get(f"/hotspots/{AREA}/", {"type": "Nope", "cell": "123", "from": "2019-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error: " in page
    for anchor in ('href="#type"', 'href="#cell"', 'href="#month-from"'):
        assert anchor in page
    assert client.get("/hotspots/E09999999/").status_code == 404


def test_pages_without_data_explain_what_to_load(settings, client, tmp_path):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "nothing"
    assert "No crime data has been loaded" in client.get("/hotspots/").content.decode()
    response = client.get(f"/hotspots/{AREA}/")
    assert response.status_code == 503
    assert "No crime data has been loaded" in response.content.decode()


def test_geojson_svg_and_boundary_endpoints(store, client, tmp_path):
    response = client.get(f"/hotspots/{AREA}.geojson", QUERY)
    assert response["Content-Type"] == "application/geo+json"
    collection = strict_json(response.content.decode())
    check_cells(collection, 250)
    out_file = tmp_path / "cli.geojson"
    run_command(
        "--area", AREA, "--type", "Burglary", "--from", "2025-04", "--to", "2025-06",
        "--cell", "250", "--out", str(out_file),
    )  # fmt: skip
    assert strict_json(out_file.read_text()) == collection

    svg = client.get(f"/hotspots/{AREA}.svg", QUERY)
    assert svg["Content-Type"] == "image/svg+xml" and b"<title" in svg.content

    outlines = strict_json(client.get("/hotspots/boundaries.geojson").content.decode())
    assert {f["properties"]["code"] for f in outlines["features"]} >= {AREA, "E06000033"}
    assert len(outlines["features"]) == 14

    bad = client.get(f"/hotspots/{AREA}.geojson", {"from": "2025-99"})
    assert bad.status_code == 400 and "from" in bad.json()["errors"]


# -- API ------------------------------------------------------------------------------------------


def test_api_districts_and_hotspots(store, client):
    districts = client.get("/api/districts/").json()
    assert len(districts) == 14
    chelmsford = next(d for d in districts if d["code"] == AREA)
    assert chelmsford["name"] == "Chelmsford"
    assert chelmsford["hotspots"].endswith(f"/api/hotspots/{AREA}/")

    api = client.get(f"/api/hotspots/{AREA}/", QUERY)
    assert api.status_code == 200
    page_geojson = client.get(f"/hotspots/{AREA}.geojson", QUERY)
    assert api.content == page_geojson.content
    geo = client.get(f"/api/hotspots/{AREA}/", QUERY, HTTP_ACCEPT="application/geo+json")
    assert geo.status_code == 200
    assert client.get("/api/hotspots/E09999999/").status_code == 404
    assert client.get(f"/api/hotspots/{AREA}/", {"harm": "x"}).status_code == 400
    assert client.post(f"/api/hotspots/{AREA}/").status_code in (403, 405)


def test_openapi_schema_is_valid_and_docs_are_served_locally(client):
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    hotspots = schema["paths"]["/api/hotspots/{code}/"]["get"]
    assert {p["name"] for p in hotspots["parameters"]} >= {"type", "from", "to", "cell", "harm"}
    assert "/api/districts/" in schema["paths"]
    # A public read-only API: no security schemes, so the docs offer no "Authorize".
    assert not schema.get("components", {}).get("securitySchemes")
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert all(op.get("security", [{}]) == [{}] for op in operations)
    docs = Page(client.get("/api/docs/").content)
    assets = [e.get("src") or e.get("href") for e in docs.all("script[src], link[href]")]
    assert assets and all(a.startswith("/static/") for a in assets[:-1]), assets
    assert docs.one("html")["lang"] == "en-GB"
    # Its script comes from its own address, not inline (for the Content-Security-Policy).
    assert [s for s in docs.all("script") if not s.get("src")] == []
    script = docs.all("script[src]")[-1]["src"]
    assert script.startswith("/api/docs/?script")
    assert "SwaggerUIBundle" in client.get(script).content.decode()


def test_a_tile_url_setting_adds_a_basemap_to_the_map(store, client, settings):
    settings.CRIMEPLAN_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = client.get(f"/hotspots/{AREA}/", QUERY).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-tile-attribution="Basemap: tiles.example.org"' in page
    settings.CRIMEPLAN_TILE_URL = ""
    assert "data-tile-url" not in client.get(f"/hotspots/{AREA}/", QUERY).content.decode()


# -- the figures on the pages, counted again from the raw files ----------------------------------


@pytest.fixture(scope="module")
def raw(shared_data: Path, default_months: list[str]):
    """The default period's rows straight from the CSVs, each with its district from ONS's
    LSOA-to-district lookup (not the store's assignment). Those months are all 2025, so the
    2021 LSOA codes are the ones the files use."""
    pd = pytest.importorskip("pandas")
    assert all(m.startswith("2025-") for m in default_months)
    lookup = pd.read_csv(shared_data / "geo" / "essex_pfa_lsoa21_lad_lookup.csv")
    district = dict(zip(lookup["lsoa21cd"], lookup["lad_cd"], strict=True))
    rows = pd.concat(
        pd.read_csv(shared_data / "policeuk" / m / f"{m}-essex-street.csv") for m in default_months
    )
    rows["district"] = rows["LSOA code"].map(district)
    return rows


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def test_district_list_crimes_are_the_raw_rows_of_each_district(store, client, raw):
    page = Page(client.get("/hotspots/").content)
    shown = {code: n for _name, code, n in table_rows(page.testid("districts"))}
    expected = raw["district"].value_counts()
    assert len(shown) == 14
    assert {code: numbers(n)[0] for code, n in shown.items()} == {
        code: int(expected.get(code, 0)) for code in shown
    }


def test_district_list_shows_zero_for_a_district_without_crimes(settings, client, tmp_path):
    folder = tmp_path / "in" / "2025-01"
    folder.mkdir(parents=True)
    (folder / "2025-01-essex-street.csv").write_text(
        ",".join(STREET_HEADER) + "\n"
        "a,2025-01,Essex Police,Essex Police,0.43,51.64,On or near X,E01021237,Basildon 001A,"
        "Burglary,,\n"
    )
    store = CrimeStore(tmp_path / "store")
    ingest_policeuk(store, [tmp_path / "in"])
    settings.CRIMEPLAN_DATA_DIR = store.root
    page = Page(client.get("/hotspots/").content)
    cells = [row[2] for row in table_rows(page.testid("districts"))]
    assert sorted(cells) == ["0"] * 13 + ["1"]


def summary_row(page: str, key: str) -> str:
    return summary(Page(page).testid("summary"))[key]


def test_district_page_figures_match_the_raw_rows(store, client, raw):
    import collections

    from crimeplan.hotspots.analysis import run

    # The page below asks for QUERY's period, a part of the default one.
    crimes = raw[(raw["district"] == AREA) & raw["Month"].between(QUERY["from"], QUERY["to"])]
    assert 0 < len(crimes) < (raw["district"] == AREA).sum()
    lon, lat = crimes["Longitude"].to_numpy(float), crimes["Latitude"].to_numpy(float)
    query = {**QUERY, "type": ""}
    grid_ids = {
        f["id"]
        for f in strict_json(client.get(f"/hotspots/{AREA}.geojson", query).content.decode())[
            "features"
        ]
    }
    # Each crime's 250 m square, found here from its coordinates.
    x, y = to_bng(lon, lat)
    located = np.isfinite(x)
    square = np.array(
        [
            f"E{int(a // 250 * 250)}N{int(b // 250 * 250)}" if ok else ""
            for a, b, ok in zip(x, y, located, strict=True)
        ]
    )
    on_map = np.isin(square, list(grid_ids))
    per_square = collections.Counter(square[on_map])

    page = client.get(f"/hotspots/{AREA}/", query).content.decode()
    assert summary_row(page, "Crime types") == "All crime types"
    crimes_text = summary_row(page, "Crimes")
    assert f"{int(on_map.sum()):,} on the map" in crimes_text
    outside = int((located & ~on_map).sum())
    assert (f"{outside:,} outside every cell" in crimes_text) == (outside > 0)
    without = int((~located).sum())
    assert (f"{without:,} without a location" in crimes_text) == (without > 0)

    # The cells and their classes: Gi* of the raw crimes on the district's grid.
    boundary = next(
        shapely.geometry.shape(f["geometry"])
        for f in store.district_boundaries()["features"]
        if f["properties"]["code"] == AREA
    )
    expected = run(boundary, lon, lat, cell_size=250)
    assert expected.n_cells == len(grid_ids)
    cells_text = summary_row(page, "Cells")
    assert cells_text.startswith(f"{len(grid_ids):,} squares of 250 m: ")
    shown = re.findall(r"([\d,]+) ((?:hot|cold) \d+%)", cells_text)
    assert {label: int(n.replace(",", "")) for n, label in shown} == {
        k: n for k, n in expected.class_counts().items() if n and k != "not significant"
    }

    rows = table_rows(Page(page).testid("hottest"))
    hottest = expected.hottest(len(rows))
    assert len(rows) == int((expected.bins > 0).sum())
    assert [r[0] for r in rows] == [c.cell_id for c in hottest]
    for (cell_id, rank, count, z, p, cls, note), cell, n in zip(
        rows, hottest, range(1, len(rows) + 1), strict=True
    ):
        assert rank == str(n)
        assert int(count.replace(",", "")) == per_square[cell_id]
        assert z == f"{cell.z:.2f}" and cls == cell.cls
        assert p == ("< 0.0001" if cell.p_adjusted < 0.0001 else f"{cell.p_adjusted:.4f}")
        # A square with no crimes of its own is hot because of its neighbours, and says so.
        assert (note != "–") == (per_square[cell_id] == 0)
    # The CSV of hot squares holds the page's figures.
    csv_text = client.get(
        f"/hotspots/{AREA}/", {**query, "download": "csv", "table": "hottest"}
    ).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(csv_text)))
    assert lines[0] == ["Square", "Rank", "Crimes", "z", "Adjusted p", "Class", "Note"]
    # (An empty note is a dash on the page and an empty cell in the file.)
    assert [line[:2] + line[3:] for line in lines[1:]] == [
        r[:2] + r[3:6] + ["" if r[6] == "–" else r[6]] for r in rows
    ]
    assert [int(line[2]) for line in lines[1:]] == [int(r[2].replace(",", "")) for r in rows]

    # Repeat locations: one place is its text and its coordinates.
    places = collections.Counter(
        (text, round(a, 6), round(b, 6))
        for text, a, b in zip(crimes["Location"], lon, lat, strict=True)
        if np.isfinite(a)
    )
    repeat_rows = [(r[0], r[2]) for r in table_rows(Page(page).testid("repeats-by-count"))]
    assert [int(n.replace(",", "")) for _, n in repeat_rows] == sorted(
        places.values(), reverse=True
    )[:10]
    top = places.most_common(1)[0]
    assert repeat_rows[0][0] == top[0][0]

    # Harm-weighted: anti-social behaviour has no CCHI weight and is left out, and counted.
    harm_page = client.get(f"/hotspots/{AREA}/", {**query, "harm": "cchi"}).content.decode()
    asb = crimes["Crime type"] == "Anti-social behaviour"
    harm_text = summary_row(harm_page, "Crimes")
    assert set(summary_row(harm_page, "Crime types").split(", ")) == set(crimes["Crime type"]) - {
        "Anti-social behaviour"
    }
    assert f"{int((on_map & ~asb.to_numpy()).sum()):,} on the map" in harm_text
    assert f"; {int(asb.sum()):,} anti-social behaviour left out (no CCHI weight)" in harm_text


def test_twenty_clients_asking_one_uncached_analysis_compute_it_once(store, monkeypatch):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.core.cache import cache

    from crimeplan.hotspots import cached

    runs = []

    def counted(*args, **kwargs):
        runs.append(1)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(cached, "analyse", counted)
    query = HotspotQuery(AREA, "2025-05", "2025-06", crime_types=("Vehicle crime",))
    # The store is the session's, so another test may have asked this already: start uncached.
    cache.delete_many([cached.cache_key(store, query, "essex", w) for w in ("analysis", "geojson")])
    barrier = threading.Barrier(20)

    def client(_):
        barrier.wait()
        return cached.cached_geojson(store, query, "essex")

    with ThreadPoolExecutor(20) as pool:
        texts = list(pool.map(client, range(20)))
    assert len(runs) == 1
    assert len(set(texts)) == 1 and json.loads(texts[0])["type"] == "FeatureCollection"
