"""Loading geography for a force area: LSOA -> district lookups, LSOA and district boundaries,
and population, from files in the ONS layouts.

Files are recognised by their columns or GeoJSON properties, not their names, because the same
ONS tables arrive under many names (``LSOA11CD``/``lsoa11cd``, ``LAD22CD``/``lad_cd``). Only the
force area's districts are kept. District boundaries are the union of the district's LSOA 2021
polygons when no district boundary file is given.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .builtin_geography import BUILTIN_LABEL, FILES_LABEL, builtin_geography_dir, is_builtin
from .districts import REFERENCE_DIR, all_districts, districts_for
from .policeuk_files import sha256_of
from .store import GEOGRAPHY, TABLES, CrimeStore, geography_section

_LSOA_CODE_COL = re.compile(r"^lsoa(?P<vintage>\d{2})_?cd$")
_LAD_CODE_COL = re.compile(r"^lad(\d{2})?_?cd$")
_LSOA_NAME_COL = re.compile(r"^lsoa(\d{2})_?nm$")
_YEAR = re.compile(r"(19|20)\d{2}")
_WARD_CODE_PROP = re.compile(r"^wd(\d{2})cd$")
GEOJSON_FILES = ("district_boundaries", "ward_boundaries", "lsoa21_boundaries", "lsoa11_boundaries")


class GeographyError(Exception):
    """The geography folder is missing or holds nothing usable."""


@dataclass
class GeographyResult:
    lookups: dict[int, int] = field(default_factory=dict)  # vintage -> LSOAs in the area
    boundaries: dict[int, int] = field(default_factory=dict)  # vintage -> LSOA polygons
    districts_with_boundary: int = 0
    wards: int = 0
    lsoa_population_rows: int = 0
    district_population_rows: int = 0
    files: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    force: str = ""
    basis: str = ""  # built-in generalised boundaries, or the files' folder
    unchanged: bool = False


def _fingerprint(folder: Path, force: str) -> tuple[str, dict[Path, str]]:
    """What the geography was built from: a digest of every candidate file's name and SHA-256,
    and the force; and each file's SHA-256, for the manifest's list of files used."""
    digest = hashlib.sha256(force.encode())
    hashes: dict[Path, str] = {}
    for path in sorted([*folder.rglob("*.csv"), *folder.rglob("*.geojson")]):
        hashes[path] = sha256_of(path)
        digest.update(f"{path.relative_to(folder)}\0{hashes[path]}\n".encode())
    return digest.hexdigest(), hashes


def _unchanged(store: CrimeStore, force: str, fingerprint: str) -> GeographyResult | None:
    """The stored result when the same files were loaded before, so a second load writes nothing."""
    section = store.geography(force) or {}
    manifest = section.get("manifest") or {}
    if manifest.get("fingerprint") != fingerprint:
        return None
    files = section.get("files") or {}
    # A store loaded before a file kind existed (wards) is loaded again to gain it.
    if not all(name in files for name in GEOJSON_FILES):
        return None
    if not all((store.root / rel).exists() for rel in files.values()):
        return None
    return GeographyResult(
        lookups={int(k): v for k, v in manifest["lsoas"].items()},
        boundaries={int(k): v for k, v in manifest["lsoa_boundaries"].items()},
        districts_with_boundary=manifest["district_boundaries"],
        wards=manifest.get("wards", 0),
        lsoa_population_rows=manifest["lsoa_population_rows"],
        district_population_rows=manifest["district_population_rows"],
        files=manifest["files"],
        force=force,
        basis=manifest.get("basis", ""),
        unchanged=True,
    )


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        return header, list(reader)


def _number(text: str) -> int | None:
    cleaned = text.replace(",", "").strip()
    try:
        return int(float(cleaned))
    except ValueError:
        return None


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    types = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64()}
    schema = pa.schema([(c, types[t]) for c, t in TABLES[name]])
    return pa.Table.from_pylist(rows, schema=schema)


def _feature_lsoa(props: dict[str, Any]) -> tuple[int, str, str | None] | None:
    for key, value in props.items():
        match = _LSOA_CODE_COL.match(key.lower())
        if match and value:
            vintage = 2000 + int(match["vintage"])
            name = next(
                (v for k, v in props.items() if _LSOA_NAME_COL.match(k.lower()) and v), None
            )
            return vintage, str(value), name
    return None


def _feature_ward(props: dict[str, Any]) -> tuple[str, str] | None:
    """A ward's (code, name) from its boundary's properties (``WD25CD``/``WD25NM``, any year)."""
    for key, value in props.items():
        match = _WARD_CODE_PROP.match(key.lower())
        if match and value:
            name = next((v for k, v in props.items() if k.lower() == f"wd{match[1]}nm" and v), None)
            return str(value), str(name or value)
    return None


def _feature_district(props: dict[str, Any]) -> str | None:
    for key in ("LADCD_ACTIVE", "LADCD", "LAD21CD", "LAD22CD", "LAD23CD", "LAD24CD", "lad_cd"):
        if props.get(key):
            return str(props[key])
    return None


def _force_of(folder: Path) -> str:
    """The force whose districts the folder's LSOA lookups and boundaries cover most."""
    force_of = {code: force for force, code, _name in all_districts()}
    counts: dict[str, int] = {}
    for path in sorted(folder.rglob("*.csv")):
        header, rows = _read_csv(path)
        lower = [h.lower() for h in header]
        lsoa_idx = next((i for i, h in enumerate(lower) if _LSOA_CODE_COL.match(h)), None)
        lad_idx = next((i for i, h in enumerate(lower) if _LAD_CODE_COL.match(h)), None)
        if lsoa_idx is not None and lad_idx is not None:
            for row in rows:
                if len(row) > lad_idx and row[lad_idx] in force_of:
                    counts[force_of[row[lad_idx]]] = counts.get(force_of[row[lad_idx]], 0) + 1
    for path in sorted(folder.rglob("*.geojson")):
        for feature in json.loads(path.read_text()).get("features", []):
            props = feature.get("properties") or {}
            district = _feature_district(props)
            if _feature_lsoa(props) and district in force_of:
                counts[force_of[district]] = counts.get(force_of[district], 0) + 1
    if not counts:
        raise GeographyError(f"no LSOA lookup or boundary of any known force found in {folder}")
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] // 10:
        named = ", ".join(f"{f} ({n} LSOAs)" for f, n in ranked[:4])
        raise GeographyError(
            f"{folder} holds the LSOAs of several forces ({named}): name one with --force"
        )
    return ranked[0][0]


