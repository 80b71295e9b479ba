"""Build the reference data crimeplan carries, from the public files in ``../shared/data``.

    .venv/bin/python scripts/build_reference.py [--shared ../shared/data] [--out DIR]

Writes (default ``src/crimeplan/crimedata/reference``):

- ``forces.csv``: the 43 territorial forces of England and Wales and their districts, with each
  district's Census 2011 and 2021 population (from ``reference/lad_force_area_2025.csv`` and
  ``reference/lad_population_census2011_2021.csv``);
- ``dft_forces.csv``: each force's STATS19 ``police_force`` code
  (from ``roads/stats19_schema.csv``);
- ``lsoa_population_2019.csv``: mid-2019 population of every LSOA (2011) of England and Wales
  (from ``geo/2019_population.csv``);
- ``geography/<force>/``: for the demo force, LSOA 2021 boundaries and district boundaries
  generalised to about 20 m, and the LSOA 2011 -> district lookup (from ``geo/``), in the
  layouts ``crimeplan ingest geography`` reads.

The output depends only on the input files: run it twice and the bytes are the same. The raw
files are never copied; every source and its licence is named in the ``SOURCE.md`` beside them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
DEMO_FORCE = "essex"
TOLERANCE_DEG = 0.0002
"""Generalisation tolerance: about 14 m north-south and 22 m east-west at 52° N."""
DECIMALS = 5
"""Coordinates kept to about a metre."""


def _csv_text(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


POPULATION_COLUMNS = ("census2011_usual_residents", "census2021_usual_residents_rounded_100")


def district_populations(shared: Path) -> dict[str, tuple[int, int]]:
    """Census 2011 and 2021 residents per current district code. A district created or
    recoded since (Cumberland, North Yorkshire, Somerset, Barnsley's new code, ...) gets the sum
    of its predecessors, found through ``LADCD_ACTIVE`` in ``geo/la_all_codes.csv``."""
    table = _read(shared / "reference" / "lad_population_census2011_2021.csv")
    by_code = {r["lad_cd"]: tuple(int(r[c]) for c in POPULATION_COLUMNS) for r in table}
    active = {r["LADCD"]: r["LADCD_ACTIVE"] for r in _read(shared / "geo" / "la_all_codes.csv")}
    summed: dict[str, list[int]] = {}
    for code, values in by_code.items():
        current = active.get(code, code)
        if current != code and current not in by_code:
            total = summed.setdefault(current, [0, 0])
            total[0] += values[0]
            total[1] += values[1]
    return {**{k: (v[0], v[1]) for k, v in summed.items()}, **by_code}


def forces_table(shared: Path) -> str:
    population = district_populations(shared)
    rows = []
    for r in _read(shared / "reference" / "lad_force_area_2025.csv"):
        pop = population.get(r["lad_cd"], ("", ""))
        rows.append([r["force"], r["force_name"], r["lad_cd"], r["lad_nm"], *pop])
    rows.sort(key=lambda row: (row[0], row[2]))
    header = ["force", "force_name", "lad_cd", "lad_nm", "census2011_usual_residents",
              "census2021_usual_residents_rounded_100"]  # fmt: skip
    return _csv_text(header, rows)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower().replace("&", "and")).strip("-")


def dft_forces_table(shared: Path, force_ids: set[str]) -> str:
    """police.uk force id -> the DfT STATS19 ``police_force`` code and label. A DfT label matches a
    force when its slug is the force id, or the id followed by ``-police`` ("Metropolitan
    Police"); Scottish codes match none and are left out. Every force must match exactly once,
    or the build stops: a force without its code would load no road collisions."""
    rows: dict[str, list[object]] = {}
    for r in _read(shared / "roads" / "stats19_schema.csv"):
        if (r["table"], r["variable"]) != ("collision", "police_force"):
            continue
        slug = _slug(r["label"])
        force = slug if slug in force_ids else slug.removesuffix("-police")
        if force in force_ids:
            if force in rows:
                raise SystemExit(f"stats19_schema.csv: two DfT codes for {force}")
            rows[force] = [force, int(r["code"]), r["label"]]
    missing = sorted(force_ids - set(rows))
    if missing:
        raise SystemExit(f"stats19_schema.csv: no DfT police_force code for {', '.join(missing)}")
    return _csv_text(["force", "dft_police_force", "dft_label"], sorted(rows.values()))


def lsoa_population(shared: Path) -> str:
    rows = []
    for r in _read(shared / "geo" / "2019_population.csv"):
        if r["lsoa"].startswith(("E01", "W01")):
            rows.append([r["lsoa"], int(r["pop"].replace(",", ""))])
    rows.sort()
    return _csv_text(["lsoa", "pop"], rows)


def _generalise(geometry: dict) -> dict:
    geom = shapely.simplify(shape(geometry), TOLERANCE_DEG, preserve_topology=True)
    geom = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    return mapping(geom)


def _geojson(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def demo_geography(shared: Path, districts: list[tuple[str, str]]) -> dict[str, str]:
    """File name -> text for the demo force's generalised geography."""
    lsoas: list[dict] = []
    shapes: dict[str, list] = {}
    for code, _name in districts:
        path = shared / "geo" / "boundaries" / "lsoa" / f"{code}.geojson"
        for feature in json.loads(path.read_text())["features"]:
            p = feature["properties"]
            shapes.setdefault(code, []).append(shape(feature["geometry"]))
            lsoas.append(
                {
                    "type": "Feature",
                    "properties": {
                        "LSOA21CD": p["LSOA21CD"],
                        "LSOA21NM": p["LSOA21NM"],
                        "LADCD_ACTIVE": p["LADCD_ACTIVE"],
                    },
                    "geometry": _generalise(feature["geometry"]),
                }
            )
    lsoas.sort(key=lambda f: f["properties"]["LSOA21CD"])
    district_features = [
        {
            "type": "Feature",
            "properties": {"LADCD": code, "LADNM": name},
            "geometry": _generalise(mapping(shapely.union_all(shapes[code]))),
        }
        for code, name in sorted(districts)
        if code in shapes
    ]
    lookup = [
        [r["lsoa11cd"], r["lsoa11nm"], r["lad_cd"]]
        for r in _read(shared / "geo" / f"{DEMO_FORCE}_pfa_lsoa11_lad_lookup.csv")
    ]
    lookup.sort()
    return {
        "lsoa21.geojson": _geojson(lsoas),
        "districts.geojson": _geojson(district_features),
        "lsoa11_lad.csv": _csv_text(["lsoa11cd", "lsoa11nm", "lad_cd"], lookup),
    }


def build(shared: Path, out: Path) -> dict[Path, int]:
    """Write every reference file under ``out``; returns each file's path and size."""
    files: dict[str, str] = {
        "forces.csv": forces_table(shared),
        "lsoa_population_2019.csv": lsoa_population(shared),
    }
    force_ids = {row["force"] for row in csv.DictReader(io.StringIO(files["forces.csv"]))}
    files["dft_forces.csv"] = dft_forces_table(shared, force_ids)
    districts = [
        (row["lad_cd"], row["lad_nm"])
        for row in csv.DictReader(io.StringIO(files["forces.csv"]))
        if row["force"] == DEMO_FORCE
    ]
    for name, text in demo_geography(shared, districts).items():
        files[f"geography/{DEMO_FORCE}/{name}"] = text
    written = {}
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[path] = len(text.encode())
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src/crimeplan/crimedata/reference")
    args = parser.parse_args()
    for path, size in build(args.shared, args.out).items():
        print(f"{size:>10,} {path}")


if __name__ == "__main__":
    main()
