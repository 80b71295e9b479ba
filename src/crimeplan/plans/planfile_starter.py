"""A starter plan file for any force: its areas and a standard set of police.uk measures.

Everything that can be known from data is filled in (the force, its name, its districts through
``force``, the measures); only the plan's own words are left as placeholders, each starting with
:data:`PLACEHOLDER`, so the file validates as it is and a person can see what to write before
publishing. The status is ``draft`` until then.
"""

from __future__ import annotations

from typing import Any

from crimeplan.crimedata.districts import check_force, districts_for, force_name
from crimeplan.planfile.loading import dump

PLACEHOLDER = "TO WRITE:"

MAIN_CRIME_TYPES = (
    "Violence and sexual offences",
    "Burglary",
    "Robbery",
    "Vehicle crime",
    "Shoplifting",
    "Criminal damage and arson",
    "Drugs",
    "Anti-social behaviour",
)
"""The crime types a plan usually names, each measured per district."""


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("'", "").split())


def _measures() -> list[dict[str, Any]]:
    common = {"source": "policeuk", "geography": "each_district", "polarity": "lower"}
    measures: list[dict[str, Any]] = [
        {"id": "all-crime", "title": "All crime", **common, "crime_types": "all_crime",
         "description": "Street-level crimes recorded by police.uk (every type except "
                        "anti-social behaviour), by month."},
        {"id": "crime-rate", "title": "Crime per 1,000 residents", **common,
         "crime_types": "all_crime", "unit": "rate_per_1000",
         "description": "All crime divided by residents, so districts of different sizes "
                        "compare fairly."},
        {"id": "harm-cchi", "title": "Harm-weighted crime (CCHI)", **common,
         "crime_types": "all_crime", "unit": "rate_per_1000", "harm": "cchi",
         "description": "Crimes weighted by the Cambridge Crime Harm Index, so one grave crime "
                        "counts for more than many minor ones."},
    ]  # fmt: skip
    for crime_type in MAIN_CRIME_TYPES:
        measures.append(
            {"id": _slug(crime_type.replace(" and ", " ")), "title": crime_type, **common,
             "crime_types": [crime_type]}
        )  # fmt: skip
    return measures


def starter_plan(force: str, start_year: int) -> dict[str, Any]:
    """The starter plan's data for ``force`` (a police.uk force id), over four years."""
    check_force(force)
    name = force_name(force)
    districts = ", ".join(d.name for d in districts_for(force))
    commissioner = f"{force}-commissioner"
    return {
        "schema": "crimeplan/plan/1",
        "slug": f"{force}-police-and-crime-plan-{start_year}-{start_year + 4}",
        "title": f"{PLACEHOLDER} the plan's title (e.g. Police and Crime Plan {start_year}–"
        f"{start_year + 4})",
        "kind": "police_and_crime_plan",
        "owner": commissioner,
        "force": force,
        "author": f"{PLACEHOLDER} who wrote the plan",
        "period": {"start": start_year, "end": start_year + 4},
        "status": "draft",
        "vision": f"{PLACEHOLDER} the plan's vision for the {name} area ({districts})",
        "summary": [f"{PLACEHOLDER} a few sentences on what the plan sets out to do"],
        "organisations": [
            {
                "slug": commissioner,
                "name": f"{PLACEHOLDER} the commissioner's office for the {name} area",
                "kind": "commissioner",
            },
            {"slug": force, "name": name, "kind": "police"},
        ],
        "priorities": [
            {
                "number": 1,
                "title": f"{PLACEHOLDER} the first priority",
                "commitments": [{"letter": "a", "text": f"{PLACEHOLDER} the first commitment"}],
            }
        ],
        "measures": _measures(),
    }


def placeholders(data: Any, path: str = "") -> list[str]:
    """Where the plan still holds placeholder text: paths such as ``priorities[0].title``."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += placeholders(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += placeholders(value, f"{path}[{i}]")
    elif isinstance(data, str) and data.startswith(PLACEHOLDER):
        found.append(path)
    return found


def starter_plan_text(force: str, start_year: int) -> str:
    return dump(starter_plan(force, start_year))
