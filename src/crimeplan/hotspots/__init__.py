"""Crime hotspots: Getis-Ord Gi* on British National Grid cells, emerging and persistent
squares, repeat places.

The statistics are plain numpy modules, importable without Django (this package is also the
Django app that holds the map pages): start from :func:`crimeplan.hotspots.analysis.run`.
Nothing is imported here, so loading the Django app does not pull in pyproj and shapely.
"""
