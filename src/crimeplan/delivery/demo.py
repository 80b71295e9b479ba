"""Demo delivery data: actions across all five assets and all seven priorities, with quarterly
updates (some approved, some returned, some waiting, some overdue), milestones, funding bids,
volunteer hours, local priorities and an open round of updates.

Every record says it is demo data (descriptions, narratives, funders), like the generated crime
data, so a screen of the demo can never pass for real delivery. Deterministic and idempotent:
records are keyed by reference (or natural key) and only created when missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crimeplan.accounts.demo_users import DEMO_PASSWORD
from crimeplan.accounts.models import Membership, Organisation, Role
from crimeplan.core.audit import acting_as
from crimeplan.delivery.models import (
    Action,
    FundingBid,
    LocalPriority,
    Milestone,
    StrandLead,
    Update,
    UpdateRequest,
    UpdateState,
    VolunteerHours,
)
from crimeplan.delivery.quarters import current_quarter, previous_quarter, quarter_bounds
from crimeplan.plans.models import Asset, Commitment, Plan, Strand

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"
LABEL = "Demo data (not a real action)."

# Organisations the demo adds beside the plan files' own: a district CSP and a district CVS.
DEMO_ORGANISATIONS = [
    ("chelmsford-csp", "Chelmsford Community Safety Partnership (demo)", Organisation.Kind.CSP),
    ("basildon-csp", "Basildon Community Safety Partnership (demo)", Organisation.Kind.CSP),
    ("chelmsford-cvs", "Chelmsford CVS (demo)", Organisation.Kind.VOLUNTARY),
]
# (username, full name, organisation, role): log-ins for the delivery roles.
DEMO_DELIVERY_USERS = [
    ("volunteer", "Demo Voluntary-sector Contributor", "chelmsford-cvs", Role.CONTRIBUTOR),
    ("ecvs", "Demo Asset 5 Lead", "ecvs-network", Role.LEAD),
    ("csp", "Demo CSP Contributor", "chelmsford-csp", Role.CONTRIBUTOR),
    ("pfcclead", "Demo Plan Lead", "essex-pfcc", Role.LEAD),
]


@dataclass(frozen=True)
class DemoAction:
    reference: str
    title: str
    organisation: str
    commitments: tuple[str, ...] = ()
    asset: int | None = None
    strand: str | None = None
    status: str = "on_track"
    # RAG of the last three quarters' updates, oldest first; "" = no update that quarter.
    rags: tuple[str, str, str] = ("green", "green", "green")
    # State of the latest update: approved, submitted (awaiting the lead) or returned.
    latest_state: str = UpdateState.APPROVED
    owner: str | None = "lead"


ACTIONS = [
    DemoAction(
        "PCP-1A-01",
        "Promote Do It Online reporting in every district",
        "essex-police",
        ("1a", "1i"),
    ),
    DemoAction(
        "PCP-1B-01",
        "Recruit Special Constables: a Special in every town",
        "essex-police",
        ("1b",),
        rags=("amber", "amber", "green"),
    ),
    DemoAction(
        "PCP-1C-01",
        "Issue mobile devices to front-line officers",
        "essex-police",
        ("1c",),
        status="complete",
        rags=("green", "green", "green"),
    ),
    DemoAction(
        "PCP-1D-01",
        "Rural crime: Farm Watch expansion and Rural Specials",
        "essex-police",
        ("1d",),
        rags=("green", "green", "green"),
    ),
    DemoAction(
        "PCP-1E-01",
        "Community Safety Hubs co-located in every district",
        "safer-essex",
        ("1e", "2c"),
        status="at_risk",
        rags=("amber", "red", "amber"),
        owner="partner",
    ),
    DemoAction(
        "PCP-1F-01",
        "CSPs set community policing team priorities",
        "chelmsford-csp",
        ("1f",),
        rags=("green", "amber", ""),
        latest_state=UpdateState.SUBMITTED,
        owner="csp",
    ),
    DemoAction(
        "PCP-1H-01",
        "Targeted patrols in crime hotspots and the night-time economy",
        "essex-police",
        ("1h", "1g"),
        rags=("green", "green", "green"),
    ),
    DemoAction(
        "PCP-2A-01",
        "Early intervention for low-level anti-social behaviour",
        "safer-essex",
        ("2a",),
        rags=("amber", "amber", "amber"),
        owner="partner",
    ),
    DemoAction(
        "PCP-2B-01",
        "Repeat and high-harm ASB: case reviews",
        "essex-police",
        ("2b", "2e"),
        status="off_track",
        rags=("amber", "red", "red"),
    ),
    DemoAction(
        "PCP-3A-01",
        "Commission victim-led domestic abuse services",
        "essex-pfcc",
        ("3a", "3e"),
        rags=("green", "green", "green"),
        owner="officer",
    ),
    DemoAction(
        "PCP-3C-01",
        "Perpetrator behaviour change programme roll-out",
        "essex-pfcc",
        ("3c",),
        rags=("amber", "green", "green"),
        latest_state=UpdateState.RETURNED,
        owner="officer",
    ),
    DemoAction(
        "PCP-4A-01",
        "Violence Suppression Strategy with partners",
        "essex-police",
        ("4a", "4d"),
        rags=("green", "amber", "green"),
    ),
    DemoAction(
        "PCP-4B-01",
        "Diversionary activities for young people at risk",
        "chelmsford-cvs",
        ("4b",),
        rags=("green", "green", ""),
        owner="volunteer",
    ),
    DemoAction(
        "PCP-5A-01",
        "Disrupt organised crime groups regionally",
        "essex-police",
        ("5a", "5g"),
        rags=("green", "green", "green"),
    ),
    DemoAction(
        "PCP-5F-01",
        "Prevent child criminal exploitation by gangs",
        "chelmsford-cvs",
        ("5f",),
        status="not_started",
        rags=("", "", ""),
        owner=None,
    ),
    DemoAction(
        "PCP-6C-01",
        "Street triage for mental health crises",
        "essex-police",
        ("6c",),
        rags=("green", "amber", "amber"),
    ),
    DemoAction(
        "PCP-6H-01",
        "Hate Crime Reporting Centres",
        "safer-essex",
        ("6h", "6g"),
        rags=("amber", "green", "green"),
        owner="partner",
    ),
    DemoAction(
        "PCP-7A-01",
        "Safer Essex Roads Partnership education and enforcement",
        "safer-essex",
        ("7a", "7f"),
        rags=("green", "green", "green"),
        owner="partner",
    ),
    DemoAction(
        "PCP-7G-01",
        "Grow Community Speed Watch",
        "chelmsford-cvs",
        ("7g",),
        rags=("amber", "amber", "amber"),
        latest_state=UpdateState.SUBMITTED,
        owner="volunteer",
    ),
    DemoAction(
        "CPS-1-01",
        "Designing out crime officers for new developments",
        "essex-police",
        asset=1,
        strand="places",
        rags=("green", "green", "green"),
    ),
    DemoAction(
        "CPS-2-01",
        "Neighbourhood crime prevention advice",
        "essex-police",
        asset=2,
        rags=("green", "amber", "green"),
    ),
    DemoAction(
        "CPS-3-01",
        "Prevention in investigations: repeat victim visits",
        "essex-police",
        asset=3,
        rags=("amber", "amber", "red"),
        status="at_risk",
    ),
    DemoAction(
        "CPS-4-01",
        "Align CSP strategies with the Crime Prevention Strategy",
        "safer-essex",
        asset=4,
        strand="places",
        rags=("green", "green", ""),
        owner="partner",
    ),
    DemoAction(
        "CPS-4-02",
        "Safeguarding Adults Board prevention alignment",
        "safer-essex",
        asset=4,
        rags=("amber", "green", "green"),
        owner=None,
    ),
    DemoAction(
        "CPS-5-01",
        "Places: community action in town centres",
        "chelmsford-cvs",
        asset=5,
        strand="places",
        rags=("green", "green", "green"),
        owner="volunteer",
    ),
    DemoAction(
        "CPS-5-02",
        "Active Essex community safety strand",
        "ecvs-network",
        asset=5,
        rags=("amber", "green", "green"),
        latest_state=UpdateState.SUBMITTED,
        owner="ecvs",
    ),
    DemoAction(
        "CPS-5-03",
        "Volunteer recruitment for crime prevention",
        "chelmsford-cvs",
        asset=5,
        strand="places",
        rags=("amber", "red", "amber"),
        latest_state=UpdateState.RETURNED,
        owner="volunteer",
    ),
]


def _users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, full_name, org_slug, role in DEMO_DELIVERY_USERS:
        organisation = Organisation.objects.get(slug=org_slug)
        user, created = User.objects.get_or_create(username=username)
        if created:
            first, _, last = full_name.partition(" ")
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    for user in User.objects.filter(
        username__in=[u for u, *_ in DEMO_DELIVERY_USERS] + ["lead", "partner", "officer"]
    ):
        users[user.username] = user
    return users


def load_delivery_demo(today: dt.date | None = None) -> dict[str, int]:
    """Create the demo delivery records that are missing; returns how many of each it made."""
    today = today or dt.date.today()
    made = {"actions": 0, "updates": 0, "milestones": 0, "bids": 0, "hours": 0, "local": 0}
    pcp = Plan.objects.filter(slug=PCP).first()
    cps = Plan.objects.filter(slug=CPS).first()
    if pcp is None or cps is None:
        return made
    with transaction.atomic(), acting_as(label="demo"):
        for slug, name, kind in DEMO_ORGANISATIONS:
            Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "description": LABEL}
            )
        users = _users()
        places = Strand.objects.get(plan=cps, slug="places")
        StrandLead.objects.get_or_create(
            strand=places, organisation=Organisation.objects.get(slug="ecvs-network")
        )
        quarters = [previous_quarter(previous_quarter(current_quarter(today)))]
        quarters += [previous_quarter(current_quarter(today)), current_quarter(today)]
        for spec in ACTIONS:
            if Action.objects.filter(reference=spec.reference).exists():
                continue
            _make_action(spec, pcp, cps, users, quarters, today, made)
        _make_partner_records(cps, pcp, quarters, today, made, users)
    return made


def _make_action(spec, pcp, cps, users, quarters, today, made) -> None:
    index = ACTIONS.index(spec)
    plan = pcp if spec.commitments else cps
    start = dt.date(today.year - 1, 4, 1)
    due = today + dt.timedelta(days=90 + 30 * (index % 6))
    if spec.reference in ("PCP-2B-01", "CPS-3-01"):
        due = today - dt.timedelta(days=20)  # past due and not complete: stale work
    action = Action.objects.create(
        reference=spec.reference,
        plan=plan,
        title=spec.title,
        description=f"{LABEL} {spec.title}.",
        lead_organisation=Organisation.objects.get(slug=spec.organisation),
        owner=users.get(spec.owner) if spec.owner else None,
        start_date=start,
        due_date=due,
        status=spec.status,
        progress={"complete": 100, "not_started": 0}.get(spec.status, 25 + 10 * (index % 6)),
        weight=2 if index % 4 == 0 else 1,
        published=index % 3 != 2,
        asset=Asset.objects.get(plan=cps, number=spec.asset) if spec.asset else None,
        strand=Strand.objects.get(plan=cps, slug=spec.strand) if spec.strand else None,
    )
    for code in spec.commitments:
        action.commitments.add(
            Commitment.objects.get(plan=pcp, priority__number=int(code[0]), letter=code[1:])
        )
    made["actions"] += 1
    submitter = action.owner or users.get("lead")
    reviewer = users.get("ecvs") if spec.asset == 5 else users.get("pfcclead")
    for position, (quarter, rag) in enumerate(zip(quarters, spec.rags, strict=True)):
        if not rag:
            continue
        latest = position == len(quarters) - 1 or not any(spec.rags[position + 1 :])
        state = spec.latest_state if latest else UpdateState.APPROVED
        _, end = quarter_bounds(quarter)
        at = timezone.make_aware(dt.datetime.combine(min(end, today), dt.time(10)))
        Update.objects.create(
            action=action,
            quarter=quarter,
            rag=rag,
            narrative=f"Demo update: {spec.title.lower()}, {quarter} ({rag}).",
            progress=min(100, action.progress - 10 * (len(quarters) - 1 - position)),
            next_steps="Demo next steps: continue and report next quarter.",
            state=state,
            submitted_by=submitter,
            submitted_at=at,
            reviewed_by=None if state == UpdateState.SUBMITTED else reviewer,
            reviewed_at=None if state == UpdateState.SUBMITTED else at + dt.timedelta(days=3),
            review_comment=(
                "Please add the figures for the quarter." if state == UpdateState.RETURNED else ""
            ),
        )
        made["updates"] += 1
    for n, (title, offset, done) in enumerate(
        [
            ("Plan agreed", -200, True),
            ("First review", -30, index % 3 == 0),
            ("Evaluation", 60, False),
        ]
    ):
        Milestone.objects.create(
            action=action,
            title=f"{title} (demo)",
            due_date=today + dt.timedelta(days=offset + n),
            done_date=today + dt.timedelta(days=offset + n) if done else None,
        )
        made["milestones"] += 1


def _make_partner_records(cps, pcp, quarters, today, made, users) -> None:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    places = Strand.objects.get(plan=cps, slug="places")
    assets = {a.number: a for a in cps.assets.all()}
    bids = [
        (
            "chelmsford-cvs",
            "National Lottery Community Fund (demo)",
            250_000,
            180_000,
            "part_awarded",
            [5],
        ),
        ("ecvs-network", "Active Essex (demo)", 1_200_000, 1_200_000, "awarded", [5]),
        ("safer-essex", "Home Office Safer Streets (demo)", 800_000, None, "submitted", [4]),
        ("essex-police", "Home Office Safer Streets (demo)", 450_000, 0, "unsuccessful", [1, 2]),
        ("chelmsford-cvs", "Essex Community Foundation (demo)", 60_000, None, "planned", [5]),
    ]
    for org, funder, asked, awarded, status, numbers in bids:
        if FundingBid.objects.filter(plan=cps, organisation=orgs[org], funder=funder).exists():
            continue
        bid = FundingBid.objects.create(
            plan=cps,
            organisation=orgs[org],
            funder=funder,
            title=f"{LABEL}",
            amount_asked=asked,
            amount_awarded=awarded,
            status=status,
        )
        bid.assets.set([assets[n] for n in numbers])
        if 5 in numbers:
            bid.strands.add(places)
        made["bids"] += 1
    for org, hours, activity in [
        ("chelmsford-cvs", 420, "Street pastors (demo)"),
        ("ecvs-network", 1150, "Community action days (demo)"),
        ("chelmsford-cvs", 96, "Community Speed Watch (demo)"),
    ]:
        for quarter in quarters[:2]:
            _, created = VolunteerHours.objects.get_or_create(
                plan=cps,
                organisation=orgs[org],
                quarter=quarter,
                activity=activity,
                defaults={"hours": hours, "strand": places if "Street" in activity else None},
            )
            made["hours"] += created
    for org, district, issue, text in [
        (
            "chelmsford-csp",
            "E07000070",
            "Anti-social behaviour in the city centre (demo)",
            "Joint evening patrols with the CSP's wardens and licensed premises checks.",
        ),
        (
            "chelmsford-csp",
            "E07000070",
            "Cycle theft at the railway station (demo)",
            "Secure stands, marking events and a plain-clothes operation.",
        ),
        (
            "basildon-csp",
            "E07000066",
            "Drug dealing near schools (demo)",
            "Targeted patrols at school times and information sharing with schools.",
        ),
    ]:
        _, created = LocalPriority.objects.get_or_create(
            plan=pcp,
            organisation=orgs[org],
            district=district,
            issue=issue,
            defaults={
                "action_text": text,
                "start_date": today - dt.timedelta(days=120),
                "review_date": today + dt.timedelta(days=60 if "Cycle" not in issue else -10),
                "status": LocalPriority.Status.ACTIVE,
                "published": True,
            },
        )
        made["local"] += created
    # An open round for asset 5 this quarter, due a week ago: its missing updates are overdue.
    UpdateRequest.objects.get_or_create(
        plan=cps,
        quarter=quarters[-1],
        asset=assets[5],
        strand=None,
        defaults={
            "due_date": today - dt.timedelta(days=7),
            "opened_by": users.get("ecvs"),
            "message": "Demo round of updates.",
        },
    )
