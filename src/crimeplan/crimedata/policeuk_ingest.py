"""Loading police.uk CSVs (street, outcomes, stop and search) into the crime store.

Each file is read by DuckDB as text, typed in SQL, and split into rows that load and rows that
are rejected with the file, line, column and reason; nothing is dropped, so rows read = rows
loaded + rows rejected for every file. A file is one unit of the store (source, force, kind,
month): loading it replaces that unit in one catalog commit, and a file whose SHA-256 matches the
unit already loaded is skipped, so loading twice changes nothing.

Nothing is lost or silently replaced: a file with no rows to load is refused (it would replace a
month with nothing) unless the caller allows empty files; two different files for the same unit
in one run refuse the whole run, since one would silently win; rows that repeat a crime ID are
loaded and counted in the result and the manifest.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .categories import CRIME_TYPES
from .districts import LSOA_NAME_PATTERN, districts_for
from .line_endings import has_mixed_line_endings, write_with_lf_endings
from .policeuk_files import (
    DEFAULT_ZIP_LIMITS,
    PoliceUkFile,
    PoliceUkFileError,
    ZipLimits,
    find_policeuk_files,
    scratch_dir,
)
from .store import (
    DUCKDB_CONFIG,
    STAGING,
    TABLES,
    CrimeStore,
    StoreWriter,
    pause_point,
    scalar,
    sql_string,
    stored_columns,
    unit_key,
)

SOURCE = "policeuk"

STREET_COLUMNS = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome_category",
    "context",
)
OUTCOME_COLUMNS = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "outcome_type",
)
HEADER_PUBLISHED = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
STOP_SEARCH_REQUIRED = ("type", "date", "latitude", "longitude")
STOP_SEARCH_OPTIONAL = (
    "part_of_a_policing_operation",
    "policing_operation",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_just_outer_clothing",
)

# Text in the Context column that marks a record written by `crimeplan synth`.
SYNTHETIC_MARK = "Synthetic record"


def normalise_header(name: str) -> str:
    """'Crime ID' and 'crime_id' are the same column: the 2018 copies were renamed to
    snake_case by someone downstream of police.uk."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass
class FileResult:
    """What happened to one file; the ingest's summary table is a list of these."""

    display: str
    source: str
    force: str
    kind: str
    month: str
    status: str  # loaded | unchanged | failed | refused
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicate_ids: int = 0  # loaded rows whose crime ID an earlier row of the file has
    in_area: int = 0
    outside_area: int = 0
    no_location: int = 0
    by_district: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refused_run: bool = False  # nothing was loaded: the run itself was refused

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(f.status in {"failed", "refused"} for f in self.files)


