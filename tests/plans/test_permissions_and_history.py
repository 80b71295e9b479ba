"""Server-side permissions on every write, and the audit history of plan changes."""

from __future__ import annotations

import pytest

from crimeplan.core.models import AuditEvent
from crimeplan.plans.models import Commitment, Plan

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
    assert AuditEvent.objects.filter(action="create", model="plans.Commitment").count() == 53


def _history_caption(client) -> tuple[str, int]:
    html = client.get(f"/plans/{PCP}/history/").content.decode()
    caption = html.split('data-testid="history-count">')[1].split("</caption>")[0]
    return caption, html.split("<tbody")[1].count('<tr class="govuk-table__row">')


def test_history_gives_the_true_total_and_lists_the_latest_500(client, example_plans, member):
    client.force_login(member("viewer", "essex-pfcc"))
    plan = Plan.objects.get(slug=PCP)
    AuditEvent.objects.filter(scope=f"plan:{plan.pk}").delete()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor="sam",
            action=AuditEvent.UPDATE,
            model="plans.Commitment",
            object_id=str(n),
            object_repr=f"change {n}",
            scope=f"plan:{plan.pk}",
            before={"text": "a"},
            after={"text": "b"},
        )
        for n in range(499)
    )
    assert _history_caption(client) == ("499 changes", 499)
    AuditEvent.objects.create(actor="sam", action=AuditEvent.UPDATE, scope=f"plan:{plan.pk}")
    assert _history_caption(client) == ("500 changes", 500)
    AuditEvent.objects.create(actor="sam", action=AuditEvent.UPDATE, scope=f"plan:{plan.pk}")
    # 501 recorded: the page says so, and that it lists the latest 500.
    assert _history_caption(client) == ("501 changes: the latest 500 are listed", 500)
