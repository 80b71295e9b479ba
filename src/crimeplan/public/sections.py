"""Parts of the public pages that come from apps which may not be installed yet."""

from __future__ import annotations

from django.apps import apps


def local_priorities(district_code: str) -> list | None:
    """The published local priorities a district's community safety partnership set, or None
    when the delivery app (which holds them) is not installed, so the page leaves the section
    out rather than claim there are none."""
    if not apps.is_installed("crimeplan.delivery"):
        return None
    from crimeplan.delivery.models import LocalPriority

    return list(
        LocalPriority.objects.filter(district=district_code, published=True)
        .select_related("organisation", "plan")
        .order_by("review_date", "issue")
    )
