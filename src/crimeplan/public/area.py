"""What the "your area" page shows for a district or a ward, read from the crime store.

Counts come from the same store queries the measures use; every reading of change over time is
the measures' SPC (:func:`crimeplan.measures.spc.analyse`) put into words by
:func:`crimeplan.measures.reading.read_result`, so the public page never says more than the
statistics allow and never quotes a bare month-on-month percentage. police.uk data is open and
is shown as published.

A ward's crimes are the district's crimes whose (anonymised) map point lies inside the ward's
boundary; police.uk moves each crime to a nearby "snap point", so a crime near a ward's edge
may be counted in the ward next door.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.comparison import DistrictRow, district_comparison
from crimeplan.measures.definition import ASB
from crimeplan.measures.reading import Reading, read_result
from crimeplan.measures.series import area_type_counts, loaded_months
from crimeplan.measures.spc import Observation, Polarity, SpcInput, SpcResult, analyse

RECENT_MONTHS = 12
ALL_CRIME = "All crime (not counting anti-social behaviour)"


@dataclass(frozen=True)
class TypeTrend:
    crime_type: str
    months: list[str]
    counts: list[int]
    result: SpcResult
    reading: Reading

    @property
    def monthly(self) -> list[tuple[str, int]]:
        return list(zip(self.months, self.counts, strict=True))

    @property
    def recent_total(self) -> int:
        return sum(self.counts[-RECENT_MONTHS:])


@dataclass(frozen=True)
class AreaCrime:
    name: str
    months: list[str]
    all_crime: TypeTrend | None
    asb: TypeTrend | None
    types: list[TypeTrend]
    """Each crime type (anti-social behaviour among them), most recorded in the recent months
    first."""
    outcomes: list[tuple[str, int]]

    @property
    def recent(self) -> list[str]:
        return self.months[-RECENT_MONTHS:]

    @property
    def recent_label(self) -> str:
        recent = self.recent
        return f"{recent[0]} to {recent[-1]}" if recent else "no months loaded"

    def commonest(self, n: int = 3) -> list[str]:
        return [t.crime_type for t in self.types if t.recent_total > 0][:n]


def _trend(name: str, area_name: str, months: list[str], counts: list[int]) -> TypeTrend:
    observations = [Observation(m, float(c)) for m, c in zip(months, counts, strict=True)]
    result = analyse(SpcInput(observations, polarity=Polarity.LOWER, counts=True))
    return TypeTrend(name, months, counts, result, read_result(result, name, area_name))


def _summarise(
    area_name: str, months: list[str], by_type: dict[str, list[int]], outcomes
) -> AreaCrime:
    if not months:
        return AreaCrime(area_name, [], None, None, [], [])
    trends = [_trend(t, area_name, months, c) for t, c in by_type.items()]
    trends.sort(key=lambda t: (-t.recent_total, t.crime_type))
    crime_counts = [sum(c[i] for t, c in by_type.items() if t != ASB) for i in range(len(months))]
    all_crime = _trend(ALL_CRIME, area_name, months, crime_counts)
    asb = next((t for t in trends if t.crime_type == ASB), None)
    return AreaCrime(area_name, months, all_crime, asb, trends, outcomes)


def _outcomes_sql(where: str) -> str:
    return f"""
        SELECT coalesce(nullif(last_outcome_category, ''), 'No outcome recorded'), count(*)
        FROM street
        WHERE force = ? AND area_status = 'in_area' AND crime_type::VARCHAR <> '{ASB}'
          AND strftime(month, '%Y-%m') >= ? AND {where}
        GROUP BY 1 ORDER BY 2 DESC, 1
    """


def district_crime(store: CrimeStore, force: str, code: str, name: str) -> AreaCrime:
    con = store.connect()
    try:
        months, by_type = area_type_counts(con, force, code)
        recent = months[-RECENT_MONTHS:]
        outcomes = (
            con.execute(_outcomes_sql("district_code = ?"), [force, recent[0], code]).fetchall()
            if recent
            else []
        )
    finally:
        con.close()
    return _summarise(name, months, by_type, [(o, int(n)) for o, n in outcomes])


def ward_crime(
    store: CrimeStore, force: str, district_code: str, ward_code: str, name: str
) -> AreaCrime:
    feature = next(
        f
        for f in store.ward_boundaries(force)["features"]
        if f["properties"]["ward_code"] == ward_code
    )
    boundary = shape(feature["geometry"])
    con = store.connect()
    try:
        months = loaded_months(con, force)
        rows = con.execute(
            """
            SELECT strftime(month, '%Y-%m') AS month, crime_type::VARCHAR AS crime_type,
                   longitude, latitude,
                   coalesce(nullif(last_outcome_category, ''), 'No outcome recorded') AS outcome
            FROM street
            WHERE force = ? AND district_code = ? AND area_status = 'in_area'
              AND longitude IS NOT NULL AND latitude IS NOT NULL
            """,
            [force, district_code],
        ).fetchnumpy()
    finally:
        con.close()
    inside = shapely.contains_xy(boundary, rows["longitude"], rows["latitude"])
    month_index = {m: i for i, m in enumerate(months)}
    by_type: dict[str, list[int]] = {}
    outcome_counts: dict[str, int] = {}
    recent = set(months[-RECENT_MONTHS:])
    for month, crime_type, outcome in zip(
        np.asarray(rows["month"])[inside],
        np.asarray(rows["crime_type"])[inside],
        np.asarray(rows["outcome"])[inside],
        strict=True,
    ):
        by_type.setdefault(crime_type, [0] * len(months))[month_index[month]] += 1
        if month in recent and crime_type != ASB:
            outcome_counts[outcome] = outcome_counts.get(outcome, 0) + 1
    outcomes = sorted(outcome_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return _summarise(name, months, by_type, outcomes)


@dataclass(frozen=True)
class Comparison:
    district: DistrictRow | None
    force: DistrictRow
    period_label: str


def compare_with_force(store: CrimeStore, force: str, code: str, force_name: str) -> Comparison:
    con = store.connect()
    try:
        comparison = district_comparison(con, force)
    finally:
        con.close()
    row = next((r for r in comparison.rows if r.code == code), None)
    return Comparison(row, comparison.force_row(force_name), comparison.period_label)
