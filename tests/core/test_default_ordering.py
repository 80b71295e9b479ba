"""A model's default ordering sorts by its own columns: ordering by a foreign key ("plan")
follows the related model's ordering, so every default-ordered query would JOIN that table and
sort by its fields."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

MODELS = [
    model
    for label in ("plans", "measures", "delivery")
    for model in apps.get_app_config(label).get_models()
    if model._meta.ordering
]


def test_models_with_a_default_ordering_are_checked():
    names = {model.__name__ for model in MODELS}
    assert {"Priority", "Section", "Strand", "Asset", "Board", "Measure", "SeriesValue"} <= names


# Commitments sort by their priority's number: one join, on purpose, and no further.
JOINS = {"Commitment": ["plans_priority"]}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_default_ordering_joins_no_other_table(model):
    sql = str(model.objects.all().query)
    assert re.findall(r'JOIN "(\w+)"', sql) == JOINS.get(model.__name__, []), sql
