from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from crimeplan.api import views

app_name = "api"

urlpatterns = [
    path("districts/", views.DistrictList.as_view(), name="districts"),
    path("hotspots/<str:code>/", views.DistrictHotspots.as_view(), name="hotspots"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
