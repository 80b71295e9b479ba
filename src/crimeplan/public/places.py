"""Finding a resident's area from what they type: a district, ward or neighbourhood name.

Names come from the loaded geography only: the force's districts, the ward boundaries and the
LSOA names (police.uk's "neighbourhood" level, named "<district> 001A"). Every place resolves
to the district whose page answers it, and a ward to its own page within that district.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.store import CrimeStore

MIN_PARTIAL = 3
"""Shortest text matched inside names (shorter text must match a whole name)."""
MAX_RESULTS = 20


@dataclass(frozen=True)
class Place:
    kind: str  # "district", "ward" or "neighbourhood"
    name: str
    code: str
    district_code: str
    district_name: str

    @property
    def description(self) -> str:
        if self.kind == "district":
            return "district"
        if self.kind == "ward":
            return f"ward in {self.district_name}"
        return f"neighbourhood (LSOA {self.code}) in {self.district_name}"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("’", "'").split())


@lru_cache(maxsize=4)
def _index(root: str, fingerprint: str, force: str) -> tuple[Place, ...]:
    store = CrimeStore(root)
    names = {d.code: d.name for d in districts_for(force)}
    places = [Place("district", name, code, code, name) for code, name in names.items()]
    try:
        wards = store.ward_boundaries(force)["features"]
    except LookupError:
        wards = []
    for feature in wards:
        p = feature["properties"]
        if p["district_code"] in names:
            places.append(
                Place(
                    "ward",
                    p["ward_name"],
                    p["ward_code"],
                    p["district_code"],
                    names[p["district_code"]],
                )
            )
    con = store.connect()
    try:
        rows = con.execute(
            "SELECT DISTINCT lsoa_code, lsoa_name, district_code FROM lsoa_districts "
            "WHERE lsoa_name IS NOT NULL ORDER BY lsoa_name"
        ).fetchall()
    finally:
        con.close()
    places += [
        Place("neighbourhood", name, code, district, names[district])
        for code, name, district in rows
        if district in names
    ]
    return tuple(places)


def all_places(store: CrimeStore, force: str) -> tuple[Place, ...]:
    return _index(str(store.root), store.fingerprint(), force)


_KIND_ORDER = {"district": 0, "ward": 1, "neighbourhood": 2}


def find_places(store: CrimeStore, force: str, text: str) -> list[Place]:
    """Places whose name is ``text``, or (for three letters or more) contains it: whole-name
    matches first, then names starting with it, then the rest; districts before wards before
    neighbourhoods."""
    wanted = _norm(text)
    if not wanted:
        return []
    found = []
    for place in all_places(store, force):
        name = _norm(place.name)
        if name == wanted:
            rank = 0
        elif len(wanted) >= MIN_PARTIAL and name.startswith(wanted):
            rank = 1
        elif len(wanted) >= MIN_PARTIAL and wanted in name:
            rank = 2
        else:
            continue
        found.append((rank, _KIND_ORDER[place.kind], place.name, place))
    found.sort(key=lambda t: t[:3])
    return [t[3] for t in found[:MAX_RESULTS]]


def ward(store: CrimeStore, force: str, code: str) -> Place | None:
    return next((p for p in all_places(store, force) if p.kind == "ward" and p.code == code), None)
