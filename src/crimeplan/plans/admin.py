"""Django admin for administrators. Saves here are audited like any other change."""

from django.contrib import admin

from crimeplan.plans.models import (
    Asset,
    Board,
    Commitment,
    EngagementStage,
    Plan,
    Priority,
    Section,
    Strand,
    StrandAsset,
)


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0


class AssetInline(admin.TabularInline):
    model = Asset
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "period_start", "period_end", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]
    inlines = [PriorityInline, AssetInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["code", "plan", "text"]
    list_filter = ["plan"]
    search_fields = ["text"]
    filter_horizontal = ["strands"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "cadence", "organisation"]
    list_filter = ["plan"]
    filter_horizontal = ["assets"]


for model in (Priority, Strand, Asset, StrandAsset, Section, EngagementStage):
    admin.site.register(model)
