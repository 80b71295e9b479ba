"""A commitment's own page: its text, and each measure that evidences it judged in every area."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from crimeplan.crimedata.districts import districts_for
from crimeplan.measures.models import Measure, SeriesValue
from crimeplan.measures.spc import Observation, SpcInput, analyse
from crimeplan.plans.models import Plan
from tests.pages import Page, table_rows, text

PCP = "essex-police-and-crime-plan-2016-2020"
CHELMSFORD, BASILDON = "E07000070", "E07000066"
CHELMSFORD_BURGLARY = [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]
PCP_FILE = Path(__file__).resolve().parents[2] / "examples" / "plans" / f"{PCP}.yaml"


def plan_file() -> dict:
    return yaml.safe_load(PCP_FILE.read_text(encoding="utf-8"))


def rows(html: str, measure: str) -> dict[str, list[str]]:
    """Area code → the row's cells (latest month, value, target, variation, assurance) from a
    measure's area table; the code comes from the row's link to the measure in that area."""
    table = Page(html).testid(f"areas-{measure}")
    found = {}
    for row in table.select("tbody tr"):
        code = row.select_one("th a")["href"].split("?area=")[1]
        found[code] = [text(cell) for cell in row.select("td")]
    return found


def _row(html: str, measure: str, code: str):
    table = Page(html).testid(f"areas-{measure}")
    return next(r for r in table.select("tbody tr") if r.select_one(f'a[href$="area={code}"]'))


def test_commitment_page_judges_each_measure_in_every_area(crime_store, example_plans, client, cli):
    cli("measures", "compute")
    commitment = plan_file()["priorities"][0]["commitments"][3]
    assert commitment["letter"] == "d"
    response = client.get(f"/plans/{PCP}/priorities/1/commitments/d/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commitment 1d" in html and commitment["text"] in html
    # The 2016–2020 plan is read against 2024–2025 data, and the page says so.
    assert text(Page(html).testid("data-period")) == (
        "The figures cover 2024-01 to 2025-02. That is after the plan's own period "
        "(2016–2020): they show what has happened since, not what the plan delivered at the "
        "time."
    )
    evidencing = Measure.objects.filter(
        plan__slug=PCP, commitments__letter="d", commitments__priority__number=1
    )
    # One section per evidencing measure, in the plan's order, and no other.
    sections = [s["data-measure"] for s in Page(html).all("section[data-measure]")]
    assert sections == list(evidencing.order_by("order", "key").values_list("key", flat=True))
    assert "burglary" in sections

    burglary = rows(html, "burglary")
    stored = Measure.objects.get(plan__slug=PCP, key="burglary")
    areas = set(SeriesValue.objects.filter(measure=stored).values_list("area", flat=True))
    assert set(burglary) == areas and len(areas) == 15
    # The force area leads, then the districts by name.
    names = {d.code: d.name for d in districts_for("essex")}
    assert list(burglary) == ["force", *sorted(areas - {"force"}, key=names.__getitem__)]
    # Latest month 2025-02, counts as whole numbers: 40 burglaries in Chelmsford, 6 in Basildon,
    # 46 in the force area.
    assert burglary["force"][:2] == ["2025-02", "46"]
    assert burglary[CHELMSFORD][:2] == ["2025-02", "40"]
    assert burglary[BASILDON][:2] == ["2025-02", "6"]
    # The target is 10% off the baseline mean (every point, as no data falls in 2023), shown
    # as burglaries are counted: whole numbers, with what it is set against.
    mean = sum(CHELMSFORD_BURGLARY) / len(CHELMSFORD_BURGLARY)  # 13.71
    assert round(mean * 0.9) == 12 and round(mean) == 14
    assert burglary[CHELMSFORD][2] == "12 crimes: 10% below the 2023 average of 14"
    # Each icon has its words beside it.
    assert burglary[CHELMSFORD][3] == "Concern (high)"
    # Chelmsford's 40 is beyond its upper limit: special cause concern, shown by its icon.
    result = analyse(
        SpcInput([Observation(f"m{i}", v) for i, v in enumerate(CHELMSFORD_BURGLARY)], "lower")
    )
    assert result.segments[0].upper_limit < 40
    assert _row(html, "burglary", CHELMSFORD).select('[data-icon="variation-concern-high"]')
    assert not _row(html, "burglary", BASILDON).select('[data-icon="variation-concern-high"]')
    assert f'href="/plans/{PCP}/measures/burglary/?area={CHELMSFORD}"' in html

    # The headline reads the force area: 46 in 2025-02 is beyond its upper limit.
    basildon = [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 5, 6, 5, 6]
    force = [c + b for c, b in zip(CHELMSFORD_BURGLARY, basildon, strict=True)]
    limits = analyse(SpcInput([Observation(f"m{i}", v) for i, v in enumerate(force)], "lower"))
    assert limits.segments[0].upper_limit < 46
    section = Page(html).one('section[data-measure="burglary"] > p.govuk-body')
    assert "Burglary in the force area shows a significant change for the worse" in text(section)
    assert section.select('[data-icon="variation-concern-high"]')

    # The table's CSV holds the page's figures, row for row.
    csv_file = client.get(
        f"/plans/{PCP}/priorities/1/commitments/d/?download=csv&table=areas-burglary"
    )
    assert csv_file["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0] == ["Area", "Latest month", "Value", "Target", "Variation", "Assurance"]
    page_rows = table_rows(Page(html).testid("areas-burglary"))
    assert lines[1:] == page_rows


def test_commitment_without_measures_or_values_says_so(crime_store, example_plans, client, cli):
    cli("measures", "compute")
    data = plan_file()
    evidenced = {code for m in data["measures"] for code in m.get("evidences", [])}
    unmeasured = next(
        f"{p['number']}{c['letter']}"
        for p in data["priorities"]
        for c in p["commitments"]
        if f"{p['number']}{c['letter']}" not in evidenced
    )
    number, letter = unmeasured[0], unmeasured[1:]
    html = client.get(f"/plans/{PCP}/priorities/{number}/commitments/{letter}/").content.decode()
    assert "No measure evidences this commitment yet." in html

    # 1b is evidenced by the Special Constables headcount, which nobody has entered yet.
    html = client.get(f"/plans/{PCP}/priorities/1/commitments/b/").content.decode()
    section = Page(html).one('section[data-measure="special-constables"]')
    assert "No series yet: no values have been entered." in text(section)


def test_commitment_page_links_and_refusals(example_plans, client):
    priority = client.get(f"/plans/{PCP}/priorities/1/").content.decode()
    assert f'href="/plans/{PCP}/priorities/1/commitments/a/"' in priority
    assert client.get(f"/plans/{PCP}/priorities/1/commitments/zz/").status_code == 404
    assert client.get(f"/plans/{PCP}/priorities/9/commitments/a/").status_code == 404
    example_plans[PCP].status = Plan.Status.DRAFT
    example_plans[PCP].save()
    assert client.get(f"/plans/{PCP}/priorities/1/commitments/a/").status_code == 404
