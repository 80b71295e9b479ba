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

import duckdb

from crimeplan.measures.definition import FORCE_AREA, MeasureDefinition
from crimeplan.measures.harm import load_weights
from crimeplan.measures.spc import Observation


@dataclass(frozen=True)
class SeriesPoint:
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
            "SELECT DISTINCT strftime(month, '%Y-%m') FROM ksi ORDER BY 1"
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
    earliest after it), so a rate never silently uses a missing denominator."""
    rows = con.execute(
        "SELECT p.district_code, p.year, p.population FROM district_population p "
        "JOIN districts d ON d.code = p.district_code WHERE d.force = ?",
        [force],
    ).fetchall()
    by_district: dict[str, dict[int, float]] = {}
    for code, year, population in rows:
        by_district.setdefault(code, {})[int(year)] = float(population)
    result: dict[tuple[str, int], float] = {}
    for year in set(years):
        total, complete = 0.0, bool(by_district)
        for code, estimates in by_district.items():
            earlier = [y for y in estimates if y <= year]
            chosen = max(earlier) if earlier else min(estimates)
            result[(code, year)] = estimates[chosen]
            total += estimates[chosen]
        if complete:
            result[(FORCE_AREA, year)] = total
    return result


def _weights_sql(index: str) -> str:
    weights = load_weights(index)
    values = ", ".join(
        "('{}', {})".format(name.replace("'", "''"), w.weight)
        for name, w in weights.by_category.items()
        if w.weight is not None
    )
    return f"(VALUES {values}) w(crime_type, weight)"


def _policeuk_totals(
    con: duckdb.DuckDBPyConnection, force: str, definition: MeasureDefinition
) -> dict[tuple[str, str], float]:
    """(area, month) → count or harm, for districts and the force area, in one query."""
    if not definition.crime_types:
        return {}
    types = ", ".join("'" + t.replace("'", "''") + "'" for t in definition.crime_types)
    if definition.harm == "none":
        value, join = "count(*)::DOUBLE", ""
    else:
        value = "coalesce(sum(w.weight), 0)::DOUBLE"
        join = f"LEFT JOIN {_weights_sql(definition.harm)} ON w.crime_type = s.crime_type::VARCHAR"
    rows = con.execute(
        f"""
        SELECT coalesce(s.district_code, '{FORCE_AREA}') AS area,
               strftime(s.month, '%Y-%m') AS period, {value} AS value
        FROM street s {join}
        WHERE s.force = ? AND s.area_status = 'in_area'
          AND s.crime_type::VARCHAR IN ({types})
        GROUP BY GROUPING SETS ((s.district_code, s.month), (s.month))
        """,
        [force],
    ).fetchall()
    return {(area, period): value for area, period, value in rows}


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
    series: Series = {}
    for area in areas:
        points = []
        for month in months:
            count = totals.get((area, month), 0.0)
            if definition.unit == "rate_per_1000":
                residents = population.get((area, int(month[:4])))
                value = count / residents * 1000 if residents else None
                points.append(SeriesPoint(area, month, value, count, residents))
            else:
                points.append(SeriesPoint(area, month, count, count, None))
        series[area] = points
    return series


def compute_series(
    con: duckdb.DuckDBPyConnection, force: str, definition: MeasureDefinition
) -> Series:
    """Every series of one police.uk or STATS19 measure (manual measures are not computed)."""
    if definition.source == "manual":
        raise ValueError(
            f"{definition.key} is a manual measure: its values are entered, not computed"
        )
    source = "stats19_ksi" if definition.source == "stats19_ksi" else "policeuk"
    months = loaded_months(con, force, source)
    districts = district_codes(con, force)
    areas = definition.areas(districts)
    totals = (
        _ksi_totals(con, force)
        if source == "stats19_ksi"
        else _policeuk_totals(con, force, definition)
    )
    population = (
        populations(con, force, {int(m[:4]) for m in months})
        if definition.unit == "rate_per_1000"
        else {}
    )
    return _assemble(definition, totals, months, areas, population)


def observations_of(points: Iterable[SeriesPoint]) -> tuple[Observation, ...]:
    return tuple(Observation(p.period, p.value) for p in points)


def _policeuk_type_counts(
    con: duckdb.DuckDBPyConnection, force: str, crime_types: Iterable[str]
) -> tuple[list[str], dict[str, dict[tuple[str, str], float]]]:
    """The loaded months, and crime type → (area, month) → crimes in the area for districts and
    the force area, from one scan of the force's street records."""
    wanted = sorted(set(crime_types))
    types = ", ".join("'" + t.replace("'", "''") + "'" for t in wanted) or "NULL"
    # Every record of the force is grouped, so every loaded month shows up (as loaded_months
    # gives them); only in-area records of the wanted types are counted.
    rows = con.execute(
        f"""
        SELECT s.crime_type::VARCHAR,
               CASE WHEN grouping(s.district_code) = 1 THEN '{FORCE_AREA}'
                    ELSE s.district_code END,
               strftime(s.month, '%Y-%m'),
               count(*) FILTER (
                   WHERE s.area_status = 'in_area' AND s.crime_type::VARCHAR IN ({types})
               )::DOUBLE
        FROM street s
        WHERE s.force = ?
        GROUP BY GROUPING SETS ((s.crime_type, s.district_code, s.month), (s.crime_type, s.month))
        HAVING grouping(s.district_code) = 1 OR s.district_code IS NOT NULL
        """,
        [force],
    ).fetchall()
    months: set[str] = set()
    by_type: dict[str, dict[tuple[str, str], float]] = {}
    for crime_type, area, period, n in rows:
        months.add(period)
        if n:
            by_type.setdefault(crime_type, {})[(area, period)] = n
    return sorted(months), by_type


