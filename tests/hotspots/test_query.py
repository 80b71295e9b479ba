"""Hotspot requests are checked the same way for the CLI, the pages and the API (no data needed)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from crimeplan.hotspots.query import (
    HotspotQuery,
    QueryError,
    parse_cell_size,
    parse_crime_types,
    parse_harm,
    parse_month,
    parse_period,
)
from crimeplan.hotspots.store_query import check_area
from crimeplan.hotspots.url_params import query_from_params

MONTHS = ["2025-01", "2025-02", "2025-03"]


def test_crime_types_by_name_slug_or_comma_list_in_police_uk_order():
    assert parse_crime_types(["robbery, Burglary", "vehicle-crime"]) == (
        "Burglary",
        "Robbery",
        "Vehicle crime",
    )
    assert parse_crime_types([]) == parse_crime_types(["all"]) == ()
    with pytest.raises(QueryError, match="unknown crime type 'Burglry'"):
        parse_crime_types(["Burglry"])


@pytest.mark.parametrize("bad", ["2025-13", "2025-1", "25-01", "", "2025-00"])
def test_months_must_be_yyyy_mm(bad):
    with pytest.raises(QueryError, match="give a month as YYYY-MM"):
        parse_month(bad)


def test_periods_cells_harm():
    assert parse_period("2025-01", "2025-01") == ("2025-01", "2025-01")
    with pytest.raises(QueryError, match="runs backwards"):
        parse_period("2025-03", "2025-01")
    assert parse_cell_size("") is None and parse_cell_size("250") == 250
    with pytest.raises(QueryError, match="out of range"):
        parse_cell_size("10")
    assert parse_harm("none") is None and parse_harm("CCHI") == "cchi"


def test_areas_are_district_codes_of_the_force_or_force():
    assert check_area("e07000070", "essex") == "E07000070"
    assert check_area("Force", "essex") == "force"
    with pytest.raises(QueryError, match=r"unknown area 'E09000001'.*E07000070 \(Chelmsford\)"):
        check_area("E09000001", "essex")


def test_url_parameters_default_to_the_given_period_and_round_trip():
    parsed = query_from_params(QueryDict(""), "E07000070", MONTHS, ("2025-01", "2025-03"))
    assert parsed.query == HotspotQuery("E07000070", "2025-01", "2025-03")
    params = QueryDict("type=Burglary&type=Robbery&from=2025-02&to=2025-03&cell=250&harm=cchi")
    query = query_from_params(params, "E07000070", MONTHS, ("2025-01", "2025-03")).query
    assert query.crime_types == ("Burglary", "Robbery") and query.cell_size == 250
    again = QueryDict(mutable=True)
    for key, value in query.parameters().items():
        again.setlist(key, value if isinstance(value, list) else [value])
    assert query_from_params(again, "E07000070", MONTHS, ("2025-01", "2025-03")).query == query


def test_url_parameters_report_each_mistake_against_its_field():
    params = QueryDict("from=2024-12&to=2025-01&cell=123&harm=x&correction=bonferroni")
    parsed = query_from_params(params, "E07000070", MONTHS, ("2025-01", "2025-03"))
    assert parsed.query is None
    assert set(parsed.errors) == {"from", "cell", "harm", "correction"}
    assert "no crime data loaded for 2024-12" in parsed.errors["from"]
    backwards = query_from_params(
        QueryDict("from=2025-03&to=2025-01"), "E07000070", MONTHS, ("2025-01", "2025-03")
    )
    assert "must not be before" in backwards.errors["to"]
