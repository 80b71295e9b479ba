"""The delivery workflow through the web: conflicts, approval, My work, reminders, history,
stale work, funding totals and every page rendering with its downloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from crimeplan.delivery.models import Action, FundingBid, Milestone, UpdateRequest, VolunteerHours
from crimeplan.plans.models import Asset, Strand

pytestmark = pytest.mark.django_db
PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


def _edit_data(action, **changes):
    data = {
        "reference": action.reference,
        "title": action.title,
        "description": action.description,
        "lead_organisation": action.lead_organisation_id,
        "status": action.status,
        "progress": action.progress,
        "weight": action.weight,
        "version": action.version,
        "commitments": [c.pk for c in action.commitments.all()],
    }
    data.update(changes)
    return data


def test_two_editors_get_the_conflict_page_and_choose(client, plans, make_action, member):
    action = make_action(("1d",), reference="PCP-1D-01", title="Patrols")
    alice = member("contributor", "essex-police", username="alice")
    bob = member("contributor", "essex-police", username="bob")
    url = reverse("delivery:action_edit", args=[action.reference])
    opened = _edit_data(action)  # both open the form at version 1
    client.force_login(alice)
    assert client.post(url, {**opened, "title": "Alice's title"}).status_code == 302
    client.force_login(bob)
    conflict = client.post(url, {**opened, "title": "Bob's title", "status": "at_risk"})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Alice&#39;s title" in page and "Bob&#39;s title" in page
    assert "alice saved this action" in page
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.status, stored.version) == ("Alice's title", "on_track", 2)
    # Bob chooses to save his version: the page's form carries the stored version.
    mine = {**opened, "title": "Bob's title", "status": "at_risk", "version": 2}
    assert client.post(url, mine).status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.status, stored.version) == ("Bob's title", "at_risk", 3)
    # A form without its version can never overwrite.
    no_version = {k: v for k, v in _edit_data(stored, title="Blind").items() if k != "version"}
    assert client.post(url, no_version).status_code == 409


def test_submit_approve_counts_in_the_roll_up_and_history_reads(client, plans, make_action, member):
    cvs = member("contributor", "chelmsford-cvs", username="carol")
    lead = member("lead", "ecvs-network", username="lena")
    action = make_action(
        asset=5, strand="places", organisation="chelmsford-cvs", reference="CPS-5-01"
    )
    client.force_login(cvs)
    quarter = f"{dt.date.today().year}-Q{(dt.date.today().month - 1) // 3 + 1}"
    response = client.post(
        reverse("delivery:update_new", args=[action.reference]),
        {"quarter": quarter, "rag": "green", "progress": 40, "narrative": "Ten street pastors"},
    )
    assert response.status_code == 302
    matrix_url = reverse("delivery:matrix", args=[CPS])
    client.force_login(lead)
    before = client.get(matrix_url).content.decode()
    assert 'data-asset="5" data-strand="places"' in before
    # Not approved yet: the cell shows no approved update.
    cell = before.split('data-asset="5" data-strand="places"')[1].split("</tr>")[0]
    assert "No approved update" in cell
    my_work = client.get(reverse("delivery:my_work")).content.decode()
    assert "Review CPS-5-01" in my_work
    update = action.updates.get()
    assert (
        client.post(
            reverse("delivery:update_review", args=[update.pk]), {"decision": "return"}
        ).status_code
        == 200
    )  # a return needs a comment
    assert (
        client.post(
            reverse("delivery:update_review", args=[update.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    after = client.get(matrix_url).content.decode()
    cell = after.split('data-asset="5" data-strand="places"')[1].split("</tr>")[0]
    assert "Green" in cell and "(100%)" in cell
    assert Action.objects.get(pk=action.pk).progress == 40
    history = client.get(reverse("delivery:action_history", args=[action.reference])).content
    text = history.decode()
    assert "Added an update" in text and "Changed an update" in text
    assert "Submitted for approval" in text and "Approved" in text  # state labels, not codes
    assert "Progress" in text and "state" not in text.split("<tbody")[1].split("</tbody>")[0]
    assert "Chelmsford CVS" in text  # the lead organisation by name, not by id
    filtered = client.get(
        reverse("delivery:action_history", args=[action.reference]), {"kind": "action"}
    ).content.decode()
    assert "Added an update" not in filtered and "Changed the action" in filtered


def test_updates_due_overdue_returned_and_reminders(client, plans, make_action, member, approve):
    cvs = member("contributor", "chelmsford-cvs", username="carol")
    cvs.email = "carol@example.org"
    cvs.save()
    lead = member("lead", "ecvs-network", username="lena")
    due_one = make_action(asset=5, organisation="chelmsford-cvs", reference="CPS-5-01")
    done_one = make_action(asset=5, organisation="chelmsford-cvs", reference="CPS-5-02")
    make_action(asset=4, organisation="chelmsford-cvs", reference="CPS-4-01")  # not in the round
    approve(done_one, "2026-Q3", "green", state="submitted")
    returned = approve(due_one, "2026-Q2", "red", state="returned", review_comment="Add figures")
    client.force_login(lead)
    client.post(
        reverse("delivery:requests", args=[CPS]),
        {
            "quarter": "2026-Q3",
            "asset": Asset.objects.get(plan=plans[CPS], number=5).pk,
            "due_date": "2026-10-15",
        },
    )
    round_ = UpdateRequest.objects.get()
    client.force_login(cvs)
    page = client.get(reverse("delivery:my_work")).content.decode()
    due = page.split('data-testid="updates-due"')[1].split("</table>")[0]
    assert 'data-reference="CPS-5-01"' in due and "Overdue" in due
    assert "CPS-5-02" not in due and "CPS-4-01" not in due
    assert "1 update due, 1 overdue" in page
    assert "Add figures" in page.split('data-testid="returned"')[1]
    client.force_login(lead)
    response = client.post(reverse("delivery:remind", args=[round_.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carol@example.org"]
    assert "CPS-5-01" in mail.outbox[0].body and "CPS-5-02" not in mail.outbox[0].body
    assert returned.pk


def test_stale_work_lists(client, plans, make_action, member, approve):
    officer = member("scrutiny_officer", "essex-pfcc", username="olive")
    today = dt.date.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    fresh = make_action(("1d",), reference="PCP-1D-01", owner=officer)
    approve(fresh, quarter, "green")
    make_action(("1d",), reference="PCP-1D-02", due_date=today - dt.timedelta(days=1))
    make_action(("1d",), reference="PCP-1D-03", status="complete")
    Milestone.objects.create(action=fresh, title="Late", due_date=today - dt.timedelta(days=3))
    Milestone.objects.create(
        action=fresh, title="Done", due_date=today - dt.timedelta(days=3), done_date=today
    )
    client.force_login(officer)
    page = client.get(reverse("delivery:stale", args=[PCP])).content.decode()

    def section(name):
        return page.split(f'data-testid="{name}"')[1].split("</table>")[0]

    assert "PCP-1D-02" in section("no-update") and "PCP-1D-01" not in section("no-update")
    assert "PCP-1D-03" not in page  # complete
    assert "PCP-1D-02" in section("no-owner") and "PCP-1D-01" not in section("no-owner")
    assert "PCP-1D-02" in section("past-due")
    assert "Late" in section("overdue-milestones") and "Done" not in section("overdue-milestones")
    download = client.get(
        reverse("delivery:stale", args=[PCP]), {"table": "no-owner", "download": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Reference", "PCP-1D-02"]


def test_funding_totals_against_hand_worked_figures(client, plans, member, settings):
    from crimeplan.accounts.models import Organisation

    settings.CRIMEPLAN_VOLUNTEER_HOURLY_RATE = "10"
    officer = member("scrutiny_officer", "essex-pfcc", username="olive")
    cps = plans[CPS]
    cvs = Organisation.objects.get(slug="chelmsford-cvs")
    places = Strand.objects.get(plan=cps, slug="places")
    a = FundingBid.objects.create(
        plan=cps,
        organisation=cvs,
        funder="Lottery",
        amount_asked=100_000,
        amount_awarded=60_000,
        status="part_awarded",
    )
    a.strands.add(places)
    FundingBid.objects.create(
        plan=cps, organisation=cvs, funder="Council", amount_asked=50_000, status="submitted"
    )
    FundingBid.objects.create(
        plan=cps,
        organisation=cvs,
        funder="Trust",
        amount_asked=20_000,
        amount_awarded=0,
        status="unsuccessful",
    )
    VolunteerHours.objects.create(
        plan=cps,
        organisation=cvs,
        quarter="2026-Q3",
        hours=150,
        activity="Street pastors",
        strand=places,
    )
    VolunteerHours.objects.create(
        plan=cps, organisation=cvs, quarter="2026-Q3", hours=50, activity="Litter picks"
    )
    client.force_login(officer)
    page = client.get(reverse("delivery:funding", args=[CPS])).content.decode()
    headline = page.split('data-testid="funding-headline">')[1].split("</p>")[0]
    # Awarded 60,000 of 170,000 asked; 50,000 pending; 60,000 / 15,000,000 = 0.4%.
    assert "£60,000 awarded of £170,000 asked in 3 bids" in headline
    assert "£15,000,000" in headline and "(0.4% awarded so far)" in headline
    assert "£50,000 is still being decided" in headline
    hours = page.split('data-testid="hours-headline">')[1].split("</p>")[0]
    assert "200.0 hours" in hours and "<strong>estimated</strong> £2,000" in hours
    strand_row = page.split('data-strand="places"')[1].split("</tr>")[0]
    assert "£100,000" in strand_row and "£60,000" in strand_row and "150.0" in strand_row


@pytest.mark.parametrize(
    "name,slug",
    [
        ("matrix", CPS),
        ("priorities", PCP),
        ("outcome", PCP),
        ("stale", PCP),
        ("funding", CPS),
        ("local_priorities", CPS),
        ("strands", CPS),
        ("requests", CPS),
        ("import", CPS),
    ],
)
def test_plan_pages_render_for_partners_and_not_for_the_public(client, plans, member, name, slug):
    url = reverse(f"delivery:{name}", args=[slug])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member("viewer", "ecvs-network", username="vera"))
    if name == "import":
        assert client.get(url).status_code == 403  # a viewer imports nothing
        return
    assert client.get(url).status_code == 200


def test_commitment_page_shows_actions_owner_update_and_milestones(
    client, plans, make_action, member, approve
):
    officer = member("scrutiny_officer", "essex-pfcc", username="olive")
    action = make_action(("1d",), reference="PCP-1D-01", title="Burglary patrols", owner=officer)
    approve(action, "2026-Q3", "amber", narrative="Patrols in three hotspots")
    approve(action, "2026-Q4", "green", state="submitted", narrative="Not yet approved")
    Milestone.objects.create(action=action, title="Hotspot map", due_date=dt.date(2026, 6, 1))
    url = reverse("plans:commitment", args=[PCP, 1, "d"])
    public = client.get(url).content.decode()
    assert "No published actions deliver this commitment yet." in public
    Action.objects.filter(pk=action.pk).update(published=True)
    public = client.get(url).content.decode()
    section = public.split('data-testid="commitment-delivery"')[1].split("</section>")[0]
    assert "Burglary patrols" in section and "Patrols in three hotspots" in section
    assert "Not yet approved" not in section and "Hotspot map" in section
    assert "owner" not in section  # owners are for partners
    client.force_login(officer)
    partner = client.get(url).content.decode()
    assert "owner olive" in partner


def test_a_strand_named_in_the_app_is_audited_and_exported(client, plans, member):
    from crimeplan.core.models import AuditEvent

    client.force_login(member("lead", "ecvs-network", username="lena"))
    response = client.post(
        reverse("delivery:strand_new", args=[CPS]),
        {"name": "Young people", "slug": "young-people", "description": "Diversion", "order": 2},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(model="plans.Strand", object_repr="Young people")
    assert event.actor == "lena" and event.scope == f"plan:{plans[CPS].pk}"
    exported = client.get(reverse("plans:plan_file", args=[CPS])).content.decode()
    assert "name: Young people" in exported and "description: Diversion" in exported


def test_tables_download_as_csv_with_the_rows_shown(client, plans, make_action, member):
    import csv

    action = make_action(("1d",), reference="PCP-1D-01")
    Milestone.objects.create(action=action, title="Map", due_date=dt.date(2026, 3, 1))
    Milestone.objects.create(action=action, title="Launch", due_date=dt.date(2026, 5, 1))
    client.force_login(member("viewer", "ecvs-network", username="vera"))
    url = reverse("delivery:action", args=[action.reference])
    response = client.get(url, {"table": "milestones", "download": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="milestones.csv"'
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    assert rows == [
        ["Milestone", "Due", "Done"],
        ["Map", "2026-03-01", ""],
        ["Launch", "2026-05-01", ""],
    ]
    assert client.get(url, {"table": "nope", "download": "csv"}).status_code == 404


def test_downloads_keep_money_hours_and_dates_as_spreadsheet_values(client, plans, member):
    """A spreadsheet gets numbers as numbers and dates as dates (sortable, summable); a date
    and time is text (XLSX has no time zones); the CSV holds the same values as text."""
    import csv

    from django.utils import timezone

    from crimeplan.accounts.models import Organisation

    cps = plans[CPS]
    cvs = Organisation.objects.get(slug="chelmsford-cvs")
    FundingBid.objects.create(
        plan=cps, organisation=cvs, funder="Lottery", amount_asked="1500.50", status="submitted"
    )
    VolunteerHours.objects.create(
        plan=cps, organisation=cvs, quarter="2026-Q3", hours="12.5", activity="Street pastors"
    )
    reminded = timezone.now()
    UpdateRequest.objects.create(
        plan=cps,
        quarter="2026-Q3",
        asset=Asset.objects.get(plan=cps, number=5),
        due_date=dt.date(2026, 10, 15),
        reminded_at=reminded,
    )
    client.force_login(member("scrutiny_officer", "essex-pfcc", username="olive"))

    def download(view, table, kind):
        response = client.get(reverse(view, args=[CPS]), {"table": table, "download": kind})
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{table}.{kind}"'
        if kind == "csv":
            return list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
        book = load_workbook(io.BytesIO(response.content))
        return list(book.worksheets[0].iter_rows(values_only=True))

    bids = download("delivery:funding", "bids", "xlsx")
    assert bids[0][:5] == ("Organisation", "Title", "Funder", "Asked", "Awarded")
    assert bids[1][3:5] == (1500.5, None)
    assert download("delivery:funding", "bids", "csv")[1][3:5] == ["1500.50", ""]
    hours = download("delivery:funding", "hours", "xlsx")
    assert hours[1][:3] == ("Chelmsford CVS", "2026-Q3", 12.5)
    rounds = download("delivery:requests", "rounds", "xlsx")
    assert rounds[0] == ("Quarter", "Asset", "Strand", "Due by", "Still due", "Reminded at")
    quarter, asset, _strand, due, still_due, reminded_at = rounds[1]
    assert (quarter, due, still_due) == ("2026-Q3", dt.datetime(2026, 10, 15), 0)
    assert asset.startswith("Asset 5") and reminded_at == str(reminded)
    csv_rounds = download("delivery:requests", "rounds", "csv")
    assert csv_rounds[1][3:] == ["2026-10-15", "0", str(reminded)]


def test_commitment_and_priority_pages_queries_do_not_grow_with_actions(
    client, plans, make_action, member, approve
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member("scrutiny_officer", "essex-pfcc", username="olive"))
    urls = [
        reverse("plans:commitment", args=[PCP, 1, "d"]),
        reverse("delivery:priorities", args=[PCP]),
    ]

    def counts():
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    first = make_action(("1d",), reference="PCP-1D-00")
    approve(first, "2026-Q4", "green")
    Milestone.objects.create(action=first, title="m", due_date=dt.date(2026, 1, 1))
    few = counts()
    for i in range(1, 12):
        action = make_action(("1d", "2a"), reference=f"PCP-1D-{i:02d}")
        approve(action, "2026-Q4", "amber")
        Milestone.objects.create(action=action, title="m", due_date=dt.date(2026, 1, 1))
    assert counts() == few


def test_history_says_changes_in_delivery_words(plans, make_action, django_user_model):
    """Codes for commitments, people and organisations by name, choices by label, dates as
    people write them, and a row deleted since is said to be; ids and unchanged fields never."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.models import AuditEvent
    from crimeplan.delivery.history import action_history
    from crimeplan.plans.models import Commitment

    action = make_action(("1d",), reference="PCP-1D-01")
    AuditEvent.objects.filter(scope=f"action:{action.pk}").delete()
    one_d = Commitment.objects.get(plan=plans[PCP], priority__number=1, letter="d")
    one_e = Commitment.objects.get(plan=plans[PCP], priority__number=1, letter="e")
    owner = django_user_model.objects.create_user("olu", first_name="Olu", last_name="Ade")
    cvs = Organisation.objects.get(slug="chelmsford-cvs")
    AuditEvent.objects.create(
        actor="sam",
        action=AuditEvent.UPDATE,
        model="delivery.Action",
        object_id=str(action.pk),
        object_repr=action.reference,
        scope=f"action:{action.pk}",
        before={
            "id": action.pk,
            "title": "Same",
            "status": "not_started",
            "due_date": "2026-03-01",
            "owner_id": None,
            "lead_organisation_id": 999_999,
            "commitments": [one_d.pk],
        },
        after={
            "id": action.pk,
            "title": "Same",
            "status": "on_track",
            "due_date": "2026-05-31",
            "owner_id": owner.pk,
            "lead_organisation_id": cvs.pk,
            "commitments": [one_d.pk, one_e.pk],
        },
    )
    (entry,) = action_history(action).entries
    assert (entry.actor, entry.summary) == ("sam", "Changed the action")
    changes = {c.label: (c.before, c.after) for c in entry.changes}
    assert changes == {
        "Commitments": ("1d", "1d, 1e"),
        "Lead organisation": ("999999 (since deleted)", "Chelmsford CVS"),
        "Owner": ("–", "Olu Ade"),
        "Due date": ("1 March 2026", "31 May 2026"),
        "Status": ("Not started", "On track"),
    }
    # In the model's own field order, not alphabetical.
    labels = [c.label for c in entry.changes]
    assert labels.index("Lead organisation") < labels.index("Due date") < labels.index("Status")
