"""Counting Kent's raw files by hand: the independent side of the Kent tests' comparisons.

Reads the boundary files' own properties and the police.uk CSVs with the standard library,
never through crimeplan's loaders.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path


def boundary_lookup(kent: Path, layer: str, code_key: str) -> dict[str, str]:
    """LSOA -> district straight from the boundary files' properties."""
    found = {}
    for path in sorted((kent / "geo" / "boundaries" / layer).glob("*.geojson")):
        for feature in json.loads(path.read_text())["features"]:
            found[feature["properties"][code_key]] = feature["properties"]["LADCD_ACTIVE"]
    return found


def rows_of_type(
    kent: Path, district: str, crime_type: str, months: list[str] | None = None
) -> int:
    """Kent's street rows of one crime type in one district (by LSOA 2021 code), in ``months``
    (default: every month there)."""
    by_code = boundary_lookup(kent, "lsoa", "LSOA21CD")
    n = 0
    for path in sorted((kent / "policeuk").rglob("*-kent-street.csv")):
        if months is not None and path.parent.name not in months:
            continue
        with open(path, newline="", encoding="utf-8-sig") as fh:
            n += sum(
                1
                for r in csv.DictReader(fh)
                if by_code.get(r["LSOA code"]) == district and r["Crime type"] == crime_type
            )
    return n
