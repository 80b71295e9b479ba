"""API views: thin wrappers over the same queries the public pages run.

Read-only and public, as the pages are. The hotspot GeoJSON is the exact text the map page's
GeoJSON endpoint serves (one cache entry for both), so the API and the map cannot disagree.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crimeplan.api.serializers import DistrictSerializer, HotspotCollectionSerializer
from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.query import HARM_INDEXES
from crimeplan.hotspots.requests import force, geojson_response
from crimeplan.hotspots.store_query import district_names
from crimeplan.hotspots.url_params import WEB_CELL_SIZES

HOTSPOT_PARAMETERS = [
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        many=True,
        enum=list(CRIME_TYPES),
        description="police.uk crime type (repeat for several); all types when left out",
    ),
    OpenApiParameter(
        "from",
        OpenApiTypes.STR,
        description="first month, YYYY-MM (default: the first of the latest six loaded months)",
    ),
    OpenApiParameter(
        "to", OpenApiTypes.STR, description="last month, YYYY-MM (default: the latest loaded month)"
    ),
    OpenApiParameter(
        "cell",
        OpenApiTypes.INT,
        enum=list(WEB_CELL_SIZES),
        description="cell size in metres; chosen from the district's size when left out",
    ),
    OpenApiParameter(
        "harm",
        OpenApiTypes.STR,
        enum=["none", *HARM_INDEXES],
        description="weight crimes by harm (anti-social behaviour has no weight and is left out)",
    ),
    OpenApiParameter(
        "correction", OpenApiTypes.STR, enum=list(CORRECTIONS), description="p-value correction"
    ),
]


class DistrictList(APIView):
    """The districts of the force area, with links to their hotspots."""

    @extend_schema(responses=DistrictSerializer(many=True), operation_id="districts_list")
    def get(self, request: Request) -> Response:
        rows = [
            {
                "code": code,
                "name": name,
                "hotspots": request.build_absolute_uri(reverse("api:hotspots", args=[code])),
                "page": request.build_absolute_uri(reverse("hotspots:district", args=[code])),
            }
            for code, name in district_names(force()).items()
        ]
        return Response(DistrictSerializer(rows, many=True).data)


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for ``application/geo+json`` (RFC 7946's media type)."""

    media_type = "application/geo+json"
    format = "geojson"


class DistrictHotspots(APIView):
    """Getis-Ord Gi* hotspots of one district as a GeoJSON FeatureCollection (WGS84)."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=HOTSPOT_PARAMETERS,
        responses={
            (200, "application/geo+json"): HotspotCollectionSerializer,
            400: OpenApiResponse(description="a parameter is wrong; the body names it"),
            404: OpenApiResponse(description="no district of the force area has that code"),
            503: OpenApiResponse(description="no crime data or geography loaded yet"),
        },
        operation_id="district_hotspots",
    )
    def get(self, request: Request, code: str) -> Response:
        return geojson_response(code, request.query_params)
