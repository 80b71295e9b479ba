"""Server-side permissions on every write, and the audit history of plan changes."""

from __future__ import annotations

import pytest
from factories import commitment_codes, example_plan

from crimeplan.core.models import AuditEvent
from crimeplan.plans.models import Commitment, Plan
from tests.pages import page, summary, text

PCP = "essex-police-and-crime-plan-2016-2020"
EDIT_1C = f"/plans/{PCP}/priorities/1/commitments/c/edit/"


def _make_draft(slug: str = PCP) -> Plan:
    plan = Plan.objects.get(slug=slug)
    plan.status = Plan.Status.DRAFT
    plan.save()
    return plan


def test_anonymous_sees_published_plans_only(client, example_plans):
    assert client.get(f"/plans/{PCP}/").status_code == 200
    _make_draft()
    assert client.get(f"/plans/{PCP}/").status_code == 404
    assert client.get(f"/plans/{PCP}/priorities/1/").status_code == 404
    assert client.get(f"/plans/{PCP}/plan.yaml").status_code == 404
    listing = client.get("/").content.decode()
    assert "Police and Crime Plan 2016–2020" not in listing
    assert "Crime Prevention Strategy 2021–25" in listing


def test_partner_sees_draft_plan(client, example_plans, member):
    _make_draft()
    client.force_login(member("viewer", "essex-police"))
    page = client.get(f"/plans/{PCP}/")
    assert page.status_code == 200
    assert "This plan is not published" in page.content.decode()
    assert "Police and Crime Plan 2016–2020" in client.get("/").content.decode()


def test_member_of_an_organisation_the_plan_does_not_name_cannot_see_the_draft(
    client, example_plans, member
):
    # The voluntary sector network is a partner of the strategy, not of the 2016-2020 plan.
    _make_draft()
    client.force_login(member("viewer", "ecvs-network"))
    assert client.get(f"/plans/{PCP}/").status_code == 403
    assert "Police and Crime Plan 2016–2020" not in client.get("/").content.decode()


def test_viewer_cannot_edit(client, example_plans, member):
    client.force_login(member("viewer", "essex-pfcc"))
    before = Commitment.objects.get(priority__plan__slug=PCP, priority__number=1, letter="c").text
    events = AuditEvent.objects.count()
    assert client.get(EDIT_1C).status_code == 403
    response = client.post(EDIT_1C, {"text": "Vandalised"})
    assert response.status_code == 403
    after = Commitment.objects.get(priority__plan__slug=PCP, priority__number=1, letter="c").text
    assert after == before
    assert AuditEvent.objects.count() == events
    assert client.post(f"/plans/{PCP}/edit/", {"title": "x", "status": "draft"}).status_code == 403


def test_scrutiny_officer_of_another_organisation_cannot_edit(client, example_plans, member):
    client.force_login(member("scrutiny_officer", "safer-essex"))
    assert client.post(EDIT_1C, {"text": "Not our plan"}).status_code == 403


