"""Districts side by side: crime and harm per 1,000 residents over the latest twelve months.

Counts alone rank the biggest districts worst; rates divide by residents, and harm rates weight
each crime by its seriousness, so a district with fewer but graver crimes is not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from crimeplan.crimedata.harm import HarmIndex
from crimeplan.measures.definition import ASB
from crimeplan.measures.series import harm_weights_sql, loaded_months, populations


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    population: float | None
    crimes: int
    cchi_harm: float
    ons_harm: float

    def per_1000(self, value: float) -> float | None:
        return value / self.population * 1000 if self.population else None

    @property
    def crime_rate(self) -> float | None:
        return self.per_1000(self.crimes)

    @property
    def cchi_rate(self) -> float | None:
        return self.per_1000(self.cchi_harm)

    @property
    def ons_rate(self) -> float | None:
        return self.per_1000(self.ons_harm)


@dataclass(frozen=True)
class Comparison:
    months: list[str]
    rows: list[DistrictRow]

    def force_row(self, name: str = "the force area") -> DistrictRow:
        """The force area as one row: every district's crimes over every district's residents
        (None when any district lacks a population, so the rate is never a partial one)."""
        populations = [r.population for r in self.rows]
        population = None if any(p is None for p in populations) else sum(populations)
        return DistrictRow(
            "force",
            name,
            population,
            sum(r.crimes for r in self.rows),
            sum(r.cchi_harm for r in self.rows),
            sum(r.ons_harm for r in self.rows),
        )

    @property
    def period_label(self) -> str:
        if not self.months:
            return "no data"
        return f"{self.months[0]} to {self.months[-1]} ({len(self.months)} months with data)"


def district_comparison(con: duckdb.DuckDBPyConnection, force: str, window: int = 12) -> Comparison:
    months = loaded_months(con, force)[-window:]
    if not months:
        return Comparison([], [])
    month_list = ", ".join(f"'{m}'" for m in months)
    rows = con.execute(
        f"""
        SELECT d.code, d.name,
               count(s.crime_type) AS crimes,
               coalesce(sum(c.weight), 0) AS cchi,
               coalesce(sum(o.weight), 0) AS ons
        FROM districts d
        LEFT JOIN street s ON s.district_code = d.code AND s.force = d.force
             AND s.area_status = 'in_area' AND s.crime_type::VARCHAR <> '{ASB}'
             AND strftime(s.month, '%Y-%m') IN ({month_list})
        LEFT JOIN {harm_weights_sql(HarmIndex.CCHI, "c")}
             ON c.crime_type = s.crime_type::VARCHAR
        LEFT JOIN {harm_weights_sql(HarmIndex.ONS_CSS, "o")}
             ON o.crime_type = s.crime_type::VARCHAR
        WHERE d.force = ?
        GROUP BY d.code, d.name ORDER BY d.name
        """,
        [force],
    ).fetchall()
    # Rates over the window use the residents of the window's last year.
    year = int(months[-1][:4])
    population = populations(con, force, [year])
    return Comparison(
        months,
        [
            DistrictRow(
                code, name, population.get((code, year)), int(crimes), float(cchi), float(ons)
            )
            for code, name, crimes, cchi, ons in rows
        ],
    )
