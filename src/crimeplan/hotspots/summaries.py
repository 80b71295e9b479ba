"""Tables the ``crimeplan hotspots`` command prints, built with rich from an analysis.

Kept apart from the command so the command module imports nothing heavy until it runs.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rich.table import Table

from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.store_query import AreaHotspots

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
