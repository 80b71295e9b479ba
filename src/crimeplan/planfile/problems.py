"""What is wrong with a plan file, and where: the types every section's rules report with.

Plan files are edited by hand by performance officers, so each problem points at the file,
line and JSON path to fix.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

PathKey = tuple[str | int, ...]
"""A JSON path into the plan file: ``("priorities", 2, "commitments", 4, "text")``."""

Place = tuple[int, str | None]
"""Where a value starts: its line, and the included file it is in (``None``: the plan file)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, placed by line and JSON path."""

    line: int | None
    path: PathKey
    message: str
    file: str | None = None
    """The included file the problem is in; ``None`` for the plan file itself."""

    def format(self, filename: str) -> str:
        name = self.file or filename
        where = f"{name}:{self.line}" if self.line else name
        return f"{where}: {format_path(self.path)}: {self.message}"


@dataclass
class LoadedFile:
    """A plan file's data with the place of every value, and the problems found reading it."""

    data: Any
    places: dict[PathKey, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def place_of(self, path: PathKey) -> Place | tuple[None, None]:
        """Where the value at ``path`` is, or its nearest ancestor that has a place."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.places:
                return self.places[path[:n]]
        return None, None

    def line_of(self, path: PathKey) -> int | None:
        return self.place_of(path)[0]

    def problem(self, path: PathKey, message: str) -> Problem:
        """A problem with the value at ``path``, placed at its file and line."""
        line, file = self.place_of(path)
        return Problem(line, path, message, file)


def format_path(path: PathKey) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def duplicates(
    loaded: LoadedFile, items: Sequence[Any], key: str, base: PathKey, what: str
) -> list[Problem]:
    """A problem at each item whose ``key`` repeats an earlier item's, pointing back to it."""
    problems: list[Problem] = []
    seen: dict[Hashable, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or key not in item:
            continue
        value = item[key]
        if value in seen:
            path = (*base, index, key)
            message = f"{what} {value!r} is used twice (first at {base[-1]}[{seen[value]}])"
            problems.append(loaded.problem(path, message))
        else:
            seen[value] = index
    return problems
