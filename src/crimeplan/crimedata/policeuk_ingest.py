"""Loading police.uk CSVs (street, outcomes, stop and search) into the crime store.

Each file is read by DuckDB as text, typed in SQL, and split into rows that load and rows that
are rejected with the file, line, column and reason; nothing is dropped, so rows read = rows
loaded + rows rejected for every file. A file is one unit of the store (source, force, kind,
month), and a file whose SHA-256 matches the unit already loaded is skipped, so loading twice
changes nothing.

The files of one month (a national archive's 43 forces) are read by one DuckDB statement, each
record carrying the index of its file, and their units are replaced in one catalog commit: a
statement and a commit per file cost more than the reading itself at national scale. Lines,
counts and rejects are still each file's own, and files that cannot be read together are read
one by one, so a bad file fails alone.

Nothing is lost or silently replaced: a file with no rows to load is refused (it would replace a
month with nothing) unless the caller allows empty files; two different files for the same unit
in one run refuse the whole run, since one would silently win; rows that repeat a crime ID are
loaded and counted in the result and the manifest.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import dataclasses
import io
import shutil
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .categories import CRIME_TYPES
from .districts import LSOA_NAME_PATTERN, all_districts
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
    seconds: float = 0.0  # of the read and write of its month's files (read together)


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


BATCH_BYTES = 256 << 20
"""CSV bytes read by one DuckDB statement at most: a month of the national archive's street
files (all forces, about 170 MB, under 1 GB of memory at the peak) is one read; a larger month
is split, so memory stays bounded."""


PUBLISH_THREADS = 8
"""Files moved into place (and fsynced) at once; the work is waiting for the disk, not CPU."""


def install_district_lookup(con: duckdb.DuckDBPyConnection, store: CrimeStore) -> None:
    """Create ``by_lsoa`` (force, LSOA code -> district, from the loaded geography) and
    ``by_name`` (force, district name -> code, facts in code) once for the whole run: the
    geography does not change while a writer holds the store. An LSOA in the lookup of several
    districts keeps one of them, then counts for the force that district belongs to."""
    values = ", ".join(
        f"({sql_string(f)}, {sql_string(c)}, {sql_string(n)})" for f, c, n in all_districts()
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE force_districts AS "
        f"SELECT * FROM (VALUES {values}) t(force, district_code, name)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE by_name AS "
        "SELECT force, name, district_code FROM force_districts"
    )
    files = [str(p) for p in store.files("lsoa_districts")]
    lsoas = (
        "(SELECT lsoa_code, any_value(district_code) AS district_code "
        "FROM read_parquet(?) GROUP BY 1)"
        if files
        else "(SELECT CAST(NULL AS VARCHAR) AS lsoa_code, CAST(NULL AS VARCHAR) AS district_code "
        "WHERE false)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE by_lsoa AS SELECT d.force, l.lsoa_code, l.district_code "
        f"FROM {lsoas} l JOIN force_districts d USING (district_code)",
        [files] if files else None,
    )


@dataclass
class StagedFile:
    """A file of a run ready to read: where DuckDB finds it, its digest and its header."""

    position: int  # in the run's batch, so results keep the order the files were found in
    item: PoliceUkFile
    path: Path
    sha256: str
    header: tuple[str, ...]
    current: dict[str, Any] | None  # the unit the catalog holds now, if any


@dataclass
class LoadedFile:
    """What reading one file gave: its result and its two staged Parquet files."""

    staged: StagedFile
    result: FileResult
    rows_path: Path | None = None
    rejects_path: Path | None = None


class BatchUnreadable(Exception):
    """DuckDB could not read the files of a batch together; each is then read on its own, so
    the one at fault is named (and a file with mixed line endings gets its LF copy)."""


def _sql_list(values: list[Any]) -> str:
    return "[" + ", ".join(sql_string(v) if isinstance(v, str) else str(v) for v in values) + "]"


def _read_typed(con: duckdb.DuckDBPyConnection, files: list[StagedFile], out_dir: Path) -> None:
    """``typed``: every record of the files, typed, with the first problem of each and the
    ``file_index`` of its file (its place in ``files``); ``csv_rejects``: the lines DuckDB
    could not split. One statement for all the files: per-file statements cost more than the
    reading itself at national scale."""
    first = files[0]
    header = list(first.header)
    columns = "{" + ", ".join(f"'c_{c}': 'VARCHAR'" for c in header) + "}"
    select = _typed_select(first.item.kind, header, first.item.month)
    read = f"""CREATE OR REPLACE TEMP TABLE typed AS SELECT
  {select},
  CAST(file_index AS INTEGER) AS file_index
