"""Plan, priority, strategy and organisation pages show what the plan file holds."""

from __future__ import annotations

from factories import commitment_codes, example_plan

from tests.pages import Page, page, table_rows, text

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


def test_plan_page_lists_priorities_and_commitments(client, example_plans):
    expected = example_plan(PCP)
    n_priorities, expected_codes = len(expected["priorities"]), commitment_codes(expected)
    assert n_priorities > 1 and len(expected_codes) > n_priorities
    html = client.get(f"/plans/{PCP}/").content.decode()
    assert len(Page(html).all("section[aria-labelledby^=priority-]")) == n_priorities
    codes = [li["id"].removeprefix("commitment-") for li in Page(html).all("li.cp-commitment")]
    assert codes == expected_codes
    assert "Safe and secure communities are the bedrock" in html
    assert f"{n_priorities} priorities and {len(expected_codes)} commitments." in html
    assert "Partner and specific group workshops" in html
    assert "24 August to 22 September" in html


def test_plan_list_counts_priorities_and_commitments(client, example_plans):
    rows = {r[0]: r for r in table_rows(page(client.get("/")).testid("plans"))}
    for slug in (PCP, CPS):
        data = example_plan(slug)
        counts = [str(len(data.get("priorities", []))), str(len(commitment_codes(data)))]
        assert rows[data["title"]][4:6] == counts, slug
    # One plan with priorities and one without, so both cases are shown.
    assert example_plan(PCP)["priorities"] and not example_plan(CPS).get("priorities")


def test_priority_page(client, example_plans):
    priorities = example_plan(PCP)["priorities"]
    third = next(p for p in priorities if p["number"] == 3)
    assert 3 < len(priorities)  # priority 3 has a previous and a next one
    html = client.get(f"/plans/{PCP}/priorities/3/").content.decode()
    assert third["title"] in html
    # Each commitment's code links to its own page.
    links = Page(html).all(".govuk-summary-list__key a")
    letters = [c["letter"] for c in third["commitments"]]
    assert letters and [(a["href"].split("/")[-2], text(a)) for a in links] == [
        (x, f"Commitment 3{x}") for x in letters
    ]
    assert "Previous priority" in html and "Next priority" in html
    beyond = max(p["number"] for p in priorities) + 1
    assert client.get(f"/plans/{PCP}/priorities/{beyond}/").status_code == 404


def test_strategy_page_matrix_and_boards(client, example_plans):
    strategy = example_plan(CPS)
    named, expected = len(strategy["strands"]), strategy["strands_expected"]
    html = client.get(f"/plans/{CPS}/").content.decode()
    assert named and f"{named} of {expected} strands named." in html
    assert (f"{expected - named} strands not yet named" in html) == (expected > named)
    rows = [next(th.stripped_strings) for th in Page(html).all("tbody th[scope=row]")]
    assets = [f"{a['number']}. {a['name']}" for a in strategy["assets"]]
    boards = [b["name"] for b in strategy["boards"]]
    assert assets and boards
    assert rows == assets + boards
    assert "Essex Council of Voluntary Sector (ECVS) Network" in html
    assert "ECVS Network well placed to lead delivery" in html
    assert "Performance, Resource and Scrutiny Board" in html
    assert "Quarterly" in html


def test_organisation_page(client, example_plans):
    html = client.get("/organisations/safer-essex/").content.decode()
    assert "Asset 4: Public sector" in html
    assert "Safer Essex" in html
    assert "Members" not in html  # members are shown to partners only
    assert client.get("/organisations/").status_code == 200


def test_plan_file_download_and_schema(client, example_plans):
    from pathlib import Path

    response = client.get(f"/plans/{PCP}/plan.yaml")
    example = Path(__file__).resolve().parents[2] / "examples" / "plans" / f"{PCP}.yaml"
    assert response.content.decode() == example.read_text(encoding="utf-8")
    schema = client.get("/plans/schema.json")
    assert schema.status_code == 200
    assert schema["Content-Type"] == "application/schema+json"
    published = schema.json()
    assert published["title"] == "crimeplan plan file"
    # Assembled from the sections: the plans section's keys, then the measures section's.
    assert list(published["properties"])[:2] == ["schema", "slug"]
    assert list(published["properties"])[-1] == "measures"
