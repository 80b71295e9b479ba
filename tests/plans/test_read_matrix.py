"""Who can read what: roles × organisations × pages, for a draft plan and member lists.

A draft plan, its change history and its organisations' member lists are for members (any
role) of the plan's owner and the partners it names, and for staff; being a member of some
other organisation is not enough. Counted by hand from the example plans: the 2016-2020 plan
is owned by essex-pfcc and names essex-police and essex-county-fire-and-rescue-service; the
strategy names ecvs-network and safer-essex as well, but not the fire service.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from crimeplan.accounts.models import Organisation, Role
from crimeplan.core.audit import acting_as
from crimeplan.plans.models import Plan

PCP = "essex-police-and-crime-plan-2016-2020"
DRAFT_PAGES = [
    f"/plans/{PCP}/",
    f"/plans/{PCP}/priorities/1/",
    f"/plans/{PCP}/priorities/1/commitments/a/",
    f"/plans/{PCP}/plan.yaml",
    f"/plans/{PCP}/measures/",
    f"/plans/{PCP}/measures/special-constables/",
    f"/plans/{PCP}/history/",
]
INSIDE = ["essex-pfcc", "essex-police", "essex-county-fire-and-rescue-service"]
OUTSIDE = ["ecvs-network", "safer-essex", "lonely-org"]


@pytest.fixture
def draft(example_plans):
    with acting_as(label="test"):
        Organisation.objects.create(slug="lonely-org", name="An organisation no plan names")
        plan = Plan.objects.get(slug=PCP)
        plan.status = Plan.Status.DRAFT
        plan.save()
    return plan


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("organisation", INSIDE + OUTSIDE)
def test_draft_plan_pages_by_role_and_organisation(client, draft, member, role, organisation):
    client.force_login(member(role, organisation))
    expected = 200 if organisation in INSIDE else 403
    for url in DRAFT_PAGES:
        assert client.get(url).status_code == expected, (url, role, organisation)
    listed = "Police and Crime Plan 2016–2020" in client.get("/").content.decode()
    assert listed is (organisation in INSIDE)


def test_draft_plan_pages_for_anonymous_and_staff(client, draft):
    for url in DRAFT_PAGES:
        status = client.get(url).status_code
        assert status == (302 if url.endswith("/history/") else 404), url
    staff = get_user_model().objects.create_user("staff", password="pw-12345", is_staff=True)
    client.force_login(staff)
    for url in DRAFT_PAGES:
        assert client.get(url).status_code == 200, url


def test_published_plan_history_is_for_its_partnership(client, example_plans, member):
    url = f"/plans/{PCP}/history/"
    client.force_login(member("viewer", "ecvs-network"))
    assert client.get(url).status_code == 403
    client.force_login(member("viewer", "essex-police", username="police-viewer"))
    assert client.get(url).status_code == 200


# Member lists: whose members each organisation's page lists, by the reader's organisation.
# essex-pfcc is in both plans; fire shares only the 2016-2020 plan; ecvs shares only the
# strategy; lonely-org shares none.
MEMBER_LISTS = {
    "essex-pfcc": {
        "essex-county-fire-and-rescue-service",
        "essex-police",
        "ecvs-network",
        "safer-essex",
    },
    "ecvs-network": {"essex-pfcc", "essex-police", "safer-essex", "ecvs-network"},
    "lonely-org": {"lonely-org"},
}


@pytest.mark.parametrize("reader", sorted(MEMBER_LISTS))
def test_member_lists_by_organisation(client, draft, member, reader):
    client.force_login(member("viewer", reader))
    for organisation in [*INSIDE, *OUTSIDE]:
        html = client.get(f"/organisations/{organisation}/").content.decode()
        shown = '<h2 class="govuk-heading-m">Members</h2>' in html
        assert shown is (organisation in MEMBER_LISTS[reader] | {reader}), (reader, organisation)


def test_member_lists_hidden_from_anonymous_and_shown_to_staff(client, draft):
    for organisation in INSIDE:
        html = client.get(f"/organisations/{organisation}/").content.decode()
        assert '<h2 class="govuk-heading-m">Members</h2>' not in html
    staff = get_user_model().objects.create_user("staff", password="pw-12345", is_staff=True)
    client.force_login(staff)
    html = client.get("/organisations/lonely-org/").content.decode()
    assert '<h2 class="govuk-heading-m">Members</h2>' in html


def test_organisation_page_lists_a_draft_only_to_its_partnership(client, draft, member):
    client.force_login(member("viewer", "ecvs-network"))
    html = client.get("/organisations/essex-pfcc/").content.decode()
    assert "Police and Crime Plan 2016–2020" not in html
    client.force_login(member("viewer", "essex-police", username="police-viewer"))
    html = client.get("/organisations/essex-pfcc/").content.decode()
    assert "Police and Crime Plan 2016–2020" in html
