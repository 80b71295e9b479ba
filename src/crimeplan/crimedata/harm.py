"""Harm weights for police.uk crime categories, and harm-weighted counts.

Counting crimes treats a shoplifting like a rape. Weighting each crime by a measure of its
seriousness gives a harm score instead. Two indices are offered, because they answer slightly
different questions and a board should see which one it is reading:

* **CCHI** (Cambridge Crime Harm Index): days of imprisonment at the Sentencing Council starting
  point for a first offender. The per-category figures are the Essex row of a published
  aggregation (median CCHI per Home Office PRC offence subgroup, weighted by Essex 2024/25
  subgroup volumes).
* **ONS CSS** (Crime Severity Score weights): the ONS weight per Home Office offence code,
  derived from sentences actually passed. police.uk categories group many offence codes, so the
  project derives one weight per category the same way the CCHI figures were built: the median
  weight of the offence codes in each PRC subgroup (each code once), then weighted between
  subgroups by national 2024/25 recorded volumes. ``data/ons_css_subgroups.csv`` lists which codes
  went into which subgroup and the volumes used, so the derivation can be checked. A plain mean
  over codes would be dominated by homicide (weight 7,973); a median over codes still treats a
  rare serious offence like a common minor one, so weights run high where the commonest offence
  in a subgroup is the least serious (common assault, criminal damage). The description says so.

**Anti-social behaviour** has no weight in either index: it is not a notifiable crime. It is
left out of harm totals and the number left out is reported, rather than being given an assumed
floor (such as 1 day) that would present an invented figure as part of a published index.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources

from crimeplan.crimedata.categories import CRIME_TYPE_BY_SLUG, CRIME_TYPES

_BY_LOWER_NAME = {name.lower(): name for name in CRIME_TYPES}


class HarmIndex(StrEnum):
    """The harm indices; the one list measures, hotspots, the schema and the API offer."""

    CCHI = "cchi"
    ONS_CSS = "ons_css"

    @property
    def label(self) -> str:
        """The index's name as a choice in a form or a plan file's vocabulary."""
        return _LABELS[self]


_LABELS = {
    HarmIndex.CCHI: "Cambridge Crime Harm Index",
    HarmIndex.ONS_CSS: "ONS Crime Severity Score",
}


@dataclass(frozen=True)
class HarmIndexDescription:
    """What a page, the API or the command line prints beside any harm figure."""

    index: HarmIndex
    name: str
    short_name: str
    unit: str
    citation: str
    summary: str
    method: str
    caveats: tuple[str, ...]


DESCRIPTIONS: dict[HarmIndex, HarmIndexDescription] = {
    HarmIndex.CCHI: HarmIndexDescription(
        index=HarmIndex.CCHI,
        name="Cambridge Crime Harm Index",
        short_name="CCHI",
        unit="days of imprisonment",
        citation=(
            "Sherman, L., Neyroud, P. W. and Neyroud, E. (2016) 'The Cambridge Crime Harm Index: "
            "measuring total harm from crime based on sentencing guidelines', Policing 10(3), "
            "171-183. Figures: CCHI 2026 update, Cambridge Centre for Evidence-Based Policing."
        ),
        summary=(
            "Cambridge Crime Harm Index (Sherman, Neyroud & Neyroud 2016): each crime counts as "
            "the days of imprisonment the Sentencing Council guideline gives a first offender as "
            "its starting point, so one robbery (365 days) weighs as much as 365 shoplifting "
            "offences (1 day each)."
        ),
        method=(
            "Median CCHI days per Home Office recorded-crime offence subgroup, weighted by Essex "
            "Police 2024/25 subgroup volumes to each police.uk category (Essex figures)."
        ),
        caveats=(
            "Anti-social behaviour is not a notifiable crime, has no CCHI value and is not "
            "included in harm totals.",
            "A police.uk category mixes offences of different seriousness; a category weight is "
            "an average and cannot tell a common assault from a grievous one.",
            "The CCHI is published by the University of Cambridge for research use.",
        ),
    ),
    HarmIndex.ONS_CSS: HarmIndexDescription(
        index=HarmIndex.ONS_CSS,
        name="ONS Crime Severity Score weights",
        short_name="ONS CSS",
        unit="severity weight",
        citation=(
            "Office for National Statistics, Crime Severity Score data tool, list of weights "
            "(c. 2020). Contains public sector information licensed under the Open Government "
            "Licence v3.0."
        ),
        summary=(
            "ONS Crime Severity Score weights: each offence is weighted by the sentences actually "
            "passed for it in England and Wales (average days in custody, with non-custodial "
            "sentences converted to equivalent days)."
        ),
        method=(
            "Median ONS weight of the offence codes in each Home Office recorded-crime subgroup, "
            "weighted by national 2024/25 subgroup volumes to each police.uk category."
        ),
        caveats=(
            "Anti-social behaviour is not a notifiable crime, is not in the Crime Severity Score "
            "and is not included in harm totals.",
            "Within a subgroup every offence code counts once, so a rare serious offence counts "
            "as much as a common minor one; weights run high for categories whose commonest "
            "offence is the least serious (violence, criminal damage).",
        ),
    ),
}


@dataclass(frozen=True)
class HarmWeight:
    index: HarmIndex
    category: str
    weight: float | None
    unit: str
    source: str
    method: str


@dataclass(frozen=True)
class HarmWeights:
    """All 14 category weights of one index, with the description to show beside them."""

    index: HarmIndex
    by_category: Mapping[str, HarmWeight]

    @property
    def description(self) -> HarmIndexDescription:
        return DESCRIPTIONS[self.index]

    def weight(self, category: str) -> float | None:
        return self.by_category[category_name(category)].weight

    @cached_property
    def weighted(self) -> Mapping[str, float]:
        """Category name → weight, for the categories that have one (an unweighted category,
        such as anti-social behaviour, is absent and so adds no harm)."""
        return {
            name: float(w.weight) for name, w in self.by_category.items() if w.weight is not None
        }


def category_name(category: str) -> str:
    """The police.uk category name for a CSV name (any case) or an API slug."""
    if category in CRIME_TYPE_BY_SLUG:
        return CRIME_TYPE_BY_SLUG[category]
    name = _BY_LOWER_NAME.get(category.strip().lower())
    if name is None:
        raise KeyError(f"not a police.uk crime category: {category!r}")
    return name


@cache
def load_weights(index: HarmIndex | str) -> HarmWeights:
    """Read one index's weights from the project's table ``data/harm_weights.csv``."""
    index = HarmIndex(index)
    text = resources.files("crimeplan.crimedata").joinpath("data/harm_weights.csv").read_text()
    weights: dict[str, HarmWeight] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["index"] != index.value:
            continue
        name = category_name(row["category"])
        weights[name] = HarmWeight(
            index=index,
            category=name,
            weight=float(row["weight"]) if row["weight"] else None,
            unit=row["unit"],
            source=row["source"],
            method=row["method"],
        )
    missing = set(CRIME_TYPES) - set(weights)
    if missing:
        raise ValueError(f"harm_weights.csv lacks {index} rows for {sorted(missing)}")
    return HarmWeights(index=index, by_category=weights)


def describe(index: HarmIndex | str) -> HarmIndexDescription:
    return DESCRIPTIONS[HarmIndex(index)]
