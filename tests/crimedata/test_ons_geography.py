"""`crimeplan fetch geography` against a local server imitating the ONS ArcGIS feature services
(no internet): the ArcGIS query layout, paging, and the one-line failure without network."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crimeplan.crimedata.builtin_geography import builtin_geography_dir
from crimeplan.crimedata.ons_geography import (
    BOUNDARY_SERVICE,
    FETCHED_LABEL,
    LOOKUP_SERVICE,
    OnsGeographyApi,
    OnsUnavailable,
    fetch_geography,
)


def _served_layers() -> tuple[list[dict], list[dict]]:
    """The layers the imitation serves, made from the geography the package carries: every
    LSOA 2021 polygon, and a lookup row pairing it with an LSOA 2011 code of its district."""
    folder = builtin_geography_dir("essex")
    polygons = json.loads((folder / "lsoa21.geojson").read_text())["features"]
    lsoa11: dict[str, list[tuple[str, str]]] = {}
    for line in (folder / "lsoa11_lad.csv").read_text().splitlines()[1:]:
        code, name, district = line.split(",")
        lsoa11.setdefault(district, []).append((code, name))
    lookup = []
    for i, f in enumerate(polygons):
        p = f["properties"]
        pool = lsoa11[p["LADCD_ACTIVE"]]
        code11, name11 = pool[i % len(pool)]
        lookup.append(
            {"LSOA11CD": code11, "LSOA11NM": name11, "LSOA21CD": p["LSOA21CD"],
             "LSOA21NM": p["LSOA21NM"], "LAD22CD": p["LADCD_ACTIVE"], "FID": i}
        )  # fmt: skip
    boundaries = [
        {"type": "Feature", "geometry": f["geometry"],
         "properties": {"LSOA21CD": f["properties"]["LSOA21CD"],
                        "LSOA21NM": f["properties"]["LSOA21NM"], "GlobalID": str(i)}}
        for i, f in enumerate(polygons)
    ]  # fmt: skip
    return lookup, boundaries


class FakeOns(BaseHTTPRequestHandler):
    max_records = 300  # the real services cap a page (2,000); smaller here so paging is used
    layers: dict[str, list[dict]] = {}
    log: list[dict[str, str]] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.log.append({"path": self.path, **params})
        match = re.fullmatch(r"/services/(\w+)/FeatureServer/0/query", self.path)
        if not match or match[1] not in self.layers:
            return self._send({"error": {"code": 400, "message": "Invalid URL"}})
        column, codes = re.fullmatch(r"(\w+) IN \((.*)\)", params["where"]).groups()
        wanted = set(re.findall(r"'([^']+)'", codes))
        fields = params["outFields"].split(",")
        geometry = params["returnGeometry"] == "true"
        rows = []
        for item in self.layers[match[1]]:
            attrs = item["properties"] if geometry else item
            if attrs[column] in wanted:
                rows.append(item)
        offset = int(params.get("resultOffset", 0))
        count = min(int(params.get("resultRecordCount", self.max_records)), self.max_records)
        page = rows[offset : offset + count]
        more = offset + count < len(rows)
        if geometry:
            assert params["f"] == "geojson" and params["outSR"] == "4326"
            features = [{**f, "properties": {k: f["properties"][k] for k in fields}} for f in page]
            body = {"type": "FeatureCollection", "features": features}
            if more:
                body["properties"] = {"exceededTransferLimit": True}
        else:
            assert params["f"] == "json"
            body = {"features": [{"attributes": {k: r[k] for k in fields}} for r in page]}
            if more:
                body["exceededTransferLimit"] = True
        self._send(body)

    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def fake_ons():
    lookup, boundaries = _served_layers()
    FakeOns.layers = {LOOKUP_SERVICE: lookup, BOUNDARY_SERVICE: boundaries}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOns)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/services", lookup
    server.shutdown()


def test_fetch_pages_through_both_layers_and_loads_the_force(store, tmp_path, fake_ons):
    url, lookup = fake_ons
    FakeOns.log.clear()
    api = OnsGeographyApi(base_url=url)
    result = fetch_geography(store, "essex", tmp_path / "essex", api)
    lsoa11 = {r["LSOA11CD"] for r in lookup}
    assert result.lookups == {2011: len(lsoa11), 2021: 1111}
    assert result.boundaries == {2011: 0, 2021: 1111}
    assert result.districts_with_boundary == 14
    assert result.basis == FETCHED_LABEL
    # 1,111 lookup rows at 300 a page: 4 pages; 1,111 codes at 100 a request: 12 requests.
    lookups = [e for e in FakeOns.log if LOOKUP_SERVICE in e["path"]]
    assert [int(e["resultOffset"]) for e in lookups] == [0, 300, 600, 900]
    assert sum(BOUNDARY_SERVICE in e["path"] for e in FakeOns.log) == 12
    assert api.requests == len(FakeOns.log) == 16
    con = store.connect()
    served = {(r["LSOA21CD"], r["LAD22CD"]) for r in lookup}
    stored = con.execute("SELECT lsoa_code, district_code FROM lsoa_districts WHERE vintage = 2021")
    assert set(stored.fetchall()) == served
    # Populations from the carried reference tables: 14 districts x 2 censuses, and the sums
    # of the served LSOAs' mid-2019 estimates.
    sources = con.execute("SELECT source, count(*) FROM district_population GROUP BY 1")
    assert dict(sources.fetchall()) == {
        "Census 2011": 14, "Census 2021 (rounded to 100)": 14, "sum of mid-2019 LSOA estimates": 14
    }  # fmt: skip
    assert len(store.district_boundaries("essex")["features"]) == 14


def test_fetch_again_replaces_the_folder_and_changes_nothing(store, tmp_path, fake_ons):
    url, _ = fake_ons
    api = OnsGeographyApi(base_url=url)
    fetch_geography(store, "essex", tmp_path / "geo" / "essex", api)
    before = store.catalog()
    again = fetch_geography(store, "essex", tmp_path / "geo" / "essex", api)
    assert again.unchanged and store.catalog() == before
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == ["essex"]


def test_fetch_command_without_network_fails_in_one_line_saying_what_to_download(
    settings, tmp_path, cli
):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    settings.CRIMEPLAN_HOME = tmp_path
    failed = cli(
        "fetch", "geography", "--force", "kent", "--base-url", "http://127.0.0.1:9/services",
        exit_code=1,
    )  # fmt: skip
    message = failed.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message
    assert "cannot download geography" in message
    assert "LSOA (2011) to LSOA (2021)" in message and "Boundaries EW BGC" in message
    folder = tmp_path / "geography" / "kent"
    assert f"--force kent --from {folder}" in message
    assert not (tmp_path / "crimedata" / "catalog.json").exists()


def test_a_service_error_is_reported_not_loaded(store, tmp_path, fake_ons):
    url, _ = fake_ons
    with pytest.raises(OnsUnavailable, match="answered an error"):
        fetch_geography(store, "kent", tmp_path / "kent", OnsGeographyApi(base_url=url + "/nope"))
    assert store.is_empty()