FROM read_csv(?, header = true, auto_detect = false, columns = {columns}, delim = ',',
              quote = '"', escape = '"', store_rejects = true, rejects_table = 'csv_rejects',
              rejects_scan = 'csv_scans', rejects_limit = 0, max_line_size = 1048576)"""
    drop_rejects = "DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans;"
    con.execute(drop_rejects)
    try:
        try:
            con.execute(read, [[str(f.path) for f in files]])
        except duckdb.Error:
            if len(files) > 1:
                raise
            if not has_mixed_line_endings(first.path):
                raise
            con.execute(drop_rejects)
            lf_copy = write_with_lf_endings(first.path, out_dir / f"{first.path.stem}.lf.csv")
            con.execute(read, [[str(lf_copy)]])
    except duckdb.Error as exc:
        if len(files) > 1:
            raise BatchUnreadable(str(exc)) from exc
        message = str(exc).strip().splitlines()[0][:200]
        raise PoliceUkFileError(f"{first.item.display}: cannot be read as CSV ({message})") from exc


def _read_batch(
    con: duckdb.DuckDBPyConnection, files: list[StagedFile], out_dir: Path
) -> list[LoadedFile]:
    """Type the files (one kind, one header, one month) and write each one's loaded rows and
    rejects as Parquet files under out_dir, with its counts; see ``_read_typed``."""
    kind = files[0].item.kind
    _read_typed(con, files, out_dir)
    # Lines DuckDB could not split into the file's columns (one row per line, first error).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE structural AS
        SELECT CAST(file_id AS INTEGER) AS file_index, line,
               coalesce(
                 regexp_replace(arg_min(column_name, coalesce(column_idx, 0)), '^c_', ''),
                 CASE WHEN arg_min(CAST(error_type AS VARCHAR), coalesce(column_idx, 0))
                           = 'TOO MANY COLUMNS'
                      THEN '(column ' || min(column_idx) || ', past the header)'
                      ELSE '(whole line)' END) AS column_name,
               arg_min(CAST(error_type AS VARCHAR), coalesce(column_idx, 0)) AS error_type,
               arg_min(error_message, coalesce(column_idx, 0)) AS error_message,
               trim(any_value(csv_line), chr(10) || chr(13)) AS csv_line
        FROM csv_rejects GROUP BY file_id, line"""
    )
    # Good record k of a file sits on line k + 2 + (structural lines of that file before it).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE line_shift AS
        SELECT file_index, first_rec, max(shift) AS shift FROM (
          SELECT file_index,
                 line - 2 - (row_number() OVER (PARTITION BY file_index ORDER BY line) - 1)
                   AS first_rec,
                 row_number() OVER (PARTITION BY file_index ORDER BY line) AS shift
          FROM structural) GROUP BY ALL"""
    )
    names = {d[0] for d in con.execute("SELECT * FROM typed LIMIT 0").description}
    has_ids = "crime_id" in names
    duplicates = (
        "count(crime_id) FILTER (WHERE reject_reason IS NULL) - "
        "count(DISTINCT crime_id) FILTER (WHERE reject_reason IS NULL)"
        if has_ids
        else "0"
    )
    counts = {
        index: (first_row, last_row, n, loaded, dups)
        for index, first_row, last_row, n, loaded, dups in con.execute(
            "SELECT file_index, min(rowid), max(rowid), count(*), "
            f"count(*) FILTER (WHERE reject_reason IS NULL), {duplicates} "
            "FROM typed GROUP BY 1"
        ).fetchall()
    }
    # A record's line is counted from its file's first row in ``typed``: DuckDB keeps the
    # files' rows in order and together, and a batch where it did not is read file by file.
    if any(last - first + 1 != n for first, last, n, _l, _d in counts.values()):
        raise BatchUnreadable("the files' records were not kept together")
    offsets = f"CAST({_sql_list([counts.get(i, (0,))[0] for i in range(len(files))])} AS BIGINT[])"
    displays = _sql_list([f.item.display for f in files])
    forces = ", ".join(f"({i}, {sql_string(f.item.force)})" for i, f in enumerate(files))
    if scalar(con.execute("SELECT count(*) FROM line_shift")):
        shift_join = (
            "ASOF LEFT JOIN line_shift s ON t.file_index = s.file_index AND t.rec >= s.first_rec"
        )
    else:
        shift_join = "LEFT JOIN line_shift s ON false"
    consts = {
        "source_file": f"list_extract({displays}, t.file_index + 1)",
        "line": "t.rec + 2 + coalesce(s.shift, 0)",
    }
    if "lsoa_code" in names:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE batch_forces AS
            SELECT * FROM (VALUES {forces}) f(file_index, force);
            CREATE OR REPLACE TEMP TABLE batch_lsoa AS
            SELECT f.file_index, l.lsoa_code, l.district_code
            FROM batch_forces f JOIN by_lsoa l USING (force);
            CREATE OR REPLACE TEMP TABLE batch_name AS
            SELECT t.file_index, t.lsoa_name, n.district_code
            FROM (SELECT DISTINCT file_index, lsoa_name FROM typed) t
            JOIN batch_forces f USING (file_index)
            JOIN by_name n ON n.force = f.force
              AND regexp_extract(t.lsoa_name, {sql_string(LSOA_NAME_PATTERN)}, 1) = n.name;"""
        )
        district = "coalesce(l.district_code, n.district_code)"
        consts["district_code"] = district
        consts["area_status"] = (
            f"CASE WHEN {district} IS NOT NULL THEN 'in_area' "
            "WHEN t.lsoa_code IS NULL AND t.longitude IS NULL THEN 'no_location' "
            "ELSE 'outside_area' END"
        )
        joins = (
            "LEFT JOIN batch_lsoa l ON t.file_index = l.file_index "
            "AND t.lsoa_code = l.lsoa_code "
            # The district's name is taken from each distinct LSOA name once (above), not
            # from every record: a regular expression per record cost a fifth of the write.
            "LEFT JOIN batch_name n ON t.file_index = n.file_index "
            "AND t.lsoa_name = n.lsoa_name"
        )
    else:
        joins = ""
    # Source, force and month are the folder's partition names, not columns in the file.
    stored = stored_columns(kind)
    select_cols = ", ".join(f"{consts[c]} AS {c}" if c in consts else f"t.{c}" for c, _ in stored)
    rows_dir = out_dir / "rows"
    rejects_dir = out_dir / "rejects"
    partitioned = (
        "FORMAT parquet, COMPRESSION zstd, PARTITION_BY (file_index), "
        "FILENAME_PATTERN 'part{i}', WRITE_PARTITION_COLUMNS false"
    )
    con.execute(f"SET partitioned_write_max_open_files = {max(100, 2 * len(files))}")
    con.execute(
        f"""COPY (
          SELECT {select_cols}, t.file_index
          FROM (SELECT rowid - list_extract({offsets}, file_index + 1) AS rec, *
                FROM typed WHERE reject_reason IS NULL) t
          {shift_join}
          {joins}
        ) TO {sql_string(rows_dir)} ({partitioned})"""
    )
    pause_point("after-rows-written")
    reasons = " ".join(
        f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in STRUCTURAL_REASONS.items()
    )
    con.execute(
        f"""COPY (
          SELECT list_extract({displays}, file_index + 1) AS source_file,
                 CAST(line AS BIGINT) AS line, column_name, reason,
                 left(raw, {RAW_KEPT}) AS raw, file_index FROM (
            SELECT t.file_index, t.rec + 2 + coalesce(s.shift, 0) AS line,
                   t.reject_column AS column_name, t.reject_reason AS reason,
                   t.reject_raw AS raw
            FROM (SELECT rowid - list_extract({offsets}, file_index + 1) AS rec, *
                  FROM typed WHERE reject_reason IS NOT NULL) t
            ASOF LEFT JOIN line_shift s ON t.file_index = s.file_index AND t.rec >= s.first_rec
            UNION ALL
            SELECT file_index, line, column_name,
                   CASE error_type {reasons} ELSE lower(error_type) END
                     || ': ' || coalesce(error_message, 'no detail given'), csv_line
            FROM structural
          ) ORDER BY file_index, line
        ) TO {sql_string(rejects_dir)} ({partitioned})"""
    )
    structural = dict(
        con.execute("SELECT file_index, count(*) FROM structural GROUP BY 1").fetchall()
    )
    by_area: dict[int, list[tuple[str, str, int]]] = {}
    rows_paths = {i: _partition_file(con, rows_dir, i) for i in range(len(files))}
    written = [str(p) for p in rows_paths.values() if p]
    if "district_code" in {c for c, _ in stored} and written:
        for index, status, code, n in con.execute(
            "SELECT file_index, area_status, district_code, count(*) "
            "FROM read_parquet(?, hive_partitioning = true, hive_types = {'file_index': INTEGER}) "
            "GROUP BY ALL",
            [written],
        ).fetchall():
            by_area.setdefault(index, []).append((status, code, n))
    templates: dict[str, Path] = {}

    def empty(table: str, path: Path) -> Path:
        """A copy of one empty file per table: most files of a month have no rejects."""
        if table not in templates:
            templates[table] = _empty_parquet(con, table, out_dir / f"empty-{table}")
        shutil.copyfile(templates[table], path)
        return path

    loaded_files = []
    for index, staged in enumerate(files):
        _first, _last, typed_rows, loaded, dups = counts.get(index, (0, 0, 0, 0, 0))
        rejected = typed_rows - loaded + structural.get(index, 0)
        item = staged.item
        result = FileResult(
            display=item.display,
            source=SOURCE,
            force=item.force,
            kind=item.kind,
            month=item.month,
            status="loaded",
            rows_read=loaded + rejected,
            rows_loaded=loaded,
            rows_rejected=rejected,
            duplicate_ids=dups,
        )
        for status, code, n in by_area.get(index, []):
            if status == "in_area":
                result.by_district[code] = result.by_district.get(code, 0) + n
                result.in_area += n
            elif status == "outside_area":
                result.outside_area += n
            else:
                result.no_location += n
        rows_path = rows_paths[index] or empty(kind, out_dir / f"rows-{index}.parquet")
        rejects_path = _partition_file(con, rejects_dir, index) or empty(
            "rejects", out_dir / f"rejects-{index}.parquet"
        )
        loaded_files.append(LoadedFile(staged, result, rows_path, rejects_path))
    con.execute("DROP TABLE typed; DROP TABLE structural; DROP TABLE line_shift;")
    return loaded_files


