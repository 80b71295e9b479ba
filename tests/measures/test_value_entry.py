"""Entered values cannot break public pages: one validator for the form and the CSV loader,
asking before a month's value is replaced, and audited corrections and deletions."""

from __future__ import annotations

import pytest

from crimeplan.core.audit import acting_as
from crimeplan.core.models import AuditEvent
from crimeplan.measures.compute import recompute_manual
from crimeplan.measures.models import ManualValue, Measure, SeriesValue

PCP = "essex-police-and-crime-plan-2016-2020"
MEASURE = f"/plans/{PCP}/measures/special-constables/"
ADD = MEASURE + "values/"
CONFIDENCE_ADD = f"/plans/{PCP}/measures/public-confidence/values/"
PUBLIC_PAGES = [
    MEASURE,
    f"/plans/{PCP}/measures/",
    f"/plans/{PCP}/priorities/1/",
]


@pytest.fixture
def published(example_plans):
    plan = example_plans[PCP]
    plan.status = "published"
    with acting_as(label="test"):
        plan.save()
    return plan


def test_extreme_stored_values_do_not_break_public_pages(client, published):
    # Values stored before entry was checked: the SPC code must still read them.
    measure = Measure.objects.get(plan=published, key="special-constables")
    with acting_as(label="test"):
        for period, value in [("2024-01", 1.7e308), ("2024-02", -1.7e308), ("2024-03", 5.0)]:
            ManualValue.objects.create(
                measure=measure, period=period, value=value, source="old import"
            )
    recompute_manual(measure)
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url


def test_huge_and_negative_values_are_refused_by_the_form(client, published, member):
    client.force_login(member("contributor", "essex-police"))
    response = client.post(ADD, {"period": "2024-02", "value": "-1.7e308", "source": "HR"})
    assert response.status_code == 400
    assert "is negative: a count is 0 or more" in response.content.decode()
    for raw in ("nan", "inf", "-inf", "1e999"):
        response = client.post(ADD, {"period": "2024-02", "value": raw, "source": "HR"})
        assert response.status_code == 400, raw
        assert "is not a finite number" in response.content.decode(), raw
    response = client.post(ADD, {"period": "2024-02", "value": "3.5", "source": "HR"})
    assert "is not a whole number" in response.content.decode()
    assert ManualValue.objects.count() == 0
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url


def test_percentage_future_month_and_unknown_area_are_refused(client, published, member):
    client.force_login(member("contributor", "essex-police"))
    response = client.post(CONFIDENCE_ADD, {"period": "2024-06", "value": "250", "source": "S"})
    assert response.status_code == 400
    assert "250 is not a percentage: enter a number from 0 to 100" in response.content.decode()
    response = client.post(CONFIDENCE_ADD, {"period": "2030-06", "value": "50", "source": "S"})
    assert "2030-06 is after the current month" in response.content.decode()
    response = client.post(
        CONFIDENCE_ADD, {"area": "E0700TYPO", "period": "2024-06", "value": "50", "source": "S"}
    )
    assert response.status_code == 400
    assert "&#39;E0700TYPO&#39; is not an area of this measure" in response.content.decode()
    assert ManualValue.objects.count() == 0


def test_load_manual_refuses_nan_inf_bad_area_future_and_out_of_range(published, values_csv, cli):
    bad = values_csv(
        "measure,area,period,value,source\n"
        "special-constables,force,2024-01,350,HR\n"
        "special-constables,force,2024-02,nan,HR\n"
        "special-constables,force,2024-03,inf,HR\n"
        "special-constables,E0700TYPO,2024-04,3,HR\n"
        "public-confidence,force,2030-06,50,Survey\n"
        "public-confidence,force,2024-06,250,Survey\n"
        "special-constables,force,2024-05,-2,HR\n",
    )
    refused = cli("measures", "load-manual", bad, exit_code=1)
    assert refused.stderr.splitlines() == [
        f"{bad}:3: value: 'nan' is not a finite number",
        f"{bad}:4: value: 'inf' is not a finite number",
        f"{bad}:5: area: 'E0700TYPO' is not an area of this measure (force)",
        f"{bad}:6: period: 2030-06 is after the current month: enter months that are over",
        f"{bad}:7: value: 250 is not a percentage: enter a number from 0 to 100",
        f"{bad}:8: value: -2 is negative: a count is 0 or more",
        "Error: 6 bad row(s): nothing loaded",
    ]
    assert ManualValue.objects.count() == 0