def test_anonymous_edit_redirects_to_sign_in(client, example_plans):
    response = client.post(EDIT_1C, {"text": "Anonymous"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_scrutiny_officer_edit_is_audited_and_shown_in_history(client, example_plans, member):
    officer = member("scrutiny_officer", "essex-pfcc", username="sam")
    client.force_login(officer)
    commitment = Commitment.objects.get(priority__plan__slug=PCP, priority__number=1, letter="c")
    old_text = commitment.text
    response = client.post(EDIT_1C, {"text": "Give every officer a tablet by 2018."})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.text == "Give every officer a tablet by 2018."

    event = AuditEvent.objects.filter(model="plans.Commitment").first()
    assert event.user == officer
    assert event.actor == "sam"
    assert event.action == AuditEvent.UPDATE
    assert event.before["text"] == old_text
    assert event.after["text"] == "Give every officer a tablet by 2018."
    assert event.scope == f"plan:{commitment.plan_id}"

    history = client.get(f"/plans/{PCP}/history/").content.decode()
    assert "sam" in history
    assert "Give every officer a tablet by 2018." in history
    assert old_text[:40] in history


def test_invalid_edit_shows_error_and_keeps_text(client, example_plans, member):
    client.force_login(member("administrator", "essex-pfcc"))
    commitment = Commitment.objects.get(priority__plan__slug=PCP, priority__number=1, letter="c")
    events = AuditEvent.objects.count()
    response = client.post(EDIT_1C, {"text": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).text == commitment.text
    assert AuditEvent.objects.count() == events


def test_history_needs_sign_in(client, example_plans):
    assert client.get(f"/plans/{PCP}/history/").status_code == 302


def test_plan_edit_by_administrator_changes_status(client, example_plans, member):
    client.force_login(member("administrator", "essex-pfcc"))
    response = client.post(
        f"/plans/{PCP}/edit/",
        {"title": "Police and Crime Plan 2016–2020", "status": "archived", "vision": "Safe."},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(slug=PCP)
    assert (plan.status, plan.vision) == ("archived", "Safe.")
    event = AuditEvent.objects.filter(model="plans.Plan", object_id=str(plan.pk)).first()
    assert event.before["status"] == "published" and event.after["status"] == "archived"


@pytest.mark.django_db
def test_cli_import_is_attributed_to_the_command(tmp_path, cli):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "plans" / f"{PCP}.yaml"
    cli("plan", "import", path)
    actors = set(AuditEvent.objects.values_list("actor", flat=True))
    assert len(actors) == 1 and actors.pop().startswith("cli:plan import")
    commitments = len(commitment_codes(example_plan(PCP)))
    assert commitments > 0
    assert (
        AuditEvent.objects.filter(action="create", model="plans.Commitment").count() == commitments
    )


def _history(client, query: str = "") -> tuple[str, int]:
    shown = page(client.get(f"/plans/{PCP}/history/{query}"))
    return shown.text('[data-testid="history-count"]'), len(shown.all("[data-testid=history] > li"))


def _changes(n: int, plan: Plan, **fields) -> list[AuditEvent]:
    return [
        AuditEvent(
            actor=fields.get("actor", "sam"),
            action=AuditEvent.UPDATE,
            model=fields.get("model", "plans.Commitment"),
            object_id=str(i),
            object_repr=f"change {i}",
            scope=f"plan:{plan.pk}",
            before={"text": "a"},
            after={"text": "b"},
        )
        for i in range(n)
    ]


def test_history_is_paged_and_counts_every_change(client, example_plans, member):
    client.force_login(member("viewer", "essex-pfcc"))
    plan = Plan.objects.get(slug=PCP)
    AuditEvent.objects.filter(scope=f"plan:{plan.pk}").delete()
    AuditEvent.objects.bulk_create(_changes(101, plan))
    assert _history(client) == ("101 changes: page 1 of 3", 50)
    assert _history(client, "?page=3") == ("101 changes: page 3 of 3", 1)
    shown = page(client.get(f"/plans/{PCP}/history/?page=2"))
    links = [a["href"] for a in shown.all(".govuk-pagination a")]
    assert "?page=1" in links[0] and "?page=3" in links[-1]


def test_history_filters_by_who_what_and_when(client, example_plans, member):
    client.force_login(member("viewer", "essex-pfcc"))
    plan = Plan.objects.get(slug=PCP)
    AuditEvent.objects.filter(scope=f"plan:{plan.pk}").delete()
    AuditEvent.objects.bulk_create(
        _changes(3, plan) + _changes(2, plan, actor="kim", model="plans.Priority")
    )
    assert _history(client, "?who=kim") == ("2 changes", 2)
    assert _history(client, "?what=plans.Commitment") == ("3 changes", 3)
    assert _history(client, "?who=kim&what=plans.Commitment") == ("0 changes", 0)
    assert _history(client, "?since=2000-01-01&until=2000-01-02") == ("0 changes", 0)
    assert _history(client, "?since=2000-01-01") == ("5 changes", 5)
    bad = client.get(f"/plans/{PCP}/history/?since=31/12/2024&who=nobody")
    assert bad.status_code == 400
    shown = page(bad)
    assert shown.title.startswith("Error: ")
    summary_links = [a["href"] for a in shown.all(".govuk-error-summary a")]
    assert summary_links == ["#id_who", "#id_since"]
    assert shown.one("#id_since")["aria-describedby"] == "id_since-error"


def test_history_reads_as_labels_and_names(client, example_plans, member):
    """A change is shown with the field's label and the related row's name, not ``measure_id``."""
    from crimeplan.core.audit import acting_as
    from crimeplan.measures.models import MeasureRebase

    officer = member("scrutiny_officer", "essex-pfcc")
    officer.first_name, officer.last_name = "Sam", "Patel"
    officer.save()
    client.force_login(officer)
    plan = Plan.objects.get(slug=PCP)
    measure = plan.measures.get(key="burglary")
    with acting_as(officer):
        MeasureRebase.objects.create(
            measure=measure,
            period="2024-04",
            reason="New recording rules",
            approved_by="Board",
            decided_on="2024-05-01",
        )
    shown = page(client.get(f"/plans/{PCP}/history/"))
    first = shown.one("[data-testid=history] > li:first-child")
    assert text(first.select_one("h2")).startswith("Created measure rebase: Rebase of")
    assert text(first.select_one("p")).startswith("Sam Patel (scrutiny_officer-user)")
    changes = summary(first.select_one("dl"))
    assert changes["Measure"] == f"Before: – After: {measure}"
    assert changes["Reason"] == "Before: – After: New recording rules"
