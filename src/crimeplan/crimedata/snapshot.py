"""A consistent copy of the crime store, and putting one back.

A copy is the catalog generation that is current when it starts, with exactly the files that
catalog names, taken while readers and a writer carry on: a commit during the copy retires the
files it supersedes instead of deleting them (see ``store.py``), and should a copy still miss a
file (it outlived the retention period) it starts again from the new catalog.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from .store import CATALOG, CrimeStore, all_sections

ATTEMPTS = 3


class SnapshotError(RuntimeError):
    """A copy that could not be taken or put back; the message says why in one line."""


def _copy(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` (through a temporary name, synced) and return its SHA-256."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part")
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while chunk := fin.read(1 << 20):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    return digest.hexdigest()


def copy_store(store: CrimeStore, dest: Path) -> dict[str, str]:
    """Copy the current generation to ``dest`` (made here; must not exist): ``catalog.json``
    and the files it names under their own relative paths. Returns path -> SHA-256."""
    for _attempt in range(ATTEMPTS):
        catalog = store.catalog()
        dest.mkdir(parents=True)
        hashes: dict[str, str] = {}
        try:
            for path in sorted(store.all_files(catalog)):
                rel = str(path.relative_to(store.root))
                hashes[rel] = _copy(path, dest / rel)
        except FileNotFoundError:
            shutil.rmtree(dest)
            continue
        (dest / CATALOG).write_text(json.dumps(catalog, indent=1, sort_keys=True))
        return hashes
    raise SnapshotError(
        f"the crime store at {store.root} changed under the copy {ATTEMPTS} times; "
        "run the backup again when no ingest is running"
    )


def restore_store(store: CrimeStore, src: Path, command: str) -> dict[str, Any]:
    """Make the copy at ``src`` the store's current generation, in one catalog commit under
    the writer lock; files it replaces are retired for readers like any superseded file."""
    catalog_path = src / CATALOG
    backup = json.loads(catalog_path.read_text()) if catalog_path.exists() else None
    backup = backup or {"units": {}, "geography": None, "stats19": None}
    with store.writer(command) as writer:
        for path in sorted(store.all_files(backup)):
            rel = path.relative_to(store.root)
            _copy(src / rel, path)
        units = {
            key: backup["units"].get(key)
            for key in set(writer.catalog["units"]) | set(backup["units"])
        }
        # Every section either catalog has: the backup's, and None for one it lacks.
        names = set(all_sections(backup)) | set(all_sections(writer.catalog))
        sections = {name: backup.get(name) for name in names}
        writer.commit(units=units, sections=sections)
        return writer.catalog
