"""Harm weights: the table's figures, the derivation of the ONS weights, and weighting counts."""

from __future__ import annotations

import csv
import statistics
from importlib import resources

import pytest

from crimeplan.crimedata.categories import CRIME_TYPE_BY_SLUG
from crimeplan.crimedata.harm import HarmIndex, category_name, describe, load_weights

# Copied by hand from ../shared/data/harm/SOURCE.md ("Essex row values (days)").
ESSEX_CCHI = {
    "Violence and sexual offences": 191.9,
    "Burglary": 245.91,
    "Criminal damage and arson": 15.97,
    "Drugs": 3.72,
    "Robbery": 365,
    "Possession of weapons": 273.75,
    "Other crime": 10,
    "Public order": 7.5,
    "Vehicle crime": 5,
    "Other theft": 2,
    "Theft from the person": 2,
    "Bicycle theft": 2,
    "Shoplifting": 1,
}

FOURTEEN = {
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
}


def project_table(name: str) -> list[dict[str, str]]:
    text = resources.files("crimeplan.crimedata").joinpath(f"data/{name}").read_text()
    return list(csv.DictReader(text.splitlines()))


@pytest.mark.parametrize("index", list(HarmIndex))
def test_all_fourteen_categories_present_with_source_and_method(index):
    weights = load_weights(index)
    assert set(weights.by_category) == FOURTEEN
    assert set(CRIME_TYPE_BY_SLUG.values()) == FOURTEEN
    for w in weights.by_category.values():
        assert len(w.source) > 40 and len(w.method) > 40, w.category
    assert weights.description.short_name in {"CCHI", "ONS CSS"}


def test_essex_cchi_figures_equal_source_md():
    weights = load_weights("cchi")
    for category, days in ESSEX_CCHI.items():
        assert weights.weight(category) == days, category
    assert weights.by_category["Burglary"].unit == "days"


@pytest.mark.parametrize("index", list(HarmIndex))
def test_anti_social_behaviour_has_no_weight_and_says_why(index):
    asb = load_weights(index).by_category["Anti-social behaviour"]
    assert asb.weight is None
    assert "not a notifiable crime" in asb.method


def test_every_other_category_has_a_positive_ons_weight():
    weights = load_weights("ons_css")
    for name in FOURTEEN - {"Anti-social behaviour"}:
        assert weights.weight(name) > 0, name


def test_ons_weights_follow_from_the_subgroup_table():
    # Σ volume × subgroup median / Σ volume, recomputed from the project's derivation table.
    rows = project_table("ons_css_subgroups.csv")
    weights = load_weights("ons_css")
    categories = {r["category"] for r in rows}
    assert categories == FOURTEEN - {"Anti-social behaviour"}
    for category in categories:
        subs = [r for r in rows if r["category"] == category]
        total = sum(int(r["national_count_2024_25"]) for r in subs)
        weighted = sum(
            int(r["national_count_2024_25"]) * float(r["median_ons_weight"]) for r in subs
        )
        assert weights.weight(category) == pytest.approx(weighted / total, abs=0.005), category


def test_burglary_ons_weight_by_hand():
    # Residential: median of nine codes (seven at 465.3815, two aggravated at 2288.67) = 465.3815.
    # Non-residential: median of five codes (three at 123.0184, two at 1849.52) = 123.0184.
    # (166,316 × 465.3815 + 78,332 × 123.0184) / 244,648 = 355.757…
    assert load_weights("ons_css").weight("Burglary") == 355.76


@pytest.mark.realdata
def test_subgroup_medians_rederive_from_the_shared_ons_join(shared_data):
    """Each subgroup's codes and median come from policeuk-ons-code-join.csv; nothing invented."""
    with open(shared_data / "harm" / "policeuk-ons-code-join.csv", newline="") as f:
        join = list(csv.DictReader(f))
    with open(shared_data / "harm" / "cchi_weights.csv", newline="") as f:
        volumes = {
            (r["category"], r["prc_subgroup"]): int(r["national_count_2024_25"])
            for r in csv.DictReader(f)
        }
    code_weights: dict[str, dict[str, float]] = {}
    for r in join:
        name = category_name(r["POLICE_UK_CAT_MAP_category"])
        code_weights.setdefault(name, {})[r["ONS_SEVERITY_code"]] = float(r["ONS_SEVERITY_weight"])
    rows = project_table("ons_css_subgroups.csv")
    assert {(r["category"], r["prc_subgroup"]) for r in rows} == set(volumes)
    for category, codes in code_weights.items():
        subs = [r for r in rows if r["category"] == category]
        assigned = [c for r in subs for c in r["ons_offence_codes"].split(";")]
        assert sorted(assigned) == sorted(codes), category  # every code used exactly once
        for r in subs:
            median = statistics.median(codes[c] for c in r["ons_offence_codes"].split(";"))
            assert float(r["median_ons_weight"]) == pytest.approx(median, abs=5e-5)
            assert int(r["national_count_2024_25"]) == volumes[(category, r["prc_subgroup"])]


@pytest.mark.realdata
def test_essex_cchi_figures_equal_the_shared_force_table(shared_data):
    with open(shared_data / "harm" / "cchi_weights_by_force_category.csv", newline="") as f:
        essex = {
            r["crime_type"]: float(r["cchi_days"])
            for r in csv.DictReader(f)
            if r["force"] == "Essex"
        }
    assert essex == ESSEX_CCHI


def test_category_names_accept_slugs_and_any_case():
    assert category_name("violent-crime") == "Violence and sexual offences"
    assert category_name("CRIMINAL DAMAGE AND ARSON") == "Criminal damage and arson"
    with pytest.raises(KeyError):
        category_name("Fraud")


@pytest.mark.parametrize("index", list(HarmIndex))
def test_description_names_the_index_and_its_method(index):
    d = describe(index)
    assert d.unit and d.citation and d.method and d.caveats
    assert "Anti-social behaviour" in d.caveats[0]
    if index is HarmIndex.CCHI:
        assert "Sherman, Neyroud & Neyroud 2016" in d.summary
        assert "days of imprisonment" in d.summary


@pytest.mark.parametrize("index", list(HarmIndex))
def test_weighted_gives_every_weighted_category_and_drops_the_rest(index):
    weighted = load_weights(index).weighted
    # Anti-social behaviour is the one category with no weight in either index.
    assert set(weighted) == FOURTEEN - {"Anti-social behaviour"}
    if index is HarmIndex.CCHI:
        assert {name: weighted[name] for name in ESSEX_CCHI} == ESSEX_CCHI
    assert load_weights(index).weighted is weighted  # worked out once
