"""A board secretary keeps the board's record on the site: meetings and attendance, agenda
items, decisions and actions, and their status. Every write is checked on the server, audited
with who, before and after, refused with a message on its field, and confirmed by a banner."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.pages import Page, text

from .conftest import PCP, PRSB

pytestmark = pytest.mark.django_db
BOARD = f"/plans/{PCP}/boards/{PRSB}/"
MEETING = BOARD + "meetings/2025-04-24/"
PLAN_TITLE = "Police and Crime Plan 2016–2020"


@pytest.fixture
def officer(client, member, board_data):
    """A scrutiny officer of the Commissioner's office, which owns the plan and hosts the board."""
    user = member("scrutiny_officer", "essex-pfcc", username="sec")
    client.force_login(user)
    return user


@pytest.fixture
def other_plan(board_data):
    """A second plan with a priority, a commitment and an action: none of it is the board's."""
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Action
    from crimeplan.plans.models import Commitment, Plan, Priority

    with acting_as(label="test:fixture"):
        plan = Plan.objects.create(
            slug="another-plan",
            title="Another plan",
            kind=Plan.Kind.choices[0][0],
            owner=_org("essex-pfcc"),
            period_start=2025,
            period_end=2029,
        )
        priority = Priority.objects.create(plan=plan, number=1, title="Theirs")
        commitment = Commitment.objects.create(
            plan=plan, priority=priority, letter="a", text="Their commitment"
        )
        action = Action.objects.create(
            reference="OTHER-1",
            plan=plan,
            title="Their action",
            lead_organisation=_org("essex-police"),
        )
    return {"priority": priority, "commitment": commitment, "action": action}


def _org(slug: str):
    from crimeplan.accounts.models import Organisation

    return Organisation.objects.get(slug=slug)


def _events(model: str, pk: object):
    from crimeplan.core.models import AuditEvent

    return list(AuditEvent.objects.filter(model=model, object_id=str(pk)).order_by("pk"))


def _errors(response) -> dict[str, str]:
    """The error summary's links (field id -> message), checked against the field's own
    message so the two agree."""
    assert response.status_code == 400, response.status_code
    page = Page(response.content)
    assert page.title.startswith("Error: ")
    summary = page.one(".govuk-error-summary")
    assert summary.get("data-module") == "govuk-error-summary"  # GOV.UK moves focus to it
    found = {}
    for link in summary.select("a"):
        target = link["href"].removeprefix("#")
        assert page.all(f"#{target}"), f"the summary links to #{target}, which is not on the page"
        field_message = page.one(f"#{target}-error") if page.all(f"#{target}-error") else None
        if field_message is not None:
            assert text(link) in text(field_message)
        found[target.removeprefix("id_")] = text(link)
    return found


def _banner(client, response) -> str:
    assert response.status_code == 302, response.status_code
    page = Page(client.get(response["Location"]).content)
    banner = page.testid("notification")
    assert "govuk-notification-banner--success" in banner["class"]
    assert banner.get("role") == "alert"  # announced, and focused by GOV.UK Frontend
    return text(banner)


# Meetings ----------------------------------------------------------------------------------


def test_add_a_meeting_with_its_attending_organisations(client, board_data, officer):
    from crimeplan.governance.models import Meeting

    form = Page(client.get(BOARD + "meetings/add/").content)
    boxes = form.all("input[name=organisations]")
    assert boxes[0]["id"] == "id_organisations"  # where the error summary links
    pfcc, police = _org("essex-pfcc"), _org("essex-police")
    response = client.post(
        BOARD + "meetings/add/",
        {"date": "2025-10-23", "title": "Q3 review", "organisations": [pfcc.pk, police.pk]},
    )
    assert response["Location"] == BOARD + "meetings/2025-10-23/"
    assert "The meeting of 23 October 2025 was added." in _banner(client, response)
    meeting = Meeting.objects.get(board=board_data, date=dt.date(2025, 10, 23))
    assert meeting.title == "Q3 review"
    assert sorted(meeting.attendance.values_list("organisation__slug", flat=True)) == [
        "essex-pfcc",
        "essex-police",
    ]
    (created,) = _events("governance.Meeting", meeting.pk)
    assert (created.action, created.actor, created.user_id) == ("create", "sec", officer.pk)
    assert created.before is None and created.after["date"] == "2025-10-23"
    assert created.scope == f"plan:{board_data.plan_id}"
    attendance = meeting.attendance.get(organisation=police)
    assert _events("governance.Attendance", attendance.pk)[0].actor == "sec"
    board = Page(client.get(BOARD).content)
    assert "23 October 2025: Q3 review" in text(board.one("#meetings").find_next("ul"))


