"""The "your area" pages against the raw police.uk files and ONS boundaries, counted here
without the crime store."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from crimeplan.public.places import find_places

pytestmark = pytest.mark.realdata

CHELMSFORD = "E07000070"
MOULSHAM_LODGE = "Moulsham Lodge"
MONTHS = ["2025-05", "2025-06"]


def _raw_rows(shared_data: Path) -> list[dict[str, str]]:
    rows = []
    for month in MONTHS:
        for path in sorted((shared_data / "policeuk" / month).glob("*-street.csv")):
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows += list(csv.DictReader(handle))
    return rows


def _chelmsford_lsoas(shared_data: Path) -> set[str]:
    with (shared_data / "geo" / "essex_pfa_lsoa21_lad_lookup.csv").open() as handle:
        return {r["lsoa21cd"] for r in csv.DictReader(handle) if r["lad_cd"] == CHELMSFORD}


def _ward(shared_data: Path, name: str):
    features = json.loads(
        (shared_data / "geo" / "boundaries" / "ward" / f"{CHELMSFORD}.geojson").read_text()
    )
    feature = next(f for f in features["features"] if f["properties"]["WD25NM"] == name)
    return feature["properties"]["WD25CD"], shape(feature["geometry"])


def _table_counts(html: str) -> dict[str, int]:
    table = html[html.index('data-testid="types"') :]
    table = table[: table.index("</table>")]
    found = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([\d,]+)</td>',
        table,
    )
    return {name: int(n.replace(",", "")) for name, n in found}


def test_typing_a_ward_name_finds_the_ward(crime_data):
    places = find_places(crime_data, "essex", "moulsham lodge")
    assert [(p.kind, p.name, p.district_name) for p in places] == [
        ("ward", MOULSHAM_LODGE, "Chelmsford")
    ]
    assert [p.kind for p in find_places(crime_data, "essex", "Chelmsford")][:1] == ["district"]
    lsoa = find_places(crime_data, "essex", "Chelmsford 001A")
    assert [(p.kind, p.district_code) for p in lsoa] == [("neighbourhood", CHELMSFORD)]
    assert find_places(crime_data, "essex", "Atlantis") == []
    # Partial names list every match: the Witham wards of Braintree.
    witham = find_places(crime_data, "essex", "witham")
    assert len(witham) >= 3 and all("Witham" in p.name for p in witham)


def test_finder_redirects_a_single_match_and_lists_several(client, crime_data):
    response = client.get("/your-area/", {"place": MOULSHAM_LODGE})
    assert response.status_code == 302
    assert re.fullmatch(rf"/your-area/{CHELMSFORD}/wards/E05\d{{6}}/", response["Location"])
    listed = client.get("/your-area/", {"place": "witham"}).content.decode()
    assert 'data-testid="matches"' in listed and "ward in Braintree" in listed
    missing = client.get("/your-area/", {"place": "Atlantis"})
    assert (
        missing.status_code == 400
        and "No district, ward or neighbourhood" in missing.content.decode()
    )
    assert (
        client.get("/your-area/", {"district": CHELMSFORD})["Location"]
        == f"/your-area/{CHELMSFORD}/"
    )


def test_district_page_counts_equal_the_raw_files(client, crime_data, shared_data):
    lsoas = _chelmsford_lsoas(shared_data)
    expected = Counter(r["Crime type"] for r in _raw_rows(shared_data) if r["LSOA code"] in lsoas)
    html = client.get(f"/your-area/{CHELMSFORD}/").content.decode()
    assert _table_counts(html) == dict(expected)
    # Plain readings, never a month-on-month percentage.
    assert "Burglary in Chelmsford" in html
    assert not re.search(
        r"\d+(\.\d+)?%", html[html.index('id="crime"') : html.index('id="advice"')]
    )
    # Outcomes as published, for the crimes (not anti-social behaviour).
    outcomes = Counter(
        r["Last outcome category"] or "No outcome recorded"
        for r in _raw_rows(shared_data)
        if r["LSOA code"] in lsoas and r["Crime type"] != "Anti-social behaviour"
    )
    top, n = outcomes.most_common(1)[0]
    assert f'{top}</th><td class="govuk-table__cell govuk-table__cell--numeric">{n:,}</td>' in html


def test_district_page_compares_per_1000_with_the_force_area(client, crime_data, shared_data):
    rows = _raw_rows(shared_data)
    lsoas = _chelmsford_lsoas(shared_data)
    with (shared_data / "geo" / "essex_pfa_lad_population_census2011_2021.csv").open() as handle:
        population = {
            r["lad_cd"]: int(r["census2021_usual_residents_rounded_100"])
            for r in csv.DictReader(handle)
        }
    with (shared_data / "geo" / "essex_pfa_lsoa21_lad_lookup.csv").open() as handle:
        in_force = {r["lsoa21cd"] for r in csv.DictReader(handle)}
    crimes = sum(
        1 for r in rows if r["LSOA code"] in lsoas and r["Crime type"] != "Anti-social behaviour"
    )
    force = sum(
        1 for r in rows if r["LSOA code"] in in_force and r["Crime type"] != "Anti-social behaviour"
    )
    html = client.get(f"/your-area/{CHELMSFORD}/").content.decode()
    table = html[html.index('data-testid="comparison"') :]
    table = table[: table.index("</table>")]
    assert f"{crimes / population[CHELMSFORD] * 1000:,.1f}</td>" in table
    assert f"{force / sum(population.values()) * 1000:,.1f}</td>" in table
    assert f">{crimes:,}</td>" in table and f">{force:,}</td>" in table


def test_ward_page_counts_crimes_whose_point_is_in_the_ward(client, crime_data, shared_data):
    code, boundary = _ward(shared_data, MOULSHAM_LODGE)
    lsoas = _chelmsford_lsoas(shared_data)
    raw = [r for r in _raw_rows(shared_data) if r["LSOA code"] in lsoas and r["Longitude"]]
    inside = shapely.contains_xy(
        boundary, [float(r["Longitude"]) for r in raw], [float(r["Latitude"]) for r in raw]
    )
    expected = Counter(r["Crime type"] for r, hit in zip(raw, inside, strict=True) if hit)
    assert sum(expected.values()) > 20
    html = client.get(f"/your-area/{CHELMSFORD}/wards/{code}/").content.decode()
    assert '<h1 class="govuk-heading-xl">Moulsham Lodge</h1>' in html
    assert _table_counts(html) == dict(expected)
    assert "may be counted in the ward next door" in html
    # The map shades this ward among the district's wards (24 in Chelmsford).
    area_map = html[html.index('data-testid="area-map"') :]
    area_map = area_map[: area_map.index("</svg>")]
    assert area_map.count("<path ") == 24
    assert area_map.count('fill="#1d70b8"') == 1
    assert ">Map of Moulsham Lodge, a ward of Chelmsford</title>" in area_map


def test_advice_covers_the_commonest_types_and_names_its_source(client, crime_data, shared_data):
    lsoas = _chelmsford_lsoas(shared_data)
    common = [
        t
        for t, _ in Counter(
            r["Crime type"] for r in _raw_rows(shared_data) if r["LSOA code"] in lsoas
        ).most_common(3)
    ]
    html = client.get(f"/your-area/{CHELMSFORD}/").content.decode()
    cards = re.findall(
        r'<h3 class="govuk-summary-card__title">([^<]+)</h3>', html[html.index('id="advice"') :]
    )
    assert cards == common
    assert html.count("Based on guidance from") == 3


def test_public_hotspots_name_places_and_show_no_z_or_p(client, crime_data, shared_data):
    features = json.loads(
        (shared_data / "geo" / "boundaries" / "ward" / f"{CHELMSFORD}.geojson").read_text()
    )
    wards = {f["properties"]["WD25NM"] for f in features["features"]}
    html = client.get(f"/your-area/{CHELMSFORD}/hotspots/").content.decode()
    table = html[html.index('data-testid="hot-places"') :]
    table = table[: table.index("</table>")]
    places = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', table)
    assert len(places) == 10 and set(places) <= wards | {"Chelmsford (outside any ward boundary)"}
    assert not re.search(r"\b[zp][- ]?(score|value)s?\b|\bz\b|Gi\*|E\d{6}N\d{6}", html, re.I)
    assert "snap point" in html
    # A square with no crimes of its own is said to be hot because of its neighbours.
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    for row in rows[1:]:
        zero = '<td class="govuk-table__cell govuk-table__cell--numeric">0</td>' in row
        assert zero == ('data-testid="from-neighbours"' in row)
