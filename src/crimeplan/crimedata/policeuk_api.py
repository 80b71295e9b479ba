"""Fetching street crimes from the data.police.uk API, stored as an archive ingest would store them.

The API answers per custom area, so a force's crimes are fetched per neighbourhood boundary;
an area with more than 10,000 crimes answers 503 and is split in two and asked again. The API
allows 15 requests a second (burst 30) and answers 429 beyond that, so requests are spaced and a
429 waits (Retry-After when given) and retries. Crimes on a shared edge come back for both
neighbourhoods, so they are de-duplicated by the API's crime id. The crimes are written as
archive-layout CSVs (LSOA found by point in polygon when geography is loaded) and loaded through
the same ingest, so both routes store the same columns and the same manifests.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .categories import crime_type_from_slug
from .districts import force_name as reference_force_name
from .policeuk_files import scratch_dir
from .policeuk_ingest import HEADER_PUBLISHED, IngestReport, ingest_policeuk
from .store import CrimeStore

DEFAULT_BASE_URL = "https://data.police.uk/api"
# Beyond this many characters of polygon the query string is too long for a GET.
POST_ABOVE = 3000


class ApiError(RuntimeError):
    """The API failed in a way retrying does not fix."""


class TooManyCrimes(ApiError):
    """503 for a custom area: more than 10,000 crimes; split the area."""


@dataclass
class ApiStats:
    requests: int = 0
    retries_429: int = 0
    splits: int = 0
    posts: int = 0


@dataclass
class PoliceUkApi:
    base_url: str = DEFAULT_BASE_URL
    requests_per_second: float = 15.0
    max_retries: int = 8
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    stats: ApiStats = field(default_factory=ApiStats)
    _last: float = 0.0

    def _wait_turn(self) -> None:
        gap = 1.0 / self.requests_per_second - (time.monotonic() - self._last)
        if gap > 0:
            self.sleep(gap)
        self._last = time.monotonic()

    def request(self, path: str, params: dict[str, str] | None = None, post: bool = False) -> Any:
        url = self.base_url.rstrip("/") + "/" + path.lstrip("/")
        body = None
        if params and post:
            body = urllib.parse.urlencode(params).encode()
        elif params:
            url += "?" + urllib.parse.urlencode(params)
        for attempt in range(self.max_retries + 1):
            self._wait_turn()
            self.stats.requests += 1
            self.stats.posts += bool(post)
            req = urllib.request.Request(url, data=body, method="POST" if post else "GET")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return json.loads(resp.read() or b"null")
            except urllib.error.HTTPError as exc:
                if exc.code == 429 and attempt < self.max_retries:
                    self.stats.retries_429 += 1
                    retry_after = exc.headers.get("Retry-After")
                    delay = float(retry_after) if retry_after else min(30.0, 0.5 * 2**attempt)
                    self.sleep(delay)
                    continue
                if exc.code == 503 and path.startswith("crimes-street"):
                    raise TooManyCrimes(url) from None
                raise ApiError(f"{exc.code} from {url.split('?')[0]}") from None
        raise ApiError(f"still 429 after {self.max_retries} retries: {url.split('?')[0]}")

    def neighbourhoods(self, force: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = self.request(f"{force}/neighbourhoods")
        return found

    def boundary(self, force: str, neighbourhood: str) -> list[tuple[float, float]]:
        points = self.request(f"{force}/{urllib.parse.quote(neighbourhood)}/boundary")
        return [(float(p["latitude"]), float(p["longitude"])) for p in points]

    def street_crimes(self, polygon: list[tuple[float, float]], month: str) -> list[dict[str, Any]]:
        poly = ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in polygon)
        params = {"poly": poly, "date": month}
        crimes: list[dict[str, Any]] = self.request(
            "crimes-street/all-crime", params, post=len(poly) > POST_ABOVE
        )
        return crimes

    def crimes_in_area(
        self, polygon: list[tuple[float, float]], month: str, depth: int = 0
    ) -> list[dict[str, Any]]:
        """All street crimes in a (lat, lng) polygon, splitting it while the API says 503."""
        try:
            return self.street_crimes(polygon, month)
        except TooManyCrimes:
            if depth >= 12:
                raise ApiError(f"area still over the API's limit after {depth} splits") from None
        self.stats.splits += 1
        crimes: list[dict[str, Any]] = []
        for half in split_polygon(polygon):
            crimes += self.crimes_in_area(half, month, depth + 1)
        return crimes


def split_polygon(polygon: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Two (or more) polygons covering the given one, cut across its longer side."""
    from shapely.geometry import Polygon, box

    shape = Polygon([(lng, lat) for lat, lng in polygon]).buffer(0)
    minx, miny, maxx, maxy = shape.bounds
    if maxx - minx >= maxy - miny:
        mid = (minx + maxx) / 2
        halves = [box(minx, miny, mid, maxy), box(mid, miny, maxx, maxy)]
    else:
        mid = (miny + maxy) / 2
        halves = [box(minx, miny, maxx, mid), box(minx, mid, maxx, maxy)]
    parts = []
    for half in halves:
        piece = shape.intersection(half)
        for geom in getattr(piece, "geoms", [piece]):
            if geom.geom_type == "Polygon" and not geom.is_empty:
                parts.append([(lat, lng) for lng, lat in geom.exterior.coords])
    return parts


