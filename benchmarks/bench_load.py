"""Benchmark: load + validate of a large French 3W table (issue 8, item 1).

Run: ``.venv/bin/python benchmarks/bench_load.py [ROWS]`` (default 100 000).

Writes a seeded synthetic file as a French Excel export would (cp1252, ``;``,
decimal commas; 10 columns: Organisation;Secteur;Activité;Région;P-code région;
Latitude;Longitude;Date début;Statut;Bénéficiaires) with 60 % of the rows located
by coordinates, 25 % by P-code only and 15 % by region name only, then times
``mali_map.load_records`` on it and prints the seconds and the peak resident
memory of the process (which includes writing the file).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REGIONS = ["Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao",
           "Kidal", "Bamako", "Région de Ségou"]
SECTORS = ["Santé", "EHA", "Éducation", "Nutrition", "Protection", "Lutte antimines",
           "Sécurité alimentaire", "Réadaptation"]
STATUSES = ["En cours", "Terminé", "Prévu", "Suspendu", "en cours"]


def write_table(path: Path, rows: int, seed: int = 8) -> None:
    """The synthetic table described in the module docstring."""
    rng = random.Random(seed)
    lines = ["Organisation;Secteur;Activité;Région;P-code région;Latitude;Longitude;"
             "Date début;Statut;Bénéficiaires"]
    for i in range(rows):
        kind = rng.random()
        region = pcode = lat = lon = ""
        if kind < 0.60:
            lat = f"{rng.uniform(11.0, 20.0):.5f}".replace(".", ",")
            lon = f"{rng.uniform(-11.0, 1.0):.5f}".replace(".", ",")
        elif kind < 0.85:
            pcode = f"ML0{rng.randint(1, 9)}"
        else:
            region = rng.choice(REGIONS)
        date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2012, 2024)}"
        lines.append(f"ONG {rng.randint(1, 200)};{rng.choice(SECTORS)};Activité {i};"
                     f"{region};{pcode};{lat};{lon};{date};{rng.choice(STATUSES)};"
                     f"{rng.randint(0, 5000)}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def main(rows: int = 100_000) -> None:
    import mali_map

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big-3w.csv"
        write_table(table, rows)
        size = table.stat().st_size / 1e6
        start = time.perf_counter()
        records = mali_map.load_records(table)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    located = int(records["invalid"].isna().sum())
    print(f"rows: {rows}  file: {size:.1f} MB  valid: {located}")
    print(f"load + validate: {seconds:.2f} s")
    print(f"peak memory (whole process): {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
