"""`crimeplan hotspots`: Gi* hotspots of an area's crimes to GeoJSON, with a summary table.

A thin shell: options become a :class:`~crimeplan.hotspots.query.HotspotQuery`,
:func:`~crimeplan.hotspots.store_query.analyse` does the work, and this prints what it found. Any
request that cannot be answered stops with one line and a non-zero exit, so scripts notice.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.cached import geojson_text
from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.query import (
    HARM_INDEXES,
    HotspotQuery,
    QueryError,
    parse_cell_size,
    parse_correction,
    parse_crime_types,
    parse_harm,
    parse_period,
)
from crimeplan.hotspots.store_query import AreaHotspots, analyse, check_area, default_period

TOP_CELLS = 10


def summary_table(hotspots: AreaHotspots) -> Table:
    result = hotspots.result
    table = Table(title=f"Hotspots: {hotspots.area_name}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("Area", f"{hotspots.area_name} ({result.area})")
    table.add_row("Period", f"{result.period[0]} to {result.period[1]}")
    table.add_row("Crime types", result.crime_types_label)
    if hotspots.harm:
        table.add_row("Value", f"harm: {result.weighting}")
        if hotspots.n_unweighted:
            table.add_row(
                "Left out",
                f"{hotspots.n_unweighted:,} {', '.join(hotspots.unweighted_types)} "
                f"(no {hotspots.harm.short_name} weight)",
            )
    else:
        table.add_row("Value", "count of crimes")
    table.add_row("Cell size", f"{result.cell_size} m (British National Grid squares)")
    table.add_row("Cells", f"{result.n_cells:,}")
    table.add_row("Method", result.method)
    table.add_row("Correction", CORRECTIONS[result.correction])
    table.add_row("Crimes used", f"{result.n_points_used:,}")
    table.add_row("Outside every cell", f"{result.n_points_outside:,}")
    table.add_row("Without location", f"{result.n_points_without_location:,}")
    for label, n in result.class_counts().items():
        table.add_row(f"Cells {label}", f"{n:,}")
    return table


def hottest_table(hotspots: AreaHotspots, n: int = TOP_CELLS) -> Table:
    result = hotspots.result
    harm = result.harm is not None
    table = Table(title=f"Hottest {n} cells")
    table.add_column("Rank", justify="right")
    table.add_column("Cell")
    table.add_column("Crimes", justify="right")
    if harm:
        table.add_column("Harm", justify="right")
    table.add_column("z", justify="right")
    table.add_column("Adjusted p", justify="right")
    table.add_column("Class")
    table.add_column("Centre (lat, lon)")
    for rank, cell in enumerate(result.hottest(n), start=1):
        row = [str(rank), cell.cell_id, f"{cell.count:,}"]
        if harm:
            row.append(f"{cell.harm:,.1f}")
        row += [
            f"{cell.z:.2f}",
            f"{cell.p_adjusted:.2g}",
            cell.cls,
            f"{cell.latitude:.5f}, {cell.longitude:.5f}",
        ]
        table.add_row(*row)
    return table


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # an ordinary file, not mkstemp's owner-only one
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Find crime hotspots (Getis-Ord Gi*) in an area and write them as GeoJSON."
    # Reads the crime store only (no database, no URLs): the full system checks would add about
    # a second to every run for nothing this command uses.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="district GSS code, or 'force'")
        parser.add_argument(
            "--type",
            dest="types",
            action="append",
            default=[],
            help="police.uk crime type (repeat, or a comma list; default all types)",
        )
        parser.add_argument("--from", dest="month_from", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="month_to", help="last month, YYYY-MM")
        parser.add_argument("--cell", help="cell size in metres (default from the area's size)")
        parser.add_argument(
            "--harm", default="none", help=f"weight crimes by harm: none, {', '.join(HARM_INDEXES)}"
        )
        parser.add_argument(
            "--correction", default="fdr_bh", help=f"p-value correction: {', '.join(CORRECTIONS)}"
        )
        parser.add_argument("--out", type=Path, help="write the cells as GeoJSON to this file")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=140)
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        force = settings.CRIMEPLAN_FORCE
        try:
            query = self.query(store, force, options)
            hotspots = analyse(store, query, force)
        except (QueryError, ValueError) as exc:
            raise CommandError(str(exc)) from None

        console.print(summary_table(hotspots))
        if hotspots.result.message is None:
            console.print(hottest_table(hotspots))
        if options["out"] is not None:
            write_atomically(options["out"], geojson_text(hotspots))
            console.print(f"wrote {hotspots.result.n_cells:,} cells to {options['out']}")
        if hotspots.result.message:
            raise CommandError(f"no hotspots: {hotspots.result.message}")

    def query(self, store: CrimeStore, force: str, options: dict) -> HotspotQuery:
        area = check_area(options["area"], force)
        crime_types = parse_crime_types(options["types"])
        month_from, month_to = options["month_from"], options["month_to"]
        if not month_from or not month_to:
            latest_from, latest_to = default_period(store, force)
            month_from, month_to = month_from or latest_from, month_to or latest_to
        return HotspotQuery(
            area=area,
            month_from=parse_period(month_from, month_to)[0],
            month_to=parse_period(month_from, month_to)[1],
            crime_types=crime_types,
            cell_size=parse_cell_size(options["cell"]),
            harm=parse_harm(options["harm"]),
            correction=parse_correction(options["correction"]),
        )
