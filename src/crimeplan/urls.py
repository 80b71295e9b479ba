"""URL map: each app owns its own routes."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link> says.
    path("favicon.ico", RedirectView.as_view(url=static("crimeplan/favicon.svg"), permanent=True)),
    path("accounts/", include("crimeplan.accounts.urls")),
    path("api/", include("crimeplan.api.urls")),
    path("hotspots/", include("crimeplan.hotspots.urls")),
    path("delivery/", include("crimeplan.delivery.urls")),
    path("", include("crimeplan.governance.urls")),
    path("have-your-say/", include("crimeplan.consultation.urls")),
    path("", include("crimeplan.public.urls")),
    path("", include("crimeplan.measures.urls")),
    path("", include("crimeplan.plans.urls")),
]

handler400 = "crimeplan.core.errors.bad_request"
handler403 = "crimeplan.core.errors.permission_denied"
handler404 = "crimeplan.core.errors.page_not_found"
handler500 = "crimeplan.core.errors.server_error"
