"""Benchmark: join (and write the join report) for a large synthetic set of records.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_join.py [ROWS]`` (default 100 000).

The records are built directly as the loader returns them (reading is timed by
``bench_pipeline.py``): 60 % with coordinates, 25 % with a P-code only, 15 % with a
region name only, spelled in several ways (accents, prefixes, aliases, typos that
need the fuzzy matcher). Prints the time of ``join``, of ``write_report`` and the
statuses, which must add up to the rows.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

import mali_map
from mali_map._join._model import RECORD_FIELDS

NAMES = ["Kayes", "Koulikouro", "Sikasso", "Région de Ségou", "SEGOU", "Mopti", "Timbuktu",
         "Gao", "Kidal", "District de Bamako", "Tombouctu", "Atlantis", "Ménaka"]
ORGS = [f"ONG {i}" for i in range(1, 61)]


def _points_mostly_in_mali(rng: np.random.Generator, rows: int) -> tuple[np.ndarray, ...]:
    """Random points, 95 % inside Mali's regions and the rest anywhere in its bounding box."""
    mali = shapely.union_all(mali_map.load_boundaries().adm1.geometry.values)
    lat = rng.uniform(10.1, 25.0, rows)
    lon = rng.uniform(-12.3, 4.3, rows)
    outside = ~shapely.contains_xy(mali, lon, lat) & (rng.random(rows) < 0.95)
    while outside.any():
        lat[outside] = rng.uniform(10.1, 25.0, outside.sum())
        lon[outside] = rng.uniform(-12.3, 4.3, outside.sum())
        outside[outside] = ~shapely.contains_xy(mali, lon[outside], lat[outside])
    return lat.round(5), lon.round(5)


def synthetic_records(rows: int, seed: int = 7) -> pd.DataFrame:
    """Records shaped like ``load_records`` output: 60 % points, 25 % P-codes, 15 % names."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(3, size=rows, p=[0.60, 0.25, 0.15])
    frame = pd.DataFrame({f: pd.Series([None] * rows, dtype=object) for f in RECORD_FIELDS})
    frame.insert(0, "row", np.arange(2, rows + 2))
    points = kind == 0
    lat, lon = _points_mostly_in_mali(rng, rows)
    frame["latitude"] = np.where(points, lat, np.nan)
    frame["longitude"] = np.where(points, lon, np.nan)
    swapped = points & (rng.random(rows) < 0.01)
    frame.loc[swapped, ["latitude", "longitude"]] = frame.loc[
        swapped, ["longitude", "latitude"]].to_numpy()
    codes = np.array([f"ML0{i}" for i in range(1, 10)] + ["ML0502", "ML99"], dtype=object)
    frame["adm1_pcode"] = np.where(kind == 1, codes[rng.integers(0, len(codes), rows)], None)
    names = np.array(NAMES, dtype=object)
    frame["adm1_name"] = np.where(kind == 2, names[rng.integers(0, len(names), rows)], None)
    frame["organisation"] = np.array(ORGS, dtype=object)[rng.integers(0, len(ORGS), rows)]
    frame["sector"] = np.array(["health", "wash", "education"], dtype=object)[
        rng.integers(0, 3, rows)]
    frame["reached"] = np.where(rng.random(rows) < 0.7, rng.integers(0, 5000, rows), np.nan)
    frame["precision"] = np.where(points, "point", "admin1")
    frame["issues"] = pd.Series([()] * rows, dtype=object)
    frame["invalid"] = pd.Series([None] * rows, dtype=object)
    return frame


def main(rows: int = 100_000) -> None:
    records = synthetic_records(rows)
    boundaries = mali_map.load_boundaries()
    start = time.perf_counter()
    result = mali_map.join(records, boundaries)
    joined = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = mali_map.write_report(result, Path(tmp) / "join-report.csv")
        written = time.perf_counter() - start
        size = path.stat().st_size / 1e6
    counts = mali_map.summarise(result)
    assert counts["rows"] == rows == sum(v for k, v in counts.items() if k != "rows")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {rows}  {counts}")
    print(f"{'join':>14}: {joined:7.2f} s")
    print(f"{'write_report':>14}: {written:7.2f} s  ({size:.1f} MB)")
    print(f"{'peak memory':>14}: {peak:7.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
