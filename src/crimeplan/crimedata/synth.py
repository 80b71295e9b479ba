"""Synthetic police.uk street files for demos and benchmarks.

The files must look real to the ingest (same layout, plausible volumes per crime type and
district, seasonality, hotspots, some rows without a location) yet never be mistaken for real
data: every row says so in the Context column, which the ingest keeps and turns into
``synthetic = true``. Output depends only on the arguments, so a seed gives the same files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .builtin_geography import builtin_lsoa_features
from .categories import CRIME_TYPES
from .districts import districts_for, force_name
from .policeuk_ingest import HEADER_PUBLISHED, SYNTHETIC_MARK

# Share of street-level records by type, near Essex 2024-25 (ASB lower than in 2018).
TYPE_SHARE: dict[str, float] = {
    "Anti-social behaviour": 0.12,
    "Bicycle theft": 0.009,
    "Burglary": 0.05,
    "Criminal damage and arson": 0.085,
    "Drugs": 0.03,
    "Other theft": 0.07,
    "Possession of weapons": 0.012,
    "Public order": 0.07,
    "Robbery": 0.009,
    "Shoplifting": 0.085,
    "Theft from the person": 0.008,
    "Vehicle crime": 0.075,
    "Violence and sexual offences": 0.355,
    "Other crime": 0.022,
}
# Summer peak for violence and ASB, flatter for the rest.
SEASONAL_AMPLITUDE = {"Anti-social behaviour": 0.2, "Violence and sexual offences": 0.1}
OUTCOMES = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Offender given a caution",
    "Awaiting court outcome",
    "Local resolution",
    "Further investigation is not in the public interest",
)
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "London Road",
    "Park Avenue",
    "Mill Lane",
    "The Green",
    "Victoria Road",
    "Queen Street",
    "Shopping Area",
    "Supermarket",
    "Parking Area",
    "Nightclub",
    "Petrol Station",
    "Sports/Recreation Area",
    "Hospital",
    "Bus/Coach Station",
)
# Recorded street-level records per resident per month, near Essex's rate.
RATE_PER_RESIDENT = 0.0075


@dataclass(frozen=True)
class SynthLsoa:
    code: str
    name: str
    district_code: str
    longitude: float
    latitude: float


def parse_months(spec: str) -> list[str]:
    """'2023-01:2025-12' -> every month from the first to the last, inclusive."""
    first, _, last = spec.partition(":")
    last = last or first
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    if (ly, lm) < (y, m):
        raise ValueError(f"months {spec!r}: the last is before the first")
    months = []
    while (y, m) <= (ly, lm):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def lsoas_from_features(features: list[dict[str, Any]]) -> list[SynthLsoa]:
    """Real LSOAs (code, name, district, an interior point) from the store's LSOA GeoJSON."""
    from shapely.geometry import shape

    out = []
    for f in features:
        p = f["properties"]
        point = shape(f["geometry"]).representative_point()
        out.append(SynthLsoa(p["lsoa_code"], p["lsoa_name"], p["district_code"], point.x, point.y))
    return out


SNAP_POINTS_PER_AREA = 12


