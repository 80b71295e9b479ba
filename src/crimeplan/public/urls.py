from django.urls import path

from crimeplan.hotspots.urls import DistrictCode  # noqa: F401 - registers the "gss" converter
from crimeplan.public import views

app_name = "public"

urlpatterns = [
    path("your-area/", views.area_finder, name="area_finder"),
    path("your-area/<gss:code>/", views.area_page, name="area"),
    path("your-area/<gss:code>/wards/<gss:ward_code>/", views.ward_page, name="ward"),
    path("your-area/<gss:code>/hotspots/", views.hotspot_page, name="hotspots"),
    path("our-plan/<slug:slug>/", views.plan_page, name="plan"),
    path("our-plan/<slug:slug>/priorities/<int:number>/", views.priority_page, name="priority"),
    path("our-plan/<slug:slug>/you-said-we-did/", views.you_said, name="you_said"),
]
