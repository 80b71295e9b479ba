"""Killed-or-seriously-injured counts from DfT road safety data (STATS19).

DfT renamed ``accident_*`` columns to ``collision_*`` in the 2023 releases; both layouts are read
by recognising columns. Since 2016 forces record injuries in different ways (CRASH), so DfT
publishes an *adjusted* probability that a casualty (or collision) was serious; when a file has
it, serious = the sum of those probabilities, as DfT's own KSI figures are made. Each ingest
replaces the store's KSI table with what the given files hold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from rich.table import Table

from .districts import dft_police_force, districts_for
from .policeuk_files import sha256_of
from .store import (
    DUCKDB_CONFIG,
    STATS19,
    CrimeStore,
    scalar,
    sql_string,
    stats19_section,
    stats19_sections,
)


class Stats19Error(Exception):
    """No usable collision file, or a file in neither DfT layout."""


@dataclass
class Stats19Result:
    collisions_read: int = 0
    collisions_in_force: int = 0
    collisions_outside_area: int = 0
    collisions_undated: int = 0
    casualties_matched: int = 0
    basis: str = "collisions"
    adjusted: bool = False
    rows: list[tuple[Any, ...]] = field(
        default_factory=list
    )  # (month, district, killed, serious, ksi)
    unchanged: bool = False

    def summary_table(self) -> Table:
        table = Table(title=f"KSI by month and district ({self.basis}, adjusted={self.adjusted})")
        for col in ("month", "district", "killed", "serious", "KSI"):
            table.add_column(col, justify="left" if col in {"month", "district"} else "right")
        for month, district, killed, serious, ksi in self.rows:
            table.add_row(str(month)[:7], district, str(killed), f"{serious:.1f}", f"{ksi:.1f}")
        table.caption = (
            f"{self.collisions_read:,} collisions read, {self.collisions_in_force:,} in the force,"
            f" {self.collisions_outside_area:,} outside its districts,"
            f" {self.collisions_undated:,} without a date"
        )
        return table


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    rel = con.execute(
        "SELECT * FROM read_csv(?, all_varchar = true, header = true) LIMIT 0", [str(path)]
    )
    return [d[0].lower().strip() for d in rel.description]


def _pick(columns: list[str], *names: str) -> str | None:
    return next((n for n in names if n in columns), None)


def load_stats19(
    store: CrimeStore,
    files: list[Path],
    police_force: int | None = None,
    force: str = "essex",
    command: str = "crimeplan ingest stats19",
) -> Stats19Result:
    """Killed or seriously injured per month and district of ``force``, from the collisions whose
    DfT ``police_force`` is ``police_force`` (by default the force's own code, from the carried
    reference table)."""
    if police_force is None:
        try:
            police_force = dft_police_force(force)
        except ValueError as exc:
            raise Stats19Error(str(exc)) from None
    con = duckdb.connect(config=dict(DUCKDB_CONFIG))
    collisions: list[tuple[Path, list[str]]] = []
    casualties: list[tuple[Path, list[str]]] = []
    for path in map(Path, files):
        try:
            cols = _columns(con, path)
        except (duckdb.Error, OSError) as exc:
            raise Stats19Error(
                f"{path}: cannot be read as CSV ({str(exc).splitlines()[0]})"
            ) from None
        if "casualty_severity" in cols:
            casualties.append((path, cols))
        elif "police_force" in cols and _pick(cols, "collision_severity", "accident_severity"):
            collisions.append((path, cols))
        else:
            raise Stats19Error(f"{path}: neither a DfT collision nor a casualty file")
    if not collisions:
        raise Stats19Error("no collision file given (casualties need their collisions)")

    read_csv = "read_csv(?, all_varchar = true, header = true)"
    parts = []
    for _path, cols in collisions:
        index = _pick(cols, "collision_index", "accident_index")
        severity = _pick(cols, "collision_severity", "accident_severity")
        adjusted = _pick(
            cols,
            "collision_adjusted_severity_serious",
            "collision_adjusted_serious",
            "accident_adjusted_severity_serious",
        )
        parts.append(
            f"""SELECT {index} AS idx, TRY_CAST(police_force AS INTEGER) AS police_force,
                TRY_CAST({severity} AS INTEGER) AS severity,
                {f"TRY_CAST({adjusted} AS DOUBLE)" if adjusted else "CAST(NULL AS DOUBLE)"}
                  AS adjusted_serious,
                coalesce(TRY_STRPTIME(date, '%d/%m/%Y'), TRY_STRPTIME(date, '%Y-%m-%d')) AS ts,
                local_authority_ons_district AS district_code
            FROM {read_csv}"""
        )
    con.execute(
        "CREATE TEMP TABLE collisions AS " + " UNION ALL ".join(parts),
        [str(path) for path, _ in collisions],
    )
    codes = [d.code for d in districts_for(force)]
    con.execute("CREATE TEMP TABLE area (code VARCHAR)")
    con.executemany("INSERT INTO area VALUES (?)", [(c,) for c in codes])
    result = Stats19Result()
    result.collisions_read = scalar(con.execute("SELECT count(*) FROM collisions"))
    con.execute(
        """CREATE TEMP TABLE ours AS SELECT *, date_trunc('month', ts)::DATE AS month
        FROM collisions WHERE police_force = ?""",
        [police_force],
    )
    result.collisions_in_force = scalar(con.execute("SELECT count(*) FROM ours"))
    result.collisions_outside_area = scalar(
        con.execute(
            "SELECT count(*) FROM ours WHERE district_code NOT IN (SELECT code FROM area) "
            "OR district_code IS NULL"
        )
    )
    result.collisions_undated = scalar(con.execute("SELECT count(*) FROM ours WHERE ts IS NULL"))
    if casualties:
        parts = []
        for _path, cols in casualties:
            index = _pick(cols, "collision_index", "accident_index")
            adjusted = _pick(
                cols, "casualty_adjusted_severity_serious", "casualty_adjusted_serious"
            )
            parts.append(
                f"""SELECT {index} AS idx, TRY_CAST(casualty_severity AS INTEGER) AS severity,
                    {f"TRY_CAST({adjusted} AS DOUBLE)" if adjusted else "CAST(NULL AS DOUBLE)"}
                      AS adjusted_serious
                FROM {read_csv}"""
            )
        con.execute(
            "CREATE TEMP TABLE units AS SELECT o.month, o.district_code, c.severity, "
            "c.adjusted_serious FROM (" + " UNION ALL ".join(parts) + ") c JOIN ours o USING (idx)",
            [str(path) for path, _ in casualties],
        )
        result.basis = "casualties"
        result.casualties_matched = scalar(con.execute("SELECT count(*) FROM units"))
    else:
        con.execute(
            "CREATE TEMP TABLE units AS SELECT month, district_code, severity, adjusted_serious "
            "FROM ours"
        )
    result.adjusted = bool(scalar(con.execute("SELECT count(adjusted_serious) FROM units")))
    serious = (
        "CASE WHEN severity = 1 THEN 0 ELSE coalesce(adjusted_serious, 0) END"
        if result.adjusted
        else "CASE WHEN severity = 2 THEN 1 ELSE 0 END"
    )
    result.rows = con.execute(
        f"""SELECT month, district_code, count(*) FILTER (severity = 1) AS killed,
                   sum({serious})::DOUBLE AS serious,
                   (count(*) FILTER (severity = 1) + sum({serious}))::DOUBLE AS ksi
            FROM units WHERE month IS NOT NULL AND district_code IN (SELECT code FROM area)
            GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    if not result.rows:
        con.close()
        # Loading nothing would replace a loaded KSI table with an empty one: most often the
        # files are another force's, or the code is wrong.
        raise Stats19Error(
            f"{', '.join(str(p) for p, _ in collisions)}: no dated collision with police_force "
            f"{police_force} falls in {force}'s districts ({result.collisions_in_force} with that "
            f"code, {result.collisions_outside_area} of them outside the districts); nothing "
            "was loaded (check --force and --police-force)"
        )
    sources = [{"name": str(p), "sha256": sha256_of(p)} for p, _ in collisions + casualties]
    catalog = store.catalog()
    current = stats19_sections(catalog).get(force) or {}
    previous = current.get("manifest") or {}
    if (
        sorted(f["sha256"] for f in previous.get("files", []))
        == sorted(f["sha256"] for f in sources)
        and previous.get("police_force") == police_force
        and all((store.root / rel).exists() for rel in (current.get("files") or {}).values())
    ):
        # The same files loaded again: the stored KSI table already is this result.
        result.unchanged = True
        con.close()
        return result
    with store.writer(command) as writer:
        staged = writer.staging_dir() / "ksi.parquet"
        con.execute(
            "CREATE TEMP TABLE ksi_out (month DATE, district_code VARCHAR, killed BIGINT, "
            "serious DOUBLE, ksi DOUBLE, basis VARCHAR, adjusted BOOLEAN)"
        )
        con.executemany(
            "INSERT INTO ksi_out VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row, result.basis, result.adjusted) for row in result.rows],
        )
        con.execute(f"COPY ksi_out TO {sql_string(staged)} (FORMAT parquet)")
        published = {"ksi": writer.publish(staged, "stats19", {"force": force}, "-ksi.parquet")}
        manifest = {
            "files": sources,
            "force": force,
            "police_force": police_force,
            "collisions_read": result.collisions_read,
            "collisions_in_force": result.collisions_in_force,
            "collisions_outside_area": result.collisions_outside_area,
            "collisions_undated": result.collisions_undated,
            "basis": result.basis,
            "adjusted": result.adjusted,
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": command,
        }
        sections: dict[str, Any] = {
            stats19_section(force): {"files": published, "manifest": manifest}
        }
        legacy = writer.catalog.get(STATS19)
        if legacy and stats19_sections({STATS19: legacy}).get(force):
            sections[STATS19] = None  # this force's load from before KSI was kept per force
        writer.commit(sections=sections)
    con.close()
    return result