def _partition_file(con: duckdb.DuckDBPyConnection, folder: Path, index: int) -> Path | None:
    """The one Parquet file DuckDB wrote for ``file_index=index`` (None: it had no rows).

    ``partitioned_write_max_open_files`` is set above the batch's file count, so DuckDB has no
    reason to close a partition's file and start another; should it do so all the same, the
    parts are joined into one file (in the same folder, which names the file's index), since a
    unit holds one file per table."""
    found = sorted((folder / f"file_index={index}").glob("*.parquet"))
    if len(found) <= 1:
        return found[0] if found else None
    joined = folder / f"file_index={index}" / "joined.parquet"
    con.execute(
        f"COPY (SELECT * FROM read_parquet(?, hive_partitioning = false)) "
        f"TO {sql_string(joined)} (FORMAT parquet, COMPRESSION zstd)",
        [[str(p) for p in found]],
    )
    return joined


def _empty_parquet(con: duckdb.DuckDBPyConnection, table: str, stem: Path) -> Path:
    """A Parquet file with the table's stored columns and no rows (a unit always has both
    files, so a reader's view of a month loaded empty or without rejects is still whole)."""
    path = stem.with_suffix(".parquet")
    cols = ", ".join(f"CAST(NULL AS {typ}) AS {name}" for name, typ in stored_columns(table))
    con.execute(
        f"COPY (SELECT {cols} WHERE false) TO {sql_string(path)} (FORMAT parquet, COMPRESSION zstd)"
    )
    return path


