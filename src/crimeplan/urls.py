"""URL map: each app owns its own routes."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("crimeplan.accounts.urls")),
    path("api/", include("crimeplan.api.urls")),
    path("hotspots/", include("crimeplan.hotspots.urls")),
    path("", include("crimeplan.governance.urls")),
    path("", include("crimeplan.measures.urls")),
    path("", include("crimeplan.plans.urls")),
]
