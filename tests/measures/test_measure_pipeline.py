"""From the store to the page: series values, SPC, icons and reading, and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from factories import STREET_HEADER

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.measures.definition import from_plan_data
from crimeplan.measures.models import ComputeRun, Measure, MeasureRebase, SeriesValue
from crimeplan.measures.series import compute_many
from crimeplan.measures.spc import Observation, SpcInput, analyse
from tests.pages import Page, summary, table_head, table_rows, text

PCP = "essex-police-and-crime-plan-2016-2020"
CHELMSFORD, BASILDON = "E07000070", "E07000066"


def test_series_counts_each_district_and_the_force_area(crime_store):
    con = crime_store.connect()
    burglary = from_plan_data(
        {
            "id": "b",
            "title": "Burglary",
            "source": "policeuk",
            "polarity": "lower",
            "crime_types": ["Burglary"],
            "geography": "each_district",
        }
    )
    series = compute_many(con, "essex", [burglary])["b"]
    chelmsford = [p.value for p in series[CHELMSFORD]]
    basildon = [p.value for p in series[BASILDON]]
    assert chelmsford == [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]
    assert basildon == [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 5, 6, 5, 6]
    # The force area adds the districts; the crime without a location is not in any area.
    assert [p.value for p in series["force"]] == [
        a + b for a, b in zip(chelmsford, basildon, strict=True)
    ]
    # A district with no burglaries in a loaded month is a true zero, not missing.
    assert {p.value for p in series["E07000073"]} == {0}
    assert len(series) == 15

    asb = from_plan_data(
        {
            "id": "a",
            "title": "ASB",
            "source": "policeuk",
            "polarity": "lower",
            "crime_types": ["Anti-social behaviour"],
            "geography": CHELMSFORD,
        }
    )
    assert [p.value for p in compute_many(con, "essex", [asb])["a"][CHELMSFORD]] == [3] * 14


def test_harm_series_weights_by_cchi(crime_store):
    harm = from_plan_data(
        {
            "id": "h",
            "title": "Harm",
            "source": "policeuk",
            "polarity": "lower",
            "crime_types": "all_crime",
            "harm": "cchi",
        }
    )
    series = compute_many(crime_store.connect(), "essex", [harm])["h"]["force"]
    # Burglary weighs 245.91 CCHI days (Essex); ASB is not a crime and is not counted.
    assert series[0].value == pytest.approx((10 + 5) * 245.91)


def test_compute_command_stores_series_and_page_shows_them(crime_store, example_plans, client, cli):
    assert "2025-02" in cli("measures", "compute", "--plan", PCP).stdout
    run = ComputeRun.objects.get()
    assert run.measures == Measure.objects.filter(plan__slug=PCP).count()
    assert run.last_month == "2025-02"
    burglary = Measure.objects.get(plan__slug=PCP, key="burglary")
    stored = list(SeriesValue.objects.filter(measure=burglary, area=CHELMSFORD).order_by("period"))
    assert [s.value for s in stored] == [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]

    html = client.get(f"/plans/{PCP}/measures/burglary/?area={CHELMSFORD}").content.decode()
    shown = Page(html)
    series = shown.testid("series")
    assert table_head(series) == [
        "Month",
        "Value",
        "Mean",
        "Lower limit",
        "Upper limit",
        "Lower 2σ line",
        "Upper 2σ line",
        "Target",
        "Special cause",
    ]
    rows = table_rows(series)
    # Counts are shown as whole numbers, exactly as text.
    assert [r[1] for r in rows] == "10 12 11 13 12 11 10 14 12 11 13 12 11 40".split()
    values = [r[1:5] for r in rows]
    # The limits, worked by hand: mean 192 / 14 = 13.714. The moving ranges sum to 48 over 13
    # (mean 3.69); the 29 into the spike is above 3.267 × 3.69 = 12.06 and is screened out,
    # leaving 19 / 12 = 1.583, so the limits are 13.714 ± 2.66 × 1.583 = 13.714 ± 4.212.
    assert {v[1] for v in values} == {"13.71"}
    assert {v[2] for v in values} == {"9.50"}
    assert {v[3] for v in values} == {"17.93"}
    # The 2σ lines at two thirds of the way to the limits: 13.714 ± 2.808; the target 10%
    # below the mean (12.34), as the chart draws them.
    assert {(r[5], r[6], r[7]) for r in rows} == {("10.91", "16.52", "12")}
    seg = analyse(
        SpcInput([Observation(s.period, s.value) for s in stored], "lower", counts=True)
    ).segments[0]
    assert (seg.mean, seg.lower_limit, seg.upper_limit) == pytest.approx(
        (192 / 14, 192 / 14 - 2.66 * 19 / 12, 192 / 14 + 2.66 * 19 / 12)
    )
    # The 40 in 2025-02 is far above the upper limit: special cause concern (lower is better).
    assert seg.upper_limit < 40
    assert rows[-1][0] == "2025-02 (baseline)" and rows[-1][-1] == "Beyond a process limit (high)"
    assert [r[-1] for r in rows].count("Beyond a process limit (high)") == 1
    assert shown.all('[data-icon="variation-concern-high"]')
    assert "Burglary in Chelmsford shows" in shown.text("[data-testid=reading]")
    assert summary(shown.testid("judgement"))["Last data month"] == "2025-02"
    # The CSV holds the page's figures.
    csv_file = client.get(
        f"/plans/{PCP}/measures/burglary/?area={CHELMSFORD}&download=csv&table=series"
    )
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[1:] == rows


def test_show_command_prints_series_and_reading(crime_store, example_plans, cli):
    cli("measures", "compute")
    text = cli("measures", "show", "burglary", "--area", CHELMSFORD).stdout
    assert "2025-02" in text and "40.00" in text
    assert "Burglary in Chelmsford" in text
    assert "Icons:" in text


def test_unknown_area_is_404_and_uncomputed_measure_says_so(
    crime_store, example_plans, client, cli
):
    cli("measures", "compute")
    assert client.get(f"/plans/{PCP}/measures/burglary/?area=E99999999").status_code == 404
    html = client.get(f"/plans/{PCP}/measures/road-ksi/").content.decode()
    assert "No series yet" in html


def test_priority_page_shows_measures_with_icons(crime_store, example_plans, client, cli):
    cli("measures", "compute")
    html = client.get(f"/plans/{PCP}/priorities/1/").content.decode()
    assert 'data-measure="burglary"' in html
    assert 'data-measure="special-constables"' in html
    listing = Page(client.get(f"/plans/{PCP}/measures/").content)
    rows = {r[0]: r for r in table_rows(listing.testid("measures"))}
    assert len(rows) == 13
    # The latest force-area burglary count: 40 in Chelmsford and 6 in Basildon.
    assert rows["Burglary"][2:4] == ["2025-02", "46"]
    # No residents are loaded in this store, so a rate has no value rather than an invented one.
    harm = rows["Harm-weighted crime (CCHI)"]
    assert harm[3] == "–"
    assert "in the force area has no data to read yet." in harm[-1]
    # What the icons mean is on the page that shows them.
    assert "unusually high" in text(listing.testid("icon-legend"))


def test_measure_page_target_is_the_change_against_the_baseline_mean(
    crime_store, example_plans, client, cli
):
    cli("measures", "compute")
    values = [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]
    html = client.get(f"/plans/{PCP}/measures/burglary/?area={CHELMSFORD}").content.decode()
    # The plan's 2023 baseline has no data here, so every point forms the baseline; the target
    # is a 10% reduction on its mean.
    mean = sum(values) / len(values)  # 13.71; the target is 12.34 burglaries, shown as 12
    assert (round(mean), round(mean * 0.9)) == (14, 12)
    target = summary(Page(html).testid("judgement"))["Target"]
    assert target == "12 crimes: 10% below the 2023 average of 14"
    assert "No data falls in the baseline period (to 2023-12)" in html


def test_measure_page_draws_recorded_rebases(crime_store, example_plans, client, cli):
    cli("measures", "compute")
    burglary = Measure.objects.get(plan__slug=PCP, key="burglary")
    for period, reason in (("2024-08", "New recording standard"), ("2019-01", "Before the data")):
        MeasureRebase.objects.create(
            measure=burglary,
            period=period,
            reason=reason,
            decided_on=dt.date(2024, 9, 1),
            approved_by="Chief Constable",
        )
    html = client.get(f"/plans/{PCP}/measures/burglary/?area={CHELMSFORD}").content.decode()
    assert "From 2024-08: New recording standard (approved by Chief Constable on 2024-09-01)" in (
        html
    )
    assert "1 recorded rebase(s) fall outside the data shown and are not drawn." in html
    # Two segments, each its own baseline: 2024-01..07 (79 / 7) and 2024-08..2025-02 (113 / 7).
    means = [r[2] for r in table_rows(Page(html).testid("series"))]
    assert means == ["11.29"] * 7 + ["16.14"] * 7


def test_district_comparison_page(crime_store, example_plans, client):
    html = client.get(f"/plans/{PCP}/measures/districts/").content.decode()
    table = html.split('data-testid="districts"')[1].split("</table>")[0]
    chelmsford = table.split("Chelmsford</th>")[1].split("</tr>")[0]
    cells = re.findall(r">([\d,.–]+)</td>", chelmsford)
    # Latest 12 loaded months are 2024-03..2025-02; population is not loaded in this store.
    assert cells[1] == f"{sum([10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40][2:]):,}"
    assert cells[0] == "–"  # no residents loaded: no rate is invented
    assert "Cambridge Crime Harm Index" in html
    # The XLSX holds the page's figures: numbers where the page has numbers, blanks for "–".
    from openpyxl import load_workbook

    rows = table_rows(Page(html).testid("districts"))
    xlsx = client.get(f"/plans/{PCP}/measures/districts/?download=xlsx&table=districts")
    assert xlsx["Content-Disposition"].endswith('district-comparison-districts.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content))["districts"]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == len(rows) == 14
    for row, cells_shown in zip(values, rows, strict=True):
        assert row[0] == cells_shown[0]
        assert [
            "–" if v is None else f"{v:,.{0 if i < 2 else 1}f}" for i, v in enumerate(row[1:])
        ] == cells_shown[1:]


def test_district_comparison_follows_a_new_load(crime_store, example_plans, client, tmp_path):
    """The comparison is cached on the store's state, so loading data shows at once."""

    def chelmsford_crimes() -> str:
        html = client.get(f"/plans/{PCP}/measures/districts/").content.decode()
        table = html.split('data-testid="districts"')[1].split("</table>")[0]
        return re.findall(r">([\d,.–]+)</td>", table.split("Chelmsford</th>")[1])[1]

    values = [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]
    assert chelmsford_crimes() == f"{sum(values[2:]):,}"
    assert chelmsford_crimes() == f"{sum(values[2:]):,}"  # served from the cache
    # A reload of 2025-02 with 5 Chelmsford burglaries instead of 40.
    path = tmp_path / "reload" / "2025-02-essex-street.csv"
    path.parent.mkdir()
    place = ["0.47", "51.73", "On or near Test Street", "E0199999A", "Chelmsford 001A"]
    rows = [
        [f"reload-{n}", "2025-02", "Essex Police", "Essex Police", *place, "Burglary", "", ""]
        for n in range(5)
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([STREET_HEADER, *rows])
    assert not ingest_policeuk(crime_store, [path]).problems
    assert chelmsford_crimes() == f"{sum(values[2:-1]) + 5:,}"


def test_every_page_says_when_figures_are_synthetic(crime_store, example_plans, client, cli):
    from crimeplan.measures.models import ComputeRun

    cli("measures", "compute")
    assert ComputeRun.objects.get().synthetic is False
    assert 'data-testid="synthetic"' not in client.get("/").content.decode()
    ComputeRun.objects.update(synthetic=True)
    for url in ("/", f"/plans/{PCP}/measures/", "/hotspots/"):
        assert 'data-testid="synthetic"' in client.get(url).content.decode(), url
