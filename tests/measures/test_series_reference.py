"""``compute_many`` builds its series from an array of counts; it must give exactly (``==``, not
approximately) what the dictionary-based version it replaced gave, kept below as
``reference_compute_many`` (unchanged apart from names).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb
import pytest

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.harm import load_weights
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.crimedata.synth import generate_policeuk, parse_months
from crimeplan.measures.definition import FORCE_AREA, MeasureDefinition, from_plan_data
from crimeplan.measures.series import (
    Series,
    SeriesPoint,
    _ksi_totals,
    compute_many,
    district_codes,
    loaded_months,
    populations,
)


def reference_policeuk_type_counts(
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


def reference_combine(
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


def reference_assemble(
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


def reference_compute_many(
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
        months["policeuk"], by_type = reference_policeuk_type_counts(con, force, crime_types)
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
            totals, source = reference_combine(definition, by_type, weights), "policeuk"
        result[definition.key] = reference_assemble(
            definition, totals, months[source], definition.areas(districts), population
        )
    return result


CHELMSFORD = "E07000070"


def measure(key: str, **fields: object) -> MeasureDefinition:
    item = {"id": key, "title": key, "source": "policeuk", "polarity": "lower", **fields}
    return from_plan_data(item)


DEFINITIONS = [
    measure("burglary", crime_types=["Burglary"], geography="each_district"),
    measure("all-crime", crime_types="all_crime", baseline={"start": "2023-12"}),
    measure("thefts", crime_types=["Shoplifting", "Other theft"], geography=CHELMSFORD),
    measure("unknown-district", crime_types=["Drugs"], geography="E99999999"),
    measure("asb", crime_types=["Anti-social behaviour"], geography="each_district"),
    measure("harm-cchi", crime_types="all_crime", harm="cchi", geography="each_district"),
    measure(
        "harm-ons",
        crime_types=["Robbery", "Anti-social behaviour", "Drugs", "Robbery"],
        harm="ons_css",
        geography="each_district",
        baseline={"start": "2024-01"},
    ),
    measure("rate", crime_types="all_crime", unit="rate_per_1000", geography="each_district"),
    measure(
        "harm-rate",
        crime_types="all_crime",
        harm="cchi",
        unit="rate_per_1000",
        geography="each_district",
    ),
    measure("nothing", crime_types=[], geography="each_district"),
    from_plan_data({"id": "ksi", "title": "KSI", "source": "stats19_ksi", "polarity": "lower"}),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CrimeStore:
    """Five synthetic months across a year end."""
    folder = tmp_path_factory.mktemp("reference")
    generate_policeuk(folder / "csv", parse_months("2023-10:2024-02"), seed=5, rows_per_month=3000)
    store = CrimeStore(folder / "store")
    report = ingest_policeuk(store, [folder / "csv"])
    assert not report.problems, report.problems
    return store


@pytest.fixture
def con(store: CrimeStore) -> duckdb.DuckDBPyConnection:
    """A connection with known populations (one district has none)."""
    con = store.connect(lock_down=False)
    rows = ", ".join(
        f"('{d.code}', 2023, {d.population}, 'test'), ('{d.code}', 2024, {d.population + 7}, "
        "'test')"
        for d in districts_for("essex")
        if d.code != CHELMSFORD
    )
    con.execute(
        "CREATE OR REPLACE VIEW district_population AS SELECT * FROM "
        f"(VALUES {rows}) t(district_code, year, population, source)"
    )
    return con


def assert_exactly_equal(got: dict[str, Series], want: dict[str, Series]) -> None:
    assert got == want
    for key, series in want.items():
        for area, points in series.items():
            for a, b in zip(got[key][area], points, strict=True):
                assert type(a.value) is type(b.value), (key, area)
                assert type(a.numerator) is type(b.numerator), (key, area)


@pytest.mark.parametrize("force", ["essex", "kent"])  # kent: a force with no records
def test_compute_many_equals_the_reference_exactly(
    con: duckdb.DuckDBPyConnection, force: str
) -> None:
    assert_exactly_equal(
        compute_many(con, force, DEFINITIONS), reference_compute_many(con, force, DEFINITIONS)
    )


def test_records_without_a_district_or_a_type_count_as_before(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Out-of-area records, records with no district (force area only) and with no crime type
    (their month is loaded, nothing is counted) are all handled as the reference handles them."""
    (view,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'street'").fetchone()
    con.execute(view.replace("CREATE VIEW street AS", "CREATE VIEW street_stored AS", 1))
    con.execute(
        "CREATE OR REPLACE VIEW street AS SELECT * REPLACE ("
        "CASE WHEN line % 7 = 0 THEN NULL ELSE district_code END AS district_code, "
        "CASE WHEN line % 11 = 0 THEN NULL ELSE crime_type END AS crime_type) "
        "FROM street_stored"
    )
    nulls = con.execute(
        "SELECT count(*) FILTER (district_code IS NULL AND area_status = 'in_area'), "
        "count(*) FILTER (crime_type IS NULL), count(*) FILTER (area_status <> 'in_area') "
        "FROM street"
    ).fetchone()
    assert all(nulls), nulls
    counted = compute_many(con, "essex", DEFINITIONS[:1])["burglary"]
    assert sorted(counted) == sorted([FORCE_AREA, *district_codes(con, "essex")])
    assert_exactly_equal(
        compute_many(con, "essex", DEFINITIONS), reference_compute_many(con, "essex", DEFINITIONS)
    )
