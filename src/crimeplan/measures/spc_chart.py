"""One SPC chart definition for the web page, and the data table that goes beside it.

The chart is a Vega-Lite specification built with Altair. The web page may embed the
specification (JavaScript only enhances: tooltips) but always has the static SVG that
vl-convert renders without a browser or network (a printed report can use the same SVG, so the
two would never disagree). Points are told apart by shape as well as colour, lines by dash
pattern and a legend, and the SVG carries a ``<title>`` and ``<desc>`` so a screen reader
announces what it shows; the data table from :func:`chart_table` holds every number the chart
draws.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

import altair as alt

from crimeplan.measures.icons import GOVUK_DARK_GREY, VARIATION_COLOURS
from crimeplan.measures.spc import Rule, Side, SpcResult, Variation

GOVUK_BLACK = "#0b0c0c"
GOVUK_GREEN = "#00703c"
GOVUK_MID_GREY = "#6f777b"

VARIATION_LABELS: dict[Variation, str] = {
    Variation.COMMON_CAUSE: "Common cause",
    Variation.IMPROVEMENT: "Improvement",
    Variation.CONCERN: "Concern",
    Variation.NEITHER: "Special cause (neither)",
}
VARIATION_SHAPES: dict[Variation, str] = {
    Variation.COMMON_CAUSE: "circle",
    Variation.IMPROVEMENT: "square",
    Variation.CONCERN: "diamond",
    Variation.NEITHER: "triangle-up",
}
RULE_LABELS: dict[Rule, str] = {
    Rule.OUTSIDE_LIMITS: "Beyond a process limit",
    Rule.TREND: "Seven in a row rising or falling",
    Rule.TWO_OF_THREE: "Two of three near a limit",
    Rule.SHIFT: "Seven in a row on one side of the mean",
}
# (legend label, row field, colour, dash pattern)
LINES: tuple[tuple[str, str, str, list[int]], ...] = (
    ("Mean", "mean", GOVUK_BLACK, []),
    ("Upper process limit", "upper_limit", GOVUK_DARK_GREY, [8, 4]),
    ("Lower process limit", "lower_limit", GOVUK_DARK_GREY, [8, 4]),
    ("Upper 2σ line", "upper_near_limit", GOVUK_MID_GREY, [2, 3]),
    ("Lower 2σ line", "lower_near_limit", GOVUK_MID_GREY, [2, 3]),
    ("Target", "target", GOVUK_GREEN, [10, 3, 2, 3]),
)

TABLE_HEADINGS: dict[str, str] = {
    "period": "Period",
    "value": "Value",
    "moving_range": "Moving range",
    "mean": "Mean",
    "lower_limit": "Lower process limit",
    "upper_limit": "Upper process limit",
    "lower_near_limit": "Lower 2σ line",
    "upper_near_limit": "Upper 2σ line",
    "target": "Target",
    "variation": "Variation",
    "signal": "Special cause",
}


@dataclass(frozen=True)
class ChartRow:
    """One period as the chart draws it and the data table lists it."""

    period: str
    value: float | None
    moving_range: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    lower_near_limit: float | None
    upper_near_limit: float | None
    target: float | None
    variation: str
    signal: str
    segment: int
    in_baseline: bool


def chart_table(result: SpcResult) -> list[ChartRow]:
    """The rows of the data table shown beside the chart (and drawn by it).

    Lower limits of counts appear as the chart draws them (at zero when computed below zero);
    see :attr:`crimeplan.measures.spc.Segment.lower_limit_shown`.
    """
    rows = []
    for point in result.points:
        seg = result.segments[point.segment]
        signal = ""
        if point.signal is not None:
            high = point.signal.side is Side.HIGH
            signal = f"{RULE_LABELS[point.signal.rule]} ({'high' if high else 'low'})"
        rows.append(
            ChartRow(
                period=point.period,
                value=point.value,
                moving_range=point.moving_range,
                mean=seg.mean,
                lower_limit=seg.lower_limit_shown,
                upper_limit=seg.upper_limit,
                lower_near_limit=seg.lower_near_limit_shown,
                upper_near_limit=seg.upper_near_limit,
                target=result.target,
                variation=VARIATION_LABELS[point.variation] if point.variation else "Missing",
                signal=signal,
                segment=seg.index,
                in_baseline=point.in_baseline,
            )
        )
    return rows


def spc_chart_spec(
    result: SpcResult, y_title: str = "Value", width: int = 640, height: int = 300
) -> dict[str, Any]:
    """The Vega-Lite specification (a plain dict) the page embeds and renders as SVG.

    Building it with Altair costs tens of milliseconds of schema wrapping for each chart, and
    only the rows, the months and the axis title differ between charts of one shape (the
    reference lines present and its size). So :func:`_altair_spec` builds each shape once, with
    no rows, and each chart is that frame with its own rows, months and axis title put in."""
    rows = _vega_rows(result)
    periods = [p.period for p in result.points]
    present = tuple(label for label, field, *_ in LINES if any(r[field] is not None for r in rows))
    frame, titled = _spec_frame(present, width, height)
    spec = json.loads(frame)
    spec["data"]["values"] = rows
    for layer in spec["layer"]:
        layer["encoding"]["x"]["sort"] = periods
    spec["layer"][titled]["encoding"]["y"]["title"] = y_title
    return spec


_Y_TITLE = "\u0000y-title"  # a placeholder no measure's unit can be


@functools.lru_cache(maxsize=64)
def _spec_frame(present: tuple[str, ...], width: int, height: int) -> tuple[str, int]:
    """The specification of one shape of chart with no rows, no months and a placeholder axis
    title, as JSON (so each use gets its own copy), and which layer carries the axis title.
    Checked here to have exactly the places the caller fills in."""
    spec = _altair_spec(
        [], [], _Y_TITLE, [line for line in LINES if line[0] in present], width, height
    )
    titled = [
        i
        for i, layer in enumerate(spec["layer"])
        if layer["encoding"]["y"].get("title") == _Y_TITLE
    ]
    if (
        spec.get("data") != {"values": []}
        or any(layer["encoding"]["x"].get("sort") != [] for layer in spec["layer"])
        or len(titled) != 1
        or json.dumps(spec).count(json.dumps(_Y_TITLE)) != 1
    ):
        raise RuntimeError("the SPC chart's Altair specification no longer has the shape filled in")
    return json.dumps(spec), titled[0]


def _altair_spec(
    rows: list[dict[str, Any]],
    periods: list[str],
    y_title: str,
    present: list[tuple[str, str, str, list[int]]],
    width: int,
    height: int,
) -> dict[str, Any]:
    """The one chart definition, in Altair: ``present`` are the reference lines drawn."""
    x = alt.X("period:O", sort=periods, title=None, axis=alt.Axis(labelAngle=-45))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x)

    value_line = (
        base.mark_line(color=GOVUK_DARK_GREY, strokeWidth=1.5)
        .encode(y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)), detail="block:N")
        .transform_filter("isValid(datum.value)")
        .properties(name="values")
    )
    reference = (
        base.transform_fold([label for label, *_ in present], as_=["line", "level"])
        .transform_filter("isValid(datum.level)")
        .mark_line(strokeWidth=1.5)
        .encode(
            y="level:Q",
            color=alt.Color(
                "line:N",
                title="Lines",
                scale=alt.Scale(domain=[p[0] for p in present], range=[p[2] for p in present]),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                legend=None,
                scale=alt.Scale(domain=[p[0] for p in present], range=[p[3] for p in present]),
            ),
            detail="segment:N",
        )
        .properties(name="reference_lines")
    )
    markers = list(VARIATION_LABELS)
    points = (
        base.mark_point(filled=True, size=60, opacity=1)
        .encode(
            y="value:Q",
            color=alt.Color(
                "marker:N",
                title="Points",
                scale=alt.Scale(
                    domain=[VARIATION_LABELS[v] for v in markers],
                    range=[VARIATION_COLOURS[v] for v in markers],
                ),
            ),
            shape=alt.Shape(
                "marker:N",
                scale=alt.Scale(
                    domain=[VARIATION_LABELS[v] for v in markers],
                    range=[VARIATION_SHAPES[v] for v in markers],
                ),
            ),
            tooltip=[
                alt.Tooltip("period:O", title="Period"),
                alt.Tooltip("value:Q", title="Value"),
                alt.Tooltip("signal:N", title="Special cause"),
            ],
        )
        .transform_filter("isValid(datum.value)")
        .properties(name="points")
    )
    chart = (
        alt.layer(reference, value_line, points)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=width, height=height)
        .configure(font="Arial, Helvetica, sans-serif")
        # Text at 12 px or more at the chart's own size, which narrow screens show it at
        # (scrolling sideways) rather than shrinking it.
        .configure_axis(labelFontSize=12, titleFontSize=13)
        .configure_legend(labelFontSize=12, titleFontSize=13)
        .configure_title(fontSize=14)
        .configure_view(stroke=None)
    )
    return chart.to_dict()


def spc_chart_svg(
    result: SpcResult,
    title: str,
    description: str | None = None,
    y_title: str = "Value",
    width: int = 640,
    height: int = 300,
) -> str:
    """Static SVG of :func:`spc_chart_spec` with ``role="img"``, ``<title>`` and ``<desc>``."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spc_chart_spec(result, y_title, width, height))
    return _accessible(svg, title, description or describe_chart(result, title))


