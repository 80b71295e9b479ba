"""Monthly series for measure definitions, computed from the crime store in one DuckDB query.

Every series of a measure (the force area and, when asked, each district) comes from a single
grouped query, and every measure of a plan from one scan per source, so computing all measures
for a plan stays well under a second on a force's data.

Missing is not zero: the series covers the months the store holds for the source (months not
loaded are simply absent, and the SPC reads the gap), while a loaded month with no matching
crimes in an area is a true zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import numpy as np

from crimeplan.crimedata.harm import load_weights
from crimeplan.crimedata.store import sql_string
from crimeplan.measures.definition import FORCE_AREA, MeasureDefinition
from crimeplan.measures.spc import Observation


class SeriesPoint(NamedTuple):
    """One month of one area's series (a named tuple: built once per month, area and measure)."""

    area: str
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


Series = dict[str, list[SeriesPoint]]
"""Area code → points in period order."""


def loaded_months(
    con: duckdb.DuckDBPyConnection, force: str, source: str = "policeuk"
) -> list[str]:
    if source == "stats19_ksi":
        rows = con.execute(
            "SELECT DISTINCT strftime(month, '%Y-%m') FROM ksi WHERE district_code IN "
            "(SELECT code FROM districts WHERE force = ?) ORDER BY 1",
            [force],
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT DISTINCT strftime(month, '%Y-%m') FROM street WHERE force = ? ORDER BY 1",
            [force],
        ).fetchall()
    return [r[0] for r in rows]


def district_codes(con: duckdb.DuckDBPyConnection, force: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT code FROM districts WHERE force = ? ORDER BY code", [force]
        ).fetchall()
    ]


def populations(
    con: duckdb.DuckDBPyConnection, force: str, years: Iterable[int]
) -> dict[tuple[str, int], float]:
    """(area, year) → residents, using the latest estimate at or before the year (else the
    earliest after it), so a rate never silently uses a missing denominator.

    The force area's residents are the sum over its districts, given only when every district
    of the force has an estimate: the force area's rate divides all of its crimes, so a sum
    over some districts would overstate it."""
    rows = con.execute(
        "SELECT p.district_code, p.year, p.population FROM district_population p "
        "JOIN districts d ON d.code = p.district_code WHERE d.force = ?",
        [force],
    ).fetchall()
    by_district: dict[str, dict[int, float]] = {}
    for code, year, population in rows:
        by_district.setdefault(code, {})[int(year)] = float(population)
    districts = district_codes(con, force)
    complete = bool(districts) and all(code in by_district for code in districts)
    result: dict[tuple[str, int], float] = {}
    for year in set(years):
        total = 0.0
        for code, estimates in by_district.items():
            earlier = [y for y in estimates if y <= year]
            chosen = max(earlier) if earlier else min(estimates)
            result[(code, year)] = estimates[chosen]
            total += estimates[chosen]
        if complete:
            result[(FORCE_AREA, year)] = total
    return result


def harm_weights_sql(index: str, alias: str = "w") -> str:
    """The index's weights as a DuckDB VALUES list (crime_type, weight); unweighted types are
    absent, so a LEFT JOIN gives them no harm."""
    weights = load_weights(index)
    values = ", ".join(
        f"({sql_string(name)}, {weight})" for name, weight in weights.weighted.items()
    )
    return f"(VALUES {values}) {alias}(crime_type, weight)"


def _ksi_totals(con: duckdb.DuckDBPyConnection, force: str) -> dict[tuple[str, str], float]:
    rows = con.execute(
        f"""
        SELECT coalesce(k.district_code, '{FORCE_AREA}'), strftime(k.month, '%Y-%m'),
               sum(k.ksi)::DOUBLE
        FROM ksi k JOIN districts d ON d.code = k.district_code AND d.force = ?
        GROUP BY GROUPING SETS ((k.district_code, k.month), (k.month))
        """,
        [force],
    ).fetchall()
    return {(area, period): value for area, period, value in rows}


def _assemble(
    definition: MeasureDefinition,
    totals: Mapping[tuple[str, str], float],
    months: list[str],
    areas: list[str],
    population: Mapping[tuple[str, int], float],
) -> Series:
    if definition.baseline_start:
        months = [m for m in months if m >= definition.baseline_start]
    return {
        area: _points(
            definition, area, months, [totals.get((area, m), 0.0) for m in months], population
        )
        for area in areas
    }


