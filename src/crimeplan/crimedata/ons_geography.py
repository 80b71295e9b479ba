"""Downloading a force's geography from the ONS Open Geography services (ArcGIS feature services).

Two layers are asked for, filtered to the force's districts and paged with ``resultOffset`` /
``resultRecordCount`` while the service says ``exceededTransferLimit``:

- the LSOA (2011) → LSOA (2021) → district lookup (attributes only, ``f=json``), which says
  which LSOAs of both vintages are in the force area;
- the LSOA (December 2021) generalised boundaries (``f=geojson``, ``outSR=4326``), asked for
  by LSOA code in batches.

They are written to a folder in the layouts ``load_geography`` reads (``lsoa21.geojson``,
``lsoa_lookup.csv``) and loaded from there, so a downloaded folder, a hand-downloaded one and
the built-in one all go through the same loader. Populations come from the reference tables the
package carries (Census 2011/2021 districts, mid-2019 LSOAs for England and Wales).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .districts import districts_for
from .geography import GeographyError, GeographyResult, load_geography
from .store import CrimeStore

DEFAULT_BASE_URL = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
LOOKUP_SERVICE = "LSOA11_LSOA21_LAD22_EW_LU"
LOOKUP_FIELDS = ("LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM", "LAD22CD")
BOUNDARY_SERVICE = "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BGC_V5"
BOUNDARY_FIELDS = ("LSOA21CD", "LSOA21NM")
PAGE_SIZE = 1000
CODES_PER_REQUEST = 100
FETCHED_LABEL = "ONS generalised boundaries (BGC) downloaded from the ONS Open Geography services"


class OnsUnavailable(GeographyError):
    """The services could not be reached or answered something unusable; says what to do."""


def _sql_in(column: str, codes: list[str]) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


@dataclass
class OnsGeographyApi:
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 60.0
    requests: int = 0

    def _get(self, service: str, params: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base_url.rstrip('/')}/{service}/FeatureServer/0/query"
        body = urllib.parse.urlencode(params).encode()
        self.requests += 1
        # POST: a where clause of 100 codes is too long for some proxies as a query string.
        request = urllib.request.Request(url, data=body, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            data: dict[str, Any] = json.loads(response.read())
        if "error" in data:
            raise OnsUnavailable(f"{service}: the service answered an error: {data['error']}")
        return data

    def query(
        self, service: str, where: str, fields: tuple[str, ...], geometry: bool
    ) -> list[dict[str, Any]]:
        """Every feature matching ``where``: GeoJSON features with geometry, else attributes."""
        found: list[dict[str, Any]] = []
        while True:
            params = {
                "where": where,
                "outFields": ",".join(fields),
                "returnGeometry": "true" if geometry else "false",
                "resultOffset": len(found),
                "resultRecordCount": PAGE_SIZE,
                "orderByFields": fields[0],
                "f": "geojson" if geometry else "json",
            }
            if geometry:
                params["outSR"] = 4326
            data = self._get(service, params)
            page = data.get("features") or []
            found += page if geometry else [f["attributes"] for f in page]
            more = data.get("exceededTransferLimit") or (data.get("properties") or {}).get(
                "exceededTransferLimit"
            )
            if not more or not page:
                return found


def manual_instructions(force: str, folder: Path) -> str:
    return (
        "download by hand from the ONS Open Geography Portal the 'LSOA (2011) to LSOA (2021) to "
        "Local Authority District (2022) Lookup' as CSV and the 'Lower layer Super Output Areas "
        f"(December 2021) Boundaries EW BGC' as GeoJSON for the districts of {force}, put both "
        f"in {folder}, then run `crimeplan ingest geography --force {force} --from {folder}`"
    )


def download_geography(api: OnsGeographyApi, force: str, folder: Path) -> Path:
    """Write the force's lookup and LSOA boundaries to ``folder`` (replaced whole, atomically)."""
    codes = sorted(d.code for d in districts_for(force))
    if not codes:
        raise GeographyError(f"no districts known for force {force!r}")
    try:
        lookup = api.query(LOOKUP_SERVICE, _sql_in("LAD22CD", codes), LOOKUP_FIELDS, False)
        lsoa21 = sorted({row["LSOA21CD"] for row in lookup})
        district_of = {row["LSOA21CD"]: row["LAD22CD"] for row in lookup}
        features: list[dict[str, Any]] = []
        for start in range(0, len(lsoa21), CODES_PER_REQUEST):
            batch = lsoa21[start : start + CODES_PER_REQUEST]
            features += api.query(
                BOUNDARY_SERVICE, _sql_in("LSOA21CD", batch), BOUNDARY_FIELDS, True
            )
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise OnsUnavailable(
            f"cannot download geography from {api.base_url} ({reason}): "
            + manual_instructions(force, folder)
        ) from None
    if not lookup or not features:
        raise OnsUnavailable(
            f"the ONS services returned no LSOAs for {force} ({len(codes)} districts): "
            + manual_instructions(force, folder)
        )
    for feature in features:
        props = feature.get("properties") or {}
        props["LADCD_ACTIVE"] = district_of.get(props.get("LSOA21CD"))
        feature["properties"] = props
    staging = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir(parents=True)
    with open(staging / "lsoa_lookup.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([f.lower() for f in LOOKUP_FIELDS])
        writer.writerows([row[f] for f in LOOKUP_FIELDS] for row in lookup)
    (staging / "lsoa21.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    previous = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:8]}.old")
    if folder.exists():
        os.replace(folder, previous)
    os.replace(staging, folder)
    shutil.rmtree(previous, ignore_errors=True)
    return folder


def fetch_geography(
    store: CrimeStore,
    force: str,
    folder: Path,
    api: OnsGeographyApi | None = None,
    command: str = "crimeplan fetch geography",
) -> GeographyResult:
    """Download the force's geography into ``folder`` and load it into the store."""
    download_geography(api or OnsGeographyApi(), force, Path(folder))
    return load_geography(store, folder, force=force, command=command, basis=FETCHED_LABEL)
