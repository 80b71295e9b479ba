from django.urls import path

from crimeplan.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    # The address people type after seeing /plans/<slug>/ everywhere: the same list.
    path("plans/", views.plan_list, name="plan_list_alias"),
    path("plans/schema.json", views.plan_schema, name="schema"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan"),
    path("plans/<slug:slug>/plan.yaml", views.plan_file, name="plan_file"),
    path("plans/<slug:slug>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<slug:slug>/history/", views.plan_history, name="history"),
    path("plans/<slug:slug>/priorities/<int:number>/", views.priority_detail, name="priority"),
    path(
        "plans/<slug:slug>/priorities/<int:number>/commitments/<str:letter>/",
        views.commitment_detail,
        name="commitment",
    ),
    path(
        "plans/<slug:slug>/priorities/<int:number>/commitments/<str:letter>/edit/",
        views.commitment_edit,
        name="commitment_edit",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
