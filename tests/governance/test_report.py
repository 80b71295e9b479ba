"""A quarterly report from fixed data: its snapshot, its PDF and HTML, and its versions.

Figures are checked against hand-worked numbers from the fixture, and the PDF's text (read
back with pdftotext) against the snapshot."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import BURGLARY, set_series

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pdftotext(data: bytes, tmp_path: Path, *args: str) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_snapshot_holds_hand_worked_figures_grades_and_exceptions(report_q2):
    s = report_q2.snapshot
    burglary = s["measures"]["burglary"]
    # The Q2 report stops at June: July's 999 is not in it.
    assert burglary["last_period"] == "2025-06"
    assert burglary["latest_value"] == 180.0
    assert [r["value"] for r in burglary["rows"]] == [
        v for p, v in BURGLARY.items() if p <= "2025-06"
    ]
    # Baseline 2023: the mean of the twelve steady values.
    assert burglary["mean"] == pytest.approx(
        sum([100, 104, 98, 102, 96, 101, 99, 103, 97, 100, 102, 98]) / 12
    )
    assert burglary["target"] == pytest.approx(burglary["mean"] * 0.9)
    assert burglary["variation"] == "concern"
    p1 = s["priorities"][0]
    assert (p1["number"], p1["grade"], p1["outcome_grade"], p1["delivery_grade"]) == (
        1,
        "inadequate",
        "inadequate",
        "inadequate",
    )
    # 1d's action: the Q2 update, not the later Q3 one.
    action = next(c for c in p1["commitments"] if c["code"] == "1d")["actions"][0]
    assert (action["rag"], action["stale"], action["latest_update"]["quarter"]) == (
        "green",
        False,
        "2025-Q2",
    )
    stale = next(c for c in p1["commitments"] if c["code"] == "1b")["actions"][0]
    assert (stale["rag"], stale["stale"], stale["overdue"]) == ("red", True, True)
    assert s["priorities"][1]["grade"] == "not_graded"
    kinds = sorted((e["kind"], e["subject"]) for e in s["exceptions"])
    assert kinds == [
        ("Decision overdue", "PRSB-T-1"),
        ("Delivery and outcomes disagree", "1d: PCP-1D-01"),
        ("Overdue action", "PCP-1B-01 Recruit Special Constables"),
        ("Special-cause concern", "Burglary (the force area)"),
        ("Stale action", "PCP-1B-01 Recruit Special Constables"),
    ]
    # The closed decision is in the log (closed in the quarter), the open one is overdue.
    assert [(d["reference"], d["overdue"]) for d in s["decisions"]] == [
        ("PRSB-T-1", True),
        ("PRSB-T-2", False),
    ]


def test_pdf_figures_equal_the_snapshot_and_the_pdf_is_a_real_document(report_q2, tmp_path):
    from crimeplan.core.jinja import number

    text = pdftotext(bytes(report_q2.pdf), tmp_path)
    flat = re.sub(r"\s+", " ", text)
    s = report_q2.snapshot
    for figure in s["figures"]:
        shown = (
            figure["value"]
            if figure["places"] is None
            else number(figure["value"], figure["places"])
        )
        if figure["id"].startswith("series/"):
            period = figure["id"].rsplit("/", 1)[1]
            assert re.search(rf"{period}(?: \(baseline\))? {re.escape(str(shown))} ", flat), figure
        else:
            assert re.search(rf"{re.escape(figure['label'])}\s+{re.escape(str(shown))}", flat), (
                figure
            )
    assert "Burglary (the force area): latest value, 2025-06 180" in flat
    assert "999" not in flat
    # Each action with its RAG and latest approved update for the quarter (not a later one).
    assert "2025-Q2: Patrols running in six districts." in flat
    assert "2025-Q1: Recruitment paused. (stale)" in flat
    assert "A later quarter's update" not in flat
    # Every grade and the rule that made it are in the text (not pictures of text).
    assert "Priority 1: grade Inadequate" in flat
    assert "Outcomes are inadequate when at least half of the measures" in flat
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "report.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(
        r"^Title:\s+Performance, Resource and Scrutiny Board: quarterly report, 2025-Q2", info, re.M
    )
    assert re.search(
        r"^Author:\s+Office of the Police, Fire and Crime Commissioner for Essex", info, re.M
    )
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == report_q2.pages > 4
    # Contents page (page 2) lists sections with the page each starts on; running headers.
    contents = pdftotext(bytes(report_q2.pdf), tmp_path, "-f", "2", "-l", "2")
    listed = dict(
        (name, int(page))
        for name, page in re.findall(
            r"^\s*(Summary and grades|Exceptions|Data sources)\s*\.*\s+(\d+)\s*$", contents, re.M
        )
    )
    assert set(listed) == {"Summary and grades", "Exceptions", "Data sources"}
    page_of_exceptions = pdftotext(
        bytes(report_q2.pdf),
        tmp_path,
        "-f",
        str(listed["Exceptions"]),
        "-l",
        str(listed["Exceptions"]),
    )
    assert "Exceptions" in page_of_exceptions.splitlines()[0]  # the running header names it
    assert "Special-cause concern" in re.sub(
        r"\s+",
        " ",
        pdftotext(
            bytes(report_q2.pdf),
            tmp_path,
            "-raw",
            "-f",
            str(listed["Exceptions"]),
            "-l",
            str(listed["Exceptions"]),
        ),
    ), page_of_exceptions
    assert f"Page {listed['Exceptions']} of {pages}" in page_of_exceptions
    # Language: the document catalogue carries it (inside a compressed object stream).
    assert re.search(rb"/Lang\s*\(en-GB\)", _inflated(bytes(report_q2.pdf)))


def test_charts_are_svg_images_drawn_as_vectors_with_their_text_as_text(report_q2, tmp_path):
    """The file and the PDF carry each chart as an SVG image (not inline SVG, which WeasyPrint
    would cascade CSS over element by element); the PDF draws it as vectors, not pixels, and
    its axis and legend labels are text pdftotext reads."""
    import base64
    import html as html_lib

    html = report_q2.html
    assert "<svg" not in html
    images = re.findall(
        r'<img class="cp-chart-image" src="data:image/svg\+xml;base64,([^"]+)"'
        r' width="(\d+)" height="(\d+)" alt="([^"]*)">',
        html,
    )
    assert len(images) == 1  # burglary is the only measure with data
    data, width, height, alt = images[0]
    svg = base64.b64decode(data).decode()
    assert svg == report_q2.snapshot["measures"]["burglary"]["chart_svg"]
    assert f'width="{width}" height="{height}"' in svg
    assert html_lib.unescape(alt).startswith("Burglary in the force area. Burglary in the force")
    assert "30 values from 2023-01 to 2025-06" in alt
    icons = re.findall(
        r'<img class="cp-icon" src="data:image/svg\+xml;base64,[^"]+"[^>]* alt="', html
    )
    assert len(icons) == len(report_q2.snapshot["measures"]["burglary"]["icons"]) >= 1
    text = pdftotext(bytes(report_q2.pdf), tmp_path)
    # Legend and axis title exist only in the chart: text, so drawn from the SVG as text.
    assert "Upper 2σ line" in text and "Special cause (neither)" in text
    pdf = tmp_path / "report.pdf"
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert listed[2:] == []  # only the two heading lines: no raster image anywhere
    # Tagged as a figure whose alternative text is the chart's title and description.
    assert b"/Alt (Burglary in the force area. Burglary in the force area: 30 values" in (
        _inflated(bytes(report_q2.pdf))
    )


def test_appendix_lists_the_limits_in_force_once_per_run_of_months(report_q2, tmp_path):
    from crimeplan.core.jinja import number
    from crimeplan.governance.render import limit_spans

    burglary = report_q2.snapshot["measures"]["burglary"]
    # One run: no rebase, so the limits set on the 2023 baseline hold for every month.
    assert limit_spans(burglary["rows"]) == [
        {
            "first": "2023-01",
            "last": "2025-06",
            "months": 30,
            "mean": burglary["mean"],
            "lower_limit": burglary["lower_limit"],
            "upper_limit": burglary["upper_limit"],
            "target": burglary["target"],
        }
    ]
    flat = re.sub(r"\s+", " ", pdftotext(bytes(report_q2.pdf), tmp_path))
    shown = " ".join(
        number(burglary[f], 2) for f in ("mean", "lower_limit", "upper_limit", "target")
    )
    assert f"2023-01 to 2025-06 {shown}" in flat
    # A rebase starts a new run; a month without a value stays in the run it falls in.
    rows = [
        {"period": p, "value": v, "mean": m, "lower_limit": 1.0, "upper_limit": u, "target": None}
        for p, v, m, u in (
            ("2024-01", 5.0, 4.0, 9.0),
            ("2024-02", None, 4.0, 9.0),
            ("2024-03", 6.0, 7.0, 12.0),
        )
    ]
    assert [(s["first"], s["last"], s["months"], s["mean"]) for s in limit_spans(rows)] == [
        ("2024-01", "2024-02", 2, 4.0),
        ("2024-03", "2024-03", 1, 7.0),
    ]


def _inflated(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed, to look inside object streams."""
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_page_one_image_and_html_are_kept_as_artefacts(report_q2, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(bytes(report_q2.pdf))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "governance-report-page1"),
        ],
        check=True,
    )
    image = ARTIFACTS / "governance-report-page1.png"
    assert image.stat().st_size > 5000
    html = ARTIFACTS / "governance-report.html"
    html.write_text(report_q2.html, encoding="utf-8")
    assert "<style>" in report_q2.html and "http" not in re.sub(
        r'xmlns(:\w+)?="[^"]+"', "", report_q2.html.split("<body>")[0]
    )
    shutil.copy(pdf, ARTIFACTS / "governance-report.pdf")


