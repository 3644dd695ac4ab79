"""The floor a build is compared with: read the 3W file with pandas, locate its points.

Run by ``run.py`` as a child process: ``python benchmarks/floor_step.py FILE``. Reads the
file with each pandas engine available (``c``, and ``pyarrow`` when importable) and
locates every row with coordinates in the 9 embedded regions with shapely's vectorised
``contains_xy``. Prints one JSON object: seconds per engine, the point-in-polygon time,
how many points fell in a region, and the floor (fastest read + point-in-polygon).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

REGIONS = Path(__file__).resolve().parent.parent / "data" / "regions" / "mali_adm1.geojson"


def read(path: Path, engine: str) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", encoding="cp1252", engine=engine)


def locate(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Index of the region holding each point, -1 for none."""
    features = json.loads(REGIONS.read_text(encoding="utf-8"))["features"]
    where = np.full(lon.size, -1, dtype=np.int16)
    for i, feature in enumerate(features):
        geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
        shapely.prepare(geometry)
        where[shapely.contains_xy(geometry, lon, lat) & (where < 0)] = i
    return where


def main(path: Path) -> dict:
    engines = ["c"]
    try:
        import pyarrow  # noqa: F401
        engines.append("pyarrow")
    except ImportError:
        pass
    reads, frame = {}, None
    for engine in engines:
        start = time.perf_counter()
        frame = read(path, engine)
        reads[engine] = time.perf_counter() - start
    start = time.perf_counter()
    lat = pd.to_numeric(frame["Latitude"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(frame["Longitude"], errors="coerce").to_numpy(float)
    has = ~(np.isnan(lat) | np.isnan(lon))
    where = locate(lon[has], lat[has])
    pip = time.perf_counter() - start
    fastest = min(reads, key=reads.get)
    return {"rows": len(frame), "read_s": reads, "fastest_engine": fastest,
            "points": int(has.sum()), "points_in_region": int((where >= 0).sum()),
            "pip_s": pip, "floor_s": reads[fastest] + pip}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
