"""compute_many: many measures from one scan give what a query per measure gives for each."""

from __future__ import annotations

import duckdb
import pytest

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore, sql_string
from crimeplan.crimedata.synth import generate_policeuk, parse_months
from crimeplan.measures.definition import FORCE_AREA, MeasureDefinition, from_plan_data
from crimeplan.measures.series import (
    Series,
    _assemble,
    _ksi_totals,
    compute_many,
    district_codes,
    harm_weights_sql,
    loaded_months,
    populations,
)

CHELMSFORD = "E07000070"


# The per-measure path compute_many replaced, kept here as its oracle: one grouped SQL query per
# measure, harm summed per crime through a join on the weights table.
def _policeuk_totals(
    con: duckdb.DuckDBPyConnection, force: str, definition: MeasureDefinition
) -> dict[tuple[str, str], float]:
    """(area, month) → count or harm, for districts and the force area, in one query."""
    if not definition.crime_types:
        return {}
    types = ", ".join(sql_string(t) for t in definition.crime_types)
    if definition.harm == "none":
        value, join = "count(*)::DOUBLE", ""
    else:
        value = "coalesce(sum(w.weight), 0)::DOUBLE"
        join = (
            f"LEFT JOIN {harm_weights_sql(definition.harm)} ON w.crime_type = s.crime_type::VARCHAR"
        )
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


def measure(key: str, **fields) -> MeasureDefinition:
    item = {"id": key, "title": key, "source": "policeuk", "polarity": "lower", **fields}
    return from_plan_data(item)