def read_header(path: Path, display: str) -> list[str]:
    """The file's column names, normalised; a file that is not a CSV with a header stops here."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(65536)
        text = first.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PoliceUkFileError(
            f"{display}: not a police.uk CSV (unreadable header: {exc})"
        ) from exc
    if not text.strip("\x00 \t\r\n"):
        what = "only NUL bytes" if "\x00" in text else "nothing"
        raise PoliceUkFileError(f"{display}: no data rows: the file holds {what}")
    if "\x00" in text:
        raise PoliceUkFileError(f"{display}: not a police.uk CSV (NUL bytes in the header)")
    row = next(csv.reader(io.StringIO(text)))
    return [normalise_header(c) for c in row]


def check_header(header: list[str], kind: str, display: str) -> None:
    if kind == "street":
        ok = sorted(header) == sorted(STREET_COLUMNS)
    elif kind == "outcomes":
        ok = sorted(header) == sorted(OUTCOME_COLUMNS)
    else:
        known = set(STOP_SEARCH_REQUIRED) | set(STOP_SEARCH_OPTIONAL)
        ok = set(STOP_SEARCH_REQUIRED) <= set(header) and set(header) <= known
    if not ok or len(set(header)) != len(header):
        shown = ",".join(header)[:120]
        raise PoliceUkFileError(f"{display}: not a police.uk {kind} CSV (header: {shown})")


def _text(col: str) -> str:
    return f"NULLIF(trim(c_{col}), '')"


def _typed_select(kind: str, header: list[str], month: str) -> str:
    """SELECT list turning the text columns into typed ones plus the first problem found."""
    present = set(header)

    def text(col: str) -> str:
        return _text(col) if col in present else "CAST(NULL AS VARCHAR)"

    items: list[str] = []
    checks: list[tuple[str, str, str, str]] = []  # column, condition, reason, raw
    if kind == "stop_search":
        items.append(f"{text('date')} AS date_raw")
        items.append("TRY_CAST(date_raw AS TIMESTAMPTZ) AS datetime")
        checks.append(("'date'", "datetime IS NULL", "'not a date and time'", "date_raw"))
        checks.append(
            (
                "'date'",
                f"left(date_raw, 7) <> {sql_string(month)}",
                f"'date disagrees with the file name month ' || {sql_string(month)}",
                "date_raw",
            )
        )
    else:
        items.append(f"{text('month')} AS month_raw")
        checks.append(
            (
                "'month'",
                "month_raw IS NULL OR NOT regexp_full_match(month_raw, '\\d{4}-\\d{2}')",
                "'not a YYYY-MM month'",
                "month_raw",
            )
        )
        checks.append(
            (
                "'month'",
                f"month_raw <> {sql_string(month)}",
                f"'month disagrees with the file name month ' || {sql_string(month)}",
                "month_raw",
            )
        )
    items += [
        f"{text('longitude')} AS lon_raw",
        f"{text('latitude')} AS lat_raw",
        "TRY_CAST(lon_raw AS DOUBLE) AS longitude",
        "TRY_CAST(lat_raw AS DOUBLE) AS latitude",
    ]
    checks += [
        (
            "CASE WHEN lon_raw IS NULL THEN 'longitude' ELSE 'latitude' END",
            "(lon_raw IS NULL) <> (lat_raw IS NULL)",
            "'only one of longitude and latitude is given'",
            "coalesce(lon_raw, lat_raw)",
        ),
        (
            "'longitude'",
            "lon_raw IS NOT NULL AND (longitude IS NULL OR NOT (longitude BETWEEN -180 AND 180))",
            "'not a coordinate'",
            "lon_raw",
        ),
        (
            "'latitude'",
            "lat_raw IS NOT NULL AND (latitude IS NULL OR NOT (latitude BETWEEN -90 AND 90))",
            "'not a coordinate'",
            "lat_raw",
        ),
    ]
    if kind == "street":
        names = ", ".join(sql_string(t) for t in CRIME_TYPES)
        items.append(f"{text('crime_type')} AS crime_type")
        checks.append(
            (
                "'crime_type'",
                f"crime_type IS NULL OR crime_type NOT IN ({names})",
                "'unknown crime type'",
                "crime_type",
            )
        )
    table_cols = {n for n, _ in TABLES[kind]}
    done = {"crime_type", "longitude", "latitude", "datetime", "month"}
    for col in header:
        if col in table_cols and col not in done:
            items.append(f"{text(col)} AS {col}")
            done.add(col)
    for col, _typ in TABLES[kind]:
        if col not in done and col in set(STOP_SEARCH_OPTIONAL):
            items.append(f"CAST(NULL AS VARCHAR) AS {col}")
    if "context" in table_cols:
        synthetic = f"coalesce(starts_with(context, {sql_string(SYNTHETIC_MARK)}), false)"
    else:
        synthetic = "false"
    items.append(f"{synthetic} AS synthetic")

    def case(pick: int) -> str:
        whens = " ".join(f"WHEN {c[1]} THEN {c[pick]}" for c in checks)
        return f"CASE {whens} END"

    items += [
        f"{case(0)} AS reject_column",
        f"{case(2)} AS reject_reason",
        f"{case(3)} AS reject_raw",
    ]
    return ",\n  ".join(items)


STRUCTURAL_REASONS = {
    "TOO MANY COLUMNS": "wrong column count",
    "MISSING COLUMNS": "wrong column count",
    "INVALID ENCODING": "bad encoding (not UTF-8)",
    "INVALID UNICODE": "bad encoding (not UTF-8)",
    "LINE SIZE OVER MAXIMUM": "line too long",
}
RAW_KEPT = 4096
"""Characters of a rejected line kept in the rejects table: enough to see what is wrong."""


@dataclass
class DistrictLookup:
    """LSOA code -> district (from loaded geography) and district name -> code (facts)."""

    by_lsoa: list[tuple[str, str]]
    by_name: list[tuple[str, str]]

    @classmethod
    def for_force(cls, store: CrimeStore, force: str) -> DistrictLookup:
        by_lsoa: list[tuple[str, str]] = []
        files = store.files("lsoa_districts")
        codes = {d.code for d in districts_for(force)}
        if files and codes:
            con = duckdb.connect(config=dict(DUCKDB_CONFIG))
            rows = con.execute(
                "SELECT lsoa_code, any_value(district_code) FROM read_parquet(?) GROUP BY 1",
                [[str(p) for p in files]],
            ).fetchall()
            con.close()
            by_lsoa = [(a, b) for a, b in rows if b in codes]
        by_name = [(d.name, d.code) for d in districts_for(force)]
        return cls(by_lsoa, by_name)

    def install(self, con: duckdb.DuckDBPyConnection) -> None:
        """(Re)create the ``by_lsoa`` and ``by_name`` tables the ingest joins against.

        One INSERT of literal rows per table: row-by-row ``executemany`` took about 0.7 s for a
        force's 2,200 LSOAs, on every file, once geography was loaded.
        """
        con.execute(
            "CREATE OR REPLACE TEMP TABLE by_lsoa (lsoa_code VARCHAR, district_code VARCHAR);"
            "CREATE OR REPLACE TEMP TABLE by_name (name VARCHAR, district_code VARCHAR);"
        )
        for table, rows in (("by_lsoa", self.by_lsoa), ("by_name", self.by_name)):
            if rows:
                values = ", ".join(f"({sql_string(a)}, {sql_string(b)})" for a, b in rows)
                con.execute(f"INSERT INTO {table} VALUES {values}")


def load_file(
    con: duckdb.DuckDBPyConnection,
    item: PoliceUkFile,
    path: Path,
    lookup: DistrictLookup,
    out_dir: Path,
) -> tuple[FileResult, Path, Path]:
    """Type one CSV and write its loaded rows and its rejects as two Parquet files in out_dir."""
    header = read_header(path, item.display)
    check_header(header, item.kind, item.display)
    columns = "{" + ", ".join(f"'c_{c}': 'VARCHAR'" for c in header) + "}"
    select = _typed_select(item.kind, header, item.month)
    con.execute("DROP TABLE IF EXISTS typed; DROP TABLE IF EXISTS csv_rejects;")
    con.execute("DROP TABLE IF EXISTS csv_scans;")
    read = f"""CREATE TEMP TABLE typed AS SELECT
  {select}