def test_rendering_again_from_the_snapshot_gives_the_same_bytes(report_q2):
    from crimeplan.governance.render import render_html, render_pdf
    from crimeplan.governance.reports import status_line

    html = render_html(report_q2.snapshot, status_line(report_q2.snapshot))
    assert html == report_q2.html
    assert render_pdf(html).data == bytes(report_q2.pdf)


def test_a_published_report_never_changes_and_a_new_version_lists_the_differences(
    report_q2, board_data, client, member
):
    from django.core.exceptions import ValidationError

    from crimeplan.core.audit import acting_as
    from crimeplan.core.models import AuditEvent
    from crimeplan.governance.diff import compare
    from crimeplan.governance.quarters import Quarter
    from crimeplan.governance.reports import generate_report, publish

    with acting_as(label="test:publish"):
        publish(report_q2)
    assert AuditEvent.objects.filter(model="governance.Report", actor="test:publish").exists()
    url = report_q2.get_absolute_url()
    before_pdf = client.get(url + "report.pdf").content
    assert before_pdf == bytes(report_q2.pdf)
    # The data change: June's burglary is revised down, and the board closes its action.
    plan = board_data.plan
    set_series(plan.measures.get(key="burglary"), BURGLARY | {"2025-06": 150.0})
    board_data.decisions.filter(reference="PRSB-T-1").update(
        status="done", closed_on=dt.date(2025, 7, 1)
    )
    assert client.get(url + "report.pdf").content == before_pdf
    assert "180" in client.get(url).content.decode()
    report_q2.refresh_from_db()
    report_q2.snapshot = {**report_q2.snapshot, "title": "changed"}
    with pytest.raises(ValidationError):
        report_q2.save()

    with acting_as(label="test:report"):
        second = generate_report(board_data, Quarter.parse("2025-Q2"), today=dt.date(2025, 7, 10))
    assert second.version == 2
    report_q2.refresh_from_db()
    assert report_q2.snapshot["title"] != "changed"
    changes = compare(report_q2.snapshot, second.snapshot)
    texts = [c.text for c in changes]
    assert (
        "Burglary (the force area): latest value, 2025-06 changed from 180 to 150 (-30)." in texts
    )
    assert "Burglary, 2025-06 changed from 180 to 150 (-30)." in texts
    assert "No longer an exception: decision overdue, PRSB-T-1." in texts
    # The board page says the same, in words and a table (the draft needs a partner log-in).
    client.force_login(member("viewer"))
    page = client.get(
        f"/plans/{plan.slug}/boards/{board_data.slug}/?before={report_q2.pk}&after={second.pk}"
    ).content.decode()
    assert "Burglary (the force area): latest value, 2025-06 changed from 180 to 150 (-30)." in page
    row = r"<th scope=\"row\"[^>]*>Burglary \(the force area\): latest value, 2025-06</th>"
    assert re.search(row + r"<td[^>]*>180</td><td[^>]*>150</td>", page)