def _points(
    definition: MeasureDefinition,
    area: str,
    months: list[str],
    counts: list[float],
    population: Mapping[tuple[str, int], float],
) -> list[SeriesPoint]:
    """One area's points from its monthly totals (a rate divides by the year's residents)."""
    if definition.unit != "rate_per_1000":
        return [
            SeriesPoint(area, m, count, count, None)
            for m, count in zip(months, counts, strict=True)
        ]
    points = []
    for month, count in zip(months, counts, strict=True):
        residents = population.get((area, int(month[:4])))
        value = count / residents * 1000 if residents else None
        points.append(SeriesPoint(area, month, value, count, residents))
    return points


def observations_of(points: Iterable[SeriesPoint]) -> tuple[Observation, ...]:
    # A list first: tuple() of a generator grows the tuple step by step, and pages call this
    # for every series of a plan.
    return tuple([Observation(p.period, p.value) for p in points])


@dataclass(frozen=True)
class _TypeCounts:
    """In-area crimes by crime type, area and loaded month, as one array.

    ``counts[types[t], areas[a], m]`` is the number of crimes of type ``t`` in area ``a`` in
    ``months[m]``; the force area (row 0) counts every in-area crime of the force, with or
    without a district. Holding them as an array lets a measure add up its types in a few
    vector operations instead of a dictionary update per area and month.
    """

    months: list[str]
    types: dict[str, int]
    areas: dict[str, int]
    counts: np.ndarray


_TYPE_COUNTS_SQL = """
    SELECT force, crime_type::VARCHAR AS crime_type, district_code, month, n
    FROM (
        SELECT s.force, s.crime_type, s.district_code, s.month,
               count(*) FILTER (WHERE s.area_status = 'in_area') AS n
        FROM street s
        WHERE list_contains(?, s.force)
        GROUP BY ALL
    )
"""


def _policeuk_type_counts(con: duckdb.DuckDBPyConnection, force: str) -> _TypeCounts:
    """The loaded months and the in-area crimes by type, area and month, from one scan of the
    force's street records."""
    return policeuk_type_counts_by_force(con, [force])[force]


def policeuk_type_counts_by_force(
    con: duckdb.DuckDBPyConnection, forces: list[str]
) -> dict[str, _TypeCounts]:
    """:func:`_policeuk_type_counts` of many forces from one scan of the street records, for
    a site (or a national benchmark) computing every force's measures at once."""
    # Every record of a force is grouped, so every loaded month shows up (as loaded_months
    # gives them); only in-area records are counted. Grouping on the stored date and type and
    # turning the few distinct months and types into text afterwards spares a strftime and a
    # cast per record.
    rows = con.execute(_TYPE_COUNTS_SQL, [list(forces)]).fetchnumpy()
    force_of_row = np.asarray(rows.pop("force"), dtype=object)
    found = {}
    for force in forces:
        mask = force_of_row == force
        found[force] = _type_counts_of({k: v[mask] for k, v in rows.items()})
    return found


def _type_counts_of(rows: dict[str, np.ndarray]) -> _TypeCounts:
    month_values, month_of_row = np.unique(rows["month"], return_inverse=True)
    months = np.datetime_as_string(month_values.astype("datetime64[M]"), unit="M").tolist()
    # A masked (NULL) entry comes out of tolist() as None.
    types, type_of_row = _codes(rows["crime_type"].tolist(), first=0, null=-1)
    areas, area_of_row = _codes(rows["district_code"].tolist(), first=1, null=0)
    areas = {FORCE_AREA: 0, **areas}
    shape = (len(types), len(areas), len(months))
    n = rows["n"].astype(np.float64)
    typed = type_of_row >= 0
    cells = (type_of_row * shape[1] + area_of_row) * shape[2] + month_of_row.reshape(-1)
    force_cells = type_of_row * shape[1] * shape[2] + month_of_row.reshape(-1)
    size = shape[0] * shape[1] * shape[2]
    # A record without a district counts for the force area only (its row 0 cells are the
    # force total, added separately below).
    district = typed & (area_of_row > 0)
    counts = np.bincount(cells[district], weights=n[district], minlength=size)
    counts += np.bincount(force_cells[typed], weights=n[typed], minlength=size)
    return _TypeCounts(months, types, areas, counts.reshape(shape))


def area_type_counts(
    con: duckdb.DuckDBPyConnection, force: str, area: str
) -> tuple[list[str], dict[str, list[int]]]:
    """One area's in-area records by police.uk type and loaded month: (months, type → counts),
    from the same scan the measures use, so a public page and a measure never disagree."""
    counts = _policeuk_type_counts(con, force)
    index = counts.areas.get(area)
    if index is None:
        return counts.months, {}
    return counts.months, {
        name: [int(v) for v in counts.counts[t, index]] for name, t in counts.types.items()
    }


