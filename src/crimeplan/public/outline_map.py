"""A small static map of an area: the district's wards outlined, one ward shaded when the page is
about it. Server-side SVG from the loaded boundaries, so it works without JavaScript and with
no tile server; the page's text and tables carry every figure, the map only places the area."""

from __future__ import annotations

from html import escape

import numpy as np
from shapely.geometry import shape

from crimeplan.crimedata.districts import force_of_district
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.grid import project_to_bng
from crimeplan.hotspots.svg_map import outline_path

WIDTH = 480
MARGIN = 6
FILL = "#1d70b8"
LINE = "#0b0c0c"


def area_map_svg(
    store: CrimeStore, district_code: str, district_name: str, ward_code: str | None = None
) -> str | None:
    """The district's wards as an SVG, ``ward_code`` shaded; None without ward boundaries."""
    try:
        features = store.ward_boundaries(force_of_district(district_code))["features"]
    except LookupError:
        return None
    wards = [
        (
            f["properties"]["ward_code"],
            f["properties"]["ward_name"],
            project_to_bng(shape(f["geometry"])),
        )
        for f in features
        if f["properties"]["district_code"] == district_code
    ]
    if not wards:
        return None
    bounds = np.array([w[2].bounds for w in wards])
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    scale = (WIDTH - 2 * MARGIN) / max(maxx - minx, 1.0)
    height = (maxy - miny) * scale + 2 * MARGIN

    def to_px(x, y):
        return (np.asarray(x) - minx) * scale + MARGIN, (maxy - np.asarray(y)) * scale + MARGIN

    chosen = next((name for code, name, _ in wards if code == ward_code), None)
    title = f"Map of {chosen}, a ward of {district_name}" if chosen else f"Map of {district_name}"
    desc = (
        f"{chosen} is shaded among the {len(wards)} wards of {district_name}."
        if chosen
        else f"The {len(wards)} wards of {district_name}, outlined."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" aria-labelledby="area-map-title area-map-desc">',
        f'<title id="area-map-title">{escape(title)}</title>',
        f'<desc id="area-map-desc">{escape(desc)}</desc>',
    ]
    for code, _name, geometry in wards:
        fill = FILL if code == ward_code else "#f3f2f1"
        out.append(
            f'<path d="{outline_path(geometry, to_px)}" fill="{fill}" stroke="{LINE}" '
            'stroke-width="0.8" fill-rule="evenodd"/>'
        )
    out.append("</svg>")
    return "\n".join(out)
