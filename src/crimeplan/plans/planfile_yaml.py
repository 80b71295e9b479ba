"""Reading plan files with line numbers.

Plan files are edited by hand by performance officers, so an error must point at the line to fix.
PyYAML's composed node tree keeps the marks that plain ``safe_load`` throws away; we keep a map
from each JSON path to the line where that value starts.

A plan file may keep its measures in a file of their own (``measures: {include: FILE}``), since
performance teams revise measures far more often than the plan's text. The included file is
read here and merged in, and its values keep their own file and lines, so a problem in a
measure names the measures file, not the plan file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


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


Place = tuple[int, str | None]
"""Where a value starts: its line, and the included file it is in (``None``: the plan file)."""


@dataclass
class LoadedFile:
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


def _walk(
    node: yaml.Node,
    path: PathKey,
    places: dict[PathKey, Place],
    problems: list[Problem],
    line: int | None = None,
) -> None:
    # A nested value is placed at its key's line ("period:"), which is where an editor looks.
    places[path] = (line if line is not None else node.start_mark.line + 1, None)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            key_line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(key_line, path, f"duplicate key '{key}'"))
            seen.add(key)
            _walk(value_node, (*path, key), places, problems, key_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), places, problems)


class PlanLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: a date in a plan file stays the text it was
    written as, so it validates as a string and exports unchanged."""


PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_text(text: str, folder: Path | None = None) -> LoadedFile:
    """A plan file's text; an include is read from ``folder``, the plan file's folder (text
    without one cannot include, and says so)."""
    loaded = _parse(text)
    if isinstance(loaded.data, dict) and isinstance(loaded.data.get("measures"), dict):
        _include_measures(loaded, folder)
    return loaded


def _parse(text: str) -> LoadedFile:
    loader = PlanLoader(text)
    try:
        # One parse: the composed node gives the lines, and the data is constructed from it.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "not valid YAML"
        return LoadedFile(None, {}, [Problem(line, (), f"not valid YAML: {reason}")])
    except yaml.YAMLError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not valid YAML: {exc}")])
    finally:
        loader.dispose()
    loaded = LoadedFile(data)
    if node is not None:
        _walk(node, (), loaded.places, loaded.problems)
    return loaded


def _text(path: Path) -> str | LoadedFile:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not UTF-8 text ({exc.reason})")])


def load_file(path: Path) -> LoadedFile:
    """A plan file, with an included measures file merged in (see the module docstring)."""
    text = _text(path)
    return text if isinstance(text, LoadedFile) else load_text(text, path.parent)


INCLUDE_PATH: PathKey = ("measures", "include")


def _include_measures(loaded: LoadedFile, folder: Path | None) -> None:
    """Replace ``measures: {include: FILE}`` by the list FILE holds, keeping FILE's lines.

    FILE is a path relative to the plan file's folder and inside it, so a plan file cannot be
    made to read anything else on the machine. Problems with the include itself are the plan
    file's; problems inside FILE are FILE's.

    Whenever ``measures`` is still a mapping afterwards, there is a problem on record: the
    schema's for a malformed include (its shape is checked here exactly as the schema says it),
    this function's for every other failure. The measure rules can then assume a list.
    """
    measures = loaded.data["measures"]
    target = measures.get("include")
    if set(measures) != {"include"} or not isinstance(target, str) or not target.strip():
        return  # malformed: the schema reports it at its line (and 'must not be blank')

    def refuse(message: str) -> None:
        loaded.problems.append(loaded.problem(INCLUDE_PATH, message))

    if folder is None:
        refuse("an include needs the plan file's folder: validate the file, not its text")
        return
    relative = Path(target)
    if relative.is_absolute() or ".." in relative.parts:
        refuse(f"{target!r} must be a path inside the plan file's folder")
        return
    if relative.suffix not in (".yaml", ".yml"):
        refuse(f"{target!r} is not a YAML file (.yaml or .yml)")
        return
    path = folder / relative
    name = str(path)
    if not path.is_file():
        refuse(f"{target!r} not found next to the plan file")
        return
    text = _text(path)
    included = text if isinstance(text, LoadedFile) else _parse(text)
    if included.problems:
        # The included file's paths already start at its own 'measures'; a problem with the
        # whole file (not YAML, not UTF-8) is placed there too.
        loaded.problems.extend(
            Problem(p.line, p.path or ("measures",), p.message, name) for p in included.problems
        )
        return
    data = included.data
    if not isinstance(data, dict) or "measures" not in data:
        loaded.problems.append(
            Problem(
                1, ("measures",), "a measures file must be a mapping with a 'measures' list", name
            )
        )
        return
    if not isinstance(data["measures"], list):
        loaded.problems.append(
            Problem(
                included.line_of(("measures",)),
                ("measures",),
                "must be the list of measures (a measures file cannot include another)",
                name,
            )
        )
        return
    extra = sorted(str(k) for k in data if k != "measures")
    if extra:
        loaded.problems.append(
            Problem(included.line_of((extra[0],)), (), f"unknown field(s) {', '.join(extra)}", name)
        )
        return
    loaded.data["measures"] = data["measures"]
    loaded.places = {k: v for k, v in loaded.places.items() if k[:1] != ("measures",)}
    loaded.places.update(
        {k: (line, name) for k, (line, _) in included.places.items() if k[:1] == ("measures",)}
    )


def dump(data: dict[str, Any]) -> str:
    """The canonical text of a plan file: what export writes, byte for byte repeatable."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False, indent=2
    )
