"""Entered values: who may enter them, what is recorded, and the CSV loader's all-or-nothing."""

from __future__ import annotations

from crimeplan.core.models import AuditEvent
from crimeplan.measures.models import ManualValue, Measure, SeriesValue
from tests.pages import Page, table_rows, text

PCP = "essex-police-and-crime-plan-2016-2020"
ADD = f"/plans/{PCP}/measures/special-constables/values/"


def test_viewer_cannot_enter_a_value(client, example_plans, member):
    client.force_login(member("viewer", "essex-police"))
    response = client.post(ADD, {"period": "2025-01", "value": "350", "source": "HR"})
    assert response.status_code == 403
    assert ManualValue.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, example_plans):
    response = client.post(ADD, {"period": "2025-01", "value": "350", "source": "HR"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_organisation_cannot_enter(client, example_plans, member):
    # Safer Essex is a partner of the strategy, not of the 2016-2020 plan.
    client.force_login(member("contributor", "safer-essex"))
    assert client.post(ADD, {"period": "2025-01", "value": "1", "source": "x"}).status_code == 403


def test_contributor_enters_value_audited_and_charted(client, example_plans, member):
    user = member("contributor", "essex-police", username="hr-officer")
    client.force_login(user)
    response = client.post(
        ADD, {"period": "2025-01", "value": "350", "source": "Workforce return", "note": ""}
    )
    assert response.status_code == 302
    value = ManualValue.objects.get()
    assert (value.period, value.value, value.source, value.entered_by) == (
        "2025-01",
        350,
        "Workforce return",
        user,
    )
    event = AuditEvent.objects.filter(model="measures.ManualValue").get()
    assert event.actor == "hr-officer" and event.after["value"] == 350
    measure = Measure.objects.get(key="special-constables")
    assert list(SeriesValue.objects.filter(measure=measure).values_list("period", "value")) == [
        ("2025-01", 350.0)
    ]
    # Correcting the same month (once asked to confirm) updates it in place and records
    # before and after.
    client.post(
        ADD, {"period": "2025-01", "value": "352", "source": "Workforce return", "replace": "on"}
    )
    assert ManualValue.objects.get().value == 352
    change = AuditEvent.objects.filter(model="measures.ManualValue", action="update").get()
    assert (change.before["value"], change.after["value"]) == (350, 352)
    html = client.get(f"/plans/{PCP}/measures/special-constables/").content.decode()
    assert "hr-officer" in html
    # A headcount is a count: the series table shows it as a whole number.
    assert [r[1] for r in table_rows(Page(html).testid("series"))] == ["352"]
    # Entering the same value again changes nothing, so nothing new is audited.
    events = AuditEvent.objects.count()
    client.post(ADD, {"period": "2025-01", "value": "352", "source": "Workforce return"})
    assert AuditEvent.objects.count() == events
    assert ManualValue.objects.get().value == 352


def test_bad_value_is_refused_with_the_field_named(client, example_plans, member):
    client.force_login(member("lead", "essex-police"))
    response = client.post(ADD, {"period": "Jan 2025", "value": "many", "source": ""})
    assert response.status_code == 400
    shown = Page(response.content)
    assert shown.title.startswith("Error: ")
    # Each message names its field and sits on it (tied by aria-describedby), none repeated.
    summary = [(a["href"], text(a)) for a in shown.all(".govuk-error-summary a")]
    assert summary == [
        ("#id_period", "Enter the month as YYYY-MM, for example 2025-03"),
        ("#id_value", "'many' is not a number"),
        ("#id_source", "Enter where the value comes from"),
    ]
    for name in ("period", "value", "source"):
        assert shown.one(f"#id_{name}")["aria-describedby"] == f"id_{name}-error"
        assert shown.one(f"#id_{name}")["aria-invalid"] == "true"
    assert ManualValue.objects.count() == 0


def test_computed_measure_refuses_entered_values(client, example_plans, member):
    client.force_login(member("administrator", "essex-pfcc"))
    url = f"/plans/{PCP}/measures/burglary/values/"
    assert client.post(url, {"period": "2025-01", "value": "1", "source": "x"}).status_code == 403


def _csv(tmp_path, text: str):
    path = tmp_path / "values.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_manual_csv_is_all_or_nothing(tmp_path, example_plans, cli):
    bad = _csv(
        tmp_path,
        "measure,area,period,value,source\n"
        "special-constables,force,2025-01,350,HR\n"
        "special-constables,force,2025-13,351,HR\n"
        "public-confidence,force,2025-01,lots,Survey\n"
        "burglary,force,2025-01,3,Nobody\n"
        "no-such-measure,force,2025-01,3,Nobody\n"
        "victims-updated,force,2025-01,91,\n",
    )
    refused = cli("measures", "load-manual", bad, exit_code=1)
    lines = refused.stderr.splitlines()
    assert lines == [
        f"{bad}:3: period: Enter the month as YYYY-MM, for example 2025-03",
        f"{bad}:4: value: 'lots' is not a number",
        f"{bad}:5: measure: burglary is computed, not entered",
        f"{bad}:6: measure: no measure 'no-such-measure'",
        f"{bad}:7: source: say where the value comes from",
        "Error: 5 bad row(s): nothing loaded",
    ]
    assert ManualValue.objects.count() == 0


def test_load_manual_csv_twice_changes_nothing(tmp_path, example_plans, cli):
    good = _csv(
        tmp_path,
        "measure,period,value,source\n"
        "special-constables,2025-01,350,Workforce return\n"
        "special-constables,2025-02,362,Workforce return\n"
        "victims-updated,2025-01,91.5,Victim contact audit\n",
    )
    cli("measures", "load-manual", good)
    assert ManualValue.objects.count() == 3
    events = AuditEvent.objects.count()
    cli("measures", "load-manual", good)
    assert ManualValue.objects.count() == 3
    assert AuditEvent.objects.count() == events
    victims = Measure.objects.get(key="victims-updated")
    assert list(victims.series_values.values_list("value", flat=True)) == [91.5]


def test_missing_column_names_the_file_and_line(tmp_path, example_plans, cli):
    path = _csv(tmp_path, "measure,period,value\nspecial-constables,2025-01,3\n")
    refused = cli("measures", "load-manual", path, exit_code=1)
    assert refused.stderr == f"Error: {path}:1: missing column(s): source\n"
