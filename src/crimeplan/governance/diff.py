"""What changed between two versions of a report: figures, grades and exceptions, in words.

Both sides are snapshots, so the comparison needs no live data and says exactly what a reader
of each version saw. Figures are matched by their stable ``id`` (see ``snapshot.figures``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crimeplan.core.jinja import number


@dataclass(frozen=True)
class Change:
    kind: str  # "grade", "figure" or "exception"
    subject: str
    before: str
    after: str
    text: str


def _shown(figure: dict[str, Any] | None) -> str:
    if figure is None:
        return "–"
    if figure["places"] is None:
        return str(figure["value"])
    return number(figure["value"], figure["places"])


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    grades_before = {p["number"]: p for p in before["priorities"]}
    for p in after["priorities"]:
        old = grades_before.get(p["number"])
        if old is not None and old["grade"] != p["grade"]:
            changes.append(
                Change(
                    "grade",
                    f"Priority {p['number']}. {p['title']}",
                    old["grade_label"],
                    p["grade_label"],
                    f"Priority {p['number']} ({p['title']}) was graded "
                    f"{old['grade_label'].lower()} "
                    f"and is now {p['grade_label'].lower()}.",
                )
            )
    old_figures = {f["id"]: f for f in before["figures"] if not f["id"].startswith("grade/")}
    new_figures = {f["id"]: f for f in after["figures"] if not f["id"].startswith("grade/")}
    for fid, new in new_figures.items():
        old = old_figures.get(fid)
        if old is None:
            changes.append(
                Change(
                    "figure",
                    new["label"],
                    "–",
                    _shown(new),
                    f"New figure: {new['label']} is {_shown(new)}.",
                )
            )
        elif old["value"] != new["value"]:
            text = f"{new['label']} changed from {_shown(old)} to {_shown(new)}"
            if isinstance(old["value"], int | float) and isinstance(new["value"], int | float):
                delta = new["value"] - old["value"]
                places = new["places"] or 0
                text += f" ({'+' if delta > 0 else ''}{number(delta, places)})"
            changes.append(Change("figure", new["label"], _shown(old), _shown(new), text + "."))
    for fid, old in old_figures.items():
        if fid not in new_figures:
            changes.append(
                Change(
                    "figure",
                    old["label"],
                    _shown(old),
                    "–",
                    f"{old['label']} is no longer shown (it was {_shown(old)}).",
                )
            )
    old_exc = {(e["kind"], e["subject"]): e for e in before["exceptions"]}
    new_exc = {(e["kind"], e["subject"]): e for e in after["exceptions"]}
    for key, e in new_exc.items():
        if key not in old_exc:
            changes.append(
                Change(
                    "exception",
                    e["subject"],
                    "–",
                    e["kind"],
                    f"New exception: {e['kind'].lower()}, {e['subject']}.",
                )
            )
    for key, e in old_exc.items():
        if key not in new_exc:
            changes.append(
                Change(
                    "exception",
                    e["subject"],
                    e["kind"],
                    "–",
                    f"No longer an exception: {e['kind'].lower()}, {e['subject']}.",
                )
            )
    return changes


def summary(changes: list[Change]) -> str:
    """One sentence counting the changes, for the top of the comparison."""
    if not changes:
        return "Nothing changed: every figure, grade and exception is the same."
    counts = {
        kind: sum(c.kind == kind for c in changes) for kind in ("grade", "figure", "exception")
    }
    words = {"grade": "grade", "figure": "figure", "exception": "exception"}
    parts = [f"{n} {words[k]}{'s' if n != 1 else ''}" for k, n in counts.items() if n]
    return "Changed: " + ", ".join(parts) + "."
