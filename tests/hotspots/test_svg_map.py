"""The static SVG map: well-formed, labelled for screen readers, legend with counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import shapely

from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.svg_map import render_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_map_is_an_accessible_svg_with_a_legend(wgs84_from_bng, lonlat_from_bng):
    area = shapely.Polygon(
        shapely.box(0, 0, 3000, 3000).exterior, [shapely.box(1000, 1000, 1500, 1500).exterior]
    )
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.uniform(2000, 2250, 80), rng.uniform(0, 3000, 60)])
    y = np.concatenate([rng.uniform(2000, 2250, 80), rng.uniform(0, 3000, 60)])
    result = run(
        wgs84_from_bng(area),
        *lonlat_from_bng(x, y),
        cell_size=250,
        area="Testham",
        period=("2025-01", "2025-06"),
    )
    svg = render_svg(result, id_prefix="m1")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "m1-title m1-desc"
    assert root.find(f"{SVG}title").text == "Crime hotspots in Testham, 2025-01 to 2025-06"
    desc = root.find(f"{SVG}desc").text
    hot = sum(v for k, v in result.class_counts().items() if k.startswith("hot"))
    assert f"{hot} hot" in desc and "250 m" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label, count in result.class_counts().items():
        assert f"{label}: {count:,} cells" in texts
    assert "1" in texts  # the hottest cell is numbered
    assert any(p.get("data-class") == "hot 99%" for p in root.iter(f"{SVG}path"))


def test_map_of_an_area_without_crimes_says_so(wgs84_from_bng):
    result = run(
        wgs84_from_bng(shapely.box(0, 0, 1000, 1000)), np.array([]), np.array([]), cell_size=250
    )
    root = ET.fromstring(render_svg(result))
    assert "no crimes" in root.find(f"{SVG}desc").text.lower()
    assert any("no crimes" in (t.text or "").lower() for t in root.iter(f"{SVG}text"))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_neighbouring_classes_differ_by_three_to_one():
    """WCAG 1.4.11: each class stands out 3:1 from the next, by its fill or, for 99%, by an
    outline against its own fill."""
    from crimeplan.hotspots.classification import CLASSES
    from crimeplan.hotspots.svg_map import FILLS, OUTLINED

    # The old palette failed: hot 90% against not significant was 1.16:1.
    assert _contrast("#fddbc7", "#f3f2f1") < 1.2
    for a, b in zip(CLASSES, CLASSES[1:], strict=False):
        if a in OUTLINED or b in OUTLINED:
            outlined = a if a in OUTLINED else b
            assert _contrast(OUTLINED[outlined], FILLS[outlined]) >= 3, outlined
        else:
            assert _contrast(FILLS[a], FILLS[b]) >= 3, (a, b)
