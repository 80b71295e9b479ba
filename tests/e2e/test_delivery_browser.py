"""Delivery in a real browser (Debian chromium): a voluntary-sector contributor posts an update
with a file, the asset lead approves it and the matrix roll-up changes; another organisation is
refused on the server; two browsers editing one action meet the conflict page; a spreadsheet
exported, edited and imported changes exactly the edited row; axe finds no serious or critical
violation on any delivery page.

The demo delivery data is loaded on the example plans. Asset 5 × Places holds CPS-5-01 (weight
2, latest approved update green this quarter) and CPS-5-03 (weight 1, latest approved red last
quarter, this quarter's update returned): weighted (2×1 + 1×0) / 3 = 67%, amber, one action with
no approved update this quarter. Once CPS-5-03's green update is approved: (2 + 1) / 3 = 100%."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser
PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"
PASSWORD = "crimeplan-demo"


@pytest.fixture
def demo(example_plans, settings, tmp_path):
    from crimeplan.accounts.demo_users import create_demo_users
    from crimeplan.delivery.demo import load_delivery_demo

    settings.CRIMEPLAN_EVIDENCE_DIR = tmp_path / "evidence"
    settings.CRIMEPLAN_HOME = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_users()
    load_delivery_demo()
    return example_plans


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/?next=/delivery/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/delivery/$"))


def sign_out(page):
    page.context.clear_cookies()


def matrix_cell(page, base):
    page.goto(f"{base}/delivery/plans/{CPS}/matrix/")
    return page.locator('tr[data-asset="5"][data-strand="places"]').inner_text()


def test_update_with_file_approved_into_the_matrix(live_server, demo, page, axe, tmp_path):
    base = live_server.url
    sign_in(page, base, "ecvs")
    before = matrix_cell(page, base)
    assert "Amber" in before and "(67%)" in before
    sign_out(page)

    sign_in(page, base, "volunteer")
    assert page.locator('[data-testid="updates-due"] tr[data-reference="CPS-5-03"]').count() == 1
    assert "Overdue" in page.locator('[data-testid="updates-due"]').inner_text()
    page.goto(f"{base}/delivery/actions/CPS-5-03/")
    page.get_by_role("link", name="Post an update").click()
    report = tmp_path / "quarter-report.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page.get_by_label("Green").check()
    page.get_by_label("Progress (per cent)").fill("60")
    page.get_by_label("What has been done this quarter").fill("Recruited 40 volunteers")
    page.get_by_label("Evidence title").fill("Quarter report")
    page.get_by_label("Evidence file (optional)").set_input_files(str(report))
    violations = axe(page)
    assert violations == [], _describe(violations)
    page.get_by_role("button", name="Send for approval").click()
    assert "sent to the lead for approval" in page.get_by_test_id("flash").inner_text()
    sign_out(page)

    sign_in(page, base, "ecvs")
    page.get_by_role("link", name="Review CPS-5-03").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Quarter report").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-1.4")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record decision").click()
    assert "Update approved" in page.get_by_test_id("flash").inner_text()
    after = matrix_cell(page, base)
    assert "Green" in after and "(100%)" in after
    assert after.split()[-1] == "0"  # no action left without an approved update this quarter


def test_another_organisation_is_refused_on_the_server(live_server, demo, page):
    base = live_server.url
    sign_in(page, base, "partner")  # a contributor at Safer Essex, not Chelmsford CVS
    response = page.goto(f"{base}/delivery/actions/CPS-5-03/updates/new/")
    assert response.status == 403
    response = page.request.post(
        f"{base}/delivery/actions/CPS-5-03/updates/new/",
        form={"quarter": "2026-Q4", "rag": "green", "progress": "1", "narrative": "x"},
    )
    assert response.status == 403  # no CSRF token either: refused before any write


def test_two_browsers_editing_one_action_get_the_conflict_page(live_server, demo, browser, axe):
    from django.contrib.auth import get_user_model

    from crimeplan.accounts.models import Membership, Organisation

    second = get_user_model().objects.create_user("volunteer2", password=PASSWORD)
    Membership.objects.create(
        user=second,
        organisation=Organisation.objects.get(slug="chelmsford-cvs"),
        role="contributor",
    )
    base = live_server.url
    first_ctx, second_ctx = browser.new_context(), browser.new_context()
    try:
        one, two = first_ctx.new_page(), second_ctx.new_page()
        sign_in(one, base, "volunteer")
        sign_in(two, base, "volunteer2")
        for p in (one, two):
            p.goto(f"{base}/delivery/actions/CPS-5-01/edit/")
        one.get_by_label("Title").fill("Places: town centre action (first)")
        one.get_by_role("button", name="Save action").click()
        assert "saved" in one.get_by_test_id("flash").inner_text()
        two.get_by_label("Title").fill("Places: town centre action (second)")
        two.get_by_role("button", name="Save action").click()
        assert two.get_by_test_id("conflict").is_visible()
        table = two.get_by_test_id("conflict-table").inner_text()
        assert "(first)" in table and "(second)" in table
        violations = axe(two)
        assert violations == [], _describe(violations)
        two.get_by_test_id("save-mine").click()
        assert "saved" in two.get_by_test_id("flash").inner_text()
        assert "(second)" in two.locator("h1").inner_text()
    finally:
        first_ctx.close()
        second_ctx.close()


def test_export_edit_import_changes_exactly_the_edited_row(live_server, demo, page, axe, tmp_path):
    from crimeplan.delivery.models import Action

    base = live_server.url
    before = dict(Action.objects.values_list("reference", "title"))
    versions = dict(Action.objects.values_list("reference", "version"))
    sign_in(page, base, "volunteer")
    page.goto(f"{base}/delivery/plans/{CPS}/import/")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    path = tmp_path / "actions.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "CPS-5-01":
            row[header.index("title")].value = "Places: community action, edited in Excel"
    book.save(path)
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    summary = page.get_by_test_id("preview-summary").inner_text()
    exported = sheet.max_row - 1
    assert f"0 created, 1 changed, {exported - 1} unchanged" in summary
    assert page.locator('[data-testid="preview"] tr[data-reference="CPS-5-01"]').inner_text()
    violations = axe(page)
    assert violations == [], _describe(violations)
    page.get_by_role("button", name="Apply these changes").click()
    assert page.get_by_test_id("result").inner_text() == (
        f"0 created, 1 changed, {exported - 1} unchanged"
    )
    after = dict(Action.objects.values_list("reference", "title"))
    changed = {ref for ref in before if before[ref] != after[ref]}
    assert changed == {"CPS-5-01"}
    assert after["CPS-5-01"] == "Places: community action, edited in Excel"
    new_versions = dict(Action.objects.values_list("reference", "version"))
    assert {r for r in versions if versions[r] != new_versions[r]} == {"CPS-5-01"}


PAGES = [
    "/delivery/",
    f"/delivery/plans/{CPS}/matrix/",
    f"/delivery/plans/{PCP}/priorities/",
    f"/delivery/plans/{PCP}/outcome/",
    f"/delivery/plans/{PCP}/stale/",
    f"/delivery/plans/{CPS}/funding/",
    f"/delivery/plans/{PCP}/local-priorities/",
    f"/delivery/plans/{CPS}/strands/",
    f"/delivery/plans/{CPS}/requests/",
    f"/delivery/plans/{CPS}/import/",
    f"/delivery/plans/{CPS}/actions/new/",
    f"/delivery/plans/{CPS}/funding/bids/new/",
    "/delivery/actions/CPS-5-03/",
    "/delivery/actions/CPS-5-03/edit/",
    "/delivery/actions/CPS-5-03/history/",
    "/delivery/actions/CPS-5-03/milestones/new/",
    "/delivery/actions/CPS-5-03/evidence/new/",
    f"/plans/{PCP}/priorities/1/commitments/d/",
]


def test_axe_finds_no_serious_violation_on_any_delivery_page(live_server, demo, page, axe):
    base = live_server.url
    sign_in(page, base, "volunteer")
    failures = {}
    for path in PAGES:
        response = page.goto(base + path)
        assert response.status == 200, path
        violations = axe(page)
        if violations:
            failures[path] = _describe(violations)
    sign_out(page)
    sign_in(page, base, "csp")
    for path in (f"/delivery/plans/{PCP}/local-priorities/new/",):
        assert page.goto(base + path).status == 200
        if violations := axe(page):
            failures[path] = _describe(violations)
    sign_out(page)
    sign_in(page, base, "pfcclead")  # approves the plan's own actions (no asset or strand)
    page.get_by_role("link", name=re.compile("Review ")).first.click()
    if violations := axe(page):
        failures["review"] = _describe(violations)
    assert failures == {}, failures
    # Reflow (WCAG 1.4.10): at 320 px wide every page fits; wide tables, like the matrix,
    # scroll inside their own regions, not the page.
    sign_out(page)
    sign_in(page, base, "volunteer")
    page.set_viewport_size({"width": 320, "height": 800})
    widths = {}
    for path in PAGES:
        page.goto(base + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert {p: w for p, w in widths.items() if w > 320} == {}