class LsoaFinder:
    """Which LSOA (2021) a point is in, from the store's boundaries; None without geography."""

    def __init__(self, store: CrimeStore, force: str | None = None) -> None:
        from shapely import STRtree
        from shapely.geometry import shape

        try:
            features = store.lsoa_boundaries(2021, force)["features"]
        except LookupError:
            features = []
        self.props = [f["properties"] for f in features]
        self.shapes = [shape(f["geometry"]) for f in features]
        self.tree = STRtree(self.shapes) if self.shapes else None

    def find(self, lng: float, lat: float) -> dict[str, str] | None:
        if self.tree is None:
            return None
        from shapely.geometry import Point

        point = Point(lng, lat)
        for i in self.tree.query(point, predicate="intersects"):
            found: dict[str, str] = self.props[int(i)]
            return found
        return None


def archive_row(crime: dict[str, Any], force_name: str, month: str, lsoas: LsoaFinder) -> list[str]:
    """One API crime as a row of the archive's street CSV."""
    location = crime.get("location") or {}
    lat, lng = location.get("latitude"), location.get("longitude")
    lsoa = lsoas.find(float(lng), float(lat)) if lat and lng else None
    outcome = (crime.get("outcome_status") or {}).get("category") or ""
    return [
        crime.get("persistent_id") or "",
        crime.get("month") or month,
        force_name,
        force_name,
        lng or "",
        lat or "",
        ((location.get("street") or {}).get("name")) or "No Location",
        (lsoa or {}).get("lsoa_code") or "",
        (lsoa or {}).get("lsoa_name") or "",
        crime_type_from_slug(crime.get("category", "")),
        outcome,
        crime.get("context") or "",
    ]


def fetch_policeuk(
    store: CrimeStore,
    force: str,
    months: list[str],
    api: PoliceUkApi | None = None,
    command: str = "crimeplan fetch policeuk",
    on_step: Callable[[str], None] | None = None,
) -> tuple[IngestReport, ApiStats]:
    """Fetch each month for the force's neighbourhoods and load it as the archive file would."""
    import csv

    api = api or PoliceUkApi()
    force_name = reference_force_name(force)
    lsoas = LsoaFinder(store, force)
    neighbourhoods = api.neighbourhoods(force)
    boundaries = []
    for n in neighbourhoods:
        boundaries.append(api.boundary(force, n["id"]))
        if on_step:
            on_step(f"boundary {n['id']}")
    # Outside the store: the ingest's writer clears the store's staging folder when it starts.
    with scratch_dir() as scratch:
        paths = []
        for month in months:
            seen: dict[str, dict[str, Any]] = {}
            for polygon in boundaries:
                for crime in api.crimes_in_area(polygon, month):
                    seen.setdefault(str(crime.get("id")), crime)
                if on_step:
                    on_step(f"crimes {month}")
            path = scratch / month / f"{month}-{force}-street.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            rows = sorted(
                (archive_row(c, force_name, month, lsoas) for c in seen.values()),
                key=lambda r: (r[9], r[0], r[4], r[5]),
            )
            with open(path, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(HEADER_PUBLISHED)
                writer.writerows(rows)
            paths.append(path)
        names = {str(p): f"{api.base_url} crimes-street {p.parent.name}" for p in paths}
        report = ingest_policeuk(store, paths, force=force, command=command, display_names=names)
    return report, api.stats
