"""The plan in plain English: priorities with their progress, commitments with their measures'
readings, partner counts suppressed, and "you said, we did"."""

from __future__ import annotations

import re

from factories import example_plan

from crimeplan.consultation.themes import add_theme
from crimeplan.core.audit import acting_as
from crimeplan.measures.compute import enter_manual_value, recompute_manual
from tests.pages import Page, text

PCP = "essex-police-and-crime-plan-2016-2020"


def _specials(example_plans, values):
    measure = example_plans[PCP].measures.get(key="special-constables")
    with acting_as(label="test"):
        for month, value in values:
            enter_manual_value(measure, month, value, "test return")
        recompute_manual(measure)
    return measure


def test_plan_page_lists_every_priority_in_plain_words(client, example_plans):
    priorities = example_plan(PCP)["priorities"]
    html = client.get(f"/our-plan/{PCP}/").content.decode()
    assert len(re.findall(r'data-testid="priority-\d+"', html)) == len(priorities) > 1
    shown = Page(html)
    for priority in priorities:
        item = text(shown.testid(f"priority-{priority['number']}"))
        assert f"{priority['number']}. {priority['title']}" in item
        n = len(priority["commitments"])
        assert f"{n} commitment{'s' if n != 1 else ''}." in item, priority["number"]


def test_unpublished_plan_is_not_shown(client, example_plans):
    plan = example_plans[PCP]
    plan.status = "draft"
    with acting_as(label="test"):
        plan.save()
    assert client.get(f"/our-plan/{PCP}/").status_code == 404


def test_priority_page_reads_measures_in_plain_english(client, example_plans):
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
    _specials(example_plans, [(m, 300 + 10 * i) for i, m in enumerate(months)])
    html = client.get(f"/our-plan/{PCP}/priorities/1/").content.decode()
    card = html[html.index('id="commitment-1b"') :]
    card = card[: card.index('id="commitment-1c"')]
    # 18 values rising by ten a month: a significant upward trend, read as improvement.
    assert "Special Constables in the force area shows a significant improvement" in card
    assert "Latest value (2025-06): 470." in card
    assert not re.search(r"\d+(\.\d+)?% (up|down|rise|fall)", html)


def test_partner_counts_below_threshold_are_suppressed(client, example_plans, settings):
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    _specials(example_plans, [(m, 3 + (i % 2)) for i, m in enumerate(months)])
    html = client.get(f"/our-plan/{PCP}/priorities/1/").content.decode()
    assert "Latest value (2024-12): fewer than 5." in html
    settings.CRIMEPLAN_SUPPRESS_BELOW = 3
    html = client.get(f"/our-plan/{PCP}/priorities/1/").content.decode()
    assert "Latest value (2024-12): 4." in html


def test_you_said_we_did_links_published_themes_to_commitments(
    client, example_plans, earlier_survey
):
    survey = earlier_survey
    with acting_as(label="test"):
        commitment = example_plans[PCP].commitments.get(priority__number=7, letter="a")
        add_theme(survey, "Speeding in villages", "People asked for speed checks.", [commitment.pk])
    url = f"/our-plan/{PCP}/you-said-we-did/"
    assert "Speeding in villages" not in client.get(url).content.decode()
    survey.phase = "results_published"
    with acting_as(label="test"):
        survey.save()
    html = client.get(url).content.decode()
    section = html[html.index('data-testid="theme"') :]
    assert "You said: Speeding in villages" in section
    assert "Commitment 7a</a>: " + commitment.text in section


def test_plan_page_links_the_latest_published_board_report_and_never_a_draft(client, example_plans):
    from crimeplan.governance.models import Report
    from crimeplan.governance.reports import publish

    board = example_plans[PCP].boards.get(slug="performance-resource-and-scrutiny-board")
    with acting_as(label="test"):
        older = Report.objects.create(
            board=board, quarter="2025-Q1", version=1, state=Report.State.READY, pages=30
        )
        publish(older)
        draft = Report.objects.create(
            board=board, quarter="2025-Q2", version=1, state=Report.State.READY, pages=31
        )
    page = Page(client.get(f"/our-plan/{PCP}/").content.decode())
    latest = page.one('[data-testid="latest-report"]')
    links = [a["href"] for a in latest.select("a")]
    base = f"/plans/{PCP}/boards/performance-resource-and-scrutiny-board/reports"
    assert links == [f"{base}/2025-Q1/v1/", f"{base}/2025-Q1/v1/report.pdf"]
    assert "(30 pages)" in latest.get_text()

    with acting_as(label="test"):
        publish(draft)
    latest = Page(client.get(f"/our-plan/{PCP}/").content.decode()).one(
        '[data-testid="latest-report"]'
    )
    assert [a["href"] for a in latest.select("a")][0] == f"{base}/2025-Q2/v1/"


def test_plan_page_says_when_no_board_report_is_published(client, example_plans):
    page = Page(client.get(f"/our-plan/{PCP}/").content.decode())
    text = page.one('[data-testid="latest-report"]').get_text()
    assert "No board report has been published for this plan yet." in text
