"""Whether the figures on show come from generated (demo) records."""

from __future__ import annotations

from crimeplan.measures.models import ComputeRun


def figures_are_synthetic() -> bool:
    """Whether the latest computation ran on generated (demo) records: every page then says so,
    so a screenshot of the demo can never pass for real figures."""
    # Every page asks, so this reads the newest row by primary key (an index) rather than by
    # ``at`` (ComputeRun's ordering, which has none and would sort the whole table). Runs are
    # only ever added, so the highest key is the latest run.
    return bool(ComputeRun.objects.order_by("-pk").values_list("synthetic", flat=True).first())
