"""Every role × every delivery write, checked on the server: the allowed role's write lands, every
other role gets 403 (or a sign-in redirect when anonymous) and nothing is stored.

The action under test belongs to Chelmsford CVS (a voluntary-sector contributor's organisation)
in asset 5 of the strategy, whose lead is the ECVS Network."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crimeplan.delivery.models import (
    Action,
    Evidence,
    FundingBid,
    LocalPriority,
    Milestone,
    Update,
    UpdateRequest,
    VolunteerHours,
)
from crimeplan.plans.models import Strand

pytestmark = pytest.mark.django_db
CPS = "essex-crime-prevention-strategy-2021-2025"
ROLES = {
    "cvs_contributor": ("contributor", "chelmsford-cvs"),
    "other_contributor": ("contributor", "essex-police"),
    "asset5_lead": ("lead", "ecvs-network"),
    "police_lead": ("lead", "essex-police"),
    "csp_contributor": ("contributor", "chelmsford-csp"),
    "scrutiny_officer": ("scrutiny_officer", "essex-pfcc"),
    "viewer": ("viewer", "ecvs-network"),
}
ALL = [*ROLES, "anonymous"]


@pytest.fixture
def world(plans, make_action, member, approve, settings, tmp_path):
    settings.CRIMEPLAN_EVIDENCE_DIR = tmp_path / "evidence"
    users = {name: member(role, org, username=name) for name, (role, org) in ROLES.items()}
    action = make_action(
        asset=5, strand="places", organisation="chelmsford-cvs", reference="CPS-5-01"
    )
    submitted = approve(
        action, "2026-Q4", "green", state="submitted", submitted_by=users["cvs_contributor"]
    )
    return {"users": users, "action": action, "update": submitted, "plan": plans[CPS]}


def _client(client, world, who):
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def _pdf():
    return SimpleUploadedFile("report.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf")


def _orgs():
    from crimeplan.accounts.models import Organisation

    return {o.slug: o.pk for o in Organisation.objects.all()}


def write_action_edit(client, world):
    a = world["action"]
    data = {
        "reference": a.reference,
        "title": "Renamed",
        "description": "",
        "lead_organisation": a.lead_organisation_id,
        "status": "at_risk",
        "progress": 10,
        "weight": 1,
        "version": a.version,
        "asset": a.asset_id,
        "strand": a.strand_id,
    }
    response = client.post(reverse("delivery:action_edit", args=[a.reference]), data)
    return response, Action.objects.get(pk=a.pk).title == "Renamed"


def write_action_create(client, world):
    data = {
        "reference": "CPS-5-99",
        "title": "New",
        "lead_organisation": _orgs()["chelmsford-cvs"],
        "status": "not_started",
        "progress": 0,
        "weight": 1,
    }
    response = client.post(reverse("delivery:action_new", args=[CPS]), data)
    return response, Action.objects.filter(reference="CPS-5-99").exists()


def write_update(client, world):
    data = {
        "quarter": "2026-Q3",
        "rag": "amber",
        "progress": 30,
        "narrative": "Done things",
        "evidence_file": _pdf(),
    }
    response = client.post(reverse("delivery:update_new", args=[world["action"].reference]), data)
    return response, Update.objects.filter(quarter="2026-Q3").exists()


def write_review(client, world):
    response = client.post(
        reverse("delivery:update_review", args=[world["update"].pk]), {"decision": "approve"}
    )
    return response, Update.objects.get(pk=world["update"].pk).state == "approved"


def write_evidence(client, world):
    response = client.post(
        reverse("delivery:evidence_new", args=[world["action"].reference]),
        {"evidence_title": "Report", "evidence_file": _pdf()},
    )
    return response, Evidence.objects.filter(title="Report").exists()


def write_milestone(client, world):
    response = client.post(
        reverse("delivery:milestone_new", args=[world["action"].reference]),
        {"title": "Launch", "due_date": "2026-12-01"},
    )
    return response, Milestone.objects.filter(title="Launch").exists()


def write_bid(client, world):
    response = client.post(
        reverse("delivery:bid_new", args=[CPS]),
        {
            "organisation": _orgs()["chelmsford-cvs"],
            "funder": "Lottery",
            "amount_asked": "5000",
            "status": "submitted",
        },
    )
    return response, FundingBid.objects.filter(funder="Lottery").exists()


def write_hours(client, world):
    response = client.post(
        reverse("delivery:hours_new", args=[CPS]),
        {
            "organisation": _orgs()["chelmsford-cvs"],
            "quarter": "2026-Q3",
            "hours": "120",
            "activity": "Street pastors",
        },
    )
    return response, VolunteerHours.objects.filter(activity="Street pastors").exists()


def write_local_priority(client, world):
    response = client.post(
        reverse("delivery:local_priority_new", args=[CPS]),
        {
            "organisation": _orgs()["chelmsford-csp"],
            "district": "E07000070",
            "issue": "ASB in parks",
            "action_text": "Patrols",
            "start_date": "2026-10-01",
            "review_date": "2027-01-01",
            "status": "active",
        },
    )
    return response, LocalPriority.objects.filter(issue="ASB in parks").exists()


def write_strand(client, world):
    response = client.post(
        reverse("delivery:strand_new", args=[CPS]),
        {"name": "Young people", "slug": "young-people", "description": "", "order": 2},
    )
    return response, Strand.objects.filter(slug="young-people").exists()


def write_update_request(client, world):
    from crimeplan.plans.models import Asset

    asset = Asset.objects.get(plan=world["plan"], number=5)
    response = client.post(
        reverse("delivery:requests", args=[CPS]),
        {"quarter": "2026-Q4", "asset": asset.pk, "due_date": "2027-01-15"},
    )
    return response, UpdateRequest.objects.exists()


def write_import(client, world):
    csv = (
        b"reference,plan,title,lead_organisation,asset\n"
        b"CPS-5-50,essex-crime-prevention-strategy-2021-2025,Imported,chelmsford-cvs,5\n"
    )
    response = client.post(
        reverse("delivery:import", args=[CPS]),
        {"file": SimpleUploadedFile("a.csv", csv, content_type="text/csv")},
    )
    if response.status_code == 302 and "/imports/" in response["Location"]:
        response = client.post(response["Location"] + "apply/")
    return response, Action.objects.filter(reference="CPS-5-50").exists()


def _records(world):
    """One of each deletable partner record, made directly (not through the pages under test)."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.plans.models import Asset

    cvs = Organisation.objects.get(slug="chelmsford-cvs")
    plan = world["plan"]
    return {
        "bids": FundingBid.objects.create(
            plan=plan, organisation=cvs, funder="Trust", amount_asked=900, status="submitted"
        ),
        "hours": VolunteerHours.objects.create(
            plan=plan, organisation=cvs, quarter="2026-Q2", hours=12, activity="Patrol"
        ),
        "local-priorities": LocalPriority.objects.create(
            plan=plan,
            organisation=Organisation.objects.get(slug="chelmsford-csp"),
            district="E07000070",
            issue="Car crime",
            action_text="Marking",
            start_date="2026-10-01",
            review_date="2027-01-01",
            status="active",
        ),
        "rounds": UpdateRequest.objects.create(
            plan=plan,
            quarter="2026-Q3",
            asset=Asset.objects.get(plan=plan, number=5),
            due_date="2026-10-15",
        ),
    }


