"""Actions' approved status, delivery roll-ups and local priorities on the public pages: only
published actions and priorities, and only approved updates, are ever shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import acting_as
from crimeplan.delivery.models import Action, LocalPriority, Update

PCP = "essex-police-and-crime-plan-2016-2020"


@pytest.fixture
def actions(example_plans):
    plan = example_plans[PCP]
    police = Organisation.objects.get(slug="essex-police")
    commitment = plan.commitments.get(priority__number=2, letter="b")
    made = {}
    with acting_as(label="test"):
        for ref, title, published in (
            ("T-1", "Repeat victim visits", True),
            ("T-2", "Hidden pilot", False),
            ("T-3", "Dispersal orders review", True),
        ):
            action = Action.objects.create(
                reference=ref,
                plan=plan,
                title=title,
                lead_organisation=police,
                status="on_track",
                published=published,
            )
            action.commitments.add(commitment)
            made[ref] = action
        now = timezone.now()
        for ref, quarter, rag, state in (
            ("T-1", "2025-Q1", "amber", "approved"),
            ("T-1", "2025-Q2", "green", "approved"),
            ("T-1", "2025-Q3", "red", "submitted"),  # not yet approved: never shown
            ("T-2", "2025-Q2", "red", "approved"),
            ("T-3", "2025-Q2", "amber", "returned"),
        ):
            Update.objects.create(
                action=made[ref],
                quarter=quarter,
                rag=rag,
                narrative=f"{ref} {quarter} report",
                progress=50,
                state=state,
                submitted_at=now,
                reviewed_at=None if state == "submitted" else now,
            )
    return made


def test_priority_page_shows_published_actions_with_their_approved_status(client, actions):
    html = client.get(f"/our-plan/{PCP}/priorities/2/").content.decode()
    card = html[html.index('id="commitment-2b"') :]
    card = card[: card.index('id="commitment-2c"')]
    assert "Repeat victim visits" in card and "Dispersal orders review" in card
    assert "Hidden pilot" not in html
    statuses = re.findall(r'data-testid="approved-status">([^<]+)<', card)
    assert statuses == ["On track (green) at the 2025-Q2 review: T-1 2025-Q2 report"]
    assert "T-1 2025-Q3" not in html and "T-3 2025-Q2" not in html
    assert "No approved progress report yet." in card


def test_plan_page_rolls_up_published_actions_only(client, actions):
    html = client.get(f"/our-plan/{PCP}/").content.decode()
    block = html[html.index('data-testid="priority-2"') :]
    block = block[: block.index('data-testid="priority-3"')]
    summary = re.search(r'data-testid="delivery-summary">(.*?)</p>', block, re.S).group(1)
    text = " ".join(summary.split())
    assert text.startswith("2 published actions deliver this priority.")
    assert "1 on track (green)." in text
    assert "Some concerns" not in text and "off track" not in text


def test_you_said_we_did_shows_the_actions_answering_a_theme(
    client, actions, example_plans, earlier_survey
):
    from crimeplan.consultation.themes import add_theme

    commitment = example_plans[PCP].commitments.get(priority__number=2, letter="b")
    with acting_as(label="test"):
        survey = earlier_survey
        add_theme(survey, "Repeat nuisance neighbours", "", [commitment.pk])
        survey.phase = "results_published"
        survey.save()
    html = client.get(f"/our-plan/{PCP}/you-said-we-did/").content.decode()
    section = html[html.index('data-testid="theme"') :]
    assert "Repeat victim visits" in section and "On track (green) at the 2025-Q2 review" in section
    assert "Hidden pilot" not in section


def test_area_page_lists_published_local_priorities(client, example_plans, settings, tmp_path):
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "empty-store"
    with acting_as(label="test"):
        csp = Organisation.objects.create(
            slug="chelmsford-csp", name="Chelmsford CSP", kind=Organisation.Kind.CSP
        )
        for issue, published, district in (
            ("Shop theft in the city centre", True, "E07000070"),
            ("Draft idea", False, "E07000070"),
            ("Braintree matter", True, "E07000067"),
        ):
            LocalPriority.objects.create(
                plan=example_plans[PCP],
                organisation=csp,
                district=district,
                issue=issue,
                action_text="Joint patrols with retailers.",
                start_date=dt.date(2025, 4, 1),
                review_date=dt.date(2026, 3, 31),
                status="active",
                published=published,
            )
    html = client.get("/your-area/E07000070/").content.decode()
    block = html[html.index('data-testid="local-priorities"') :]
    block = block[: block.index("</dl>")]
    assert "Shop theft in the city centre" in block and "Joint patrols with retailers." in block
    assert "Chelmsford CSP; next review 31 March 2026" in block
    assert "Draft idea" not in html and "Braintree matter" not in html
