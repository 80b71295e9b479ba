"""Model rules other apps rely on: updates are append-only, and every change is audited."""

from __future__ import annotations

import pytest

from crimeplan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_update_content_is_append_only_but_review_is_recorded(make_action, approve):
    update = approve(make_action(("1d",)), "2026-Q4", "green", state="submitted")
    update.narrative = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        update.save()
    update.refresh_from_db()
    update.state = "approved"
    update.review_comment = "Thanks"
    update.save()
    update.refresh_from_db()
    assert (update.state, update.narrative) == ("approved", "2026-Q4 green")


def test_action_changes_are_audited_under_the_action(make_action):
    action = make_action(("1d",))
    action.status = "at_risk"
    action.save()
    events = AuditEvent.objects.filter(scope=f"action:{action.pk}", model="delivery.Action")
    assert [e.action for e in events.order_by("id")][:1] == ["create"]
    change = events.filter(action="update").order_by("id").last()
    assert change.before["status"] == "on_track" and change.after["status"] == "at_risk"
    assert "version" not in change.after