def _read_files(
    con: duckdb.DuckDBPyConnection, files: list[StagedFile], out_dir: Path
) -> list[LoadedFile]:
    """``_read_batch`` of the files together, or of each alone when together they cannot be
    read, so one bad file fails alone with its own message and the others still load."""
    folder = out_dir / uuid.uuid4().hex[:8]
    folder.mkdir()
    if len(files) > 1:
        try:
            return _read_batch(con, files, folder)
        except BatchUnreadable:
            shutil.rmtree(folder, ignore_errors=True)
            return [loaded for staged in files for loaded in _read_files(con, [staged], out_dir)]
    try:
        return _read_batch(con, files, folder)
    except PoliceUkFileError as exc:
        return [LoadedFile(files[0], _failed(files[0].item, str(exc)))]


def _failed(item: PoliceUkFile, error: str) -> FileResult:
    return FileResult(
        item.display, SOURCE, item.force, item.kind, item.month, "failed", error=error
    )


def _groups(files: list[StagedFile]) -> list[list[StagedFile]]:
    """Files DuckDB can read in one statement: one kind, one header (column order included),
    one month, at most ``BATCH_BYTES`` of CSV (a single larger file is a group of its own)."""
    by_shape: dict[tuple[str, str, tuple[str, ...]], list[StagedFile]] = {}
    for staged in files:
        item = staged.item
        by_shape.setdefault((item.month, item.kind, staged.header), []).append(staged)
    groups: list[list[StagedFile]] = []
    for same in by_shape.values():
        group: list[StagedFile] = []
        size = 0
        for staged in same:
            bytes_ = staged.path.stat().st_size
            if group and size + bytes_ > BATCH_BYTES:
                groups.append(group)
                group, size = [], 0
            group.append(staged)
            size += bytes_
        groups.append(group)
    return groups


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


