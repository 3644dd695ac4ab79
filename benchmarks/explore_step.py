"""``GeoDataFrame.explore()`` of the joined records: the comparison for mali-map's pages.

Run by ``run.py`` as a child process with folium on ``sys.path`` (a folder the benchmark
installs it into, never a mali-map dependency):
``python benchmarks/explore_step.py FILE OUT.html [EXTRA_SYS_PATH]``.

Joins FILE with mali-map (as ``mali-map build`` does), then maps every placed record as
a point: its own coordinates, or the representative point of its region when it was
placed by P-code or name. Prints one JSON object with the join and explore() times.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

COLUMNS = ["organisation", "sector", "activity", "status", "start_date", "reached", "pcode",
           "admin_name"]


def main(records: Path, out: Path) -> dict:
    import geopandas as gpd

    import mali_map

    start = time.perf_counter()
    result = mali_map.join_files(records)
    joined = time.perf_counter() - start

    start = time.perf_counter()
    placed = result.mapped
    centres = result.boundaries.adm1.set_index("pcode").geometry.representative_point()
    geometry = placed.geometry.copy()
    missing = geometry.isna() | geometry.is_empty
    geometry[missing] = centres.reindex(placed.loc[missing, "pcode"]).to_numpy()
    frame = gpd.GeoDataFrame(placed[COLUMNS].astype(object), geometry=geometry.to_numpy(),
                             crs=4326)
    folium_map = frame.explore()
    folium_map.save(str(out))
    explored = time.perf_counter() - start
    return {"join_s": joined, "explore_s": explored, "features": len(frame),
            "by_coordinates": int((~missing).sum()), "by_region_point": int(missing.sum())}


if __name__ == "__main__":
    if len(sys.argv) > 3:
        sys.path.append(sys.argv[3])  # after the main environment: its packages win
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
