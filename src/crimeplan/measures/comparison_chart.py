"""The district comparison bar chart: one definition for the page and the PDF (Vega-Lite)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from crimeplan.measures.comparison import DistrictRow
from crimeplan.measures.spc_chart import _accessible

GOVUK_BLUE = "#1d70b8"


def comparison_svg(rows: Sequence[DistrictRow], attribute: str, title: str, axis: str) -> str:
    data = [
        {"district": r.name, "value": round(getattr(r, attribute), 2)}
        for r in rows
        if getattr(r, attribute) is not None
    ]
    ranked = sorted(data, key=lambda d: -d["value"])
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color=GOVUK_BLUE)
        .encode(
            y=alt.Y("district:N", sort=[d["district"] for d in ranked], title=None),
            x=alt.X("value:Q", title=axis),
        )
        .properties(width=420, height=18 * max(len(data), 1))
    )
    labels = chart.mark_text(align="left", dx=3, color="#0b0c0c").encode(
        text=alt.Text("value:Q", format=",.1f")
    )
    spec = (
        (chart + labels)
        .configure(font="Arial, Helvetica, sans-serif")
        .configure_view(stroke=None)
        .to_dict()
    )
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    description = "; ".join(f"{d['district']} {d['value']:,.1f}" for d in ranked)
    return _accessible(svg, title, f"{axis}, highest first: {description}.")
