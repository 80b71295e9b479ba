"""The data.police.uk client against a local server that imitates the API (no internet)."""

from __future__ import annotations

import csv
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from shapely.geometry import Point, Polygon

from crimeplan.crimedata.categories import CRIME_TYPE_SLUGS
from crimeplan.crimedata.policeuk_api import PoliceUkApi, fetch_policeuk
from crimeplan.crimedata.policeuk_ingest import HEADER_PUBLISHED, ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

SLUGS = list(CRIME_TYPE_SLUGS.values())


def square(lat0: float, lng0: float, size: float, per_side: int) -> list[tuple[float, float]]:
    """A square boundary with per_side points on each side (many points -> a long polygon)."""
    pts = []
    for i in range(per_side):
        pts.append((lat0, lng0 + size * i / per_side))
    for i in range(per_side):
        pts.append((lat0 + size * i / per_side, lng0 + size))
    for i in range(per_side):
        pts.append((lat0 + size, lng0 + size - size * i / per_side))
    for i in range(per_side):
        pts.append((lat0 + size - size * i / per_side, lng0))
    return pts


NEIGHBOURHOODS = {"N1": square(51.60, 0.40, 0.05, 1), "N2": square(51.65, 0.40, 0.05, 120)}


def make_crimes() -> list[dict]:
    crimes = []
    for i in range(14):
        lat = 51.605 + 0.006 * i  # 51.605 .. 51.683: both squares
        lng = 0.405 + 0.003 * i
        asb = SLUGS[i] == "anti-social-behaviour"
        crimes.append(
            {
                "category": SLUGS[i],
                "location_type": "Force",
                "location": {
                    "latitude": f"{lat:.6f}",
                    "longitude": f"{lng:.6f}",
                    "street": {"id": 1000 + i, "name": f"On or near Street {i}"},
                },
                "context": "",
                "outcome_status": None
                if asb
                else {"category": "Under investigation", "date": "2024-01"},
                "persistent_id": "" if asb else f"{i:064x}",
                "id": 9000 + i,
                "location_subtype": "",
                "month": "2024-01",
            }
        )
    # On the shared edge: the API returns it for both neighbourhoods.
    edge = json.loads(json.dumps(crimes[3]))
    edge.update(id=9999, persistent_id="e" * 64)
    edge["location"].update(latitude="51.650000", longitude="0.420000")
    crimes.append(edge)
    return crimes


class FakeApi(BaseHTTPRequestHandler):
    crimes: list[dict] = []
    limit = 4  # the real API's 10,000, scaled down
    log: list[tuple[float, str, str, int]] = []
    throttle_first = True

    def log_message(self, *args):  # keep test output quiet
        pass

    def answer(self, status: int, body, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        type(self).log.append((time.monotonic(), self.command, self.path.split("?")[0], status))

    def route(self, params: dict[str, str]) -> None:
        path = urllib.parse.urlparse(self.path).path
        if path == "/api/essex/neighbourhoods":
            return self.answer(200, [{"id": k, "name": k} for k in NEIGHBOURHOODS])
        if path.startswith("/api/essex/") and path.endswith("/boundary"):
            pts = NEIGHBOURHOODS[path.split("/")[3]]
            return self.answer(200, [{"latitude": str(a), "longitude": str(b)} for a, b in pts])
        if path == "/api/crimes-street/all-crime":
            if type(self).throttle_first:
                type(self).throttle_first = False
                return self.answer(429, {"error": "slow down"}, {"Retry-After": "0.2"})
            pts = [tuple(map(float, p.split(","))) for p in params["poly"].split(":")]
            area = Polygon([(lng, lat) for lat, lng in pts])
            found = [
                c
                for c in type(self).crimes
                if c["month"] == params["date"]
                and area.covers(
                    Point(float(c["location"]["longitude"]), float(c["location"]["latitude"]))
                )
            ]
            if len(found) > type(self).limit:
                return self.answer(503, {"error": "too many crimes"})
            return self.answer(200, found)
        return self.answer(404, {"error": "not found"})

    def do_GET(self):
        query = urllib.parse.urlparse(self.path).query
        self.route({k: v[0] for k, v in urllib.parse.parse_qs(query).items()})

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.route({k: v[0] for k, v in urllib.parse.parse_qs(body).items()})


@pytest.fixture
def fake_api():
    FakeApi.crimes = make_crimes()
    FakeApi.log = []
    FakeApi.throttle_first = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_fetch_splits_retries_posts_and_respects_the_rate(fake_api, store):
    api = PoliceUkApi(base_url=fake_api)
    report, stats = fetch_policeuk(store, "essex", ["2024-01"], api=api)
    [result] = report.files
    assert result.rows_read == result.rows_loaded == 15  # 14 + the edge crime once
    assert stats.retries_429 == 1
    assert stats.splits >= 1
    assert any(s == 503 for *_x, s in FakeApi.log)
    crime_posts = [e for e in FakeApi.log if e[2].endswith("all-crime") and e[1] == "POST"]
    crime_gets = [e for e in FakeApi.log if e[2].endswith("all-crime") and e[1] == "GET"]
    assert crime_posts and crime_gets  # the long N2 polygon went by POST, N1 by GET
    times = [t for t, *_rest in FakeApi.log]
    for i, t in enumerate(times):
        assert sum(1 for u in times[i:] if u - t < 1.0) <= 15
    con = store.connect()
    ids = [r[0] for r in con.execute("SELECT crime_id FROM street").fetchall()]
    assert len(ids) == len(set(i for i in ids if i)) + ids.count(None)


def test_fetch_stores_what_the_archive_ingest_stores(fake_api, store, tmp_path):
    fetch_policeuk(store, "essex", ["2024-01"], api=PoliceUkApi(base_url=fake_api))
    # The same crimes as the archive publishes them, loaded the archive way.
    path = tmp_path / "2024-01" / "2024-01-essex-street.csv"
    path.parent.mkdir()
    names = {slug: name for name, slug in CRIME_TYPE_SLUGS.items()}
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_PUBLISHED)
        for c in make_crimes():
            loc = c["location"]
            writer.writerow([
                c["persistent_id"], "2024-01", "Essex Police", "Essex Police",
                loc["longitude"], loc["latitude"], loc["street"]["name"], "", "",
                names[c["category"]], (c["outcome_status"] or {}).get("category", ""), "",
            ])  # fmt: skip
    archive = CrimeStore(tmp_path / "archive-store")
    ingest_policeuk(archive, [path])
    query = "SELECT * EXCLUDE (source_file, line) FROM street ORDER BY ALL"
    assert store.connect().execute(query).fetchall() == archive.connect().execute(query).fetchall()
    fetched, archived = store.manifests()[0], archive.manifests()[0]
    for key in ("rows_read", "rows_loaded", "rows_rejected", "by_district", "kind", "month"):
        assert fetched[key] == archived[key]


def test_fetch_command(fake_api, settings, tmp_path, cli):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    text = cli(
        "fetch", "policeuk", "--force", "essex", "--months", "2024-01:2024-01",
        "--base-url", fake_api,
    ).stdout  # fmt: skip
    assert "retried after 429" in text and "police.uk ingest" in text
    assert CrimeStore(settings.CRIMEPLAN_DATA_DIR).manifests()[0]["rows_loaded"] == 15
