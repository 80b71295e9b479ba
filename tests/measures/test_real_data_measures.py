"""With the real police.uk files and geography loaded, every example measure computes and its
page renders; rates and harm use the real district populations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from factories import example_plan

from crimeplan.crimedata.harm import load_weights
from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.models import Measure, SeriesValue
from tests.pages import page, table_rows

pytestmark = pytest.mark.realdata

PCP = "essex-police-and-crime-plan-2016-2020"


@pytest.fixture
def real_store_dir(real_store):
    """The session's store of every real police.uk file and the geography (read only here)."""
    store, report, _geography = real_store
    assert not report.failed
    return store.root


def test_every_example_measure_computes_and_renders(
    real_store_dir, shared_data, settings, example_plans, client, cli
):
    settings.CRIMEPLAN_DATA_DIR = real_store_dir
    assert "2025-06" in cli("measures", "compute").stdout

    expected = example_plan(PCP)["measures"]
    measures = list(Measure.objects.filter(plan__slug=PCP))
    assert sorted(m.key for m in measures) == sorted(m["id"] for m in expected) and measures
    for measure in measures:
        response = client.get(f"/plans/{PCP}/measures/{measure.key}/")
        assert response.status_code == 200, measure.key
        has_data = measure.source == "policeuk"
        assert ("No series yet" not in response.content.decode()) == has_data, measure.key

    # The force area has a value for every loaded month from the measure's baseline on (the
    # months are the shared data's folders; the baseline is the example file's).
    burglary = Measure.objects.get(plan__slug=PCP, key="burglary")
    start = str(next(m for m in expected if m["id"] == "burglary")["baseline"]["start"])
    loaded = [p.name for p in (shared_data / "policeuk").iterdir() if any(p.glob("*.csv"))]
    since = [month for month in loaded if month >= start]
    assert 0 < len(since) < len(loaded)  # the baseline leaves earlier months out
    assert burglary.series_values.filter(area="force").count() == len(since)
    all_crime = Measure.objects.get(plan__slug=PCP, key="crime-rate")
    force = all_crime.series_values.get(area="force", period="2025-01")
    # All crime in the force area in January 2025 over the Census 2021 residents (1,855,200).
    assert force.denominator == 1_855_200
    assert force.value == pytest.approx(force.numerator / 1_855_200 * 1000)
    assert 4 < force.value < 8
    harm = Measure.objects.get(plan__slug=PCP, key="harm-cchi")
    assert SeriesValue.objects.filter(measure=harm, value__isnull=True).count() == 0

    listing = client.get(f"/plans/{PCP}/measures/").content.decode()
    assert "generated demo data" not in listing
    districts = client.get(f"/plans/{PCP}/measures/districts/")
    shown = {r[0]: r[1:] for r in table_rows(page(districts).testid("districts"))}
    chelmsford = shown["Chelmsford"]
    census = (shared_data / "geo" / "essex_pfa_lad_population_census2011_2021.csv").read_text()
    residents = next(int(r.split(",")[3]) for r in census.splitlines() if r.startswith("E07000070"))
    assert chelmsford[0] == f"{residents:,}"  # Census 2021 residents, the latest estimate loaded

    # Crimes and harm over the latest 12 loaded months, counted independently of the page's query.
    con = CrimeStore(real_store_dir).connect()
    months = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT strftime(month, '%Y-%m') FROM street ORDER BY 1 DESC LIMIT 12"
        ).fetchall()
    ]
    by_type = dict(
        con.execute(
            "SELECT crime_type::VARCHAR, count(*) FROM street WHERE district_code = 'E07000070' "
            "AND area_status = 'in_area' AND crime_type::VARCHAR <> 'Anti-social behaviour' "
            f"AND strftime(month, '%Y-%m') IN ({', '.join(repr(m) for m in months)}) GROUP BY 1"
        ).fetchall()
    )
    cchi, ons = load_weights("cchi"), load_weights("ons_css")
    crimes = sum(by_type.values())
    harm = sum(n * cchi.weight(t) for t, n in by_type.items())
    severity = sum(n * ons.weight(t) for t, n in by_type.items())

    # Rounded by hand, halves away from zero (the rule the page and the chart share).
    def one_place(x: float) -> str:
        return f"{Decimal(repr(x)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"

    assert chelmsford[:5] == [
        f"{residents:,}",
        f"{crimes:,}",
        one_place(crimes / residents * 1000),
        one_place(harm / residents * 1000),
        one_place(severity / residents * 1000),
    ]
