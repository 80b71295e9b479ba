"""The rows an ingest rejected, read back from the store, so that nobody has to open Parquet
files to see why a line did not load."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .store import CrimeStore

MONTH = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Reject:
    source_file: str
    line: int
    column: str
    reason: str
    raw: str | None
    force: str
    kind: str
    month: str  # YYYY-MM


def find_rejects(
    store: CrimeStore, month: str | None = None, file: str | None = None
) -> list[Reject]:
    """Rejects in file and line order, optionally of one month (YYYY-MM) and one file.

    ``file`` matches the name the ingest recorded (``source_file``), or its last part: the
    file's name for a CSV, the member's name for a zip member, so ``2024-01-essex-street.csv``
    finds that file wherever it was loaded from.
    """
    if month is not None and not MONTH.fullmatch(month):
        raise ValueError(f"month {month!r} is not YYYY-MM")
    where, params = [], []
    if month is not None:
        where.append("strftime(month, '%Y-%m') = ?")
        params.append(month)
    if file is not None:
        where.append("(source_file = ? OR regexp_extract(source_file, '[^/:]*$') = ?)")
        params += [file, file.rsplit("/", 1)[-1]]
    sql = (
        "SELECT source_file, line, column_name, reason, raw, force, kind, "
        "strftime(month, '%Y-%m') FROM rejects"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY source_file, line"
    )
    rows = store.connect().execute(sql, params).fetchall()
    return [Reject(*row) for row in rows]