def _reference_populations(
    force: str, in_area: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]:
    """District populations from the forces table and LSOA (2011) mid-2019 populations from
    the reference table the package carries, for a folder that holds none of its own."""
    district_pop = [
        {"district_code": d.code, "year": year, "population": pop, "source": label}
        for d in districts_for(force)
        for year, pop, label in (
            (2011, d.population_2011, "Census 2011"),
            (2021, d.population, "Census 2021 (rounded to 100)"),
        )
        if pop is not None
    ]
    path = REFERENCE_DIR / "lsoa_population_2019.csv"
    _header, rows = _read_csv(path)
    lsoa_pop = [
        {"lsoa_code": code, "year": 2019, "population": int(pop), "vintage": 2011}
        for code, pop in rows
        if code in in_area
    ]
    used = [
        {"name": f"crimeplan reference/{p.name}", "sha256": sha256_of(p)}
        for p in (REFERENCE_DIR / "forces.csv", path)
    ]
    return district_pop, lsoa_pop, used


def load_geography(
    store: CrimeStore,
    folder: Path,
    force: str | None = None,
    command: str = "crimeplan ingest geography",
    basis: str | None = None,
) -> GeographyResult:
    """Read every lookup, boundary and population file under ``folder`` and replace the force's
    geography in the store in one commit. ``force``: the police.uk force id; by default the
    force whose districts the files cover. Populations missing from the folder come from the
    reference tables the package carries (Census districts, mid-2019 LSOAs)."""
    from shapely import make_valid
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    folder = Path(folder)
    if not folder.is_dir():
        raise GeographyError(f"geography folder not found: {folder} (use --from DIR)")
    force = force or _force_of(folder)
    districts = {d.code: d.name for d in districts_for(force)}
    if not districts:
        raise GeographyError(f"no districts known for force {force!r}")
    fingerprint, hashes = _fingerprint(folder, force)
    previous = _unchanged(store, force, fingerprint)
    if previous is not None:
        return previous
    result = GeographyResult()
    lookup_rows: dict[tuple[str, int], dict[str, Any]] = {}
    lsoa_pop: list[dict[str, Any]] = []
    district_pop: list[dict[str, Any]] = []
    features: dict[int, list[dict[str, Any]]] = {2011: [], 2021: []}
    district_shapes: dict[str, Any] = {}
    wards: list[dict[str, Any]] = []

    def used(path: Path) -> None:
        result.files.append({"name": str(path.relative_to(folder)), "sha256": hashes[path]})

    # Each CSV is read once: lookups are taken first (they define which LSOAs are in the area
    # for the population tables), then the populations from the same rows.
    csvs = {path: _read_csv(path) for path in sorted(folder.rglob("*.csv"))}
    for path, (header, rows) in csvs.items():
        lower = [h.lower() for h in header]
        lad_idx = next((i for i, h in enumerate(lower) if _LAD_CODE_COL.match(h)), None)
        if lad_idx is None:
            continue
        n = 0
        # One lookup per LSOA code column: ONS's LSOA11 -> LSOA21 -> LAD table holds both.
        for lsoa_idx, header_name in enumerate(lower):
            match = _LSOA_CODE_COL.match(header_name)
            if not match:
                continue
            vintage = 2000 + int(match["vintage"])
            name_col = f"lsoa{match['vintage']}nm"
            name_idx = next(
                (i for i, h in enumerate(lower) if h.replace("_", "") == name_col), None
            )
            for row in rows:
                if len(row) <= max(lsoa_idx, lad_idx) or row[lad_idx] not in districts:
                    continue
                lookup_rows[(row[lsoa_idx], vintage)] = {
                    "lsoa_code": row[lsoa_idx],
                    "lsoa_name": row[name_idx] if name_idx is not None else None,
                    "district_code": row[lad_idx],
                    "vintage": vintage,
                }
                n += 1
        if n:
            used(path)
    for path in sorted(folder.rglob("*.geojson")):
        data = json.loads(path.read_text())
        kept = 0
        for feature in data.get("features", []):
            props = feature.get("properties") or {}
            lsoa = _feature_lsoa(props)
            district = _feature_district(props)
            ward = _feature_ward(props)
            if ward and district in districts:
                wards.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "ward_code": ward[0],
                            "ward_name": ward[1],
                            "district_code": district,
                        },
                        "geometry": feature["geometry"],
                    }
                )
                kept += 1
            elif lsoa:
                vintage, code, name = lsoa
                district = district or (lookup_rows.get((code, vintage)) or {}).get("district_code")
                if district not in districts or vintage not in features:
                    continue
                features[vintage].append(
                    {
                        "type": "Feature",
                        "properties": {
                            "lsoa_code": code,
                            "lsoa_name": name,
                            "district_code": district,
                        },
                        "geometry": feature["geometry"],
                    }
                )
                lookup_rows.setdefault(
                    (code, vintage),
                    {
                        "lsoa_code": code,
                        "lsoa_name": name,
                        "district_code": district,
                        "vintage": vintage,
                    },
                )
                kept += 1
            elif district in districts and not any(
                k.lower().startswith(("msoa", "wd")) for k in props
            ):
                district_shapes[district] = shape(feature["geometry"])
                kept += 1
        if kept:
            used(path)
    in_area = {code for code, _ in lookup_rows}
    for path, (header, rows) in csvs.items():
        lower = [h.lower() for h in header]
        year_match = _YEAR.search(path.name)
        if lower[:2] == ["lsoa", "pop"] and year_match:
            year = int(year_match.group())
            n = 0
            for row in rows:
                if len(row) >= 2 and row[0] in in_area and (pop := _number(row[1])) is not None:
                    # Mid-year estimates before 2022 are published on 2011 LSOAs.
                    lsoa_pop.append(
                        {
                            "lsoa_code": row[0],
                            "year": year,
                            "population": pop,
                            "vintage": 2011 if year < 2022 else 2021,
                        }
                    )
                    n += 1
            if n:
                used(path)
        elif "geography code" in lower and "date" in lower:
            code_i, date_i = lower.index("geography code"), lower.index("date")
            value_i = next(i for i, h in enumerate(lower) if "total" in h or "value" in h)
            n = 0
            for row in rows:
                if len(row) > value_i and row[code_i] in in_area:
                    pop = _number(row[value_i])
                    dated = _YEAR.search(row[date_i])
                    if dated is None:
                        raise GeographyError(f"{path}: no year in the date {row[date_i]!r}")
                    year = int(dated.group())
                    lsoa_pop.append(
                        {
                            "lsoa_code": row[code_i],
                            "year": year,
                            "population": pop,
                            "vintage": 2021 if year >= 2021 else 2011,
                        }
                    )
                    n += 1
            if n:
                used(path)
        elif "lad_cd" in lower and any(h.startswith("census") for h in lower):
            code_i = lower.index("lad_cd")
            n = 0
            for i, h in enumerate(lower):
                year_m = _YEAR.search(h)
                if not (h.startswith("census") and year_m):
                    continue
                label = "Census " + year_m.group() + (" (rounded to 100)" if "rounded" in h else "")
                for row in rows:
                    if row[code_i] in districts and (pop := _number(row[i])) is not None:
                        district_pop.append(
                            {
                                "district_code": row[code_i],
                                "year": int(year_m.group()),
                                "population": pop,
                                "source": label,
                            }
                        )
                        n += 1
            if n:
                used(path)
    if not lookup_rows:
        raise GeographyError(f"no LSOA lookup or boundary for force {force!r} found in {folder}")
    if not district_pop or not lsoa_pop:
        ref_district, ref_lsoa, ref_files = _reference_populations(force, in_area)
        district_pop = district_pop or ref_district
        lsoa_pop = lsoa_pop or ref_lsoa
        result.files += ref_files
    # District totals from LSOA estimates, where the district table lacks that year.
    have = {(r["district_code"], r["year"]) for r in district_pop}
    lsoa_district = {code: found["district_code"] for (code, _v), found in lookup_rows.items()}
    sums: dict[tuple[str, int], int] = {}
    for estimate in lsoa_pop:
        key = (lsoa_district[estimate["lsoa_code"]], estimate["year"])
        sums[key] = sums.get(key, 0) + (estimate["population"] or 0)
    for (code, year), pop in sorted(sums.items()):
        if (code, year) not in have:
            district_pop.append(
                {
                    "district_code": code,
                    "year": year,
                    "population": pop,
                    "source": f"sum of mid-{year} LSOA estimates",
                }
            )
    # District boundaries: a district file when given, else the union of its LSOA 2021 shapes.
    vintage = 2021 if features[2021] else 2011
    by_district: dict[str, list[Any]] = {}
    for feature in features[vintage]:
        by_district.setdefault(feature["properties"]["district_code"], []).append(
            shape(feature["geometry"])
        )
    district_features = []
    for code, name in districts.items():
        geom = district_shapes.get(code)
        if geom is None and code in by_district:
            # make_valid: generalised polygons (ONS BGC, the built-in set) may self-touch.
            geom = unary_union([make_valid(g) for g in by_district[code]])
        if geom is not None:
            district_features.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "name": name},
                    "geometry": mapping(geom),
                }
            )
    result.lookups = {v: sum(1 for (_c, vv) in lookup_rows if vv == v) for v in (2011, 2021)}
    result.boundaries = {v: len(f) for v, f in features.items()}
    result.districts_with_boundary = len(district_features)
    result.wards = len(wards)
    result.lsoa_population_rows = len(lsoa_pop)
    result.district_population_rows = len(district_pop)
    result.force = force
    result.basis = basis or (BUILTIN_LABEL if is_builtin(folder) else FILES_LABEL)

    with store.writer(command) as writer:
        staged = writer.staging_dir()
        files: dict[str, str] = {}
        tables = {
            "lsoa_districts": _table("lsoa_districts", list(lookup_rows.values())),
            "lsoa_population": _table("lsoa_population", lsoa_pop),
            "district_population": _table("district_population", district_pop),
        }
        partition = {"force": force}
        for name, table in tables.items():
            path = staged / f"{name}.parquet"
            pq.write_table(table, path)
            files[name] = writer.publish(path, "geography", partition, f"-{name}.parquet")
        geojson = {
            "district_boundaries": district_features,
            "ward_boundaries": wards,
            "lsoa21_boundaries": features[2021],
            "lsoa11_boundaries": features[2011],
        }
        for name, feats in geojson.items():
            path = staged / f"{name}.geojson"
            path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
            files[name] = writer.publish(path, "geography", partition, f"-{name}.geojson")
        manifest = {
            "force": force,
            "folder": str(folder),
            "basis": result.basis,
            "fingerprint": fingerprint,
            "files": result.files,
            "lsoas": {str(k): v for k, v in result.lookups.items()},
            "lsoa_boundaries": {str(k): v for k, v in result.boundaries.items()},
            "district_boundaries": result.districts_with_boundary,
            "wards": result.wards,
            "lsoa_population_rows": result.lsoa_population_rows,
            "district_population_rows": result.district_population_rows,
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": command,
        }
        section = {"files": files, "manifest": manifest}
        sections: dict[str, Any] = {geography_section(force): section}
        legacy = writer.catalog.get(GEOGRAPHY)
        if legacy and (legacy.get("manifest") or {}).get("force", force) == force:
            sections[GEOGRAPHY] = None  # a store written before it held several forces
        writer.commit(sections=sections)
    return result


def load_default_geography(
    store: CrimeStore, force: str, shared_geo: Path, command: str = "crimeplan ingest geography"
) -> GeographyResult:
    """The geography a command loads when given no folder: the full-resolution files in
    ``shared_geo`` when they are there and hold the force, else the generalised geography the
    package carries for the force (the demo's, on a machine with only the clone)."""
    builtin = builtin_geography_dir(force)
    if Path(shared_geo).is_dir():
        try:
            return load_geography(store, shared_geo, force=force, command=command)
        except GeographyError:
            if builtin is None:
                raise
    if builtin is None:
        raise GeographyError(
            f"no geography for {force}: {shared_geo} is not there and crimeplan carries none "
            f"for {force}; run `crimeplan fetch geography --force {force}` or give --from DIR"
        )
    return load_geography(store, builtin, force=force, command=command)


def geography_basis(store: CrimeStore, force: str) -> str | None:
    """What the force's loaded boundaries are, for pages to say (None: none loaded)."""
    section = store.geography(force)
    if not section:
        return None
    return section["manifest"].get("basis") or FILES_LABEL
