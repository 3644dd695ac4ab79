"""Benchmark: load -> validate -> join -> aggregate -> HTML for a large synthetic 3W table.

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [ROWS]`` (default 20 000).
Prints the time of each stage, the peak resident memory and the overview page size.
Numbers measured on the development machine are kept in ``benchmarks/README.md``.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import mali_map

REGION_SPELLINGS = ["Kayes", "Koulikouro", "Sikasso", "Région de Ségou", "Mopti",
                    "Timbuktu", "Gao", "Kidal", "District de Bamako", "Tombouctu"]
SECTORS = ["Santé", "EHA", "Education", "Nutrition", "Protection", "Lutte antimines",
           "Sécurité alimentaire", "Réadaptation"]


def write_table(path: Path, rows: int, seed: int = 7) -> None:
    """A French, cp1252, `;`-separated 3W table: names, codes and coordinates mixed."""
    rng = random.Random(seed)
    lines = ["Organisation;Secteur;Activité;Région;P-code région;Latitude;Longitude;"
             "Date début;Statut;Bénéficiaires"]
    for i in range(rows):
        kind = i % 3
        region = rng.choice(REGION_SPELLINGS) if kind == 0 else ""
        pcode = f"ML0{rng.randint(1, 9)}" if kind == 1 else ""
        lat = f"{rng.uniform(11.0, 20.0):.5f}".replace(".", ",") if kind == 2 else ""
        lon = f"{rng.uniform(-11.0, 1.0):.5f}".replace(".", ",") if kind == 2 else ""
        lines.append(f"ONG {rng.randint(1, 60)};{rng.choice(SECTORS)};Activité {i};{region};"
                     f"{pcode};{lat};{lon};{rng.randint(2012, 2024)};en cours;"
                     f"{rng.randint(0, 5000)}")
    path.write_bytes("\n".join(lines).encode("cp1252"))


def main(rows: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big-3w.csv"
        write_table(table, rows)
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
