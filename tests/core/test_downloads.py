"""A table's downloads hold the page's figures: one definition, one rounding rule."""

from __future__ import annotations

import csv
import io

from django.test import RequestFactory
from openpyxl import load_workbook

from crimeplan.core.downloads import Column, DataTable, download_or_none, format_number, rounded
from tests.pages import Page, table_rows


def _table() -> DataTable:
    return DataTable(
        name="districts",
        caption="Crime by district",
        columns=[
            Column("name", "District"),
            Column("crimes", "Crimes", places=0),
            Column("rate", "Crimes per 1,000", places=1),
            Column("share", "Solved", places=1, unit="%"),
        ],
        rows=[
            {"name": "Castle Point", "crimes": 8123, "rate": 96.25, "share": 68.6},
            {"name": "Rochford", "crimes": 0, "rate": None, "share": 12.05},
        ],
        hrefs=[{"name": "/hotspots/E07000069/"}],
    )


def test_halves_round_away_from_zero_as_by_hand():
    # 96.25 is stored as 96.2499…; f"{96.25:.1f}" gives "96.2", people and charts say 96.3.
    assert f"{96.25:.1f}" == "96.2"
    assert str(rounded(96.25, 1)) == "96.3"
    assert str(rounded(-2.5, 0)) == "-3"
    assert format_number(1234.5, 0) == "1,235"
    assert format_number(68.6, 1, "%") == "68.6%"
    assert format_number(None) == "–"


def test_figures_beyond_28_digits_still_round():
    # Values stored before entry was checked reach 1.7e308; decimal's default precision (28
    # digits) refused to quantize them and the measure page failed.
    assert rounded(1.7e308, 0) == 17 * 10**307
    assert format_number(-1.7e308, 0).startswith("-170,000,000,000,000,00")
    assert str(rounded(12345678901234567890123456789.0, 1)).endswith(".0")


def test_page_csv_and_xlsx_hold_the_same_figures():
    from django.template import engines

    table = _table()

    jinja = engines["jinja2"].env
    html = jinja.from_string(
        '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}'
        "{{ govukTable(table.govuk()) }}"
    ).render(table=table)
    shown = Page(html)
    page_rows = table_rows(shown.testid("districts"))
    assert page_rows == [
        ["Castle Point", "8,123", "96.3", "68.6%"],
        ["Rochford", "0", "–", "12.1%"],
    ]
    assert shown.one("a")["href"] == "/hotspots/E07000069/"

    text = table.csv_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["District", "Crimes", "Crimes per 1,000", "Solved (%)"],
        ["Castle Point", "8123", "96.3", "68.6"],
        ["Rochford", "0", "", "12.1"],
    ]

    book = load_workbook(io.BytesIO(table.xlsx_bytes()))
    sheet = book["districts"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [
        ["District", "Crimes", "Crimes per 1,000", "Solved (%)"],
        ["Castle Point", 8123, 96.3, 68.6],
        ["Rochford", 0, None, 12.1],
    ]
    assert sheet["C2"].number_format == "#,##0.0"
    assert book["About"]["A1"].value == "Crime by district"


def test_a_download_request_answers_the_named_table_or_404():
    import pytest
    from django.http import Http404

    factory = RequestFactory()
    assert download_or_none(factory.get("/x/"), [_table()], "f") is None
    response = download_or_none(
        factory.get("/x/?download=csv&table=districts"), [_table()], "burglary"
    )
    assert response["Content-Disposition"] == 'attachment; filename="burglary-districts.csv"'
    assert response["Content-Type"].startswith("text/csv")
    for bad in ("?download=pdf&table=districts", "?download=csv&table=other"):
        with pytest.raises(Http404):
            download_or_none(factory.get("/x/" + bad), [_table()], "f")