def _codes(values: list[str | None], first: int, null: int) -> tuple[dict[str, int], np.ndarray]:
    """Number the distinct values from ``first`` in order of appearance, and give each row's
    number (``null`` for ``None``), with dictionary lookups done in C rather than a loop."""
    numbers: dict[str, int] = {
        v: n for n, v in enumerate((v for v in dict.fromkeys(values) if v is not None), first)
    }
    lookup: dict[str | None, int] = {None: null}
    lookup.update(numbers)
    return numbers, np.fromiter(map(lookup.__getitem__, values), dtype=np.int64, count=len(values))


def _combine(
    definition: MeasureDefinition,
    type_counts: _TypeCounts,
    weights: Mapping[str, Mapping[str, float]],
) -> np.ndarray:
    """One measure's totals by area and month from the per-type counts: a count adds up its
    types' crimes; a harm measure adds up crimes × weight (a type without a weight adds
    nothing). Types are added in the definition's order, so every total is the same sum of the
    same terms as adding them up one (area, month) at a time."""
    if definition.harm == "none":
        factors = {t: 1.0 for t in definition.crime_types}
    else:
        table = weights[definition.harm]
        factors = {t: table[t] for t in definition.crime_types if t in table}
    totals = np.zeros(type_counts.counts.shape[1:])
    for crime_type, factor in factors.items():
        index = type_counts.types.get(crime_type)
        if index is not None:
            totals += type_counts.counts[index] * factor
    return totals


def _assemble_counts(
    definition: MeasureDefinition,
    totals: np.ndarray,
    type_counts: _TypeCounts,
    areas: list[str],
    population: Mapping[tuple[str, int], float],
) -> Series:
    """What :func:`_assemble` gives, from a measure's (area, month) array of totals."""
    months = type_counts.months
    if definition.baseline_start:
        kept = [j for j, m in enumerate(months) if m >= definition.baseline_start]
        months = [months[j] for j in kept]
        totals = totals[:, kept]
    series: Series = {}
    for area in areas:
        row = type_counts.areas.get(area)
        counts = totals[row].tolist() if row is not None else [0.0] * len(months)
        series[area] = _points(definition, area, months, counts, population)
    return series


def compute_many(
    con: duckdb.DuckDBPyConnection,
    force: str,
    definitions: Iterable[MeasureDefinition],
    type_counts: _TypeCounts | None = None,
) -> dict[str, Series]:
    """Every series of many police.uk or STATS19 measures, keyed by measure key.

    Gives what a query per measure would give for each definition (the tests keep that
    query as their oracle), from one scan of the street
    records for all of them (crimes counted by type, area and month, then added up per measure)
    instead of one scan each. Counts are equal exactly; harm totals are crimes × weight summed
    over types, equal to the per-crime sum to rounding (about 1e-15 relative). ``type_counts``:
    the force's counts when the caller has them (see :func:`policeuk_type_counts_by_force`).
    """
    definitions = list(definitions)
    keys = [d.key for d in definitions]
    if len(set(keys)) != len(keys):
        raise ValueError("measure keys must be unique: " + ", ".join(sorted(keys)))
    for definition in definitions:
        if definition.source == "manual":
            raise ValueError(
                f"{definition.key} is a manual measure: its values are entered, not computed"
            )
    if not definitions:
        return {}
    police = [d for d in definitions if d.source != "stats19_ksi"]
    ksi = [d for d in definitions if d.source == "stats19_ksi"]
    districts = district_codes(con, force)
    months: dict[str, list[str]] = {}
    if police:
        type_counts = type_counts or _policeuk_type_counts(con, force)
        months["policeuk"] = type_counts.months
    if ksi:
        months["stats19_ksi"] = loaded_months(con, force, "stats19_ksi")
    weights = {harm: load_weights(harm).weighted for harm in {d.harm for d in police} - {"none"}}
    ksi_totals = _ksi_totals(con, force) if ksi else {}
    rates = any(d.unit == "rate_per_1000" for d in definitions)
    years = {int(m[:4]) for ms in months.values() for m in ms}
    population = populations(con, force, years) if rates else {}
    result: dict[str, Series] = {}
    for definition in definitions:
        areas = definition.areas(districts)
        if definition.source == "stats19_ksi":
            result[definition.key] = _assemble(
                definition, ksi_totals, months["stats19_ksi"], areas, population
            )
        else:
            assert type_counts is not None
            totals = _combine(definition, type_counts, weights)
            result[definition.key] = _assemble_counts(
                definition, totals, type_counts, areas, population
            )
    return result
