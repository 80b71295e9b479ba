"""Benchmark: crimeplan's Gi* pipeline against esda on the whole Essex force area.

Six months of real police.uk crimes (2025-01 to 2025-06, crimes in an LSOA of the 14 districts)
on 250 m British National Grid cells over the union of the districts' LSOA boundaries.

- crimeplan: ``crimeplan.hotspots.analysis.run`` from the WGS84 boundary and points: grid
  (cell selection), projection and assignment of points, Gi*, FDR correction and classes.
- esda: weights construction from the same cell squares (handed over ready-made, untimed) plus
  ``G_Local(y, w, star=True, transform="B", permutations=0)`` on crimeplan's counts; two routes,
  the classic ``libpysal.weights.Queen.from_iterable`` and the newer ``libpysal.graph.Graph``.

Each is run once to warm up, then ``REPEATS`` times; the median and the best are reported
(the machine may be shared, so the best is the steadier figure). Run with
``python bench/hotspots.py`` (``CRIMEPLAN_SHARED_DATA`` points elsewhere than ../shared/data).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from crimeplan.hotspots import analysis
from crimeplan.hotspots.gistar import gi_star
from crimeplan.hotspots.grid import build_grid

REPEATS = 5
CELL_M = 250
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
DISTRICTS = [f"E07{n:06d}" for n in range(66, 78)] + ["E06000033", "E06000034"]


def shared_data() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    return Path(os.environ.get("CRIMEPLAN_SHARED_DATA", default))


def load(data: Path) -> tuple[shapely.Geometry, np.ndarray, np.ndarray]:
    polygons, lsoas = [], set()
    for district in DISTRICTS:
        collection = json.loads((data / "geo/boundaries/lsoa" / f"{district}.geojson").read_text())
        for feature in collection["features"]:
            polygons.append(shapely.geometry.shape(feature["geometry"]))
            lsoas.add(feature["properties"]["LSOA21CD"])
    boundary = shapely.union_all(polygons)
    crimes = pd.concat(
        pd.read_csv(
            data / "policeuk" / month / f"{month}-essex-street.csv",
            usecols=["Longitude", "Latitude", "LSOA code"],
        )
        for month in MONTHS
    )
    crimes = crimes[crimes["LSOA code"].isin(lsoas)]
    return boundary, crimes["Longitude"].to_numpy(float), crimes["Latitude"].to_numpy(float)


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    """Median and best seconds of ``REPEATS`` runs after a warm-up, and the last result."""
    work()
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def main() -> int:
    data = shared_data()
    if not (data / "policeuk").is_dir():
        print(f"real data not found at {data} (set CRIMEPLAN_SHARED_DATA)", file=sys.stderr)
        return 1
    import esda
    import geopandas
    import libpysal

    warnings.filterwarnings("ignore")  # libpysal warns about disconnected components (islands)
    boundary, lon, lat = load(data)

    ours_s, ours_best, result = timed(lambda: analysis.run(boundary, lon, lat, cell_size=CELL_M))
    grid_s, _, grid = timed(lambda: build_grid(boundary, CELL_M))
    gi_s, _, _ = timed(lambda: gi_star(grid.raster(result.counts.astype(float)), grid.mask))
    y = result.counts.astype(float)
    west, south = grid.cell_west_south()
    squares = shapely.box(west, south, west + CELL_M, south + CELL_M)

    def esda_w() -> np.ndarray:
        w = libpysal.weights.Queen.from_iterable(list(squares))
        return esda.G_Local(y, w, star=True, transform="B", permutations=0).Zs

    def esda_graph() -> np.ndarray:
        g = libpysal.graph.Graph.build_contiguity(geopandas.GeoSeries(squares), rook=False)
        return esda.G_Local(y, g, star=True, transform="B", permutations=0).Zs

    w_s, w_best, z_w = timed(esda_w)
    graph_s, graph_best, z_graph = timed(esda_graph)

    print(f"Essex force area, {MONTHS[0]} to {MONTHS[-1]}, {CELL_M} m cells")
    print(
        f"  cells {result.n_cells:,}; crimes used {result.n_points_used:,}, "
        f"outside the cells {result.n_points_outside:,}, without location "
        f"{result.n_points_without_location:,}"
    )
    print(f"  hot 99% cells {result.class_counts()['hot 99%']:,}")
    print(f"  times: median (best) of {REPEATS} runs after one warm-up")
    print(
        f"  {'crimeplan run (grid + assign + Gi* + FDR)':<41} {ours_s * 1000:8.1f} ms "
        f"({ours_best * 1000:.1f})   of which grid {grid_s * 1000:.1f} ms, Gi* {gi_s * 1000:.1f} ms"
    )
    for name, seconds, best, z in (
        ("esda, Queen.from_iterable + G_Local", w_s, w_best, z_w),
        ("esda, Graph.build_contiguity + G_Local", graph_s, graph_best, z_graph),
    ):
        print(
            f"  {name:<41} {seconds * 1000:8.1f} ms ({best * 1000:.1f})   "
            f"ratio {seconds / ours_s:5.1f}x ({best / ours_best:.1f}x)   "
            f"max |Δz| {np.max(np.abs(np.asarray(z) - result.z)):.3g}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
