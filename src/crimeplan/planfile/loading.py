"""Reading plan files with line numbers, includes and limits.

PyYAML's composed node tree keeps the marks that plain ``safe_load`` throws away; we keep a map
from each JSON path to the line where that value starts.

A section may let a plan file keep its list in a file of its own (``measures: {include: FILE}``),
since performance teams revise measures far more often than the plan's text. The included file
is read here and merged in, and its values keep their own file and lines, so a problem in a
measure names the measures file, not the plan file.

Limits: a plan file is read by people and by the web pages that show it, so it is refused
before anything is built from it when it is bigger than :data:`MAX_FILE_BYTES`, when any text in
it is longer than :data:`MAX_TEXT_CHARS`, or when it uses YAML aliases (``*name``): aliases let a
few kilobytes expand to gigabytes ("billion laughs"), and a plan file has no need of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from crimeplan.planfile.problems import LoadedFile, PathKey, Place, Problem

MAX_FILE_BYTES = 1_000_000
"""Largest plan (or included) file read: the biggest example plan is about 23 kB."""

MAX_TEXT_CHARS = 10_000
"""Longest text in any field: several pages of a vision; the examples' longest is 261."""


class AliasRefused(yaml.MarkedYAMLError):
    """A YAML alias in a plan file: refused before it can be expanded."""


class PlanLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps (a date in a plan file stays the text it was
    written as, so it validates as a string and exports unchanged) and without aliases."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise AliasRefused(
                None,
                None,
                f"YAML aliases (*{event.anchor}) are not allowed in a plan file: "
                "write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    elif isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_TEXT_CHARS:
        message = (
            f"is {len(node.value):,} characters long; a plan file's text may have at most "
            f"{MAX_TEXT_CHARS:,}"
        )
        problems.append(TooLong(places[path][0], path, message))


class TooLong(Problem):
    """A text over :data:`MAX_TEXT_CHARS`: the document is then not built at all."""


def _too_big(size: int) -> LoadedFile:
    message = f"the file is {size:,} bytes; a plan file may be at most {MAX_FILE_BYTES:,}"
    return LoadedFile(None, {}, [Problem(1, (), message)])


def parse(text: str) -> LoadedFile:
    """One YAML document with the place of every value; its limits checked before it is built."""
    if len(text) > MAX_FILE_BYTES:
        return _too_big(len(text.encode("utf-8")))
    loader = PlanLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            # The places first: an over-long text is refused before any data is built from it.
            loaded = LoadedFile(None)
            _walk(node, (), loaded.places, loaded.problems)
            if any(isinstance(p, TooLong) for p in loaded.problems):
                return loaded
            loaded.data = loader.construct_document(node)
            return loaded
        return LoadedFile(None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "not valid YAML"
        if isinstance(exc, AliasRefused):
            return LoadedFile(None, {}, [Problem(line, (), reason)])
        return LoadedFile(None, {}, [Problem(line, (), f"not valid YAML: {reason}")])
    except yaml.YAMLError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not valid YAML: {exc}")])
    finally:
        loader.dispose()


def read_text(path: Path) -> str | LoadedFile:
    """A file's text, or a problem: too big (checked before reading) or not UTF-8."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return _too_big(size)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(None, {}, [Problem(None, (), f"not UTF-8 text ({exc.reason})")])


def load_text(
    text: str, folder: Path | None = None, includable: Iterable[str] | None = None
) -> LoadedFile:
    """A plan file's text; an include is read from ``folder``, the plan file's folder (text
    without one cannot include, and says so). ``includable``: the top-level keys whose value
    may be ``{include: FILE}`` (by default, those the registered sections declare)."""
    loaded = parse(text)
    if includable is None:
        from crimeplan.planfile.sections import includable_keys

        includable = includable_keys()
    if isinstance(loaded.data, dict):
        for key in includable:
            if isinstance(loaded.data.get(key), dict):
                _include(loaded, key, folder)
    return loaded


def load_file(path: Path, includable: Iterable[str] | None = None) -> LoadedFile:
    """A plan file, with included files merged in (see the module docstring)."""
    text = read_text(path)
    return text if isinstance(text, LoadedFile) else load_text(text, path.parent, includable)


def _include(loaded: LoadedFile, key: str, folder: Path | None) -> None:
    """Replace ``key: {include: FILE}`` by the list FILE holds, keeping FILE's lines.

    FILE is a path relative to the plan file's folder and inside it (a symbolic link that
    leads out of the folder is refused too), so a plan file cannot be made to read anything
    else on the machine. Problems with the include itself are the plan file's; problems inside
    FILE are FILE's.

    Whenever the value is still a mapping afterwards, there is a problem on record: the
    schema's for a malformed include (its shape is checked here exactly as the schema says it),
    this function's for every other failure. The section's rules can then assume a list.
    """
    value = loaded.data[key]
    target = value.get("include")
    if set(value) != {"include"} or not isinstance(target, str) or not target.strip():
        return  # malformed: the schema reports it at its line (and 'must not be blank')
    include_path: PathKey = (key, "include")

    def refuse(message: str) -> None:
        loaded.problems.append(loaded.problem(include_path, message))

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
    if not path.resolve().is_relative_to(folder.resolve()):
        refuse(f"{target!r} must be a path inside the plan file's folder (it links outside)")
        return
    text = read_text(path)
    included = text if isinstance(text, LoadedFile) else parse(text)
    if included.problems:
        # The included file's paths already start at its own key; a problem with the whole
        # file (not YAML, not UTF-8, too big) is placed there too.
        loaded.problems.extend(
            Problem(p.line, p.path or (key,), p.message, name) for p in included.problems
        )
        return
    data = included.data
    if not isinstance(data, dict) or key not in data:
        message = f"a {key} file must be a mapping with a '{key}' list"
        loaded.problems.append(Problem(1, (key,), message, name))
        return
    if not isinstance(data[key], list):
        message = f"must be the list of {key} (a {key} file cannot include another)"
        loaded.problems.append(Problem(included.line_of((key,)), (key,), message, name))
        return
    extra = sorted(str(k) for k in data if k != key)
    if extra:
        loaded.problems.append(
            Problem(included.line_of((extra[0],)), (), f"unknown field(s) {', '.join(extra)}", name)
        )
        return
    loaded.data[key] = data[key]
    loaded.places = {k: v for k, v in loaded.places.items() if k[:1] != (key,)}
    loaded.places.update(
        {k: (line, name) for k, (line, _) in included.places.items() if k[:1] == (key,)}
    )


def dump(data: dict[str, object]) -> str:
    """The canonical text of a plan file: what export writes, byte for byte repeatable."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False, indent=2
    )
