from django.urls import path

from crimeplan.measures import views

app_name = "measures"

urlpatterns = [
    path("plans/<slug:slug>/measures/", views.measure_list, name="measure_list"),
    path("plans/<slug:slug>/measures/districts/", views.district_comparison, name="districts"),
    path("plans/<slug:slug>/measures/<slug:key>/", views.measure_detail, name="measure"),
    path("plans/<slug:slug>/measures/<slug:key>/values/", views.manual_value_add, name="add_value"),
    path(
        "plans/<slug:slug>/measures/<slug:key>/values/<int:pk>/",
        views.manual_value_edit,
        name="edit_value",
    ),
    path(
        "plans/<slug:slug>/measures/<slug:key>/values/<int:pk>/delete/",
        views.manual_value_delete,
        name="delete_value",
    ),
]
