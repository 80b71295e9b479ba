"""Shapes of the API's answers, for the responses and the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GSS local authority code, e.g. E07000070")
    name = serializers.CharField()
    hotspots = serializers.URLField(help_text="this district's hotspot GeoJSON in the API")
    page = serializers.URLField(help_text="this district's public hotspot map page")


class CellPropertiesSerializer(serializers.Serializer):
    """One cell's properties in the hotspot GeoJSON (documentation for the schema)."""

    id = serializers.CharField(help_text="E<easting>N<northing> of the cell's south-west corner")
    row = serializers.IntegerField()
    col = serializers.IntegerField()
    count = serializers.IntegerField(help_text="crimes in the cell")
    harm = serializers.FloatField(required=False, help_text="harm in the cell when weighted")
    z = serializers.FloatField(help_text="Getis-Ord Gi* z-score")
    p = serializers.FloatField(help_text="two-sided p-value")
    p_adjusted = serializers.FloatField(help_text="p-value after the correction")
    bin = serializers.IntegerField(help_text="+3 hot 99% … 0 not significant … −3 cold 99%")


class HotspotFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(default="Feature")
    id = serializers.CharField()
    geometry = serializers.JSONField(help_text="GeoJSON Polygon (WGS84), a closed ring")
    properties = CellPropertiesSerializer()


class HotspotCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    properties = serializers.JSONField(
        help_text="what was analysed and how: area, period, crime types, cell size, method, "
        "correction, harm weighting (source and method), crimes used and left out, class counts"
    )
    features = HotspotFeatureSerializer(many=True)
