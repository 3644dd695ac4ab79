"""Where a build's time goes: load -> validate -> join -> aggregate -> HTML, in one process.

Run: ``python benchmarks/bench_pipeline.py [ROWS]`` (default 20 000), with mali-map
importable (e.g. ``PYTHONPATH=src``). Uses the same synthetic table as ``run.py``
(``synthetic.py``) and prints the time of each stage, the peak resident memory and the
overview page size. The whole-process benchmark of issue 8 is ``run.py``.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import synthetic

import mali_map


def main(rows: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big-3w.csv"
        synthetic.write(table, rows)
        timings = {}
        start = time.perf_counter()
        records = mali_map.load_records(table)
        timings["load + validate"] = time.perf_counter() - start
        boundaries = mali_map.load_boundaries()
        start = time.perf_counter()
        result = mali_map.join(records, boundaries)
        timings["join"] = time.perf_counter() - start
        start = time.perf_counter()
        mali_map.aggregate(result)
        timings["aggregate"] = time.perf_counter() - start
        start = time.perf_counter()
        pages = mali_map.render_site(result, Path(tmp) / "maps")
        timings["render HTML site"] = time.perf_counter() - start
        overview = Path(tmp) / "maps" / "index.html"
        counts = mali_map.summarise(result)
        print(f"rows: {rows}  {counts}")
        for stage, seconds in timings.items():
            print(f"{stage:>18}: {seconds:7.2f} s")
        print(f"{'pages':>18}: {len(pages)}")
        print(f"{'overview size':>18}: {overview.stat().st_size / 1e6:7.2f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'peak memory':>18}: {peak:7.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
