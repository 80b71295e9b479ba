"""Small counts on public pages: shown as "fewer than N", so no small group can be picked out.

Partner data (figures entered by partners, survey answers about respondents) is suppressed below
``CRIMEPLAN_SUPPRESS_BELOW`` (default 5) wherever the public sees it. Open police.uk data is
already published, so it is shown as published and never passes through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    return int(getattr(settings, "CRIMEPLAN_SUPPRESS_BELOW", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Count:
    """A count as the public may see it: ``value`` is None when it is suppressed."""

    value: int | None
    below: int

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return f"fewer than {self.below}" if self.value is None else f"{self.value:,}"


def suppressed(n: int, protect: bool = True) -> Count:
    """``n`` as the public may see it; ``protect=False`` for counts that need no protection."""
    below = threshold()
    if protect and n < below:
        return Count(None, below)
    return Count(int(n), below)
