"""The district comparison bar chart: one Vega-Lite definition for the page."""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt

from crimeplan.core.numbers import rounded
from crimeplan.measures.comparison import DistrictRow
from crimeplan.measures.spc_chart import _accessible

GOVUK_BLUE = "#1d70b8"
# Vega labels marks as unnamed "graphics-symbol" images; the chart is one labelled image with a
# data table beside it, so those inner roles are removed.
_MARK_ARIA = re.compile(
    r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*"|aria-label="[^"]*")'
)


def comparison_svg(rows: Sequence[DistrictRow], attribute: str, title: str, axis: str) -> str:
    # Rounded once, by the rule the table and downloads use: rounding to 2 places and then
    # labelling at 1 rounded twice (96.249 -> 96.25 -> "96.3" beside a table's 96.2).
    data = [
        (r.name, float(rounded(getattr(r, attribute), 1)))
        for r in rows
        if getattr(r, attribute) is not None
    ]
    return bar_chart_svg(data, title, axis)


def bar_chart_svg(
    data: Sequence[tuple[str, float]], title: str, axis: str, value_format: str = ",.1f"
) -> str:
    """Horizontal bars, highest first, as one labelled SVG image (a table goes beside it)."""
    values = [{"label": label, "value": value} for label, value in data]
    ranked = sorted(values, key=lambda d: -d["value"])
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=GOVUK_BLUE)
        .encode(
            y=alt.Y("label:N", sort=[d["label"] for d in ranked], title=None),
            x=alt.X("value:Q", title=axis),
        )
        .properties(width=420, height=18 * max(len(values), 1))
    )
    labels = chart.mark_text(align="left", dx=3, color="#0b0c0c").encode(
        text=alt.Text("value:Q", format=value_format)
    )
    spec = (
        (chart + labels)
        # The SVG as a whole is one labelled image with a data table beside it; per-mark ARIA
        # roles without names would only add unlabelled images for screen readers.
        .configure(font="Arial, Helvetica, sans-serif", aria=False)
        .configure_axis(labelFontSize=12, titleFontSize=13)
        .configure_text(fontSize=12)
        .configure_view(stroke=None)
        .to_dict()
    )
    import vl_convert

    svg = _MARK_ARIA.sub("", vl_convert.vegalite_to_svg(spec))
    description = "; ".join(f"{d['label']} {d['value']:{value_format}}" for d in ranked)
    return _accessible(svg, title, f"{axis}, highest first: {description}.")
