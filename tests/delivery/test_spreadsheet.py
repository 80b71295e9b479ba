"""Export, edit in a spreadsheet, import: keyed by reference, all or nothing, exact counts."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crimeplan.cli import cli
from crimeplan.core.models import AuditEvent
from crimeplan.delivery.models import Action
from crimeplan.delivery.spreadsheet import COLUMNS, apply_import, export_actions, plan_import

pytestmark = pytest.mark.django_db
PCP = "essex-police-and-crime-plan-2016-2020"


@pytest.fixture
def three(plans, make_action):
    make_action(("1d", "1g"), reference="PCP-1D-01", title="Burglary patrols")
    make_action(("2a",), reference="PCP-2A-01", title="ASB hubs", status="at_risk")
    make_action(("7g",), reference="PCP-7G-01", title="Speed watch", organisation="essex-pfcc")
    return plans[PCP]


def _rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_edit_import_changes_exactly_the_edited_rows(three):
    rows = _rows(export_actions(three, "xlsx"))
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == ["PCP-1D-01", "PCP-2A-01", "PCP-7G-01"]
    assert rows[1][4] == "1d; 1g"
    # Edit one title and one status; add a new row.
    rows[1][2] = "Burglary patrols in hotspots"
    rows[2][12] = "on_track"
    rows.append(
        [
            "PCP-1B-01",
            PCP,
            "Specials recruitment",
            "",
            "1b",
            "",
            "",
            "essex-police",
            "",
            "",
            "2026-01-01",
            "2026-12-31",
            "not_started",
            0,
            2,
            "yes",
        ]
    )
    before_events = AuditEvent.objects.filter(model="delivery.Action").count()
    found = plan_import(_xlsx(rows), "actions.xlsx")
    assert found.problems == []
    assert [c.reference for c in found.created] == ["PCP-1B-01"]
    assert {c.reference: c.changed for c in found.changed} == {
        "PCP-1D-01": ["title"],
        "PCP-2A-01": ["status"],
    }
    assert found.unchanged == 1
    assert apply_import(found) == {"created": 1, "changed": 2, "unchanged": 1}
    assert Action.objects.get(reference="PCP-1D-01").title == "Burglary patrols in hotspots"
    assert Action.objects.get(reference="PCP-2A-01").status == "on_track"
    new = Action.objects.get(reference="PCP-1B-01")
    assert (new.weight, new.published, [c.code for c in new.commitments.all()]) == (2, True, ["1b"])
    assert Action.objects.get(reference="PCP-7G-01").version == 1  # untouched
    # Audited: three events (one create, two changes), with before and after.
    events = AuditEvent.objects.filter(model="delivery.Action").order_by("id")[before_events:]
    assert sorted(e.action for e in events) == ["create", "update", "update"]
    title_change = next(e for e in events if e.object_repr.startswith("PCP-1D-01"))
    assert title_change.before["title"] == "Burglary patrols"
    assert title_change.after["title"] == "Burglary patrols in hotspots"
    # Importing the same file again changes nothing and duplicates nothing.
    again = plan_import(_xlsx(rows), "actions.xlsx")
    assert (len(again.created), len(again.changed), again.unchanged) == (0, 0, 4)
    assert Action.objects.count() == 4


def test_bad_file_is_refused_whole_with_row_and_column(three):
    data = (
        "reference,plan,title,lead_organisation,status,progress,commitments\n"
        f"PCP-1D-01,{PCP},Changed title,essex-police,on_track,50,1d\n"
        f"PCP-9Z-01,{PCP},New,nobody,sideways,150,9z\n"
        f"PCP-1D-01,{PCP},Twice,essex-police,on_track,1,1d\n"
    ).encode()
    found = plan_import(data, "bad.csv")
    assert found.problems == [
        "bad.csv: row 3, column lead_organisation: no organisation 'nobody'",
        "bad.csv: row 3, column status: 'sideways' is not one of not_started, on_track, "
        "at_risk, off_track, complete, cancelled",
        "bad.csv: row 3, column progress: '150' must be a whole number from 0 to 100",
        "bad.csv: row 3, column commitments: no commitment '9z' in that plan",
        "bad.csv: row 4, column reference: 'PCP-1D-01' is also on row 2",
    ]
    with pytest.raises(ValueError):
        apply_import(found)
    assert Action.objects.get(reference="PCP-1D-01").title == "Burglary patrols"


def test_missing_columns_and_unreadable_files(plans):
    assert plan_import(b"title\nx\n", "a.csv").problems[0] == (
        "a.csv: row 1: missing column(s) reference, lead_organisation."
    )
    assert "not a readable XLSX" in plan_import(b"not a zip", "a.xlsx").problems[0]
    assert plan_import(b"", "a.txt").problems == ["a.txt: choose a .csv or .xlsx file."]


def test_cli_export_and_import(three, tmp_path):
    runner = CliRunner()
    out = tmp_path / "actions.csv"
    result = runner.invoke(cli, ["delivery", "export", "--plan", PCP, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 4
    rows[3][2] = "Community Speed Watch"
    with out.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    dry = runner.invoke(cli, ["delivery", "import", str(out), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run: would be 0 created, 1 changed, 2 unchanged" in dry.output
    assert Action.objects.get(reference="PCP-7G-01").title == "Speed watch"
    real = runner.invoke(cli, ["delivery", "import", str(out)])
    assert real.exit_code == 0, real.output
    assert real.output.strip().endswith("0 created, 1 changed, 2 unchanged")
    assert Action.objects.get(reference="PCP-7G-01").title == "Community Speed Watch"
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,title,lead_organisation\nX-1,,essex-police\n", encoding="utf-8")
    refused = runner.invoke(cli, ["delivery", "import", str(bad), "--plan", PCP])
    assert refused.exit_code == 1
    assert "bad.csv: row 2, column title: is required" in refused.output
    wrong = runner.invoke(cli, ["delivery", "export", "--plan", PCP, "-o", str(tmp_path / "a.pdf")])
    assert wrong.exit_code == 1 and "must end in .csv or .xlsx" in wrong.output