def test_meeting_form_refuses_bad_input_on_its_fields(client, board_data, officer):
    from crimeplan.governance.models import Meeting

    url = BOARD + "meetings/add/"
    assert _errors(client.post(url, {"title": "No date"})) == {
        "date": "Enter the date of the meeting"
    }
    assert (
        "as a real date in the form YYYY-MM-DD"
        in _errors(client.post(url, {"date": "2025-02-30"}))["date"]
    )
    taken = _errors(client.post(url, {"date": "2025-04-24"}))
    assert taken["date"].startswith(
        "The Performance, Resource and Scrutiny Board already has a meeting on 24 April 2025"
    )
    unknown = _errors(client.post(url, {"date": "2025-10-23", "organisations": ["999999"]}))
    assert unknown == {"organisations": "Choose attending organisations from the list"}
    assert Meeting.objects.filter(board=board_data).count() == 1


def test_change_a_meeting_keeps_before_and_after(client, board_data, officer):
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.models import Attendance, Meeting

    meeting = Meeting.objects.get(board=board_data)
    police = _org("essex-police")
    with acting_as(label="test:fixture"):
        kept = Attendance.objects.create(
            meeting=meeting, organisation=_org("essex-pfcc"), people="Commissioner"
        )
        dropped = Attendance.objects.create(meeting=meeting, organisation=police)
    form = Page(client.get(MEETING + "edit/").content)
    checked = {box["value"] for box in form.all("input[name=organisations][checked]")}
    assert checked == {str(kept.organisation_id), str(police.pk)}
    response = client.post(
        MEETING + "edit/",
        {
            "date": "2025-04-23",
            "title": "Quarter 1 review",
            "organisations": [kept.organisation_id],
        },
    )
    assert response["Location"] == BOARD + "meetings/2025-04-23/"
    assert "The meeting of 23 April 2025 was saved." in _banner(client, response)
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title) == (dt.date(2025, 4, 23), "Quarter 1 review")
    assert list(meeting.attendance.values_list("pk", "people")) == [(kept.pk, "Commissioner")]
    update = _events("governance.Meeting", meeting.pk)[-1]
    assert (update.action, update.actor) == ("update", "sec")
    assert (update.before["title"], update.after["title"]) == ("Q1", "Quarter 1 review")
    assert (update.before["date"], update.after["date"]) == ("2025-04-24", "2025-04-23")
    deleted = _events("governance.Attendance", dropped.pk)[-1]
    assert (deleted.action, deleted.actor, deleted.after) == ("delete", "sec", None)
    assert deleted.before["organisation_id"] == police.pk
    # A rejected change keeps the stored meeting's breadcrumb and stores nothing.
    bad = client.post(BOARD + "meetings/2025-04-23/edit/", {"date": "bad"})
    assert _errors(bad).keys() == {"date"}
    assert Page(bad.content).all(f'.govuk-breadcrumbs a[href="{BOARD}meetings/2025-04-23/"]')
    meeting.refresh_from_db()
    assert meeting.date == dt.date(2025, 4, 23)


def test_a_meeting_does_not_move_past_what_it_set(client, board_data, officer):
    # PRSB-T-2 was set at the meeting of 24 April and was due (and closed) the same day.
    errors = _errors(client.post(MEETING + "edit/", {"date": "2025-04-25", "title": "Q1"}))
    assert errors == {
        "date": "PRSB-T-2, set at this meeting, was due on 24 April 2025, before 25 April "
        "2025: change it first, or choose an earlier date"
    }
    assert board_data.meetings.get().date == dt.date(2025, 4, 24)