DEFINITIONS = [
    measure("burglary", crime_types=["Burglary"], geography="each_district"),
    measure("all-crime", crime_types="all_crime", baseline={"start": "2023-12"}),
    measure("thefts", crime_types=["Shoplifting", "Other theft"], geography=CHELMSFORD),
    measure("asb", crime_types=["Anti-social behaviour"], geography="each_district"),
    measure("harm-cchi", crime_types="all_crime", harm="cchi", geography="each_district"),
    # Anti-social behaviour has no weight: it adds nothing to a harm total.
    measure(
        "harm-ons",
        crime_types=["Anti-social behaviour", "Robbery", "Drugs"],
        harm="ons_css",
        geography="each_district",
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
def batch_store(tmp_path_factory: pytest.TempPathFactory) -> CrimeStore:
    """Five synthetic months across a year end, small enough to build in a second."""
    folder = tmp_path_factory.mktemp("batch")
    months = parse_months("2023-10:2024-02")
    generate_policeuk(folder / "csv", months, seed=3, rows_per_month=4000)
    store = CrimeStore(folder / "store")
    report = ingest_policeuk(store, [folder / "csv"])
    assert not report.problems, report.problems
    return store


@pytest.fixture
def con(batch_store: CrimeStore):
    """A connection whose district populations are known (the synthetic store has none)."""
    con = batch_store.connect(lock_down=False)
    rows = ", ".join(
        f"('{d.code}', 2023, {d.population}, 'test'), ('{d.code}', 2024, {d.population + 500}, "
        "'test')"
        for d in districts_for("essex")
        if d.code != CHELMSFORD  # a district without a population: its rate is missing
    )
    con.execute(
        "CREATE OR REPLACE VIEW district_population AS SELECT * FROM "
        f"(VALUES {rows}) t(district_code, year, population, source)"
    )
    return con


def assert_same_series(batch, single, harm: bool) -> None:
    assert list(batch) == list(single)
    for area in single:
        got, want = batch[area], single[area]
        assert [(p.area, p.period) for p in got] == [(p.area, p.period) for p in want]
        for g, w in zip(got, want, strict=True):
            if harm:
                # crimes × weight per type against a per-crime sum: equal to rounding.
                for a, b in ((g.value, w.value), (g.numerator, w.numerator)):
                    assert (a is None) == (b is None)
                    if a is not None:
                        assert a == pytest.approx(b, rel=1e-12, abs=1e-12)
                assert g.denominator == w.denominator
            else:
                assert g == w


def test_compute_many_equals_compute_series_for_each_definition(con):
    batch = compute_many(con, "essex", DEFINITIONS)
    assert list(batch) == [d.key for d in DEFINITIONS]
    for definition in DEFINITIONS:
        single = compute_series(con, "essex", definition)
        assert_same_series(batch[definition.key], single, harm=definition.harm != "none")


def test_the_store_gives_the_cases_the_comparison_needs(con):
    batch = compute_many(con, "essex", DEFINITIONS)
    burglary = batch["burglary"]
    assert len(burglary) == 1 + len(districts_for("essex"))
    assert [p.period for p in burglary["force"]] == parse_months("2023-10:2024-02")
    assert all(p.value > 0 for p in burglary["force"])
    assert [p.period for p in batch["all-crime"]["force"]][0] == "2023-12"
    assert list(batch["thefts"]) == [CHELMSFORD]
    # Rates use the year's population; a district without one has no rate (not zero).
    rate = batch["rate"]
    assert {p.denominator for p in rate["E07000066"]} == {
        d.population + extra
        for d in districts_for("essex")
        if d.code == "E07000066"
        for extra in (0, 500)
    }
    assert {p.value for p in rate[CHELMSFORD]} == {None}
    assert all(p.value == 0 for points in batch["nothing"].values() for p in points)
    assert batch["ksi"] == {"force": []}  # no STATS19 loaded: no months
    # Anti-social behaviour is counted, but weighs nothing.
    asb = batch["asb"]["force"][0].value
    assert asb > 0
    assert batch["harm-ons"]["force"][0].value != asb


def test_compute_many_with_one_definition_and_none(con):
    burglary = DEFINITIONS[0]
    assert compute_many(con, "essex", [burglary]) == {
        "burglary": compute_series(con, "essex", burglary)
    }
    assert compute_many(con, "essex", []) == {}
    # No crime types at all: still every loaded month, each a true zero.
    nothing = DEFINITIONS[-2]
    assert compute_many(con, "essex", [nothing]) == {
        "nothing": compute_series(con, "essex", nothing)
    }


def test_compute_many_refuses_manual_measures_and_repeated_keys(con):
    manual = from_plan_data(
        {
            "id": "confidence",
            "title": "Confidence",
            "source": "manual",
            "polarity": "higher",
            "manual_source": "survey",
        }
    )
    with pytest.raises(ValueError, match="manual measure"):
        compute_many(con, "essex", [DEFINITIONS[0], manual])
    with pytest.raises(ValueError, match="unique"):
        compute_many(con, "essex", [DEFINITIONS[0], DEFINITIONS[0]])


def test_the_locked_down_reader_connection_answers_the_batch(batch_store):
    locked = batch_store.connect()
    assert compute_many(locked, "essex", DEFINITIONS[:2])["burglary"] == compute_series(
        locked, "essex", DEFINITIONS[0]
    )


def test_force_rate_divides_by_every_district_or_not_at_all(con):
    """The force area's rate divides all its crimes, so its residents must be every
    district's: with Chelmsford's estimate missing there is no force rate, not a rate over
    the other districts' residents."""
    rate = DEFINITIONS[6]
    assert rate.key == "rate"
    force = compute_many(con, "essex", [rate])["rate"]["force"]
    assert [(p.value, p.denominator) for p in force] == [(None, None)] * 5
    assert all(p.numerator > 0 for p in force)

    districts = districts_for("essex")
    rows = ", ".join(
        f"('{d.code}', 2023, {d.population}, 'test'), ('{d.code}', 2024, {d.population + 500}, "
        "'test')"
        for d in districts
    )
    con.execute(
        "CREATE OR REPLACE VIEW district_population AS SELECT * FROM "
        f"(VALUES {rows}) t(district_code, year, population, source)"
    )
    force = compute_many(con, "essex", [rate])["rate"]["force"]
    everyone_2023 = sum(d.population for d in districts)
    everyone_2024 = everyone_2023 + 500 * len(districts)
    assert [p.denominator for p in force] == [everyone_2023] * 3 + [everyone_2024] * 2
    for point in force:
        assert point.value == pytest.approx(point.numerator / point.denominator * 1000)
