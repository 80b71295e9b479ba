"""A survey's phases run one way: draft → open → closed → results published.

Going back would let answers in after results were read (or unpublish results people have
seen), so only the next phase is allowed; closing straight from draft is allowed (a survey
that never opened).
"""

from __future__ import annotations

from crimeplan.consultation.models import Phase, Survey

NEXT = {
    Phase.DRAFT: {Phase.OPEN, Phase.CLOSED},
    Phase.OPEN: {Phase.CLOSED},
    Phase.CLOSED: {Phase.RESULTS_PUBLISHED},
    Phase.RESULTS_PUBLISHED: set(),
}


class PhaseError(ValueError):
    pass


def move_phase(survey: Survey, phase: str) -> Survey:
    if phase not in Phase.values:
        raise PhaseError(f"unknown phase {phase!r} (one of {', '.join(Phase.values)})")
    if phase not in NEXT[Phase(survey.phase)]:
        allowed = ", ".join(sorted(NEXT[Phase(survey.phase)])) or "none"
        raise PhaseError(f"a survey that is {survey.phase} cannot become {phase} (next: {allowed})")
    survey.phase = phase
    survey.save(update_fields=["phase"])
    return survey
