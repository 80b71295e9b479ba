"""The delivery sections of a quarterly report (actions, funding, volunteering).

The delivery app is being built; until its models exist on this platform :func:`gather`
returns ``None`` and the report says that delivery is not yet recorded.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from crimeplan.governance.grading import ActionEvidence
from crimeplan.governance.quarters import Quarter
from crimeplan.plans.models import Plan


def gather(plan: Plan, quarter: Quarter) -> dict[str, Any] | None:
    if not apps.is_installed("crimeplan.delivery"):
        return None
    raise NotImplementedError  # replaced when the delivery models land


def evidence(action: dict[str, Any]) -> ActionEvidence:
    return ActionEvidence(action["reference"], action["status"], action["rag"], action["stale"])