def _delete(kind):
    def write(client, world):
        record = _records(world)[kind]
        response = client.post(reverse("delivery:record_delete", args=[CPS, kind, record.pk]))
        return response, not type(record).objects.filter(pk=record.pk).exists()

    return write


WRITES = {
    "action_edit": (write_action_edit, {"cvs_contributor"}),
    "action_create": (write_action_create, {"cvs_contributor"}),
    "update": (write_update, {"cvs_contributor"}),
    "evidence": (write_evidence, {"cvs_contributor"}),
    "milestone": (write_milestone, {"cvs_contributor"}),
    "review": (write_review, {"asset5_lead"}),
    "bid": (write_bid, {"cvs_contributor"}),
    "hours": (write_hours, {"cvs_contributor"}),
    "local_priority": (write_local_priority, {"csp_contributor"}),
    "strand": (write_strand, {"asset5_lead", "police_lead", "scrutiny_officer"}),
    "update_request": (write_update_request, {"asset5_lead"}),
    "import": (write_import, {"cvs_contributor"}),
    "delete_bid": (_delete("bids"), {"cvs_contributor"}),
    "delete_hours": (_delete("hours"), {"cvs_contributor"}),
    "delete_local_priority": (_delete("local-priorities"), {"csp_contributor"}),
    "withdraw_round": (_delete("rounds"), {"asset5_lead"}),
}


