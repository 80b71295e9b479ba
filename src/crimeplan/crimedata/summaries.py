"""Tables and progress bars the CLI prints, built with rich from library results.

Kept apart from the commands so the same tables serve tests and any other shell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .districts import all_districts
from .policeuk_ingest import FileResult
from .rejects import Reject


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def status_cell(result: FileResult) -> str:
    """The status with its reason. The row already says which month and force it is, and the
    full message (with the file's path) is printed under the table, so the path and a repeated
    status word are left out here."""
    if not result.error:
        return result.status
    reason = result.error.removeprefix(f"{result.display}: ").removeprefix(f"{result.status}: ")
    return f"{result.status}: {reason}"


def file_results_table(results: Iterable[FileResult]) -> Table:
    table = Table(title="police.uk ingest")
    for col in ("month", "force", "kind", "status", "read", "loaded", "rejected"):
        table.add_column(col, justify="right" if col in {"read", "loaded", "rejected"} else "left")
    for col in ("repeated IDs", "in area", "outside area", "no location"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(
            r.month,
            r.force,
            r.kind,
            status_cell(r),
            f"{r.rows_read:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_rejected:,}",
            f"{r.duplicate_ids:,}",
            f"{r.in_area:,}",
            f"{r.outside_area:,}",
            f"{r.no_location:,}",
        )
    return table


def district_table(results: Iterable[FileResult]) -> Table:
    """Rows per district for each month loaded, one row per file."""
    results = [r for r in results if r.by_district or r.in_area]
    names = {code: name for _f, code, name in all_districts()}
    codes = sorted({c for r in results for c in r.by_district})
    table = Table(title="rows by district (in the force area)")
    table.add_column("month")
    table.add_column("kind")
    for code in codes:
        table.add_column(names.get(code, code)[:10], justify="right")
    for r in results:
        table.add_row(r.month, r.kind, *(f"{r.by_district.get(c, 0):,}" for c in codes))
    return table


def manifest_table(manifests: list[dict[str, Any]]) -> Table:
    table = Table(title="crime store: loaded months")
    for col in ("source", "force", "month", "kind", "read", "loaded", "rejected"):
        table.add_column(col, justify="right" if col in {"read", "loaded", "rejected"} else "left")
    table.add_column("repeated IDs", justify="right")
    table.add_column("files (sha256)")
    table.add_column("loaded at")
    table.add_column("command")
    for m in manifests:
        table.add_row(
            m["source"],
            m["force"],
            m["month"],
            m["kind"],
            f"{m['rows_read']:,}",
            f"{m['rows_loaded']:,}",
            f"{m['rows_rejected']:,}",
            f"{m.get('duplicate_crime_ids', 0):,}",
            "\n".join(f"{f['name']} ({f['sha256'][:12]})" for f in m["files"]),
            m["loaded_at"],
            m["command"],
        )
    return table


def shorten(text: str | None, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    flat = (text or "").replace("\r", " ").replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def reject_lines(rejects: list[Reject], raw_width: int = 60) -> list[str]:
    """One line per reject, ``file:line: column: reason | raw``, like the plan file's errors,
    so the list reads in a terminal and greps; the raw text is cut short to ``raw_width``."""
    return [
        f"{r.source_file}:{r.line}: {r.column}: {r.reason} | {shorten(r.raw, raw_width)}"
        for r in rejects
    ]
