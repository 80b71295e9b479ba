"""The hotspot page's tables, defined once for the page and its CSV/XLSX downloads, and the
page's summary lines: what the template used to work out for itself."""

from __future__ import annotations

from crimeplan.core.downloads import Column, DataTable
from crimeplan.core.numbers import format_number
from crimeplan.hotspots.classification import NOT_SIGNIFICANT
from crimeplan.hotspots.repeats import RepeatLocation
from crimeplan.hotspots.store_query import AreaHotspots

NEIGHBOURS_NOTE = "Hot because of its neighbours: no crimes in this square itself"


def p_text(p: float) -> str:
    return "< 0.0001" if p < 0.0001 else f"{p:.4f}"


def hot_squares_table(hotspots: AreaHotspots) -> DataTable:
    """Every hot square, hottest first (the map numbers the first few by this rank).

    A square is hot when it and its eight neighbours together hold more than the district's
    average, so a square can be hot with no crimes of its own: the row says so.
    """
    result = hotspots.result
    harm = hotspots.harm
    cells = result.hottest(int((result.bins > 0).sum()))
    records = []
    for rank, cell in enumerate(cells, start=1):
        own = cell.harm if harm is not None else cell.count
        records.append(
            {
                "rank": rank,
                "square": cell.cell_id,
                "value": own,
                "count": cell.count,
                "z": cell.z,
                "p": p_text(cell.p_adjusted),
                "class": cell.cls,
                "note": NEIGHBOURS_NOTE if not own else "",
                "latitude": cell.latitude,
                "longitude": cell.longitude,
            }
        )
    value = (
        Column("value", f"Harm ({harm.short_name})", 1)
        if harm is not None
        else Column("value", "Crimes", 0)
    )
    columns = [
        Column("square", "Square"),
        Column("rank", "Rank", 0),
        value,
        Column("z", "z", 2),
        Column("p", "Adjusted p"),
        Column("class", "Class"),
        Column("note", "Note"),
    ]
    return DataTable(
        name="hottest",
        caption=f"All {len(records)} hot squares, hottest (highest z-score) first",
        columns=columns,
        rows=records,
        classes="cp-hot-squares",
    )


def repeat_table(key: str, label: str, rows: list[RepeatLocation], hotspots) -> DataTable:
    what = "crimes" if key == "count" else "harm"
    return DataTable(
        name=f"repeats-by-{key}",
        caption=f"The {len(rows)} locations with the most {what}, {label}",
        columns=[
            Column("location", "Location"),
            Column("rank", "Rank", 0),
            Column("count", "Crimes", 0),
            Column("harm", f"Harm ({hotspots.repeat_harm.short_name})", 1),
            Column("types", "Commonest types"),
            Column("where", "Latitude, longitude"),
        ],
        rows=[
            {
                "rank": rank,
                "location": place.location or "(no description)",
                "count": place.count,
                "harm": place.harm,
                "types": ", ".join(
                    f"{kind} ({format_number(n)})"
                    for kind, n in list(place.crime_types.items())[:3]
                ),
                "where": f"{place.latitude:.5f}, {place.longitude:.5f}",
            }
            for rank, place in enumerate(rows, start=1)
        ],
        classes="govuk-table--small-text-until-tablet",
    )


def repeat_tables(hotspots: AreaHotspots) -> list[DataTable]:
    tables = [repeat_table("count", "by number of crimes", hotspots.repeats.by_count, hotspots)]
    if hotspots.repeats.by_harm is not None:
        harm = hotspots.repeat_harm
        label = f"by harm ({harm.short_name}, {harm.unit})"
        tables.append(repeat_table("harm", label, hotspots.repeats.by_harm, hotspots))
    return tables


def summary_rows(hotspots: AreaHotspots) -> list[dict]:
    """The "what is mapped" summary list, as ``govukSummaryList`` rows."""
    result = hotspots.result
    harm = hotspots.harm
    crimes = f"{format_number(result.n_points_used)} on the map"
    if result.n_points_outside:
        crimes += f", {format_number(result.n_points_outside)} outside every cell"
    if result.n_points_without_location:
        crimes += f", {format_number(result.n_points_without_location)} without a location"
    if harm is not None and hotspots.n_unweighted:
        types = ", ".join(hotspots.unweighted_types).lower()
        crimes += (
            f"; {format_number(hotspots.n_unweighted)} {types} left out "
            f"(no {harm.short_name} weight)"
        )
    classes = [
        f"{format_number(n)} {label}"
        for label, n in result.class_counts().items()
        if n and label != NOT_SIGNIFICANT
    ]
    cells = f"{format_number(result.n_cells)} squares of {result.cell_size} m: " + (
        ", ".join(classes) or "none hot or cold"
    )
    mapped = f"Harm: {harm.name} ({harm.unit})" if harm is not None else "Number of crimes"
    pairs = [
        ("Period", f"{result.period[0]} to {result.period[1]}"),
        ("Crime types", result.crime_types_label),
        ("Mapped", mapped),
        ("Crimes", crimes),
        ("Cells", cells),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in pairs]


def legend(hotspots: AreaHotspots, fills: dict[str, str]) -> list[dict]:
    """The map's key, every class with its count (shown under the map, JavaScript or not)."""
    counts = hotspots.result.class_counts()
    return [
        {"label": label, "count": counts.get(label, 0), "swatch": key_class(label)}
        for label in fills
    ]


def key_class(label: str) -> str:
    return "cp-swatch--" + label.replace(" ", "-").replace("%", "")
