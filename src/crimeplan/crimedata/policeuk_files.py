"""Finding police.uk CSV files in what an analyst hands us: the archive zip (all forces, many
months), a folder laid out like it (``YYYY-MM/YYYY-MM-<force>-street.csv``), or single files.

The file name is the only place the force and the month are stated for a whole file, so a file
whose name does not follow the archive's pattern is refused rather than guessed at.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = re.compile(
    r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
KINDS = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}


class PoliceUkFileError(Exception):
    """A file that cannot be read at all (not CSV, truncated zip); names the file in one line."""


MiB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """How far a zip member may expand when it is extracted to staging.

    The largest police.uk CSV (the Met's street file) is tens of MB and CSV deflates about 4:1,
    so the defaults refuse only what no real member does: a member past ``max_bytes``, or one
    more than ``max_ratio`` times its compressed size once it has passed ``ratio_floor`` (tiny
    files can compress absurdly well and are harmless). The sizes a zip declares can lie, so
    the bytes are counted as they are written. ``keep_free`` is left on the disk in any case.
    """

    max_bytes: int = 512 * MiB
    max_ratio: float = 100.0
    ratio_floor: int = 16 * MiB
    keep_free: int = 256 * MiB


DEFAULT_ZIP_LIMITS = ZipLimits()


@dataclass(frozen=True)
class PoliceUkFile:
    """One police.uk CSV, on disk or inside a zip."""

    display: str  # what messages and the manifest call it
    month: str  # YYYY-MM from the file name
    force: str
    kind: str  # street | outcomes | stop_search
    path: Path  # the file, or the zip holding it
    member: str | None = None  # the name inside the zip

    @contextlib.contextmanager
    def local_copy(
        self, scratch: Path, limits: ZipLimits = DEFAULT_ZIP_LIMITS
    ) -> Iterator[tuple[Path, str]]:
        """A path DuckDB can read and the file's SHA-256; zip members are extracted to scratch,
        within ``limits``, and a member that breaks them or will not decompress is refused."""
        if self.member is None:
            yield self.path, sha256_of(self.path)
            return
        target = scratch / Path(self.member).name
        try:
            digest = self._extract(target, limits)
            yield target, digest
        finally:
            target.unlink(missing_ok=True)

    def _extract(self, target: Path, limits: ZipLimits) -> str:
        digest = hashlib.sha256()
        try:
            with zipfile.ZipFile(self.path) as archive:
                info = archive.getinfo(self.member or "")
                free = shutil.disk_usage(target.parent).free
                if info.file_size > limits.max_bytes:
                    raise self._too_big(info.file_size, "declares", limits)
                if info.file_size > free - limits.keep_free:
                    raise PoliceUkFileError(
                        f"{self.display}: refused: expands to {info.file_size:,} bytes and only "
                        f"{free:,} bytes are free where it would be staged"
                    )
                written = 0
                with archive.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(MiB):
                        written += len(chunk)
                        if written > limits.max_bytes:
                            raise self._too_big(written, "passed", limits)
                        ratio = written / max(info.compress_size, 1)
                        if written > limits.ratio_floor and ratio > limits.max_ratio:
                            raise PoliceUkFileError(
                                f"{self.display}: refused: expands more than "
                                f"{limits.max_ratio:g} times its compressed size "
                                f"({info.compress_size:,} bytes); not a police.uk CSV "
                                "(a zip bomb?)"
                            )
                        if written > free - limits.keep_free:
                            raise PoliceUkFileError(
                                f"{self.display}: refused: the disk where it is staged is "
                                f"full after {written:,} bytes"
                            )
                        digest.update(chunk)
                        dst.write(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError) as exc:
            raise PoliceUkFileError(
                f"{self.display}: cannot extract from zip, member is corrupt "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        return digest.hexdigest()

    def _too_big(self, size: int, verb: str, limits: ZipLimits) -> PoliceUkFileError:
        return PoliceUkFileError(
            f"{self.display}: refused: {verb} {size:,} bytes when extracted, over the "
            f"{limits.max_bytes:,}-byte limit for one zip member"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _from_name(name: str, path: Path, member: str | None, display: str) -> PoliceUkFile | None:
    match = FILE_NAME.search(Path(name).name)
    if not match:
        return None
    return PoliceUkFile(
        display=display,
        month=match["month"],
        force=match["force"],
        kind=KINDS[match["kind"]],
        path=path,
        member=member,
    )


def _zip_members(path: Path) -> list[PoliceUkFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise PoliceUkFileError(f"{path}: not a readable zip archive ({exc})") from exc
    found = []
    for name in names:
        item = _from_name(name, path, name, f"{path.name}:{name}")
        if item:
            found.append(item)
    return found


def find_policeuk_files(
    paths: list[Path], force: str | Collection[str] | None = None
) -> tuple[list[PoliceUkFile], list[str]]:
    """Every police.uk CSV under ``paths`` (optionally only one force's or some forces'), and
    one-line problems for inputs that could not be read. Ordered by month, force and kind so
    loads are repeatable. The national archive's layout (one folder per month, one file per
    force and kind) is a folder like any other."""
    found: list[PoliceUkFile] = []
    problems: list[str] = []

    def consider(path: Path) -> None:
        if path.suffix.lower() == ".zip":
            try:
                found.extend(_zip_members(path))
            except PoliceUkFileError as exc:
                problems.append(str(exc))
            return
        item = _from_name(path.name, path, None, str(path))
        if item is None:
            problems.append(
                f"{path}: cannot tell month, force and kind from the file name "
                "(expected YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv)"
            )
        else:
            found.append(item)

    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (
                    child.suffix.lower() == ".zip" or FILE_NAME.search(child.name)
                ):
                    consider(child)
        elif path.exists():
            consider(path)
        else:
            problems.append(f"{path}: no such file or folder")
    if force:
        wanted = {force} if isinstance(force, str) else set(force)
        found = [f for f in found if f.force in wanted]
    found.sort(key=lambda f: (f.month, f.force, f.kind, f.display))
    return found, problems


@contextlib.contextmanager
def scratch_dir(parent: Path | None = None) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="crimeplan-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
