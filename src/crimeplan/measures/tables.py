"""The measure pages' data tables, each defined once for the page and its CSV/XLSX downloads
(see :mod:`crimeplan.core.downloads`)."""

from __future__ import annotations

from collections.abc import Sequence

from crimeplan.core.downloads import Column, DataTable, format_number
from crimeplan.measures.assessment import Assessment
from crimeplan.measures.comparison import Comparison
from crimeplan.measures.definition import MeasureDefinition
from crimeplan.measures.spc_chart import ChartRow


def _latest_value(assessment: Assessment | None) -> str:
    if assessment is None or assessment.result.latest is None:
        return ""
    d = assessment.definition
    return format_number(assessment.result.latest.value, d.value_places, d.value_suffix)


def _short(icon) -> str:
    return icon.short if icon is not None else ""


def _icon_cells(a: Assessment | None) -> dict[str, str]:
    cells = {}
    if a is not None and a.variation_icon is not None:
        cells["variation"] = a.variation_icon.html()
    if a is not None and a.assurance_icon is not None:
        cells["assurance"] = a.assurance_icon.html()
    return cells


def measures_table(rows: Sequence[tuple[object, Assessment | None]]) -> DataTable:
    """The plan's measures: latest value and what SPC reads in each measure's headline area."""
    records, hrefs, html = [], [], []
    for measure, a in rows:
        latest = a.result.latest if a else None
        records.append(
            {
                "measure": measure.title,
                "evidences": ", ".join(sorted(c.code for c in measure.commitments.all())),
                "month": latest.period if latest else None,
                "latest": _latest_value(a) or None,
                "variation": _short(a.variation_icon) if a else "No data yet",
                "assurance": (_short(a.assurance_icon) or "No target") if a else "",
                "target": a.target_text() if a else "",
                "reading": a.reading.headline if a else "Not computed yet",
            }
        )
        hrefs.append({"measure": measure.get_absolute_url()})
        html.append(_icon_cells(a))
    return DataTable(
        name="measures",
        caption=f"{len(records)} measures",
        caption_classes="govuk-table__caption--m",
        columns=[
            Column("measure", "Measure"),
            Column("evidences", "Evidences"),
            Column("month", "Latest month"),
            Column("latest", "Latest value"),
            Column("variation", "Variation"),
            Column("assurance", "Assurance"),
            Column("target", "Target"),
            Column("reading", "Reading"),
        ],
        rows=records,
        hrefs=hrefs,
        html=html,
        classes="cp-table-wrap",
    )


def series_table(definition: MeasureDefinition, rows: Sequence[ChartRow]) -> DataTable:
    """Every number the SPC chart draws: value, mean, process limits, 2σ lines and target."""
    places, suffix = definition.value_places, definition.value_suffix
    records = [
        {
            "month": r.period + (" (baseline)" if r.in_baseline else ""),
            "value": r.value,
            "mean": r.mean,
            "lower": r.lower_limit,
            "upper": r.upper_limit,
            "lower2": r.lower_near_limit,
            "upper2": r.upper_near_limit,
            "target": r.target,
            "signal": r.signal or "–",
        }
        for r in rows
    ]
    columns = [
        Column("month", "Month"),
        Column("value", "Value", places, suffix),
        Column("mean", "Mean", 2, suffix),
        Column("lower", "Lower limit", 2, suffix),
        Column("upper", "Upper limit", 2, suffix),
        Column("lower2", "Lower 2σ line", 2, suffix),
        Column("upper2", "Upper 2σ line", 2, suffix),
    ]
    if any(r.target is not None for r in rows):
        columns.append(Column("target", "Target", places, suffix))
    columns.append(Column("signal", "Special cause"))
    unit = definition.unit_label()
    return DataTable(
        name="series",
        caption=f"{unit[:1].upper() + unit[1:] if unit != '%' else 'Percentage'} by month, "
        "with the mean, limits, 2σ lines and target in force for each point",
        columns=columns,
        rows=records,
        classes="govuk-table--small-text-until-tablet",
    )


def comparison_table(comparison: Comparison) -> DataTable:
    return DataTable(
        name="districts",
        caption=f"{len(comparison.rows)} districts, {comparison.period_label}",
        caption_classes="govuk-table__caption--m",
        columns=[
            Column("name", "District"),
            Column("population", "Residents", 0),
            Column("crimes", "Crimes", 0),
            Column("crime_rate", "Crimes per 1,000", 1),
            Column("cchi_rate", "CCHI harm per 1,000 (days)", 1),
            Column("ons_rate", "ONS severity per 1,000", 1),
        ],
        rows=[
            {
                "name": r.name,
                "population": r.population,
                "crimes": r.crimes,
                "crime_rate": r.crime_rate,
                "cchi_rate": r.cchi_rate,
                "ons_rate": r.ons_rate,
            }
            for r in comparison.rows
        ],
    )


def areas_table(measure, assessed: Sequence[tuple[str, Assessment]]) -> DataTable:
    """One measure in each area (the commitment page), with each icon's words beside it."""
    records, hrefs, html = [], [], []
    for code, a in assessed:
        latest = a.result.latest
        records.append(
            {
                "area": a.area_name[:1].upper() + a.area_name[1:]
                if code == "force"
                else a.area_name,
                "month": latest.period if latest else None,
                "value": _latest_value(a) or None,
                "target": a.target_text() if a.target is not None else "–",
                "variation": _short(a.variation_icon),
                "assurance": _short(a.assurance_icon) or "No target",
            }
        )
        hrefs.append({"area": f"{measure.get_absolute_url()}?area={code}"})
        html.append(_icon_cells(a))
    return DataTable(
        name=f"areas-{measure.key}",
        caption=f"{measure.title} in each area: the latest month, its value and what the "
        "process shows",
        columns=[
            Column("area", "Area"),
            Column("month", "Latest month"),
            Column("value", "Value"),
            Column("target", "Target"),
            Column("variation", "Variation"),
            Column("assurance", "Assurance"),
        ],
        rows=records,
        hrefs=hrefs,
        html=html,
        classes="govuk-table--small-text-until-tablet",
    )
