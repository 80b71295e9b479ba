"""Plan, priority, strategy and organisation pages show what the plan file holds."""

from __future__ import annotations

from tests.pages import Page, page, table_rows, text

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


def test_plan_page_lists_priorities_and_commitments(client, example_plans):
    html = client.get(f"/plans/{PCP}/").content.decode()
    assert len(Page(html).all("section[aria-labelledby^=priority-]")) == 7
    codes = [li["id"].removeprefix("commitment-") for li in Page(html).all("li.cp-commitment")]
    assert len(codes) == 53
    assert codes[0] == "1a" and codes[-1] == "7g"
    assert "Safe and secure communities are the bedrock" in html
    assert "7 priorities and 53 commitments." in html
    assert "Partner and specific group workshops" in html
    assert "24 August to 22 September" in html


def test_plan_list_counts_priorities_and_commitments(client, example_plans):
    rows = {r[0]: r for r in table_rows(page(client.get("/")).testid("plans"))}
    assert rows["Police and Crime Plan 2016–2020"][4:6] == ["7", "53"]
    assert rows["Crime Prevention Strategy 2021–25"][4:6] == ["0", "0"]


def test_priority_page(client, example_plans):
    html = client.get(f"/plans/{PCP}/priorities/3/").content.decode()
    assert "Be tough on domestic abuse" in html
    # Each commitment's code links to its own page.
    links = Page(html).all(".govuk-summary-list__key a")
    assert [(a["href"].split("/")[-2], text(a)) for a in links] == [
        (x, f"Commitment 3{x}") for x in "abcdefgh"
    ]
    assert "Previous priority" in html and "Next priority" in html
    assert client.get(f"/plans/{PCP}/priorities/8/").status_code == 404


def test_strategy_page_matrix_and_boards(client, example_plans):
    html = client.get(f"/plans/{CPS}/").content.decode()
    assert "1 of 14 strands named." in html
    assert "13 strands not yet named" in html
    rows = [next(th.stripped_strings) for th in Page(html).all("tbody th[scope=row]")]
    assert rows[:5] == [
        "1. Police asset 1",
        "2. Police asset 2",
        "3. Police asset 3",
        "4. Public sector",
        "5. Private, voluntary and community sector",
    ]
    assert rows[5:10] == [
        "Local Policing Board",
        "Chief Officer Group (COG)",
        "Performance, Resource and Scrutiny Board",
        "Safer Essex",
        "PFCC Strategic Board",
    ]
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
