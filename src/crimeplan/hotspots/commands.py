"""``crimeplan hotspots``: Gi* hotspots of an area's crimes to GeoJSON, with a summary table.

A thin shell: options become a :class:`~crimeplan.hotspots.query.HotspotQuery`,
:func:`~crimeplan.hotspots.store_query.analyse` does the work, and this prints what it found. Any
request that cannot be answered stops with one line and exit status 1, so scripts notice.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command(name="hotspots")
@click.option("--area", required=True, help="district GSS code, or 'force'")
@click.option(
    "--type",
    "types",
    multiple=True,
    help="police.uk crime type (repeat, or a comma list; default all types)",
)
@click.option("--from", "month_from", help="first month, YYYY-MM (default: the latest year)")
@click.option("--to", "month_to", help="last month, YYYY-MM")
@click.option("--cell", help="cell size in metres (default from the area's size)")
@click.option("--harm", default="none", show_default=True, help="none, cchi or ons_css")
@click.option("--correction", default="fdr_bh", show_default=True, help="fdr_bh, holm or none")
@click.option("--out", type=click.Path(path_type=Path), help="write the cells as GeoJSON here")
def hotspots(
    area: str,
    types: tuple[str, ...],
    month_from: str | None,
    month_to: str | None,
    cell: str | None,
    harm: str,
    correction: str,
    out: Path | None,
) -> None:
    """Find Getis-Ord Gi* hotspots and the hottest cells.

    \b
    Example:
      crimeplan hotspots --area E07000070 --type Burglary --from 2025-01 --to 2025-06 \\
          --cell 250 --harm cchi --out hotspots.geojson
    """
    # Reads the crime store only: settings are enough, the apps and their checks are not needed.
    from rich.console import Console

    from crimeplan.cli import command_settings
    from crimeplan.crimedata.districts import force_of_district
    from crimeplan.crimedata.store import CrimeStore
    from crimeplan.hotspots.cached import geojson_text
    from crimeplan.hotspots.query import (
        HotspotQuery,
        QueryError,
        parse_cell_size,
        parse_correction,
        parse_crime_types,
        parse_harm,
        parse_period,
    )
    from crimeplan.hotspots.store_query import analyse, check_area, default_period
    from crimeplan.hotspots.summaries import hottest_table, summary_table, write_atomically

    console = Console(file=sys.stdout, width=140)
    settings = command_settings()
    store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
    # A district's own force, as on its page; the whole force area is the site's.
    force = force_of_district(area.upper()) or settings.CRIMEPLAN_FORCE
    try:
        checked_area = check_area(area, force)
        crime_types = parse_crime_types(list(types))
        if not month_from or not month_to:
            latest_from, latest_to = default_period(store, force)
            month_from, month_to = month_from or latest_from, month_to or latest_to
        first, last = parse_period(month_from, month_to)
        query = HotspotQuery(
            area=checked_area,
            month_from=first,
            month_to=last,
            crime_types=crime_types,
            cell_size=parse_cell_size(cell),
            harm=parse_harm(harm),
            correction=parse_correction(correction),
        )
        found = analyse(store, query, force)
    except (QueryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None

    console.print(summary_table(found))
    if found.result.message is None:
        console.print(hottest_table(found))
    if out is not None:
        write_atomically(out, geojson_text(found))
        console.print(f"wrote {found.result.n_cells:,} cells to {out}")
    if found.result.message:
        raise click.ClickException(f"no hotspots: {found.result.message}")