def generate_policeuk(
    out: Path,
    months: list[str],
    seed: int,
    force: str = "essex",
    lsoas: list[SynthLsoa] | None = None,
    rows_per_month: int | None = None,
) -> list[Path]:
    """Write ``out/YYYY-MM/YYYY-MM-<force>-street.csv`` for each month; returns the paths.

    ``lsoas``: the areas crimes are placed in (real LSOAs from loaded geography); by default
    the LSOAs of the geography the package carries for the force."""
    districts = districts_for(force)
    if not districts:
        raise ValueError(f"no districts known for force {force!r}")
    rng = np.random.default_rng(seed)
    areas = lsoas or lsoas_from_features(builtin_lsoa_features(force))
    if not areas:
        raise ValueError(
            f"no LSOAs to place {force} crimes in: load the force's geography first "
            f"(`crimeplan ingest geography --force {force} --from DIR`)"
        )
    population = {d.code: d.population or 1 for d in districts}
    per_district: dict[str, int] = {}
    for a in areas:
        per_district[a.district_code] = per_district.get(a.district_code, 0) + 1
    # Each area's weight: its district's population shared over its LSOAs, with spread.
    weights = np.array([population[a.district_code] / per_district[a.district_code] for a in areas])
    weights *= rng.lognormal(0.0, 0.6, len(areas))
    hotspots = rng.choice(len(areas), size=max(3, len(areas) // 150), replace=False)
    weights[hotspots] *= 8.0
    weights /= weights.sum()
    lon = np.array([a.longitude for a in areas])
    lat = np.array([a.latitude for a in areas])
    codes = np.array([a.code for a in areas], dtype=object)
    names = np.array([a.name for a in areas], dtype=object)
    types = np.array(CRIME_TYPES, dtype=object)
    shares = np.array([TYPE_SHARE[t] for t in CRIME_TYPES])
    shares /= shares.sum()
    base = rows_per_month or int(sum(population.values()) * RATE_PER_RESIDENT)
    label = force_name(force)
    context = f"{SYNTHETIC_MARK} (crimeplan synth seed {seed}) - not real crime data"
    streets = np.array([f"On or near {s}" for s in STREETS], dtype=object)
    outcomes = np.array(OUTCOMES, dtype=object)
    # police.uk moves every crime to one of a fixed set of anonymised snap points (a street, a
    # park, a station). Each area gets its own, used unevenly, so repeat locations appear as they
    # do in the real files.
    snap_x = lon[:, None] + rng.normal(0, 0.004, (len(areas), SNAP_POINTS_PER_AREA))
    snap_y = lat[:, None] + rng.normal(0, 0.003, (len(areas), SNAP_POINTS_PER_AREA))
    snap_street = streets[rng.integers(0, len(streets), (len(areas), SNAP_POINTS_PER_AREA))]
    snap_use = 1.0 / np.arange(1, SNAP_POINTS_PER_AREA + 1) ** 1.2
    snap_use /= snap_use.sum()
    written = []
    for month in months:
        m = int(month[5:])
        season = np.array(
            [1 + SEASONAL_AMPLITUDE.get(t, 0.05) * math.sin(2 * math.pi * (m - 4) / 12)
             for t in CRIME_TYPES]
        )  # fmt: skip
        mix = shares * season
        n = int(rng.poisson(base * mix.sum()))
        kind = rng.choice(len(types), size=n, p=mix / mix.sum())
        where = rng.choice(len(areas), size=n, p=weights)
        snap = rng.choice(SNAP_POINTS_PER_AREA, size=n, p=snap_use)
        x = np.round(snap_x[where, snap], 6)
        y = np.round(snap_y[where, snap], 6)
        no_location = rng.random(n) < 0.013
        asb = types[kind] == "Anti-social behaviour"
        ids = np.frombuffer(rng.bytes(32 * n).hex().encode(), dtype="S64").astype(str)
        ids = ids.astype(object)
        ids[asb] = ""
        outcome = outcomes[rng.integers(0, len(outcomes), n)]
        outcome[asb] = ""

        def blank_where(values: np.ndarray, mask: np.ndarray = no_location) -> list[Any]:
            values = values.astype(object)
            values[mask] = ""
            listed: list[Any] = values.tolist()
            return listed

        columns = [
            ids.tolist(),
            [month] * n,
            [label] * n,
            [label] * n,
            blank_where(np.char.mod("%.6f", x)),
            blank_where(np.char.mod("%.6f", y)),
            np.where(no_location, "No Location", snap_street[where, snap]).astype(object).tolist(),
            blank_where(codes[where]),
            blank_where(names[where]),
            types[kind].tolist(),
            outcome.tolist(),
            [context] * n,
        ]
        table = pa.table(
            dict(zip(HEADER_PUBLISHED, [pa.array(c, pa.string()) for c in columns], strict=True))
        )
        path = Path(out) / month / f"{month}-{force}-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write((",".join(HEADER_PUBLISHED) + "\n").encode())
            pacsv.write_csv(
                table, fh, pacsv.WriteOptions(quoting_style="needed", include_header=False)
            )
        written.append(path)
    return written
