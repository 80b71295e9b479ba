"""``crimeplan backup DIR`` and ``crimeplan restore DIR``: the database and the crime store,
each copied consistently while the server runs, with a manifest (``backup.json``) that lets a
restore check every file before it changes anything.

A backup is built in a sibling folder and renamed into place at the end, so a folder named
``DIR`` is always a whole backup. A restore refuses a home that holds data unless forced.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crimeplan.crimedata.policeuk_files import sha256_of
from crimeplan.crimedata.snapshot import copy_store, restore_store
from crimeplan.crimedata.store import CrimeStore

from . import database as db

MANIFEST = "backup.json"
STORE_DIR = "crimedata"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """A backup or restore that was refused or failed; one line saying why."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds (or a restore put back), in the words the commands print."""

    folder: Path
    taken_at: str
    engine: str
    tables: int
    rows: int
    units: int
    files: int

    def describe(self) -> str:
        return (
            f"database: {self.engine}, {self.tables} tables, {self.rows:,} rows; "
            f"crime store: {self.units} loaded months (units), {self.files} files; "
            f"backup taken {self.taken_at}"
        )


def _summary(folder: Path, manifest: dict[str, Any]) -> Summary:
    tables = manifest["database"]["tables"]
    return Summary(
        folder=folder,
        taken_at=manifest["taken_at"],
        engine=manifest["database"]["engine"],
        tables=len(tables),
        rows=sum(tables.values()),
        units=manifest["crimedata"]["units"],
        files=len(manifest["crimedata"]["files"]),
    )


def backup_home(dest: Path, database: dict[str, Any], store: CrimeStore) -> Summary:
    """Back up ``database`` and ``store`` into the new folder ``dest``."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest}: already exists and is not empty; give a new folder")
    engine = db.engine(database)
    partial = dest.with_name(f".{dest.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir(parents=True)
    try:
        dump = partial / DUMP_NAMES[engine]
        db.dump(database, dump)
        tables = (
            db.table_rows(database)
            if engine == "postgresql"
            else db.table_rows({"ENGINE": database["ENGINE"], "NAME": dump})
        )
        hashes = copy_store(store, partial / STORE_DIR)
        units = len(json.loads((partial / STORE_DIR / "catalog.json").read_text())["units"])
        manifest = {
            "format": 1,
            "taken_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "database": {
                "engine": engine,
                "file": dump.name,
                "sha256": sha256_of(dump),
                "tables": tables,
            },
            "crimedata": {"units": units, "files": hashes},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        if dest.exists():
            dest.rmdir()
        os.rename(partial, dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return _summary(dest, manifest)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file it lists against its SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder}: not a crimeplan backup (no {MANIFEST})") from None
    except ValueError as exc:
        raise BackupError(f"{folder / MANIFEST}: not readable ({exc})") from None
    listed = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    listed |= {f"{STORE_DIR}/{rel}": h for rel, h in manifest["crimedata"]["files"].items()}
    for rel, expected in listed.items():
        path = folder / rel
        if not path.is_file():
            raise BackupError(f"{path}: missing from the backup; nothing restored")
        if sha256_of(path) != expected:
            raise BackupError(f"{path}: does not match its checksum; nothing restored")
    return manifest


def restore_home(
    src: Path, database: dict[str, Any], store: CrimeStore, force: bool = False
) -> Summary:
    """Put the backup at ``src`` back into ``database`` and ``store``.

    Refused, with nothing changed, when the backup is damaged, was taken from the other
    database engine, or the home already holds data (unless ``force``).
    """
    src = Path(src)
    manifest = read_manifest(src)
    engine = db.engine(database)
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"{src}: holds a {manifest['database']['engine']} database and this home uses "
            f"{engine}; nothing restored"
        )
    if not force:
        held = []
        if db.in_use(db.table_rows(database)):
            held.append("the database holds data")
        if not store.is_empty():
            held.append(f"the crime store at {store.root} holds data")
        if held:
            raise BackupError(
                "refused: " + " and ".join(held) + "; restore into an empty home, or pass "
                "--force to replace it"
            )
    db.load(database, src / manifest["database"]["file"])
    restore_store(store, src / STORE_DIR, command=f"crimeplan restore {src}")
    return _summary(src, manifest)
