"""The generalised geography the package carries for the demo force (see ``reference/SOURCE.md``).

A machine with only the clone has no ONS files beside it; the demo loads this folder through the
same ``load_geography`` as any other, so maps, rates and hotspots work offline. A real
deployment loads full-resolution files (``crimeplan fetch geography`` or ``ingest geography``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .districts import REFERENCE_DIR

BUILTIN_GEOGRAPHY_DIR = REFERENCE_DIR / "geography"
BUILTIN_LABEL = "built-in generalised boundaries carried by crimeplan (simplified to about 20 m)"
FILES_LABEL = "full-resolution boundary files"


def builtin_geography_dir(force: str) -> Path | None:
    """The package's geography folder for ``force``, or None when it carries none for it."""
    folder = BUILTIN_GEOGRAPHY_DIR / force
    return folder if folder.is_dir() else None


def is_builtin(folder: Path) -> bool:
    return Path(folder).resolve().is_relative_to(BUILTIN_GEOGRAPHY_DIR.resolve())


def builtin_lsoa_features(force: str) -> list[dict[str, Any]]:
    """The force's LSOA 2021 polygons with the store's properties (lsoa_code, lsoa_name,
    district_code); empty when the package carries no geography for the force."""
    folder = builtin_geography_dir(force)
    if folder is None:
        return []
    features = json.loads((folder / "lsoa21.geojson").read_text())["features"]
    return [
        {
            "type": "Feature",
            "properties": {
                "lsoa_code": f["properties"]["LSOA21CD"],
                "lsoa_name": f["properties"]["LSOA21NM"],
                "district_code": f["properties"]["LADCD_ACTIVE"],
            },
            "geometry": f["geometry"],
        }
        for f in features
    ]
