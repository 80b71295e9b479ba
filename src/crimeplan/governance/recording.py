"""Helpers for keeping a board's record on the site: the next decision reference to offer.

A board cites its decisions and actions by reference in minutes and reports (``PRSB-2025-04``:
the board's initials, the year of the meeting, a number). The form offers the next free one in
the board's own pattern, so a secretary rarely types one, and may still change it.
"""

from __future__ import annotations

import re

from crimeplan.governance.models import Meeting

_PATTERN = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<number>\d+)$")
_SMALL_WORDS = {"and", "of", "the", "for", "on", "in"}


def board_initials(name: str) -> str:
    """``Performance, Resource and Scrutiny Board`` -> ``PRSB``."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    initials = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS).upper()
    return initials or "DEC"


def next_reference(meeting: Meeting) -> str:
    """The next free reference for a decision set at ``meeting``, in the board's pattern:
    the prefix its latest reference uses (or the board's initials), the meeting's year, and one
    more than the highest number used with that prefix and year."""
    board = meeting.board
    references = list(board.decisions.order_by("-id").values_list("reference", flat=True))
    prefix = board_initials(board.name)
    for reference in references:
        found = _PATTERN.match(reference)
        if found:
            prefix = found["prefix"]
            break
    year = str(meeting.date.year)
    used = [
        int(found["number"])
        for found in map(_PATTERN.match, references)
        if found and found["prefix"] == prefix and found["year"] == year
    ]
    number = max(used, default=0) + 1
    taken = set(references)
    while f"{prefix}-{year}-{number:02d}" in taken:
        number += 1
    return f"{prefix}-{year}-{number:02d}"