def _load_batch(
    writer: StoreWriter,
    con: duckdb.DuckDBPyConnection,
    items: list[PoliceUkFile],
    scratch: Path,
    allow_empty: bool,
    zip_limits: ZipLimits,
) -> list[FileResult]:
    """Load the files of one month as their units of the store in one catalog commit, skipping
    each file whose exact copy is loaded; results in the order of ``items``."""
    started = time.perf_counter()
    results: dict[int, FileResult] = {}
    first_of_unit: dict[str, int] = {}
    repeats: dict[int, int] = {}  # the same file named twice in a run: position -> first's
    units: dict[str, dict[str, Any] | None] = {}
    with contextlib.ExitStack() as copies:
        pending: list[StagedFile] = []
        for position, item in enumerate(items):
            key = unit_key(SOURCE, item.force, item.kind, item.month)
            if key in first_of_unit:
                repeats[position] = first_of_unit[key]
                continue
            first_of_unit[key] = position
            try:
                path, sha256 = copies.enter_context(item.local_copy(scratch, zip_limits))
                current = writer.catalog["units"].get(key)
                if current and [f["sha256"] for f in current["manifest"]["files"]] == [sha256]:
                    results[position] = result_from_manifest(item.display, current["manifest"])
                    continue
                header = read_header(path, item.display)
                check_header(header, item.kind, item.display)
            except PoliceUkFileError as exc:
                results[position] = _failed(item, str(exc))
                continue
            pending.append(StagedFile(position, item, path, sha256, tuple(header), current))
        staged_dir = writer.staging_dir()
        loaded = [f for group in _groups(pending) for f in _read_files(con, group, staged_dir)]
    seconds = time.perf_counter() - started
    to_publish: list[LoadedFile] = []
    for done in loaded:
        staged, result = done.staged, done.result
        results[staged.position] = result
        result.seconds = seconds
        if result.status != "loaded":
            continue
        if result.rows_loaded == 0 and not allow_empty:
            result.status = "refused"
            result.error = empty_refusal(result, staged.current)
            continue
        to_publish.append(done)

    def publish(done: LoadedFile) -> tuple[str, dict[str, Any]]:
        item = done.staged.item
        assert done.rows_path and done.rejects_path
        partition = {"source": SOURCE, "force": item.force, "month": item.month}
        files = {
            item.kind: writer.publish(done.rows_path, item.kind, partition, ".parquet"),
            "rejects": writer.publish(
                done.rejects_path, "rejects", {**partition, "kind": item.kind}, ".parquet"
            ),
        }
        manifest = manifest_for(done.result, done.staged.sha256, writer.command)
        return unit_key(SOURCE, item.force, item.kind, item.month), {
            "files": files,
            "manifest": manifest,
        }

    # Each published file and its folder is fsynced; a month's ~90 of them one after another
    # spent most of their time waiting for the disk, so they wait together.
    with concurrent.futures.ThreadPoolExecutor(max_workers=PUBLISH_THREADS) as pool:
        units.update(pool.map(publish, to_publish))
    if units:
        pause_point("after-publish")
        writer.commit(units=units)
    shutil.rmtree(staged_dir, ignore_errors=True)
    for position, first in repeats.items():
        earlier = results[first]
        if earlier.status == "loaded":
            key = unit_key(SOURCE, earlier.force, earlier.kind, earlier.month)
            manifest = writer.catalog["units"][key]["manifest"]
            results[position] = result_from_manifest(items[position].display, manifest)
        else:
            results[position] = dataclasses.replace(earlier, display=items[position].display)
    return [results[p] for p in range(len(items))]


def _month_batches(items: list[PoliceUkFile]) -> list[list[PoliceUkFile]]:
    """The run's files a month at a time (they are found ordered by month)."""
    batches: dict[str, list[PoliceUkFile]] = {}
    for item in items:
        batches.setdefault(item.month, []).append(item)
    return list(batches.values())


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
        install_district_lookup(con, writer.store)
        (writer.root / STAGING).mkdir(parents=True, exist_ok=True)
        done = 0
        with scratch_dir(writer.root / STAGING) as scratch:
            for batch in _month_batches(items):
                for result in _load_batch(writer, con, batch, scratch, allow_empty, zip_limits):
                    report.files.append(result)
                    done += 1
                    if on_file:
                        on_file(result, done, len(items))
        con.close()
    return report