def _combine(
    definition: MeasureDefinition,
    by_type: Mapping[str, Mapping[tuple[str, str], float]],
    weights: Mapping[str, Mapping[str, float]],
) -> dict[tuple[str, str], float]:
    """One measure's (area, month) totals from the per-type counts: a count adds up its types'
    crimes; a harm measure adds up crimes × weight (a type without a weight adds nothing)."""
    if definition.harm == "none":
        factors = {t: 1.0 for t in definition.crime_types}
    else:
        table = weights[definition.harm]
        factors = {t: table[t] for t in definition.crime_types if t in table}
    totals: dict[tuple[str, str], float] = {}
    for crime_type, factor in factors.items():
        for key, n in by_type.get(crime_type, {}).items():
            totals[key] = totals.get(key, 0.0) + n * factor
    return totals


def compute_many(
    con: duckdb.DuckDBPyConnection, force: str, definitions: Iterable[MeasureDefinition]
) -> dict[str, Series]:
    """Every series of many police.uk or STATS19 measures, keyed by measure key.

    Gives what :func:`compute_series` gives for each definition, from one scan of the street
    records for all of them (crimes counted by type, area and month, then added up per measure)
    instead of one scan each. Counts are equal exactly; harm totals are crimes × weight summed
    over types, equal to the per-crime sum to rounding (about 1e-15 relative).
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
    by_type: dict[str, dict[tuple[str, str], float]] = {}
    if police:
        crime_types = (t for d in police for t in d.crime_types)
        months["policeuk"], by_type = _policeuk_type_counts(con, force, crime_types)
    if ksi:
        months["stats19_ksi"] = loaded_months(con, force, "stats19_ksi")
    weights = {
        harm: {
            name: float(w.weight)
            for name, w in load_weights(harm).by_category.items()
            if w.weight is not None
        }
        for harm in {d.harm for d in police if d.harm != "none"}
    }
    ksi_totals = _ksi_totals(con, force) if ksi else {}
    rates = any(d.unit == "rate_per_1000" for d in definitions)
    years = {int(m[:4]) for ms in months.values() for m in ms}
    population = populations(con, force, years) if rates else {}
    result: dict[str, Series] = {}
    for definition in definitions:
        if definition.source == "stats19_ksi":
            totals, source = ksi_totals, "stats19_ksi"
        else:
            totals, source = _combine(definition, by_type, weights), "policeuk"
        result[definition.key] = _assemble(
            definition, totals, months[source], definition.areas(districts), population
        )
    return result
