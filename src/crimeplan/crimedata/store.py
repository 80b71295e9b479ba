"""The crime store: Parquet files under one folder, a catalog that says which files are current,
read through DuckDB.

Reader API (what measures, hotspots and the web pages build on)::

    from crimeplan.crimedata.store import CrimeStore

    store = CrimeStore(settings.CRIMEPLAN_DATA_DIR)
    con = store.connect()          # DuckDB views over the current files, locked down; cheap
    con.sql("SELECT district_code, count(*) FROM street GROUP BY 1").fetchall()
    store.is_empty()               # True until something has been loaded
    store.manifests()              # one dict per loaded (source, force, kind, month)
    store.district_boundaries()    # GeoJSON FeatureCollection (WGS84), after `ingest geography`
    store.ward_boundaries()        # GeoJSON FeatureCollection (WGS84), after `ingest geography`
    store.lsoa_boundaries(2021)    # GeoJSON FeatureCollection (WGS84), after `ingest geography`

Views on every connection (they always exist; on an empty store they return no rows):

- ``street``: source, force, month DATE, crime_id, reported_by, falls_within, longitude DOUBLE,
  latitude DOUBLE, location, lsoa_code, lsoa_name, crime_type (ENUM of the 14 police.uk types),
  last_outcome_category, context, district_code, area_status ('in_area' | 'outside_area' |
  'no_location'), synthetic BOOLEAN, source_file, line BIGINT
- ``outcomes``: source, force, month DATE, crime_id, reported_by, falls_within, longitude,
  latitude, location, lsoa_code, lsoa_name, outcome_type, district_code, area_status, synthetic,
  source_file, line
- ``stop_search``: source, force, month DATE, type, datetime TIMESTAMPTZ, latitude, longitude,
  gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation,
  object_of_search, outcome, outcome_linked_to_object_of_search,
  removal_of_more_than_just_outer_clothing, part_of_a_policing_operation, policing_operation,
  synthetic, source_file, line
- ``rejects``: source, force, kind, month DATE, source_file, line BIGINT, column_name, reason, raw
- ``districts``: force, code, name (facts in code, see ``districts.py``; a small table)
- ``lsoa_districts``: lsoa_code, lsoa_name, district_code, vintage INTEGER (2011 or 2021)
- ``lsoa_population``: lsoa_code, year INTEGER, population BIGINT, vintage INTEGER
- ``district_population``: district_code, year INTEGER, population BIGINT, source
- ``ksi``: month DATE, district_code, killed BIGINT, serious DOUBLE, ksi DOUBLE, basis
  ('casualties' or 'collisions'), adjusted BOOLEAN

How it stays whole: data files are immutable and uniquely named under a Hive-style layout
(``street/source=policeuk/force=essex/month=2024-01/<id>.parquet``). ``catalog.json`` lists the
current files and each loaded month's manifest; a writer writes new files, then replaces the
catalog with one ``os.replace`` (the commit). A kill at any point leaves the old catalog pointing
at old files, or the new catalog at new files. Analysts reading the folder with other tools
should take the catalog as the list of current files.

Readers never lose a file under them: a reader that read the previous catalog may still be
scanning the files a commit superseded, so those are not deleted at the commit but listed in
``retired.json`` (path -> when it was superseded), written before the catalog, and deleted by a
later writer once ``retain_seconds`` (default 10 minutes, ``CRIMEPLAN_CRIMEDATA_RETAIN_SECONDS``)
have passed: far longer than any page's queries. Files neither current nor retained (left by a
killed writer, never in a committed catalog) are removed when the next writer starts.

One writer at a time: ``writer.lock`` is held with ``flock`` for the life of a writer, so a
second ingest fails at once with a message naming the first; a killed writer's lock goes with
its process. Readers take no lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .categories import CRIME_TYPES
from .districts import all_districts

CATALOG = "catalog.json"
RETIRED = "retired.json"
RETAIN_SECONDS = 600.0
LOCK = "writer.lock"
STAGING = "staging"

DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

# Column name -> DuckDB type, per table, in stored order. The ingest writes exactly these.
TABLES: dict[str, list[tuple[str, str]]] = {
    "street": [
        ("source", "VARCHAR"),
        ("force", "VARCHAR"),
        ("month", "DATE"),
        ("crime_id", "VARCHAR"),
        ("reported_by", "VARCHAR"),
        ("falls_within", "VARCHAR"),
        ("longitude", "DOUBLE"),
        ("latitude", "DOUBLE"),
        ("location", "VARCHAR"),
        ("lsoa_code", "VARCHAR"),
        ("lsoa_name", "VARCHAR"),
        ("crime_type", "VARCHAR"),
        ("last_outcome_category", "VARCHAR"),
        ("context", "VARCHAR"),
        ("district_code", "VARCHAR"),
        ("area_status", "VARCHAR"),
        ("synthetic", "BOOLEAN"),
        ("source_file", "VARCHAR"),
        ("line", "BIGINT"),
    ],
    "outcomes": [
        ("source", "VARCHAR"),
        ("force", "VARCHAR"),
        ("month", "DATE"),
        ("crime_id", "VARCHAR"),
        ("reported_by", "VARCHAR"),
        ("falls_within", "VARCHAR"),
        ("longitude", "DOUBLE"),
        ("latitude", "DOUBLE"),
        ("location", "VARCHAR"),
        ("lsoa_code", "VARCHAR"),
        ("lsoa_name", "VARCHAR"),
        ("outcome_type", "VARCHAR"),
        ("district_code", "VARCHAR"),
        ("area_status", "VARCHAR"),
        ("synthetic", "BOOLEAN"),
        ("source_file", "VARCHAR"),
        ("line", "BIGINT"),
    ],
    "stop_search": [
        ("source", "VARCHAR"),
        ("force", "VARCHAR"),
        ("month", "DATE"),
        ("type", "VARCHAR"),
        ("datetime", "TIMESTAMPTZ"),
        ("latitude", "DOUBLE"),
        ("longitude", "DOUBLE"),
        ("gender", "VARCHAR"),
        ("age_range", "VARCHAR"),
        ("self_defined_ethnicity", "VARCHAR"),
        ("officer_defined_ethnicity", "VARCHAR"),
        ("legislation", "VARCHAR"),
        ("object_of_search", "VARCHAR"),
        ("outcome", "VARCHAR"),
        ("outcome_linked_to_object_of_search", "VARCHAR"),
        ("removal_of_more_than_just_outer_clothing", "VARCHAR"),
        ("part_of_a_policing_operation", "VARCHAR"),
        ("policing_operation", "VARCHAR"),
        ("synthetic", "BOOLEAN"),
        ("source_file", "VARCHAR"),
        ("line", "BIGINT"),
    ],
    "rejects": [
        ("source", "VARCHAR"),
        ("force", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("month", "DATE"),
        ("source_file", "VARCHAR"),
        ("line", "BIGINT"),
        ("column_name", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("raw", "VARCHAR"),
    ],
    "lsoa_districts": [
        ("lsoa_code", "VARCHAR"),
        ("lsoa_name", "VARCHAR"),
        ("district_code", "VARCHAR"),
        ("vintage", "INTEGER"),
    ],
    "lsoa_population": [
        ("lsoa_code", "VARCHAR"),
        ("year", "INTEGER"),
        ("population", "BIGINT"),
        ("vintage", "INTEGER"),
    ],
    "district_population": [
        ("district_code", "VARCHAR"),
        ("year", "INTEGER"),
        ("population", "BIGINT"),
        ("source", "VARCHAR"),
    ],
    "ksi": [
        ("month", "DATE"),
        ("district_code", "VARCHAR"),
        ("killed", "BIGINT"),
        ("serious", "DOUBLE"),
        ("ksi", "DOUBLE"),
        ("basis", "VARCHAR"),
        ("adjusted", "BOOLEAN"),
    ],
}

PARTITION_KEYS: dict[str, tuple[str, ...]] = {
    "street": ("source", "force", "month"),
    "outcomes": ("source", "force", "month"),
    "stop_search": ("source", "force", "month"),
    "rejects": ("source", "force", "month", "kind"),
}
"""Columns of these tables kept only in the Hive-style folder names
(``street/source=policeuk/force=essex/month=2024-01/``), never inside the files, so Spark or
Trino reading the folders find each column once. The views put them back (``month`` as a DATE)."""


def stored_columns(table: str) -> list[tuple[str, str]]:
    """The columns written inside a table's Parquet files, in stored order."""
    keys = PARTITION_KEYS.get(table, ())
    return [(name, typ) for name, typ in TABLES[table] if name not in keys]


