from django.urls import path

from crimeplan.delivery import views_actions as actions
from crimeplan.delivery import views_import as imports
from crimeplan.delivery import views_overview as overview
from crimeplan.delivery import views_partners as partners

app_name = "delivery"

urlpatterns = [
    path("", overview.my_work, name="my_work"),
    path("actions/<str:reference>/", actions.action_detail, name="action"),
    path("actions/<str:reference>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<str:reference>/history/", actions.action_history_page, name="action_history"),
    path("actions/<str:reference>/updates/new/", actions.update_new, name="update_new"),
    path("actions/<str:reference>/evidence/new/", actions.evidence_new, name="evidence_new"),
    path("actions/<str:reference>/milestones/new/", actions.milestone_edit, name="milestone_new"),
    path(
        "actions/<str:reference>/milestones/<int:pk>/",
        actions.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "actions/<str:reference>/milestones/<int:pk>/done/",
        actions.milestone_done,
        name="milestone_done",
    ),
    path("updates/<int:pk>/review/", actions.update_review, name="update_review"),
    path("evidence/<int:pk>/file/", actions.evidence_file, name="evidence_file"),
    path("plans/<slug:slug>/actions/new/", actions.action_new, name="action_new"),
    path("plans/<slug:slug>/matrix/", overview.matrix, name="matrix"),
    path("plans/<slug:slug>/priorities/", overview.priorities, name="priorities"),
    path("plans/<slug:slug>/outcome/", overview.outcome, name="outcome"),
    path("plans/<slug:slug>/stale/", overview.stale, name="stale"),
    path("plans/<slug:slug>/actions.<str:fmt>", imports.export, name="export"),
    path("plans/<slug:slug>/import/", imports.upload, name="import"),
    path("imports/<int:pk>/", imports.job, name="import_job"),
    path("imports/<int:pk>/apply/", imports.apply, name="import_apply"),
    path("plans/<slug:slug>/funding/", partners.funding, name="funding"),
    path("plans/<slug:slug>/funding/bids/new/", partners.bid_edit, name="bid_new"),
    path("plans/<slug:slug>/funding/bids/<int:pk>/", partners.bid_edit, name="bid_edit"),
    path("plans/<slug:slug>/funding/hours/new/", partners.hours_edit, name="hours_new"),
    path("plans/<slug:slug>/funding/hours/<int:pk>/", partners.hours_edit, name="hours_edit"),
    path("plans/<slug:slug>/local-priorities/", partners.local_priorities, name="local_priorities"),
    path(
        "plans/<slug:slug>/local-priorities/new/",
        partners.local_priority_edit,
        name="local_priority_new",
    ),
    path(
        "plans/<slug:slug>/local-priorities/<int:pk>/",
        partners.local_priority_edit,
        name="local_priority_edit",
    ),
    path(
        "plans/<slug:slug>/<str:kind>/<int:pk>/delete/",
        partners.record_delete,
        name="record_delete",
    ),
    path("plans/<slug:slug>/strands/", partners.strands, name="strands"),
    path("plans/<slug:slug>/strands/new/", partners.strand_edit, name="strand_new"),
    path("plans/<slug:slug>/strands/<int:pk>/", partners.strand_edit, name="strand_edit"),
    path("plans/<slug:slug>/requests/", partners.requests, name="requests"),
    path("requests/<int:pk>/remind/", partners.remind, name="remind"),
]
