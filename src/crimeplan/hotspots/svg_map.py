"""The static SVG hotspot map every district page shows (no JavaScript, no tiles needed).

Drawn in British National Grid metres, so cells are true squares. The area is filled light grey
(cells that are not significant), hot and cold cells are drawn over it by class, and the outline
goes on top. Colour is never the only cue: cold classes carry a hatch, shades get lighter as
confidence falls, the legend names every class with its number of cells, the hottest cells are
numbered to match the table beside the map, and ``<title>``/``<desc>`` say what the map shows.
"""

from __future__ import annotations

import textwrap
from html import escape

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from crimeplan.hotspots.analysis import HotspotResult
from crimeplan.hotspots.classification import CLASSES, NOT_SIGNIFICANT
from crimeplan.hotspots.corrections import CORRECTIONS

# Neighbouring classes differ by at least 3:1 (WCAG 1.4.11): not significant is light grey,
# 90% is GOV.UK red or blue (4.6:1 against it), 95% is near-black red or blue (3.2:1 against
# 90%). 99% could not be a further 3:1 darker, so it takes the 95% colour's dark shade and a
# white outline (at least 15:1 against its fill): outlined squares are the 99% ones.
FILLS: dict[str, str] = {
    "hot 99%": "#2e0505",
    "hot 95%": "#4a0808",
    "hot 90%": "#d4351c",
    NOT_SIGNIFICANT: "#f3f2f1",
    "cold 90%": "#1d70b8",
    "cold 95%": "#082038",
    "cold 99%": "#03101f",
}
OUTLINED: dict[str, str] = {"hot 99%": "#ffffff", "cold 99%": "#ffffff"}
"""Classes drawn with an outline, and its colour."""
OUTLINE = "#0b0c0c"
LEGEND_ROW = 22
NOTE_LINE = 18
LABEL_SPACING = 16
"""Pixels between rank labels; a lower rank closer than this to a higher one is not drawn."""
MARGIN = 8


def _ring_path(coords: np.ndarray, to_px) -> str:
    px, py = to_px(coords[:, 0], coords[:, 1])
    points = " ".join(f"{x:.1f} {y:.1f}" for x, y in zip(px, py, strict=True))
    return f"M{points}Z"


def outline_path(boundary: BaseGeometry, to_px) -> str:
    parts = []
    for polygon in getattr(boundary, "geoms", [boundary]):
        if polygon.geom_type != "Polygon":
            continue
        parts.append(_ring_path(np.asarray(polygon.exterior.coords), to_px))
        parts.extend(_ring_path(np.asarray(r.coords), to_px) for r in polygon.interiors)
    return "".join(parts)


