"""The strategy's asset × strand matrix.

A strategy expects a number of strands but may name only some so far; the unnamed ones are shown
as columns to fill, so the gap is visible rather than hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from crimeplan.plans.models import Asset, Plan, Strand


@dataclass
class Matrix:
    assets: list[Asset]
    strands: list[Strand]
    unnamed: int
    cells: dict[tuple[int, int], str]

    @property
    def expected(self) -> int:
        return len(self.strands) + self.unnamed

    def role(self, asset: Asset, strand: Strand) -> str:
        return self.cells.get((asset.pk, strand.pk), "")


def asset_strand_matrix(plan: Plan) -> Matrix | None:
    assets = list(plan.assets.select_related("lead").order_by("number"))
    strands = list(plan.strands.order_by("order", "name"))
    if not assets and not strands and not plan.strands_expected:
        return None
    unnamed = max((plan.strands_expected or 0) - len(strands), 0)
    cells = {(r.asset_id, r.strand_id): r.role for r in plan.strand_assets.all()}
    return Matrix(assets, strands, unnamed, cells)