FROM read_csv(?, header = true, auto_detect = false, columns = {columns}, delim = ',',
              quote = '"', escape = '"', store_rejects = true, rejects_table = 'csv_rejects',
              rejects_scan = 'csv_scans', rejects_limit = 0, max_line_size = 1048576)"""
    try:
        try:
            con.execute(read, [str(path)])
        except duckdb.Error:
            if not has_mixed_line_endings(path):
                raise
            con.execute("DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans;")
            lf_copy = write_with_lf_endings(path, out_dir / f"{path.stem}.lf.csv")
            con.execute(read, [str(lf_copy)])
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0][:200]
        raise PoliceUkFileError(f"{item.display}: cannot be read as CSV ({first})") from exc
    # Lines DuckDB could not split into this file's columns (one row per line, first error).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE structural AS
        SELECT line,
               coalesce(
                 regexp_replace(arg_min(column_name, coalesce(column_idx, 0)), '^c_', ''),
                 CASE WHEN arg_min(CAST(error_type AS VARCHAR), coalesce(column_idx, 0))
                           = 'TOO MANY COLUMNS'
                      THEN '(column ' || min(column_idx) || ', past the header)'
                      ELSE '(whole line)' END) AS column_name,
               arg_min(CAST(error_type AS VARCHAR), coalesce(column_idx, 0)) AS error_type,
               arg_min(error_message, coalesce(column_idx, 0)) AS error_message,
               trim(any_value(csv_line), chr(10) || chr(13)) AS csv_line
        FROM csv_rejects GROUP BY line"""
    )
    # Good record k (rowid) sits on line k + 2 + (structural lines before it).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE line_shift AS
        SELECT first_rec, max(shift) AS shift FROM (
          SELECT line - 2 - (row_number() OVER (ORDER BY line) - 1) AS first_rec,
                 row_number() OVER (ORDER BY line) AS shift
          FROM structural) GROUP BY first_rec"""
    )
    names = {d[0] for d in con.execute("SELECT * FROM typed LIMIT 0").description}
    # Without structural rejects every record is on line rowid + 2: skip the ASOF join.
    if scalar(con.execute("SELECT count(*) FROM line_shift")):
        shift_join = "ASOF LEFT JOIN line_shift s ON t.rec >= s.first_rec"
    else:
        shift_join = "LEFT JOIN line_shift s ON false"
    lookup.install(con)
    consts = {
        "source": sql_string(SOURCE),
        "force": sql_string(item.force),
        "month": f"DATE {sql_string(item.month + '-01')}",
        "source_file": sql_string(item.display),
        "line": "t.rec + 2 + coalesce(s.shift, 0)",
    }
    if "lsoa_code" in names:
        consts["district_code"] = "coalesce(l.district_code, n.district_code)"
        consts["area_status"] = (
            "CASE WHEN coalesce(l.district_code, n.district_code) IS NOT NULL THEN 'in_area' "
            "WHEN t.lsoa_code IS NULL AND t.longitude IS NULL THEN 'no_location' "
            "ELSE 'outside_area' END"
        )
        joins = (
            "LEFT JOIN by_lsoa l ON t.lsoa_code = l.lsoa_code "
            "LEFT JOIN by_name n ON "
            f"regexp_extract(t.lsoa_name, {sql_string(LSOA_NAME_PATTERN)}, 1) = n.name"
        )
    else:
        joins = ""
    # Source, force and month are the folder's partition names, not columns in the file.
    select_cols = ", ".join(
        f"{consts[c]} AS {c}" if c in consts else f"t.{c}" for c, _ in stored_columns(item.kind)
    )
    rows_path = out_dir / "rows.parquet"
    rejects_path = out_dir / "rejects.parquet"
    con.execute(
        f"""COPY (
          SELECT {select_cols}
          FROM (SELECT rowid AS rec, * FROM typed WHERE reject_reason IS NULL) t
          {shift_join}
          {joins}
        ) TO {sql_string(rows_path)} (FORMAT parquet, COMPRESSION zstd)"""
    )
    pause_point("after-rows-written")
    reject_cols = f"{sql_string(item.display)} AS source_file"
    reasons = " ".join(
        f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in STRUCTURAL_REASONS.items()
    )
    con.execute(
        f"""COPY (
          SELECT {reject_cols}, CAST(line AS BIGINT) AS line, column_name, reason,
                 left(raw, {RAW_KEPT}) AS raw FROM (
            SELECT t.rec + 2 + coalesce(s.shift, 0) AS line, t.reject_column AS column_name,
                   t.reject_reason AS reason, t.reject_raw AS raw
            FROM (SELECT rowid AS rec, * FROM typed WHERE reject_reason IS NOT NULL) t
            ASOF LEFT JOIN line_shift s ON t.rec >= s.first_rec
            UNION ALL
            SELECT line, column_name,
                   CASE error_type {reasons} ELSE lower(error_type) END
                     || ': ' || coalesce(error_message, 'no detail given'), csv_line
            FROM structural
          ) ORDER BY line
        ) TO {sql_string(rejects_path)} (FORMAT parquet, COMPRESSION zstd)"""
    )
    loaded = scalar(con.execute("SELECT count(*) FROM typed WHERE reject_reason IS NULL"))
    typed_rejects = scalar(
        con.execute("SELECT count(*) FROM typed WHERE reject_reason IS NOT NULL")
    )
    structural = scalar(con.execute("SELECT count(*) FROM structural"))
    duplicates = 0
    if "crime_id" in names:
        duplicates = scalar(
            con.execute(
                "SELECT count(crime_id) - count(DISTINCT crime_id) FROM typed "
                "WHERE reject_reason IS NULL"
            )
        )
    result = FileResult(
        display=item.display,
        source=SOURCE,
        force=item.force,
        kind=item.kind,
        month=item.month,
        status="loaded",
        rows_read=loaded + typed_rejects + structural,
        rows_loaded=loaded,
        rows_rejected=typed_rejects + structural,
        duplicate_ids=duplicates,
    )
    if "district_code" in {c for c, _ in TABLES[item.kind]}:
        counts = con.execute(
            "SELECT area_status, district_code, count(*) FROM read_parquet(?) GROUP BY ALL",
            [str(rows_path)],
        ).fetchall()
        for status, code, n in counts:
            if status == "in_area":
                result.by_district[code] = result.by_district.get(code, 0) + n
                result.in_area += n
            elif status == "outside_area":
                result.outside_area += n
            else:
                result.no_location += n
    con.execute("DROP TABLE typed; DROP TABLE structural; DROP TABLE line_shift;")
    return result, rows_path, rejects_path


def manifest_for(result: FileResult, sha256: str, command: str) -> dict[str, Any]:
    return {
        "source": result.source,
        "force": result.force,
        "kind": result.kind,
        "month": result.month,
        "files": [{"name": result.display, "sha256": sha256}],
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "duplicate_crime_ids": result.duplicate_ids,
        "in_area": result.in_area,
        "outside_area": result.outside_area,
        "no_location": result.no_location,
        "by_district": dict(sorted(result.by_district.items())),
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": command,
    }


def result_from_manifest(display: str, manifest: dict[str, Any]) -> FileResult:
    return FileResult(
        display=display,
        source=manifest["source"],
        force=manifest["force"],
        kind=manifest["kind"],
        month=manifest["month"],
        status="unchanged",
        rows_read=manifest["rows_read"],
        rows_loaded=manifest["rows_loaded"],
        rows_rejected=manifest["rows_rejected"],
        duplicate_ids=manifest.get("duplicate_crime_ids", 0),
        in_area=manifest.get("in_area", 0),
        outside_area=manifest.get("outside_area", 0),
        no_location=manifest.get("no_location", 0),
        by_district=dict(manifest.get("by_district", {})),
    )


def load_into_store(
    writer: StoreWriter,
    con: duckdb.DuckDBPyConnection,
    item: PoliceUkFile,
    lookups: dict[str, DistrictLookup],
    scratch: Path,
    allow_empty: bool = False,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> FileResult:
    """Load one file as its unit of the store, or skip it when that exact file is loaded."""
    started = time.perf_counter()
    key = unit_key(SOURCE, item.force, item.kind, item.month)
    with item.local_copy(scratch, zip_limits) as (path, sha256):
        current = writer.catalog["units"].get(key)
        if current and [f["sha256"] for f in current["manifest"]["files"]] == [sha256]:
            return result_from_manifest(item.display, current["manifest"])
        if item.force not in lookups:
            lookups[item.force] = DistrictLookup.for_force(writer.store, item.force)
        staged = writer.staging_dir()
        result, rows_path, rejects_path = load_file(con, item, path, lookups[item.force], staged)
    if result.rows_loaded == 0 and not allow_empty:
        rows_path.unlink()
        rejects_path.unlink()
        result.status = "refused"
        result.error = empty_refusal(result, current)
        return result
    partition = {"source": SOURCE, "force": item.force, "month": item.month}
    files = {
        item.kind: writer.publish(rows_path, item.kind, partition, ".parquet"),
        "rejects": writer.publish(
            rejects_path, "rejects", {**partition, "kind": item.kind}, ".parquet"
        ),
    }
    pause_point("after-publish")
    writer.commit(
        units={key: {"files": files, "manifest": manifest_for(result, sha256, writer.command)}}
    )
    result.seconds = time.perf_counter() - started
    return result


def empty_refusal(result: FileResult, current: dict[str, Any] | None) -> str:
    """Why a file with nothing to load was not loaded, and what the store keeps instead."""
    if result.rows_read:
        what = f"no rows to load (all {result.rows_read:,} rows read were rejected)"
    else:
        what = "no data rows (a header and nothing else)"
    unit = f"{result.force} {result.kind} {result.month}"
    if current:
        kept = current["manifest"]
        keeps = f"{unit} keeps its {kept['rows_loaded']:,} rows from " + ", ".join(
            f["name"] for f in kept["files"]
        )
    else:
        keeps = f"{unit} stays unloaded"
    return f"{result.display}: refused: {what}; {keeps} (--allow-empty loads it anyway)"


def same_unit_conflicts(items: list[PoliceUkFile]) -> list[str]:
    """One line per unit that two different files in one run would load: the later would
    silently replace the earlier, so the run is refused and both are named."""
    by_unit: dict[tuple[str, str, str], list[PoliceUkFile]] = {}
    for item in items:
        same = by_unit.setdefault((item.force, item.kind, item.month), [])
        if all((i.path.resolve(), i.member) != (item.path.resolve(), item.member) for i in same):
            same.append(item)
    return [
        f"{force} {kind} {month} is in more than one file: "
        + " and ".join(i.display for i in found)
        + "; load one of them (or each in its own run, the last replacing the first)"
        for (force, kind, month), found in by_unit.items()
        if len(found) > 1
    ]


def ingest_policeuk(
    store: CrimeStore,
    paths: list[Path],
    force: str | Collection[str] | None = None,
    command: str = "crimeplan ingest policeuk",
    on_file: Callable[[FileResult, int, int], None] | None = None,
    threads: int | None = None,
    display_names: dict[str, str] | None = None,
    allow_empty: bool = False,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> IngestReport:
    """Load every police.uk file found under ``paths`` (see ``find_policeuk_files``).

    A file that cannot be read (or a zip member that is corrupt or expands past ``zip_limits``)
    is reported and skipped; the others still load. A file with no rows to load is refused
    unless ``allow_empty``. Two files for one unit refuse the run before anything is written.
    ``on_file`` is called after each file with its result, the number done and the total (for
    progress bars).
    """
    items, problems = find_policeuk_files(paths, force)
    if display_names:
        items = [
            dataclasses.replace(i, display=display_names.get(i.display, i.display)) for i in items
        ]
    report = IngestReport(problems=list(problems))
    if not items and not problems:
        report.problems.append("no police.uk files found in " + ", ".join(map(str, paths)))
    conflicts = same_unit_conflicts(items)
    if conflicts:
        report.problems += conflicts
        report.refused_run = True
        return report
    with store.writer(command) as writer:
        con = duckdb.connect(config=dict(DUCKDB_CONFIG))
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        lookups: dict[str, DistrictLookup] = {}
        (writer.root / STAGING).mkdir(parents=True, exist_ok=True)
        with scratch_dir(writer.root / STAGING) as scratch:
            for n, item in enumerate(items, 1):
                try:
                    result = load_into_store(
                        writer, con, item, lookups, scratch, allow_empty, zip_limits
                    )
                except PoliceUkFileError as exc:
                    result = FileResult(
                        item.display,
                        SOURCE,
                        item.force,
                        item.kind,
                        item.month,
                        "failed",
                        error=str(exc),
                    )
                report.files.append(result)
                if on_file:
                    on_file(result, n, len(items))
        con.close()
    return report
