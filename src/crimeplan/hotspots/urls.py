from django.urls import path, register_converter

from crimeplan.hotspots import views


class DistrictCode:
    """A GSS local authority code such as E07000070 (any case; views upper-case it)."""

    regex = "[EeWwSsNn][0-9]{8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DistrictCode, "gss")

app_name = "hotspots"

urlpatterns = [
    path("", views.district_list, name="district_list"),
    path("boundaries.geojson", views.boundaries, name="boundaries"),
    path("<gss:code>/", views.district_page, name="district"),
    path("<gss:code>.geojson", views.district_geojson, name="geojson"),
    path("<gss:code>.svg", views.district_svg, name="svg"),
]
