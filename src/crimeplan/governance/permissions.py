"""Who may run a board's business: generate and publish its reports, record its decisions.

Scrutiny officers and administrators of the plan's owner (the office that prepares board packs)
or of the organisation that hosts the board, and superusers. Reading a draft report needs a
log-in as a partner of the plan; a published report of a public plan is public.
"""

from __future__ import annotations

from typing import Any

from crimeplan.accounts.permissions import roles_in_any
from crimeplan.governance.models import Report
from crimeplan.plans.models import Board
from crimeplan.plans.permissions import PLAN_EDITORS, can_view_plan, is_plan_partner


def can_run_board(user: Any, board: Board) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    organisations = {board.plan.owner_id, board.organisation_id} - {None}
    return bool(roles_in_any(user, organisations) & PLAN_EDITORS)


def can_read_report(user: Any, report: Report) -> bool:
    if report.published and can_view_plan(user, report.board.plan):
        return True
    return is_plan_partner(user, report.board.plan)