@pytest.mark.parametrize("who", ALL)
@pytest.mark.parametrize("write", WRITES)
def test_role_by_write(client, world, write, who):
    function, allowed = WRITES[write]
    response, stored = function(_client(client, world, who), world)
    if who in allowed:
        assert response.status_code == 302, (response.status_code, response.content[:2000])
        assert stored
    else:
        assert not stored
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403, response.status_code


def test_nobody_approves_their_own_update(client, world, member):
    from crimeplan.accounts.models import Membership, Organisation

    lead = world["users"]["asset5_lead"]
    Membership.objects.create(
        user=lead, organisation=Organisation.objects.get(slug="chelmsford-cvs"), role="contributor"
    )
    client.force_login(lead)
    own = Update.objects.create(
        action=world["action"],
        quarter="2026-Q3",
        rag="green",
        narrative="x",
        progress=1,
        submitted_by=lead,
        submitted_at=world["update"].submitted_at,
    )
    response = client.post(
        reverse("delivery:update_review", args=[own.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert Update.objects.get(pk=own.pk).state == "submitted"


def test_public_sees_published_actions_only(client, world):
    action = world["action"]
    url = reverse("delivery:action", args=[action.reference])
    assert client.get(url).status_code == 404  # unpublished and anonymous
    Action.objects.filter(pk=action.pk).update(published=True)
    page = client.get(url).content.decode()
    assert "Test action" in page
    assert "2026-Q4" not in page  # the submitted update is not approved: not shown publicly


def test_evidence_file_served_only_to_partners(client, world):
    client.force_login(world["users"]["cvs_contributor"])
    write_evidence(client, world)
    evidence = Evidence.objects.get(title="Report")
    url = reverse("delivery:evidence_file", args=[evidence.pk])
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF-")
    client.logout()
    assert client.get(url).status_code == 302  # sign in first
    Action.objects.filter(pk=world["action"].pk).update(published=True)
    assert client.get(url).status_code == 302


def test_a_record_is_deleted_after_a_confirmation_page_and_the_deletion_is_audited(client, world):
    from crimeplan.core.models import AuditEvent

    bid = _records(world)["bids"]
    client.force_login(world["users"]["cvs_contributor"])
    funding = client.get(reverse("delivery:funding", args=[CPS])).content.decode()
    edit = reverse("delivery:bid_edit", args=[CPS, bid.pk])
    assert edit in funding  # a Change link for the organisation's own bid
    delete = reverse("delivery:record_delete", args=[CPS, "bids", bid.pk])
    assert delete in client.get(edit).content.decode()
    page = client.get(delete)
    assert page.status_code == 200 and FundingBid.objects.filter(pk=bid.pk).exists()
    assert "Delete Chelmsford CVS" in page.content.decode()
    response = client.post(delete, follow=True)
    assert not FundingBid.objects.filter(pk=bid.pk).exists()
    assert "Deleted Chelmsford CVS" in response.content.decode()
    event = AuditEvent.objects.get(
        model="delivery.FundingBid", object_id=str(bid.pk), action="delete"
    )
    assert event.user == world["users"]["cvs_contributor"]
    assert event.before["funder"] == "Trust" and event.after is None
    # Another organisation's writer sees no Change link and cannot open the page.
    client.force_login(world["users"]["other_contributor"])
    other = _records(world)["bids"]
    assert (
        reverse("delivery:bid_edit", args=[CPS, other.pk])
        not in client.get(reverse("delivery:funding", args=[CPS])).content.decode()
    )
    assert (
        client.get(reverse("delivery:record_delete", args=[CPS, "bids", other.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("delivery:record_delete", args=[CPS, "nothing", 1])).status_code == 404
    )


def test_an_empty_bid_names_each_missing_field_in_the_summary_and_beside_it(client, world):
    from tests.pages import Page

    client.force_login(world["users"]["cvs_contributor"])
    # As a browser posts the form left empty: blank text, the status list on its default.
    response = client.post(
        reverse("delivery:bid_new", args=[CPS]), {"title": "", "status": "planned"}
    )
    assert response.status_code == 200 and not FundingBid.objects.exists()
    page = Page(response.content)
    summary = [(a["href"], a.get_text(strip=True)) for a in page.all(".govuk-error-summary a")]
    assert summary == [
        ("#id_organisation", "Choose the organisation"),
        ("#id_funder", "Enter the funder"),
        ("#id_amount_asked", "Enter the amount asked"),
    ]
    for href, message in summary:
        assert message in page.one(f"{href}-error").get_text()
