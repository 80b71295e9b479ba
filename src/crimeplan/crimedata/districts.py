"""Force areas and their districts, as facts the project relies on.

Every crime record is assigned to a district of its force area; the districts and their GSS
codes are known here so that assignment works before any geography file has been loaded (the
LSOA name's prefix is the local authority name). Centroids and populations are approximate and
used only to generate plausible synthetic data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    code: str
    name: str
    # Approximate centre (WGS84) and half-width in degrees, for synthetic data only.
    longitude: float
    latitude: float
    extent: float
    # Census 2021 usual residents, rounded; weights synthetic volumes.
    population: int


ESSEX_DISTRICTS: tuple[District, ...] = (
    District("E07000066", "Basildon", 0.46, 51.58, 0.07, 187_600),
    District("E07000067", "Braintree", 0.58, 51.91, 0.13, 155_500),
    District("E07000068", "Brentwood", 0.31, 51.64, 0.06, 75_800),
    District("E07000069", "Castle Point", 0.58, 51.56, 0.04, 89_800),
    District("E07000070", "Chelmsford", 0.47, 51.73, 0.09, 181_500),
    District("E07000071", "Colchester", 0.88, 51.88, 0.09, 192_700),
    District("E07000072", "Epping Forest", 0.12, 51.69, 0.08, 134_900),
    District("E07000073", "Harlow", 0.11, 51.77, 0.03, 93_900),
    District("E07000074", "Maldon", 0.75, 51.71, 0.09, 66_200),
    District("E07000075", "Rochford", 0.72, 51.60, 0.06, 87_300),
    District("E07000076", "Tendring", 1.12, 51.86, 0.10, 148_100),
    District("E07000077", "Uttlesford", 0.27, 51.95, 0.11, 91_300),
    District("E06000033", "Southend-on-Sea", 0.71, 51.55, 0.04, 180_500),
    District("E06000034", "Thurrock", 0.35, 51.50, 0.07, 175_700),
)

FORCE_DISTRICTS: dict[str, tuple[District, ...]] = {"essex": ESSEX_DISTRICTS}
FORCE_NAMES: dict[str, str] = {"essex": "Essex Police"}

LSOA_NAME_PATTERN = r"^(.+) \d{3}[A-Z]$"
"""police.uk LSOA names are the local authority's name and a code ("Basildon 001A"): group 1
is the authority. The ingest (in DuckDB) matches it against the districts' names when an LSOA
code is not in the loaded geography's lookup."""


def districts_for(force: str) -> tuple[District, ...]:
    """The districts of a force area; empty for a force the project holds no facts about."""
    return FORCE_DISTRICTS.get(force, ())


def all_districts() -> list[tuple[str, str, str]]:
    """(force, code, name) for every district the project knows."""
    return [(force, d.code, d.name) for force, ds in FORCE_DISTRICTS.items() for d in ds]
