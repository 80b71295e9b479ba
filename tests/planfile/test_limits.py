"""Plan-file limits: aliases, file size, text length and includes that leave the folder are
refused before anything is built, each reported with its file, line and path."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from factories import example_plan

from crimeplan.planfile import MAX_FILE_BYTES, MAX_TEXT_CHARS, validate_file, validate_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plans"
PCP = EXAMPLES / "essex-police-and-crime-plan-2016-2020.yaml"


def billion_laughs(levels: int = 9) -> str:
    """The classic expansion: ten aliases of ten aliases of ... ``levels`` deep (10**9 'lol')."""
    lines = ['a0: &a0 "lol"']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return PCP.read_text(encoding="utf-8") + "\n".join(lines) + "\n"


def test_nested_aliases_are_refused_before_they_expand(tmp_path):
    text = billion_laughs()
    # A few hundred characters on top of the example plan, and far under the file-size limit,
    # so it is the aliases, not the size, that must stop it.
    assert len(text) - len(PCP.read_text(encoding="utf-8")) < 1_000
    assert len(text.encode("utf-8")) < MAX_FILE_BYTES // 10
    path = tmp_path / "laughs.yaml"
    path.write_text(text, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data, problems = validate_file(path)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    first_alias = text.splitlines().index(next(x for x in text.splitlines() if "*a0" in x)) + 1
    assert data is None
    assert [p.format(str(path)) for p in problems] == [
        f"{path}:{first_alias}: (top level): YAML aliases (*a0) are not allowed in a plan file: "
        "write the value out"
    ]
    assert grown_kb < 100_000  # the expansion would need gigabytes


def test_a_single_alias_is_refused_too():
    _, problems = validate_text("title: &t Plan\nslug: *t\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, "YAML aliases (*t) are not allowed in a plan file: write the value out")
    ]


def test_an_over_long_text_field_is_refused_at_its_line_and_path():
    text = PCP.read_text(encoding="utf-8")
    vision_line = next(
        n for n, line in enumerate(text.splitlines(), 1) if line.startswith("vision:")
    )
    long_vision = "Safe and secure communities. " * (MAX_TEXT_CHARS // 29 + 1)
    lines = text.splitlines()
    lines[vision_line - 1] = f"vision: {long_vision.strip()}"
    data, problems = validate_text("\n".join(lines) + "\n")
    n = len(long_vision.strip())
    assert data is None
    assert [p.format("plan.yaml") for p in problems] == [
        f"plan.yaml:{vision_line}: vision: is {n:,} characters long; a plan file's text may "
        f"have at most {MAX_TEXT_CHARS:,}"
    ]


def test_a_text_at_the_limit_is_accepted():
    text = PCP.read_text(encoding="utf-8")
    lines = [
        f"vision: {'x' * MAX_TEXT_CHARS}" if line.startswith("vision:") else line
        for line in text.splitlines()
    ]
    data, problems = validate_text("\n".join(lines) + "\n")
    assert problems == [] and len(data["vision"]) == MAX_TEXT_CHARS


def test_a_50_mb_vision_is_refused_by_the_file_size_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(PCP.read_text(encoding="utf-8").replace("vision:", "old_vision:", 1))
        fh.write("vision: " + "x" * 50_000_000 + "\n")
    size = path.stat().st_size
    data, problems = validate_file(path)
    assert data is None
    assert [p.format(str(path)) for p in problems] == [
        f"{path}:1: (top level): the file is {size:,} bytes; a plan file may be at most "
        f"{MAX_FILE_BYTES:,}"
    ]


def split_with_link(folder: Path, target: Path) -> tuple[Path, int]:
    text = PCP.read_text(encoding="utf-8")
    at = text.index("\nmeasures:\n") + 1
    folder.mkdir(parents=True)
    plan = folder / "plan.yaml"
    plan.write_text(text[:at] + "measures:\n  include: plan.measures.yaml\n", encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text[at:], encoding="utf-8")
    (folder / "plan.measures.yaml").symlink_to(target)
    return plan, text[:at].count("\n") + 2


def test_an_include_that_links_outside_the_folder_is_refused(tmp_path):
    plan, line = split_with_link(tmp_path / "plans", tmp_path / "elsewhere" / "secret.yaml")
    data, problems = validate_file(plan)
    assert [p.format(str(plan)) for p in problems] == [
        f"{plan}:{line}: measures.include: 'plan.measures.yaml' must be a path inside the plan "
        "file's folder (it links outside)"
    ]


def test_an_include_that_links_inside_the_folder_is_followed(tmp_path):
    plan, _ = split_with_link(tmp_path / "plans", tmp_path / "plans" / "kept" / "measures.yaml")
    data, problems = validate_file(plan)
    measures = example_plan(PCP.stem)["measures"]
    assert problems == [] and len(data["measures"]) == len(measures) > 0


@pytest.mark.parametrize("limit", ["aliases", "size"])
def test_an_included_file_has_the_same_limits(tmp_path, limit):
    text = PCP.read_text(encoding="utf-8")
    at = text.index("\nmeasures:\n") + 1
    folder = tmp_path / "plans"
    folder.mkdir()
    plan = folder / "plan.yaml"
    plan.write_text(text[:at] + "measures:\n  include: m.yaml\n", encoding="utf-8")
    included = folder / "m.yaml"
    if limit == "aliases":
        included.write_text("measures: &m []\nother: *m\n", encoding="utf-8")
        expected = f"{included}:2: measures: YAML aliases (*m) are not allowed"
    else:
        included.write_text("measures: []\n" + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
        expected = f"{included}:1: measures: the file is {included.stat().st_size:,} bytes"
    _, problems = validate_file(plan)
    assert len(problems) == 1 and problems[0].format(str(plan)).startswith(expected)