def _partitioned_select(table: str, files_sql: str) -> str:
    """The table's rows with its partition columns read from the folder names. Files written
    before the partition columns left them (which hold them inside too) read the same."""
    keys = PARTITION_KEYS[table]
    types = "{" + ", ".join(f"'{k}': 'VARCHAR'" for k in keys) + "}"
    cols = ", ".join(
        "CAST(month || '-01' AS DATE) AS month" if name == "month" else name
        for name, _typ in TABLES[table]
    )
    return (
        f"SELECT {cols} FROM read_parquet({files_sql}, union_by_name=true, "
        f"hive_partitioning=true, hive_types={types})"
    )


SHARED_DATABASES = 8
"""Locked-down databases kept for reuse (one per store and catalog; see ``CrimeStore.connect``)."""
_SHARED: dict[tuple[int, str], duckdb.DuckDBPyConnection] = {}
_SHARED_LOCK = threading.Lock()


class StoreLocked(RuntimeError):
    """A second writer tried to start while one is running."""


def pause_point(step: str) -> None:
    """Let a test stop a writer at a named step, to kill it there.

    ``CRIMEPLAN_CRIMEDATA_PAUSE_AT=<step>`` makes the writer create ``<step>.paused`` in
    ``CRIMEPLAN_CRIMEDATA_PAUSE_DIR`` and sleep; nothing happens when the variable is unset.
    """
    if os.environ.get("CRIMEPLAN_CRIMEDATA_PAUSE_AT") != step:
        return
    marker_dir = Path(os.environ.get("CRIMEPLAN_CRIMEDATA_PAUSE_DIR", "."))
    (marker_dir / f"{step}.paused").write_text(str(os.getpid()))
    time.sleep(600)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _default_retain_seconds() -> float:
    return float(os.environ.get("CRIMEPLAN_CRIMEDATA_RETAIN_SECONDS", RETAIN_SECONDS))