def test_a_meeting_with_decisions_is_not_deleted(client, board_data, officer):
    from crimeplan.governance.models import Meeting

    page = Page(client.get(MEETING).content)
    assert not page.all(f'a[href="{MEETING}delete/"]')
    refusal = client.get(MEETING + "delete/")
    assert "2 decisions or actions were set" in text(Page(refusal.content).testid("refusal"))
    assert client.post(MEETING + "delete/").status_code == 409
    assert Meeting.objects.filter(board=board_data).count() == 1


def test_a_meeting_without_decisions_is_deleted_after_asking(client, board_data, officer):
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.models import AgendaItem, Meeting

    with acting_as(label="test:fixture"):
        meeting = Meeting.objects.create(board=board_data, date=dt.date(2025, 7, 24))
        item = AgendaItem.objects.create(meeting=meeting, order=1, title="Road safety")
    url = BOARD + "meetings/2025-07-24/"
    assert Page(client.get(url).content).all(f'a[href="{url}delete/"]')
    confirm = Page(client.get(url + "delete/").content)
    assert confirm.text("h1") == "Delete the meeting of 24 July 2025?"
    assert "its 1 agenda item go with it" in text(confirm.one("main"))
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # asking changes nothing
    response = client.post(url + "delete/")
    assert response["Location"] == BOARD
    assert "The meeting of 24 July 2025 was deleted." in _banner(client, response)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert _events("governance.Meeting", meeting.pk)[-1].action == "delete"
    gone = _events("governance.AgendaItem", item.pk)[-1]
    assert (gone.action, gone.actor, gone.before["title"]) == ("delete", "sec", "Road safety")


# Agenda items ------------------------------------------------------------------------------


def test_agenda_items_are_added_changed_and_removed(client, board_data, officer):
    from crimeplan.governance.models import AgendaItem

    plan = board_data.plan
    commitment = plan.commitments.get(priority__number=1, letter="d")
    burglary = plan.measures.get(key="burglary")
    form = Page(client.get(MEETING + "agenda/add/").content)
    offered = [o["value"] for o in form.all("#id_commitment option") if o["value"]]
    assert len(offered) == plan.commitments.count() and str(commitment.pk) in offered
    for order, title in enumerate(("Quarterly report", "Rural crime"), start=1):
        response = client.post(
            MEETING + "agenda/add/", {"title": title, "commitment": commitment.pk}
        )
        assert response["Location"] == MEETING
        assert f"Agenda item {order}, {title}, was added." in _banner(client, response)
    first, second = AgendaItem.objects.filter(meeting__board=board_data).order_by("order")
    assert (first.order, second.order, second.commitment) == (1, 2, commitment)
    agenda = Page(client.get(MEETING).content).testid("agenda")
    assert "Rural crime (about 1d" in text(agenda)

    edit = MEETING + f"agenda/{second.pk}/edit/"
    response = client.post(edit, {"title": "Burglary", "measure": burglary.pk})
    assert "Agenda item 2, Burglary, was saved." in _banner(client, response)
    second.refresh_from_db()
    assert (second.title, second.commitment, second.measure) == ("Burglary", None, burglary)
    changed = _events("governance.AgendaItem", second.pk)[-1]
    assert (changed.action, changed.actor) == ("update", "sec")
    assert (changed.before["commitment_id"], changed.after["commitment_id"]) == (
        commitment.pk,
        None,
    )
    assert (changed.before["measure_id"], changed.after["measure_id"]) == (None, burglary.pk)

    remove = MEETING + f"agenda/{first.pk}/delete/"
    assert "Remove agenda item 1, Quarterly report?" in Page(client.get(remove).content).text("h1")
    response = client.post(remove)
    assert "Agenda item 1, Quarterly report, was removed." in _banner(client, response)
    assert list(AgendaItem.objects.filter(meeting__board=board_data)) == [second]
    removed = _events("governance.AgendaItem", first.pk)[-1]
    assert (removed.action, removed.after, removed.before["title"]) == (
        "delete",
        None,
        "Quarterly report",
    )