def _notes(result: HotspotResult, width: int) -> list[str]:
    """The lines under the legend, wrapped to the map's width (Arial 13 px: about 7 px a letter)."""
    paragraphs = [
        "Numbers mark the hottest cells, ranked as in the table beside the map (a rank is left "
        "out where it would cover a higher one).",
        f"{result.cell_size} m cells; {CORRECTIONS[result.correction]} correction.",
        "Hot or cold: the cell and its neighbours together hold significantly more or fewer "
        "than the area's average.",
    ]
    if result.message:
        paragraphs.insert(0, f"{result.message[:1].upper()}{result.message[1:]}.")
    columns = max(40, (width - 2 * MARGIN) // 7)
    return [line for text in paragraphs for line in textwrap.wrap(text, columns)]


def describe(result: HotspotResult) -> str:
    """One sentence of what the map shows, for ``<desc>`` and for alt text."""
    counts = result.class_counts()
    hot = sum(v for k, v in counts.items() if k.startswith("hot"))
    cold = sum(v for k, v in counts.items() if k.startswith("cold"))
    value = "harm-weighted crimes" if result.harm is not None else "crimes"
    where = f" in {result.area}" if result.area else ""
    when = f", {result.period[0]} to {result.period[1]}" if result.period else ""
    text = (
        f"Hotspots of {value}{where}{when}: {hot} hot and {cold} cold cells of {result.n_cells} "
        f"({result.cell_size} m squares), {result.method}, "
        f"{CORRECTIONS[result.correction]} correction."
    )
    if result.message:
        text += f" {result.message[:1].upper()}{result.message[1:]}."
    return text


def render_svg(
    result: HotspotResult,
    title: str | None = None,
    width: int = 720,
    label_top: int = 5,
    id_prefix: str = "hotspot-map",
    description: str | None = None,
    notes: list[str] | None = None,
    legend: dict[str, str] | None = None,
) -> str:
    """The map as an SVG document string; ``id_prefix`` keeps ids unique on a shared page.

    ``description``, ``notes`` and ``legend`` (class → label) replace the analyst wording, for
    the public page, which says the same in plain words."""
    grid = result.grid
    minx, miny = grid.x0, grid.y0
    maxx = grid.x0 + grid.ncols * grid.cell_size
    maxy = grid.y_north
    scale = (width - 2 * MARGIN) / (maxx - minx)
    map_height = (maxy - miny) * scale

    def to_px(x, y):
        return (np.asarray(x) - minx) * scale + MARGIN, (maxy - np.asarray(y)) * scale + MARGIN

    outline = outline_path(shapely.simplify(grid.boundary_bng, 0.5 / scale), to_px)
    west, south = grid.cell_west_south()
    side = grid.cell_size * scale
    left, top = to_px(west, south + grid.cell_size)
    counts = result.class_counts()
    title = title or (
        f"Crime hotspots{' in ' + result.area if result.area else ''}"
        f"{', ' + result.period[0] + ' to ' + result.period[1] if result.period else ''}"
    )
    hatch = f"{id_prefix}-hatch"
    legend_top = map_height + 2 * MARGIN + 8
    if notes is None:
        notes = _notes(result, width)
    else:
        columns = max(40, (width - 2 * MARGIN) // 7)
        notes = [line for text in notes for line in textwrap.wrap(text, columns)]
    height = legend_top + LEGEND_ROW * len(CLASSES) + NOTE_LINE * len(notes) + 2 * MARGIN

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="arial, sans-serif">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description or describe(result))}</desc>',
        "<defs>",
        f'<pattern id="{hatch}" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="#ffffff" stroke-width="1.2"/></pattern>',
        "</defs>",
        f'<path d="{outline}" fill="{FILLS[NOT_SIGNIFICANT]}" fill-rule="evenodd" stroke="none"/>',
    ]
    for label in CLASSES:
        if label == NOT_SIGNIFICANT:
            continue
        chosen = np.flatnonzero(result.classes == label)
        if chosen.size == 0:
            continue
        d = "".join(
            f"M{left[i]:.1f} {top[i]:.1f}h{side:.2f}v{side:.2f}h{-side:.2f}z" for i in chosen
        )
        stroke = f' stroke="{OUTLINED[label]}" stroke-width="1.5"' if label in OUTLINED else ""
        out.append(f'<path d="{d}" fill="{FILLS[label]}"{stroke} data-class="{label}"/>')
        if label.startswith("cold"):
            out.append(f'<path d="{d}" fill="url(#{hatch})" aria-hidden="true"/>')
    out.append(
        f'<path d="{outline}" fill="none" stroke="{OUTLINE}" stroke-width="1" fill-rule="evenodd"/>'
    )
    placed: list[tuple[float, float]] = []
    for rank, cell in enumerate(result.hottest(label_top), start=1):
        i = cell.index
        cx, cy = left[i] + side / 2, top[i] + side / 2
        if any(abs(cx - px) < LABEL_SPACING and abs(cy - py) < LABEL_SPACING for px, py in placed):
            continue
        placed.append((cx, cy))
        out.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="12" font-weight="bold" '
            'text-anchor="middle" dominant-baseline="central" fill="#0b0c0c" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{rank}</text>'
        )

    y = legend_top
    for label in CLASSES:
        out.append(
            f'<rect x="{MARGIN}" y="{y:.0f}" width="16" height="16" fill="{FILLS[label]}" '
            f'stroke="{OUTLINE}" stroke-width="0.5"/>'
        )
        if label.startswith("cold"):
            out.append(
                f'<rect x="{MARGIN}" y="{y:.0f}" width="16" height="16" fill="url(#{hatch})"/>'
            )
        if label in OUTLINED:
            out.append(
                f'<rect x="{MARGIN + 2}" y="{y + 2:.0f}" width="12" height="12" fill="none" '
                f'stroke="{OUTLINED[label]}" stroke-width="1.5"/>'
            )
        out.append(
            f'<text x="{MARGIN + 24}" y="{y + 12:.0f}" font-size="13">'
            f"{escape((legend or {}).get(label, label))}: {counts[label]:,} cells</text>"
        )
        y += LEGEND_ROW
    for line in notes:
        out.append(f'<text x="{MARGIN}" y="{y + 12:.0f}" font-size="13">{escape(line)}</text>')
        y += NOTE_LINE
    out.append("</svg>")
    return "\n".join(out)
