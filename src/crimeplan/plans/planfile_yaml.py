"""Reading plan files with line numbers.

Plan files are edited by hand by performance officers, so an error must point at the line to fix.
PyYAML's composed node tree keeps the marks that plain ``safe_load`` throws away; we keep a map
from each JSON path to the line where that value starts.
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

    def format(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {format_path(self.path)}: {self.message}"


@dataclass
class LoadedFile:
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]


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
    lines: dict[PathKey, int],
    problems: list[Problem],
    line: int | None = None,
) -> None:
    # A nested value is placed at its key's line ("period:"), which is where an editor looks.
    lines[path] = line if line is not None else node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            key_line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(key_line, path, f"duplicate key '{key}'"))
            seen.add(key)
            _walk(value_node, (*path, key), lines, problems, key_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems)


class PlanLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: a date in a plan file stays the text it was
    written as, so it validates as a string and exports unchanged."""


PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_text(text: str) -> LoadedFile:
    try:
        node = yaml.compose(text, Loader=PlanLoader)
        data = yaml.load(text, Loader=PlanLoader)  # noqa: S506 - PlanLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "not valid YAML"
        return LoadedFile(None, {}, [Problem(line, (), f"not valid YAML: {reason}")])
    except yaml.YAMLError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not valid YAML: {exc}")])
    loaded = LoadedFile(data)
    if node is not None:
        _walk(node, (), loaded.lines, loaded.problems)
    return loaded


def load_file(path: Path) -> LoadedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not UTF-8 text ({exc.reason})")])
    return load_text(text)


def dump(data: dict[str, Any]) -> str:
    """The canonical text of a plan file: what export writes, byte for byte repeatable."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False, indent=2
    )