def test_agenda_form_refuses_an_empty_title_and_links_outside_the_plan(client, officer, other_plan):
    from crimeplan.governance.models import AgendaItem

    url = MEETING + "agenda/add/"
    assert _errors(client.post(url, {"title": "   "})) == {"title": "Enter the agenda item's title"}
    theirs = {name: row.pk for name, row in other_plan.items()}
    assert _errors(client.post(url, {"title": "Elsewhere", **theirs})) == {
        "priority": f"Choose a priority of {PLAN_TITLE}, the board's plan",
        "commitment": f"Choose a commitment of {PLAN_TITLE}, the board's plan",
        "action": f"Choose a delivery action of {PLAN_TITLE}, the board's plan",
    }
    assert not AgendaItem.objects.exists()


# Decisions ---------------------------------------------------------------------------------


def _decision(**changes):
    data = {
        "kind": "action",
        "reference": "PRSB-2025-01",
        "text": "Report on rural crime patrols.",
        "owner_organisation": _org("essex-police").pk,
        "owner_name": "Chief Inspector, rural crime",
        "due_date": "2025-07-24",
        "status": "open",
        "closed_on": "",
    }
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_record_a_decision_from_a_meeting(client, board_data, officer):
    from crimeplan.governance.models import Decision

    form = Page(client.get(MEETING + "decisions/add/").content)
    # The board's references so far (PRSB-T-1, -2) follow no pattern: its initials are offered.
    assert form.one("#id_reference")["value"] == "PRSB-2025-01"
    commitment = board_data.plan.commitments.get(priority__number=1, letter="d")
    response = client.post(MEETING + "decisions/add/", _decision(commitment=commitment.pk))
    assert response["Location"] == MEETING
    assert "Action PRSB-2025-01 was recorded." in _banner(client, response)
    decision = Decision.objects.get(reference="PRSB-2025-01")
    assert (decision.board, decision.meeting.date, decision.status) == (
        board_data,
        dt.date(2025, 4, 24),
        "open",
    )
    assert (decision.owner, decision.due_date, decision.commitment) == (
        "Chief Inspector, rural crime, Essex Police",
        dt.date(2025, 7, 24),
        commitment,
    )
    (created,) = _events("governance.Decision", decision.pk)
    assert (created.action, created.actor, created.before) == ("create", "sec", None)
    assert created.after["text"] == "Report on rural crime patrols."
    # The next one offered follows on.
    again = Page(client.get(MEETING + "decisions/add/").content)
    assert again.one("#id_reference")["value"] == "PRSB-2025-02"
    # It shows on the meeting, in the board's open log, and on the commitment it concerns.
    assert "PRSB-2025-01" in text(Page(client.get(MEETING).content).one("main"))
    board = client.get(BOARD).content.decode()
    assert "PRSB-2025-01" in board.split("Open: carried forward until closed")[1].split("Closed")[0]
    page = Page(client.get(f"/plans/{PCP}/priorities/1/commitments/d/").content)
    assert "PRSB-2025-01" in text(page.one("#board-decisions").find_next("table"))


def test_decision_form_refuses_bad_input_on_its_fields(client, board_data, officer, other_plan):
    from crimeplan.governance.models import Decision

    url = MEETING + "decisions/add/"
    assert _errors(client.post(url, _decision(text="  \n"))) == {
        "text": "Enter what was decided or asked for"
    }
    assert _errors(client.post(url, _decision(due_date="2025-04-23"))) == {
        "due_date": "The due date must be on or after the meeting that set it (24 April 2025)"
    }
    assert _errors(client.post(url, _decision(reference="PRSB-T-1"))) == {
        "reference": "PRSB-T-1 is already used on this board: give this one its own reference"
    }
    assert _errors(client.post(url, _decision(status="done"))) == {
        "closed_on": "Say when the item was closed (YYYY-MM-DD)."
    }
    assert _errors(client.post(url, _decision(status="done", closed_on="2025-04-01"))) == {
        "closed_on": "The item cannot close before the meeting that set it (24 April 2025)"
    }
    theirs = other_plan["commitment"]
    assert _errors(client.post(url, _decision(commitment=theirs.pk))) == {
        "commitment": f"Choose a commitment of {PLAN_TITLE}, the board's plan"
    }
    assert Decision.objects.filter(board=board_data).count() == 2


