"""The counts pages print (plans, priorities, commitments, measures, organisations) agree with
the example plan files, counted here from the YAML rather than from what the views count."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crimeplan.accounts.models import Organisation
from crimeplan.plans.models import Plan
from tests.pages import page, table_rows, text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plans"
FILES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted(EXAMPLES.glob("*.yaml"))
}
PUBLIC = {"consultation", "published", "archived"}


def _commitments(data: dict) -> int:
    return sum(len(p.get("commitments", [])) for p in data.get("priorities", []))


def test_the_examples_give_the_counts_something_to_check():
    assert len(FILES) > 1  # one to keep public while the others are hidden, below
    assert any(data.get("measures") for data in FILES.values())
    assert any(not data.get("measures") for data in FILES.values())
    assert any(_commitments(data) for data in FILES.values())


def test_plan_list_counts_the_public_plans_and_each_plans_parts(client, example_plans):
    table = page(client.get("/")).testid("plans")
    public = [data for data in FILES.values() if data["status"] in PUBLIC]
    assert len(public) > 1  # so the caption's plural is what is checked
    assert text(table.caption) == f"{len(public)} plans"
    rows = {r[0]: r for r in table_rows(table)}
    for data in public:
        numbers = rows[data["title"]][4:6]
        assert numbers == [str(len(data.get("priorities", []))), str(_commitments(data))]


def test_plan_list_says_one_plan_not_one_plans(client, example_plans):
    first, *others = FILES
    Plan.objects.filter(slug__in=others).update(status="draft")
    table = page(client.get("/")).testid("plans")
    assert text(table.caption) == "1 plan"
    assert len(table_rows(table)) == 1


@pytest.mark.parametrize("slug", sorted(FILES))
def test_plan_page_counts_measures_priorities_and_commitments(client, example_plans, slug):
    data = FILES[slug]
    html = client.get(f"/plans/{slug}/").content.decode()
    measures = len(data.get("measures", []))
    if measures:
        assert f">Measures ({measures})</a>" in html
    else:
        assert ">Measures (" not in html
    priorities = len(data.get("priorities", []))
    if priorities:
        assert f">The {priorities} priorities</h2>" in html
        assert f"{priorities} priorities and {_commitments(data)} commitments." in html
    else:
        assert "priorities</h2>" not in html


def test_organisation_list_counts_every_organisation_the_plans_name(client, example_plans):
    named = {o["slug"] for data in FILES.values() for o in data.get("organisations", [])}
    assert named >= {data["owner"] for data in FILES.values()}
    assert set(Organisation.objects.values_list("slug", flat=True)) == named
    table = page(client.get("/organisations/")).testid("organisations")
    assert text(table.caption) == f"{len(named)} organisations"
    rows = [a["href"].split("/")[-2] for a in table.select("tbody a")]
    assert set(rows) == named and len(rows) == len(named)


@pytest.mark.django_db
def test_organisation_list_says_one_organisation(client):
    Organisation.objects.all().delete()
    Organisation.objects.create(slug="only", name="The only one", kind="other")
    html = client.get("/organisations/").content.decode()
    assert ">1 organisation</caption>" in html
