"""The SPC chart (SVG and data table) and the two icons."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crimeplan.measures.icons import (
    ASSURANCE_COLOURS,
    VARIATION_COLOURS,
    assurance_icon,
    variation_icon,
)
from crimeplan.measures.spc import SpcInput, analyse, observations
from crimeplan.measures.spc_chart import (
    GOVUK_GREEN,
    LINES,
    VARIATION_SHAPES,
    _altair_spec,
    _spec_frame,
    _vega_rows,
    chart_table,
    spc_chart_spec,
    spc_chart_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
BASELINE = [12, 10] * 6  # mean 11, limits 5.68 and 16.32 (see test_spc.py)


def months(n: int) -> list[str]:
    return [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def result(values, polarity="lower", target=None, **kw):
    periods = months(len(values))
    return analyse(SpcInput(observations(periods, values), polarity, target, periods[11], **kw))


@pytest.fixture(scope="module")
def series():
    # 20 periods, one missing: 19 points drawn. 17 is beyond the upper limit.
    return result(BASELINE + [11, 17, None, 12, 11, 10, 12, 11], "lower", 9)


@pytest.fixture(scope="module")
def svg(series):
    return spc_chart_svg(series, "Burglary in Chelmsford", y_title="Crimes")


def test_svg_parses_and_is_labelled(svg):
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Burglary in Chelmsford"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "19 values from 2020-01 to 2021-08" in desc.text
    assert "process limits 5.68 to 16.32" in desc.text
    assert "1 point shows special cause" in desc.text


def test_svg_draws_one_symbol_per_value(svg):
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if "points_marks" in (g.get("class") or "")]
    assert len(groups) == 1
    assert len(list(groups[0])) == 19


def test_svg_value_line_breaks_at_the_gap(svg):
    root = ET.fromstring(svg)
    lines = [g for g in root.iter(f"{SVG}g") if "values_marks" in (g.get("class") or "")]
    assert len(lines) == 2  # before and after the missing month


def test_spec_uses_shapes_as_well_as_colours(series):
    spec = spc_chart_spec(series)
    points = next(layer for layer in spec["layer"] if layer.get("name") == "points")
    shape_range = points["encoding"]["shape"]["scale"]["range"]
    assert len(set(shape_range)) == len(shape_range) == len(VARIATION_SHAPES)
    reference = next(layer for layer in spec["layer"] if layer.get("name") == "reference_lines")
    domain = reference["encoding"]["color"]["scale"]["domain"]
    assert domain == [label for label, *_ in LINES]  # a target is set, so all six lines
    assert GOVUK_GREEN in reference["encoding"]["color"]["scale"]["range"]


@pytest.mark.parametrize(
    "values, target, y_title",
    [
        (BASELINE + [11, 17, None, 12, 11, 10, 12, 11], 9, "Crimes"),
        (BASELINE + [11, 12], None, "Crimes"),  # no target line: another shape
        (BASELINE + [11, 12, 13], 9, "Minutes"),  # another axis title: the same frame
        (BASELINE + [11, 12, 13], 9, ""),  # a measure of entered values has no unit
    ],
)
def test_spec_built_once_per_shape_equals_the_spec_altair_builds_for_the_chart(
    values, target, y_title
):
    """Each shape of chart is built by Altair once and filled in with a chart's rows and
    months: that must be exactly the specification Altair builds for the chart itself."""
    r = result(values, "lower", target)
    rows = _vega_rows(r)
    present = [line for line in LINES if any(row[line[1]] is not None for row in rows)]
    direct = _altair_spec(rows, [p.period for p in r.points], y_title, present, 640, 300)
    assert spc_chart_spec(r, y_title) == direct
    assert spc_chart_spec(r, y_title) == direct  # a second chart of the shape: from the frame
    assert _spec_frame.cache_info().hits >= 1


def test_no_target_line_without_a_target():
    spec = spc_chart_spec(result(BASELINE))
    reference = next(layer for layer in spec["layer"] if layer.get("name") == "reference_lines")
    assert "Target" not in reference["encoding"]["color"]["scale"]["domain"]


def test_table_rows_carry_the_limits_and_signals(series):
    rows = chart_table(series)
    assert [r.period for r in rows] == months(20)
    assert {round(r.upper_limit, 9) for r in rows} == {16.32}
    assert {round(r.lower_limit, 9) for r in rows} == {5.68}
    assert {r.mean for r in rows} == {11}
    beyond = [r for r in rows if r.signal]
    assert [(r.period, r.signal) for r in beyond] == [("2021-02", "Beyond a process limit (high)")]
    assert beyond[0].variation == "Concern"
    assert rows[14].value is None and rows[14].variation == "Missing"
    assert rows[13].moving_range == 6 and rows[15].moving_range is None
    assert [r.in_baseline for r in rows] == [True] * 12 + [False] * 8
    assert {r.target for r in rows} == {9}


def test_limit_values_in_the_table_appear_in_the_chart_data(series):
    spec = spc_chart_spec(series)
    data = spec["data"]["values"]
    table = chart_table(series)
    for drawn, row in zip(data, table, strict=True):
        assert drawn["Upper process limit"] == row.upper_limit
        assert drawn["Lower process limit"] == row.lower_limit
        assert drawn["value"] == row.value


def test_counts_show_a_negative_lower_limit_at_zero():
    rows = chart_table(result([3, 1] * 6, counts=True))
    assert {r.lower_limit for r in rows} == {0}


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    "colour", sorted({*VARIATION_COLOURS.values(), *ASSURANCE_COLOURS.values(), GOVUK_GREEN})
)
def test_colours_contrast_with_white(colour):
    # WCAG 2.1: 3:1 for graphics against the page; white letters on the icons need 4.5:1.
    assert contrast(colour, "#ffffff") >= 4.5


def test_contrast_check_would_catch_govuk_orange():
    assert contrast("#f47738", "#ffffff") < 3


@pytest.mark.parametrize(
    ("tail", "polarity", "key", "letter"),
    [
        ([11], "lower", "variation-common_cause", ""),
        ([17], "higher", "variation-improvement-high", "H"),
        ([5], "lower", "variation-improvement-low", "L"),
        ([17], "lower", "variation-concern-high", "H"),
        ([5], "higher", "variation-concern-low", "L"),
        ([17], "neutral", "variation-neither-high", "H"),
        ([5], "neutral", "variation-neither-low", "L"),
    ],
)
def test_variation_icons(tail, polarity, key, letter):
    icon = variation_icon(result(BASELINE + tail, polarity))
    assert (icon.key, icon.letter) == (key, letter)
    root = ET.fromstring(icon.svg)
    assert root.get("role") == "img" and root.get("aria-label") == icon.label
    assert root.find(f"{SVG}title").text == icon.label
    text = root.find(f"{SVG}text")
    assert (text.text if text is not None else "") == letter


@pytest.mark.parametrize(
    ("target", "polarity", "key", "letter"),
    [
        (17, "lower", "assurance-pass", "P"),
        (5, "lower", "assurance-fail", "F"),
        (11, "lower", "assurance-hit_or_miss", "?"),
    ],
)
def test_assurance_icons(target, polarity, key, letter):
    icon = assurance_icon(result(BASELINE, polarity, target))
    assert (icon.key, icon.letter) == (key, letter)
    assert ET.fromstring(icon.svg).find(f"{SVG}text").text == letter
    assert "target" in icon.label


def test_no_assurance_icon_without_a_target_or_for_a_neutral_measure():
    assert assurance_icon(result(BASELINE, "lower")) is None
    assert assurance_icon(result(BASELINE, "neutral", 11)) is None
    assert variation_icon(analyse(SpcInput([]))) is None