def test_entering_a_month_with_a_value_asks_before_replacing(client, published, member):
    client.force_login(member("contributor", "essex-police", username="hr"))
    client.post(ADD, {"period": "2024-01", "value": "350", "source": "HR"})
    response = client.post(ADD, {"period": "2024-01", "value": "360", "source": "HR"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "2024-01 already has a value of 350.00" in html
    assert "Saving will replace it with 360.00" in html
    assert ManualValue.objects.get().value == 350
    response = client.post(
        ADD, {"period": "2024-01", "value": "360", "source": "HR", "replace": "on"}, follow=True
    )
    assert ManualValue.objects.get().value == 360
    html = response.content.decode()
    assert "The value for 2024-01 was replaced: it was 350, it is now 360." in html
    assert list(SeriesValue.objects.values_list("value", flat=True)) == [360.0]


def test_correct_and_delete_are_audited_and_shown(client, published, member):
    client.force_login(member("lead", "essex-police", username="lead-hr"))
    client.post(ADD, {"period": "2024-01", "value": "350", "source": "HR"})
    client.post(ADD, {"period": "2024-02", "value": "355", "source": "HR"})
    first = ManualValue.objects.get(period="2024-01")
    edit = f"{ADD}{first.pk}/"
    response = client.post(edit, {"value": "-1", "source": "HR"})
    assert response.status_code == 400 and "is negative" in response.content.decode()
    response = client.post(edit, {"value": "351", "source": "HR corrected"}, follow=True)
    assert "was corrected: it was 350, it is now 351" in response.content.decode()
    first.refresh_from_db()
    assert (first.value, first.source) == (351, "HR corrected")
    second = ManualValue.objects.get(period="2024-02")
    assert client.get(f"{ADD}{second.pk}/delete/").status_code == 200
    assert ManualValue.objects.filter(pk=second.pk).exists()  # asking deletes nothing
    client.post(f"{ADD}{second.pk}/delete/")
    assert not ManualValue.objects.filter(pk=second.pk).exists()
    assert list(SeriesValue.objects.values_list("period", "value")) == [("2024-01", 351.0)]
    actions = list(
        AuditEvent.objects.filter(model="measures.ManualValue")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        ("create", "lead-hr"),
        ("create", "lead-hr"),
        ("update", "lead-hr"),
        ("delete", "lead-hr"),
    ]
    client.logout()
    html = client.get(MEASURE).content.decode()
    changes = html.split('data-testid="value-changes"')[1].split("</details>")[0]
    assert "lead-hr deleted the value for 2024-02 (was 355.00)" in changes
    assert "lead-hr changed the value for 2024-01 from 350.00 to 351.00" in changes


def test_only_enterers_may_correct_or_delete(client, published, member):
    with acting_as(label="test"):
        value = ManualValue.objects.create(
            measure=Measure.objects.get(plan=published, key="special-constables"),
            period="2024-01",
            value=350,
            source="HR",
        )
    client.force_login(member("viewer", "essex-police"))
    assert client.post(f"{ADD}{value.pk}/", {"value": "1", "source": "x"}).status_code == 403
    assert client.post(f"{ADD}{value.pk}/delete/").status_code == 403
    client.logout()
    client.force_login(member("contributor", "safer-essex", username="outsider"))
    assert client.post(f"{ADD}{value.pk}/delete/").status_code == 403
    value.refresh_from_db()
    assert value.value == 350