def test_change_a_recorded_decision(client, board_data, officer):
    from crimeplan.governance.models import Decision

    decision = Decision.objects.get(reference="PRSB-T-1")
    url = BOARD + f"decisions/{decision.pk}/edit/"
    assert f'href="{url}"' in Page(client.get(MEETING).content).testid("change-decisions").decode()
    form = Page(client.get(url).content)
    assert form.text("#id_text") == "Report on burglary in Basildon."
    assert form.one("#id_measure option[selected]")["value"] == str(decision.measure_id)
    data = _decision(
        reference="PRSB-T-1",
        text="Report on burglary in Basildon and Harlow.",
        due_date="2025-06-30",
        measure=decision.measure_id,
    )
    assert _errors(client.post(url, {**data, "due_date": "2025-01-01"})).keys() == {"due_date"}
    response = client.post(url, data)
    assert response["Location"] == MEETING
    assert "PRSB-T-1 was saved." in _banner(client, response)
    decision.refresh_from_db()
    assert (decision.text, decision.due_date) == (
        "Report on burglary in Basildon and Harlow.",
        dt.date(2025, 6, 30),
    )
    change = _events("governance.Decision", decision.pk)[-1]
    assert (change.action, change.actor) == ("update", "sec")
    assert (change.before["due_date"], change.after["due_date"]) == ("2025-05-31", "2025-06-30")
    assert change.before["text"] == "Report on burglary in Basildon."


def test_close_a_decision(client, board_data, officer):
    from crimeplan.governance.models import Decision

    decision = Decision.objects.get(reference="PRSB-T-1")
    url = BOARD + f"decisions/{decision.pk}/status/"
    page = Page(client.get(url).content)
    assert page.text("h1") == "Update PRSB-T-1"
    early = _errors(client.post(url, {"status": "done", "closed_on": "2025-04-01"}))
    assert early == {
        "closed_on": "The item cannot close before the meeting that set it (24 April 2025)"
    }
    response = client.post(url, {"status": "done", "closed_on": "2025-07-01", "note": "Reported."})
    assert response["Location"] == BOARD
    assert "PRSB-T-1 is now Done, closed on 1 July 2025." in _banner(client, response)
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on, decision.is_open) == (
        "done",
        dt.date(2025, 7, 1),
        False,
    )
    closing = _events("governance.Decision", decision.pk)[-1]
    assert (closing.action, closing.actor) == ("update", "sec")
    assert (closing.before["status"], closing.after["status"]) == ("open", "done")
    assert (closing.before["closed_on"], closing.after["closed_on"]) == (None, "2025-07-01")
    board = client.get(BOARD).content.decode()
    closed = board.split(">Closed<")[1]
    assert "PRSB-T-1" in closed and "Done (2025-07-01)" in closed
    measure = client.get(f"/plans/{PCP}/measures/burglary/").content.decode()
    assert "Done (2025-07-01)" in measure.split('id="decision-PRSB-T-1"')[1].split("</tr>")[0]
    # The plan's change history reads it back: who, and the status before and after.
    history = text(Page(client.get(f"/plans/{PCP}/history/").content).one("main"))
    first = history.split("PRSB-T-1")[1]
    assert "sec" in history and "Open" in first and "Done" in first


# Who may write -----------------------------------------------------------------------------