def _write_json_atomically(path: Path, data: object) -> None:
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def unit_key(source: str, force: str, kind: str, month: str) -> str:
    return f"{source}/{force}/{kind}/{month}"


def empty_select(table: str) -> str:
    """A SELECT with the table's columns and types and no rows, for views on an empty store."""
    cols = ", ".join(f"CAST(NULL AS {typ}) AS {name}" for name, typ in TABLES[table])
    return f"SELECT {cols} WHERE false"


def _parse_catalog(text: str | None) -> dict[str, Any]:
    if text is None:
        return {"format": 1, "units": {}, "geography": None, "stats19": None}
    catalog: dict[str, Any] = json.loads(text)
    return catalog


def scalar(result: duckdb.DuckDBPyConnection) -> Any:
    """The first column of a query's one row (a count, a sum): ``scalar(con.execute(sql))``."""
    row = result.fetchone()
    if row is None:
        raise LookupError("the query returned no row")
    return row[0]


def sql_string(value: object) -> str:
    """``value`` (a string or a path) as a DuckDB string literal, for the places where DuckDB
    takes no ``?`` parameter (DDL, ``COPY ... TO``, ``SET``): quotes are doubled, so a folder
    named ``o'brien`` stays a string and never ends the literal."""
    return "'" + str(value).replace("'", "''") + "'"


GEOGRAPHY = "geography"
"""Catalog sections ``geography/<force>`` hold each force's geography (``geography`` alone: a
store written before stores held several forces)."""


def geography_section(force: str) -> str:
    return f"{GEOGRAPHY}/{force}"


STATS19 = "stats19"
"""Catalog sections ``stats19/<force>`` hold each force's road collision (KSI) load
(``stats19`` alone: a store written before KSI was kept per force)."""


def stats19_section(force: str) -> str:
    return f"{STATS19}/{force}"


def _sections(catalog: dict[str, Any]) -> list[str]:
    """The catalog's non-unit sections: every force's geography and STATS19 load."""
    kinds = (GEOGRAPHY, STATS19)
    return [k for k in catalog if k in kinds or k.startswith(tuple(f"{n}/" for n in kinds))]


