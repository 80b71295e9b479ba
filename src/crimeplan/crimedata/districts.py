"""Force areas and their districts, read from the reference table the project carries.

Every crime record is assigned to a district of its force area; the 43 territorial forces of
England and Wales, their districts' GSS codes, names and Census populations are data
(``reference/forces.csv``, built by ``scripts/build_reference.py``; see ``reference/SOURCE.md``),
so that assignment works before any geography file has been loaded (the LSOA name's prefix is
the local authority name) and a new force needs no code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FORCES_FILE = REFERENCE_DIR / "forces.csv"
DFT_FORCES_FILE = REFERENCE_DIR / "dft_forces.csv"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    force: str
    # Census 2021 usual residents (rounded to 100) and Census 2011 (exact); None when unknown.
    population: int | None
    population_2011: int | None = None


@dataclass(frozen=True)
class Force:
    id: str  # the police.uk force id, as in file names (``2025-01-kent-street.csv``)
    name: str  # police.uk "Falls within"
    districts: tuple[District, ...]


LSOA_NAME_PATTERN = r"^(.+) \d{3}[A-Z]$"
"""police.uk LSOA names are the local authority's name and a code ("Basildon 001A"): group 1
is the authority. The ingest (in DuckDB) matches it against the districts' names when an LSOA
code is not in the loaded geography's lookup."""


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def forces() -> dict[str, Force]:
    """Force id -> force, for every force in the reference table, ordered by id."""
    by_force: dict[str, list[District]] = {}
    names: dict[str, str] = {}
    with open(FORCES_FILE, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[row["force"]] = row["force_name"]
            by_force.setdefault(row["force"], []).append(
                District(
                    row["lad_cd"],
                    row["lad_nm"],
                    row["force"],
                    _int(row["census2021_usual_residents_rounded_100"]),
                    _int(row["census2011_usual_residents"]),
                )
            )
    return {f: Force(f, names[f], tuple(ds)) for f, ds in sorted(by_force.items())}


def districts_for(force: str) -> tuple[District, ...]:
    """The districts of a force area; empty for a force the reference table does not hold."""
    found = forces().get(force)
    return found.districts if found else ()


def force_name(force: str) -> str:
    """The force's name as police.uk writes it ("Kent Police"); the id for an unknown force."""
    found = forces().get(force)
    return found.name if found else force


def check_force(force: str) -> str:
    """The force id when the reference table holds it; ValueError listing the ids otherwise."""
    if force in forces():
        return force
    raise ValueError(
        f"unknown force {force!r}: give a police.uk force id, one of {', '.join(forces())}"
    )


@cache
def _dft_codes() -> dict[str, int]:
    with open(DFT_FORCES_FILE, newline="", encoding="utf-8") as fh:
        return {row["force"]: int(row["dft_police_force"]) for row in csv.DictReader(fh)}


def dft_police_force(force: str) -> int:
    """The force's ``police_force`` code in DfT road collision (STATS19) files: Kent is 46, not
    its police.uk id. ValueError for a force the reference table does not hold."""
    code = _dft_codes().get(check_force(force))
    if code is None:
        raise ValueError(f"no DfT police_force code is known for {force!r}")
    return code


def force_of_district(code: str) -> str | None:
    """The force whose area holds the district (GSS codes are unique nationally)."""
    return next((f for f, c, _n in all_districts() if c == code), None)


def all_districts() -> list[tuple[str, str, str]]:
    """(force, code, name) for every district of every force."""
    return [(f.id, d.code, d.name) for f in forces().values() for d in f.districts]