def _writes(board):
    """Each write: (method, url, data) and a check that it stored nothing."""
    from crimeplan.governance.models import AgendaItem, Decision, Meeting

    decision = Decision.objects.get(reference="PRSB-T-1")
    meeting = Meeting.objects.get(board=board)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Standing item")
    plan_meetings = Meeting.objects.filter(board=board)
    return {
        "meeting_add": (
            BOARD + "meetings/add/",
            {"date": "2025-10-23"},
            lambda: plan_meetings.count() == 1,
        ),
        "meeting_edit": (
            MEETING + "edit/",
            {"date": "2025-04-24", "title": "Changed"},
            lambda: Meeting.objects.get(pk=meeting.pk).title == "Q1",
        ),
        "meeting_delete": (
            MEETING + "delete/",
            {},
            lambda: Meeting.objects.filter(pk=meeting.pk).exists(),
        ),
        "agenda_add": (
            MEETING + "agenda/add/",
            {"title": "New"},
            lambda: AgendaItem.objects.count() == 1,
        ),
        "agenda_edit": (
            MEETING + f"agenda/{item.pk}/edit/",
            {"title": "Changed"},
            lambda: AgendaItem.objects.get(pk=item.pk).title == "Standing item",
        ),
        "agenda_delete": (
            MEETING + f"agenda/{item.pk}/delete/",
            {},
            lambda: AgendaItem.objects.filter(pk=item.pk).exists(),
        ),
        "decision_add": (
            MEETING + "decisions/add/",
            {"kind": "action", "reference": "X-1", "text": "t", "status": "open"},
            lambda: Decision.objects.count() == 2,
        ),
        "decision_edit": (
            BOARD + f"decisions/{decision.pk}/edit/",
            {"kind": "action", "reference": "PRSB-T-1", "text": "Changed", "status": "open"},
            lambda: Decision.objects.get(pk=decision.pk).text == "Report on burglary in Basildon.",
        ),
        "decision_status": (
            BOARD + f"decisions/{decision.pk}/status/",
            {"status": "done", "closed_on": "2025-07-01"},
            lambda: Decision.objects.get(pk=decision.pk).status == "open",
        ),
    }


WRITES = [
    "meeting_add",
    "meeting_edit",
    "meeting_delete",
    "agenda_add",
    "agenda_edit",
    "agenda_delete",
    "decision_add",
    "decision_edit",
    "decision_status",
]
OUTSIDERS = {
    "viewer_of_the_owner": ("viewer", "essex-pfcc"),
    "lead_of_the_owner": ("lead", "essex-pfcc"),
    "police_scrutiny_officer": ("scrutiny_officer", "essex-police"),
    "other_partnership_admin": ("administrator", "safer-essex"),
}


@pytest.mark.parametrize("who", [*OUTSIDERS, "anonymous"])
def test_only_the_boards_officers_write(client, board_data, member, who):
    from crimeplan.core.audit import acting_as
    from crimeplan.core.models import AuditEvent

    with acting_as(label="test:fixture"):
        writes = _writes(board_data)
    if who != "anonymous":
        client.force_login(member(*OUTSIDERS[who], username=who))
    before = AuditEvent.objects.count()
    for name in WRITES:
        url, data, unchanged = writes[name]
        for response in (client.get(url), client.post(url, data)):
            if who == "anonymous":
                assert response.status_code == 302, name
                assert response["Location"].startswith("/accounts/login/"), name
            else:
                assert response.status_code == 403, (name, response.status_code)
        assert unchanged(), name
    assert AuditEvent.objects.count() == before
    # The pages offer none of it to them.
    for page in (BOARD, MEETING):
        html = client.get(page).content.decode()
        for label in ("Add a meeting", "Change the meeting", "Add an agenda item", "Record a"):
            assert label not in html, (page, label)


def test_the_host_organisations_administrator_and_a_superuser_write(
    client, board_data, member, django_user_model
):
    from crimeplan.governance.models import Meeting

    client.force_login(member("administrator", "essex-pfcc", username="admin-pfcc"))
    assert client.post(BOARD + "meetings/add/", {"date": "2025-10-23"}).status_code == 302
    root = django_user_model.objects.create_superuser("root", password="pw-12345")
    client.force_login(root)
    assert client.post(BOARD + "meetings/add/", {"date": "2026-01-22"}).status_code == 302
    assert Meeting.objects.filter(board=board_data).count() == 3
