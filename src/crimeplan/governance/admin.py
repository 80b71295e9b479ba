"""Meetings, attendance, agenda items and decisions in the admin, for superusers. Board
secretaries keep the same record on the board's own pages (see ``governance.views``).

Reports are listed read-only: a version is made by the command or the board page's task, and a
published one never changes.
"""

from __future__ import annotations

from django.contrib import admin

from crimeplan.governance.models import AgendaItem, Attendance, Decision, Meeting, Report


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 1


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("board", "date", "title")
    list_filter = ("board__plan", "board")
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("reference", "board", "kind", "owner_organisation", "due_date", "status")
    list_filter = ("board", "status", "kind")
    search_fields = ("reference", "text")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("board", "quarter", "version", "state", "pages", "published_at")
    list_filter = ("board", "state")
    exclude = ("snapshot", "html", "pdf")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
