"""Django admin for administrators. Saves here are audited like any other change; updates are
append-only, so the admin shows them read-only."""

from django.contrib import admin

from crimeplan.delivery.models import (
    Action,
    Evidence,
    FundingBid,
    LocalPriority,
    Milestone,
    StrandLead,
    Update,
    UpdateRequest,
    VolunteerHours,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["title", "url", "original_name", "content_type", "size", "added_by"]
    readonly_fields = ["original_name", "content_type", "size", "added_by"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "lead_organisation", "status", "progress", "due_date"]
    list_filter = ["plan", "status", "lead_organisation", "published"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["commitments", "partners"]
    inlines = [MilestoneInline, EvidenceInline]


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "quarter", "rag", "state", "submitted_by", "reviewed_by"]
    list_filter = ["state", "rag", "quarter"]
    search_fields = ["action__reference", "narrative"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingBid)
class FundingBidAdmin(admin.ModelAdmin):
    list_display = ["organisation", "funder", "amount_asked", "amount_awarded", "status"]
    list_filter = ["plan", "status"]
    filter_horizontal = ["strands", "assets"]


@admin.register(VolunteerHours)
class VolunteerHoursAdmin(admin.ModelAdmin):
    list_display = ["organisation", "quarter", "hours", "activity", "strand"]
    list_filter = ["plan", "quarter"]


@admin.register(LocalPriority)
class LocalPriorityAdmin(admin.ModelAdmin):
    list_display = ["district", "organisation", "issue", "status", "review_date", "published"]
    list_filter = ["plan", "status", "district"]


for model in (UpdateRequest, StrandLead):
    admin.site.register(model)