CHART_CACHE_S = 24 * 3600


def cached_spc_chart_svg(
    result: SpcResult, title: str, y_title: str, rows: list[ChartRow] | None = None
) -> str:
    """:func:`spc_chart_svg` through Django's cache, keyed on exactly what it draws: its title,
    the y-axis title and the rows of numbers (``chart_table(result)``, passed when the caller
    has them). Rendering takes a few hundred milliseconds, so the measure page and a board
    report of the same months draw one chart between them, once."""
    from crimeplan.core.cache_once import cached_once

    rows = chart_table(result) if rows is None else rows
    fingerprint = hashlib.sha256(repr((title, y_title, rows)).encode()).hexdigest()
    return cached_once(
        f"spc-svg:{fingerprint}",
        lambda: spc_chart_svg(result, title, y_title=y_title),
        CHART_CACHE_S,
    )


def describe_chart(result: SpcResult, title: str) -> str:
    """A text alternative naming what the chart shows, for readers who cannot see it."""
    values = [p for p in result.points if p.value is not None]
    if not values:
        return f"{title}: no values to chart."
    seg = result.current_segment
    parts = [f"{title}: {len(values)} values from {values[0].period} to {values[-1].period}."]
    if seg.has_limits:
        parts.append(
            f"Current mean {seg.mean:.4g}, process limits {seg.lower_limit_shown:.4g} "
            f"to {seg.upper_limit:.4g}."
        )
    flagged = sum(p.signal is not None for p in values)
    parts.append(
        f"{flagged} point{'s show' if flagged != 1 else ' shows'} special cause variation; "
        "the data table lists every value."
    )
    return " ".join(parts)


def _vega_rows(result: SpcResult) -> list[dict[str, Any]]:
    rows = []
    block = 0
    for point, row in zip(result.points, chart_table(result), strict=True):
        if point.moving_range is None:
            block += 1  # not joined to the point before: a gap or a new segment
        data = asdict(row)
        for name, number in data.items():
            if isinstance(number, float) and not math.isfinite(number):
                data[name] = None  # a limit beyond the largest float cannot be drawn
        data["block"] = block
        data["marker"] = row.variation
        for label, field, *_ in LINES:
            data[label] = data[field]  # folded into one "line" field for the legend
        rows.append(data)
    return rows


def _accessible(svg: str, title: str, description: str) -> str:
    digest = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:8]
    title_id, desc_id = f"spc-title-{digest}", f"spc-desc-{digest}"
    start = svg.index("<svg")
    end = svg.index(">", start)
    opening = svg[start:end].replace(' role="img"', "")
    return (
        f'{svg[:start]}{opening} role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
        f"{svg[end + 1 :]}"
    )