def _sections_by_force(catalog: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for key in sorted(k for k in _sections(catalog) if k.partition("/")[0] == kind):
        section = catalog.get(key)
        if section:
            force = key.partition("/")[2] or _legacy_force(section)
            found.setdefault(force, section)
    return found


def _legacy_force(section: dict[str, Any]) -> str:
    """The force of a section written before sections were named by force: its manifest's, or
    the ``force=`` folder its files were published in."""
    force = (section.get("manifest") or {}).get("force")
    if force:
        return str(force)
    for rel in (section.get("files") or {}).values():
        for part in Path(rel).parts:
            if part.startswith("force="):
                return part.removeprefix("force=")
    return ""


def geography_sections(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Force -> its geography section, in the order the forces were named."""
    return _sections_by_force(catalog, GEOGRAPHY)


def stats19_sections(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Force -> its STATS19 section ({"files", "manifest"}), by force id."""
    return _sections_by_force(catalog, STATS19)


def all_sections(catalog: dict[str, Any]) -> list[str]:
    """Every non-unit section key of the catalog, for copying a catalog whole (restore)."""
    return _sections(catalog)


def _sql_list(values: list[Any]) -> str:
    return "[" + ", ".join(sql_string(v) for v in values) + "]"


@dataclass
class CrimeStore:
    """The crime store at ``root`` (normally ``settings.CRIMEPLAN_DATA_DIR``)."""

    root: Path
    retain_seconds: float = field(default_factory=_default_retain_seconds)

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    # -- reading -------------------------------------------------------------------------------

    def catalog(self) -> dict[str, Any]:
        """The committed catalog; an empty one when nothing has been loaded."""
        return _parse_catalog(self._catalog_text())

    def is_empty(self) -> bool:
        catalog = self.catalog()
        return not catalog["units"] and not any(catalog.get(s) for s in _sections(catalog))

    def manifests(self) -> list[dict[str, Any]]:
        """Each loaded unit's manifest, ordered by source, force, month, kind."""
        units = self.catalog()["units"].values()
        rows = [u["manifest"] for u in units]
        return sorted(rows, key=lambda m: (m["source"], m["force"], m["month"], m["kind"]))

    def files(self, table: str, catalog: dict[str, Any] | None = None) -> list[Path]:
        catalog = catalog or self.catalog()
        found: list[Path] = []
        for unit in catalog["units"].values():
            rel = unit["files"].get(table)
            if rel:
                found.append(self.root / rel)
        for section in _sections(catalog):
            rel = ((catalog.get(section) or {}).get("files") or {}).get(table)
            if rel:
                found.append(self.root / rel)
        return sorted(found)

    def all_files(self, catalog: dict[str, Any] | None = None) -> set[Path]:
        """Every file the catalog names: the store's current state."""
        catalog = catalog or self.catalog()
        found = {self.root / rel for u in catalog["units"].values() for rel in u["files"].values()}
        for section in _sections(catalog):
            found |= {
                self.root / rel
                for rel in ((catalog.get(section) or {}).get("files") or {}).values()
            }
        return found

    def retired(self) -> dict[str, float]:
        """Superseded files kept for readers: path relative to the root -> when superseded."""
        try:
            retired: dict[str, float] = json.loads((self.root / RETIRED).read_text())
            return retired
        except FileNotFoundError:
            return {}

    def retained_files(self) -> set[Path]:
        """Superseded files still on disk, which a reader of an older catalog may be using."""
        current = self.all_files()
        return {
            path
            for path in (self.root / rel for rel in self.retired())
            if path.exists() and path not in current
        }

    def connect(self, lock_down: bool = True, shared: bool = True) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with the views listed in the module docstring.

        With ``lock_down`` (the default) the connection can read files under the store only and
        its configuration cannot be changed (the web process reads, never writes). Such
        connections are cursors on one in-memory database per store and catalog: opening a
        DuckDB database costs about 20 ms, more than a measure page's whole query, while a
        cursor costs microseconds. The database is keyed on the catalog's bytes, so a commit
        (a new catalog) gives the next caller a new database with the new files; a cursor
        already handed out keeps the database it was made from. Because the database is
        shared, a reader that needs tables of its own makes them TEMP (those belong to one
        connection) or asks for a database of its own: ``shared=False``, and
        ``lock_down=False`` always, open a database of the caller's own.
        """
        text = self._catalog_text()
        if not (lock_down and shared):
            return self._open(text, lock_down=lock_down)
        # A forked process never shares a parent's DuckDB database.
        key = (os.getpid(), self._fingerprint(text))
        with _SHARED_LOCK:
            base = _SHARED.pop(key, None)
            if base is None:
                base = self._open(text, lock_down=True)
            _SHARED[key] = base  # most recently used last
            while len(_SHARED) > SHARED_DATABASES:
                # Dropped, not closed: cursors still in use keep their database alive.
                _SHARED.pop(next(iter(_SHARED)))
            return base.cursor()

    def fingerprint(self) -> str:
        """A digest of the store's whole state: where it is and which files are current. Every
        commit writes a new catalog, so anything computed from the store can be cached under
        this and is never served stale after a load."""
        return self._fingerprint(self._catalog_text())

    def _fingerprint(self, catalog_text: str | None) -> str:
        state = f"{self.root.resolve()}\n{catalog_text or ''}"
        return hashlib.sha256(state.encode()).hexdigest()

    def _catalog_text(self) -> str | None:
        try:
            return (self.root / CATALOG).read_text()
        except FileNotFoundError:
            return None

    def _open(self, catalog_text: str | None, lock_down: bool) -> duckdb.DuckDBPyConnection:
        """A new in-memory database with the views over the files ``catalog_text`` names."""
        con = duckdb.connect(":memory:", config=dict(DUCKDB_CONFIG))
        catalog = _parse_catalog(catalog_text)
        con.execute(f"CREATE TYPE crime_type AS ENUM ({', '.join(map(sql_string, CRIME_TYPES))})")
        for table in TABLES:
            files = self.files(table, catalog)
            if files and table in PARTITION_KEYS:
                source = _partitioned_select(table, _sql_list(files))
            elif files:
                source = (
                    f"SELECT * FROM read_parquet({_sql_list(files)}, "
                    "union_by_name=true, hive_partitioning=false)"
                )
            else:
                source = empty_select(table)
            if table == "street":
                source = (
                    f"SELECT * REPLACE (CAST(crime_type AS crime_type) AS crime_type) "
                    f"FROM ({source})"
                )
            con.execute(f"CREATE VIEW {table} AS {source}")
        values = ", ".join("(" + ", ".join(map(sql_string, row)) + ")" for row in all_districts())
        # A table, not a view: a view over the VALUES list binds all ~350 literal rows again
        # in every query (about 12 ms each), more than the query itself; measures ask for a
        # force's districts on every computation.
        con.execute(
            f"CREATE TABLE districts AS SELECT * FROM (VALUES {values}) t(force, code, name)"
        )
        if lock_down:
            self.root.mkdir(parents=True, exist_ok=True)
            root = f"{self.root.resolve()}/"
            con.execute(f"SET allowed_directories = {_sql_list([root])}")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        return con

    def geography(
        self, force: str | None = None, catalog: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The loaded geography of ``force`` ({"files", "manifest"}); with no force, that of the
        first force loaded. None when there is none. Each force's geography is a section of its
        own (``geography/<force>``), so one store holds several forces."""
        sections = geography_sections(catalog or self.catalog())
        if force:
            # A section from before stores held several forces, whose force is not recorded,
            # is any force's.
            return sections.get(force) or sections.get("")
        return next(iter(sections.values()), None)

    def _geojson(self, name: str, force: str | None) -> dict[str, Any]:
        rel = ((self.geography(force) or {}).get("files") or {}).get(name)
        if not rel:
            flag = f" --force {force}" if force else ""
            raise LookupError(f"no geography loaded: run `crimeplan ingest geography{flag}` first")
        collection: dict[str, Any] = json.loads((self.root / rel).read_text())
        return collection

    def district_boundaries(self, force: str | None = None) -> dict[str, Any]:
        """District boundaries as a GeoJSON FeatureCollection in WGS84 (properties: code, name)."""
        return self._geojson("district_boundaries", force)

    def ward_boundaries(self, force: str | None = None) -> dict[str, Any]:
        """Ward boundaries (WGS84; properties: ward_code, ward_name, district_code)."""
        return self._geojson("ward_boundaries", force)

    def lsoa_boundaries(self, vintage: int = 2021, force: str | None = None) -> dict[str, Any]:
        """LSOA boundaries (WGS84; properties: lsoa_code, lsoa_name, district_code)."""
        return self._geojson(f"lsoa{vintage % 100:02d}_boundaries", force)

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, command: str) -> Iterator[StoreWriter]:
        """Hold the writer lock for the life of the block; StoreLocked if another holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock_path = self.root / LOCK
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "unknown"
                raise StoreLocked(
                    f"another writer is using the crime store at {self.root} ({holder}); "
                    "wait for it to finish and run this again"
                ) from None
            info = f"pid {os.getpid()}, `{command}`, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
            os.ftruncate(fd, 0)
            os.pwrite(fd, info.encode(), 0)
            writer = StoreWriter(self, command)
            writer.sweep()
            yield writer
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)


class StoreWriter:
    """Stages new files and commits catalog changes; only made by ``CrimeStore.writer``."""

    def __init__(self, store: CrimeStore, command: str) -> None:
        self.store = store
        self.root = store.root
        self.command = command
        self.catalog = store.catalog()

    def sweep(self) -> None:
        """Remove files past their retention and files no catalog ever named (leftovers of a
        writer that was killed before its commit)."""
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        kept = self._retire(set(), self.store.all_files(self.catalog))
        current = {str(p) for p in self.store.all_files(self.catalog)}
        current |= {str(self.root / rel) for rel in kept}
        for folder in self.root.iterdir():
            if folder.name == STAGING:
                continue
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and str(path) not in current:
                    path.unlink()
            for path in sorted(folder.rglob("*"), reverse=True):
                if path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        for name in (CATALOG, RETIRED):
            for path in self.root.glob(f"{name}.*.tmp"):
                path.unlink()

    def _retire(self, superseded: set[Path], current: set[Path]) -> dict[str, float]:
        """Add ``superseded`` to the retired list, drop entries past retention (and any that
        are ``current``), write the list and return it; deleting is left to the caller."""
        now = time.time()
        retired = self.store.retired()
        for path in superseded:
            retired.setdefault(str(path.relative_to(self.root)), now)
        kept = {
            rel: since
            for rel, since in retired.items()
            if now - since < self.store.retain_seconds and self.root / rel not in current
        }
        if kept != self.store.retired():
            _write_json_atomically(self.root / RETIRED, kept)
        return kept

    def staging_dir(self) -> Path:
        path = self.root / STAGING / uuid.uuid4().hex
        path.mkdir(parents=True, exist_ok=True)
        return path

    def publish(self, staged: Path, table: str, partition: dict[str, str], suffix: str) -> str:
        """Move a staged file to its place in the dataset under a new name; returns its path
        relative to the root. Not current until ``commit`` names it in the catalog."""
        folder = self.root / table
        for key, value in partition.items():
            folder = folder / f"{key}={value}"
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{uuid.uuid4().hex[:16]}{suffix}"
        with open(staged, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(staged, final)
        _fsync_dir(folder)
        return str(final.relative_to(self.root))

    def commit(
        self,
        units: dict[str, dict[str, Any] | None] | None = None,
        sections: dict[str, dict[str, Any] | None] | None = None,
    ) -> None:
        """Replace units (key -> {"files", "manifest"}) and sections (``geography/<force>``,
        ``stats19/<force>``) in one atomic catalog write. The files they supersede are retired
        (kept for readers) before the write; retired files past their retention are deleted
        after it."""
        old_files = self.store.all_files(self.catalog)
        catalog = json.loads(json.dumps(self.catalog))
        for key, unit in (units or {}).items():
            if unit is None:
                catalog["units"].pop(key, None)
            else:
                catalog["units"][key] = unit
        for name, section in (sections or {}).items():
            catalog[name] = section
        new_files = self.store.all_files(catalog)
        # Written before the commit: a kill after it can never leave a superseded file that
        # no list names (which the next sweep would delete under a reader).
        superseded = old_files - new_files
        candidates = set(self.store.retired()) | {str(p.relative_to(self.root)) for p in superseded}
        kept = self._retire(superseded, new_files)
        tmp = self.root / f"{CATALOG}.{uuid.uuid4().hex[:8]}.tmp"
        with open(tmp, "w") as fh:
            json.dump(catalog, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        pause_point("before-commit")
        os.replace(tmp, self.root / CATALOG)
        _fsync_dir(self.root)
        pause_point("after-commit")
        self.catalog = catalog
        for rel in candidates - set(kept):
            if self.root / rel not in new_files:
                with contextlib.suppress(FileNotFoundError):
                    (self.root / rel).unlink()
