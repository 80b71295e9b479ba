"""Funding bids and volunteer hours, totalled per strand and asset against the ambition.

Volunteer hours are valued at ``CRIMEPLAN_VOLUNTEER_HOURLY_RATE`` pounds an hour and always
shown as an estimate beside the money, never added to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from crimeplan.delivery.models import FundingBid, VolunteerHours

LIVE = {FundingBid.Status.PLANNED, FundingBid.Status.SUBMITTED}
WON = {FundingBid.Status.AWARDED, FundingBid.Status.PART_AWARDED}


@dataclass
class Totals:
    asked: Decimal = Decimal(0)
    awarded: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    bids: int = 0
    hours: Decimal = Decimal(0)

    def add_bid(self, bid: FundingBid) -> None:
        self.bids += 1
        self.asked += bid.amount_asked
        if bid.status in WON and bid.amount_awarded is not None:
            self.awarded += bid.amount_awarded
        if bid.status in LIVE:
            self.pending += bid.amount_asked

    @property
    def hours_value(self) -> Decimal:
        return (self.hours * hourly_rate()).quantize(Decimal("1"))


@dataclass
class FundingSummary:
    whole: Totals
    by_strand: dict[int | None, Totals] = field(default_factory=dict)
    by_asset: dict[int | None, Totals] = field(default_factory=dict)
    ambition: Decimal = Decimal(0)

    @property
    def awarded_share(self) -> float | None:
        return float(self.whole.awarded / self.ambition) if self.ambition else None


def hourly_rate() -> Decimal:
    return Decimal(str(settings.CRIMEPLAN_VOLUNTEER_HOURLY_RATE))


def ambition() -> Decimal:
    return Decimal(str(settings.CRIMEPLAN_FUNDING_AMBITION))


def funding_summary(plan) -> FundingSummary:
    """Totals for the whole plan and per strand / asset. A bid naming two strands counts in
    both strands' totals (and once in the whole); a bid naming none counts under None."""
    summary = FundingSummary(Totals(), ambition=ambition())
    bids = list(FundingBid.objects.filter(plan=plan).prefetch_related("strands", "assets"))
    for bid in bids:
        summary.whole.add_bid(bid)
        for key in [s.pk for s in bid.strands.all()] or [None]:
            summary.by_strand.setdefault(key, Totals()).add_bid(bid)
        for key in [a.pk for a in bid.assets.all()] or [None]:
            summary.by_asset.setdefault(key, Totals()).add_bid(bid)
    for strand_id, hours in VolunteerHours.objects.filter(plan=plan).values_list(
        "strand_id", "hours"
    ):
        summary.whole.hours += hours
        summary.by_strand.setdefault(strand_id, Totals()).hours += hours
    return summary