def test_disagreements_are_the_delivery_apps_outcome_flags_on_the_same_data(board_data, tmp_path):
    """The report's "delivery and outcomes disagree" exceptions are the delivery app's own
    flags (one rule everywhere), not a rule of the report's own. Nothing here is later than
    the quarter, so the flags read now and the report read as at 2025-Q2 see the same data.
    Two cases the rules once differed on: an action at risk while its measure improves is a
    disagreement; a completed action with a green update is not (closed)."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Action, Update
    from crimeplan.delivery.outcome_flags import delivery_outcome_flags
    from crimeplan.governance.quarters import Quarter
    from crimeplan.governance.reports import generate_report
    from crimeplan.measures.models import SeriesValue

    plan = board_data.plan
    SeriesValue.objects.filter(measure__plan=plan, period__gt="2025-06").delete()
    Update.objects.filter(action__plan=plan, quarter__gt="2025-Q2").delete()
    # ASB (lower is better, evidences 2a): steady, then June far below the lower limit.
    set_series(
        plan.measures.get(key="asb-incidents"),
        {p: v for p, v in BURGLARY.items() if p < "2025-04"}
        | {"2025-04": 101.0, "2025-05": 99.0, "2025-06": 20.0},
    )
    police = Organisation.objects.get(slug="essex-police")
    with acting_as(label="test:fixture"):
        at_risk = Action.objects.create(
            reference="PCP-2A-01",
            plan=plan,
            title="Town-centre ASB plan",
            lead_organisation=police,
            status="at_risk",
        )
        at_risk.commitments.add(plan.commitments.get(priority__number=2, letter="a"))
        done = Action.objects.create(
            reference="PCP-1D-02",
            plan=plan,
            title="Burglary advice leaflets",
            lead_organisation=police,
            status="complete",
        )
        done.commitments.add(plan.commitments.get(priority__number=1, letter="d"))
        Update.objects.create(
            action=done,
            quarter="2025-Q2",
            rag="green",
            narrative="Delivered.",
            progress=100,
            state="approved",
            submitted_at=dt.datetime(2025, 6, 30, tzinfo=dt.UTC),
            reviewed_at=dt.datetime(2025, 6, 30, tzinfo=dt.UTC),
        )
        report = generate_report(board_data, Quarter.parse("2025-Q2"), today=dt.date(2025, 7, 10))

    shown = [
        e for e in report.snapshot["exceptions"] if e["kind"] == "Delivery and outcomes disagree"
    ]
    flags = delivery_outcome_flags(plan)
    assert [
        (f.kind.value, f.commitment.code, f.action.reference, f.measure.key) for f in flags
    ] == [
        ("on_track_but_concern", "1d", "PCP-1D-01", "burglary"),
        ("off_track_but_improving", "2a", "PCP-2A-01", "asb-incidents"),
    ]
    assert [e["subject"] for e in shown] == [
        f"{f.commitment.code}: {f.action.reference}" for f in flags
    ]
    assert [e["text"] for e in shown] == [f.explanation for f in flags]
    assert "PCP-2A-01 is reported at risk, yet Anti-social behaviour incidents" in shown[1]["text"]
    # And the PDF prints them.
    raw = re.sub(r"\s+", " ", pdftotext(bytes(report.pdf), tmp_path, "-raw"))
    for flag in flags:
        assert flag.explanation in raw, flag.explanation
