#!/usr/bin/env python3
"""Build ``data/context/neighbours.geojson``: the countries around Mali, for map context.

Source: Natural Earth 1:50m admin-0 countries (public domain), version 4.1.0, as
redistributed in the npm package ``world-atlas`` 2.0.2 (ISC) as TopoJSON. GDAL's
TopoJSON driver decodes it. Every country except Mali that reaches into the view
box around Mali is kept, clipped to that box, simplified and rounded; French and
English names and ISO 3166-1 alpha-3 codes come from the table below (public facts).
The output is deterministic.

Regenerate (from the repository root)::

    .venv/bin/python scripts/build_neighbours.py            # runs `npm pack world-atlas@2.0.2`
    .venv/bin/python scripts/build_neighbours.py --topojson /path/to/countries-50m.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "data" / "context" / "neighbours.geojson"
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-50m.json"
#: The view box (lon/lat) kept around Mali: every map of Mali fits inside it.
VIEW = (-18.5, 4.0, 10.0, 28.0)
TOLERANCE = 0.02
DECIMALS = 3

#: ISO 3166-1 numeric -> (alpha-3, French name, English name).
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "012": ("DZA", "Algérie", "Algeria"),
    "204": ("BEN", "Bénin", "Benin"),
    "854": ("BFA", "Burkina Faso", "Burkina Faso"),
    "120": ("CMR", "Cameroun", "Cameroon"),
    "384": ("CIV", "Côte d'Ivoire", "Côte d'Ivoire"),
    "270": ("GMB", "Gambie", "Gambia"),
    "288": ("GHA", "Ghana", "Ghana"),
    "324": ("GIN", "Guinée", "Guinea"),
    "624": ("GNB", "Guinée-Bissau", "Guinea-Bissau"),
    "430": ("LBR", "Libéria", "Liberia"),
    "434": ("LBY", "Libye", "Libya"),
    "478": ("MRT", "Mauritanie", "Mauritania"),
    "504": ("MAR", "Maroc", "Morocco"),
    "562": ("NER", "Niger", "Niger"),
    "566": ("NGA", "Nigéria", "Nigeria"),
    "686": ("SEN", "Sénégal", "Senegal"),
    "694": ("SLE", "Sierra Leone", "Sierra Leone"),
    "768": ("TGO", "Togo", "Togo"),
    "732": ("ESH", "Sahara occidental", "Western Sahara"),
    "148": ("TCD", "Tchad", "Chad"),
    "724": ("ESP", "Espagne", "Spain"),
}
MALI = "466"


class BuildError(RuntimeError):
    """The source could not be obtained or does not look as expected."""


def fetch(workdir: Path) -> Path:
    """``npm pack`` the source package into ``workdir`` and return the TopoJSON path."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed; pass --topojson")
    done = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=workdir, check=False,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"npm pack {PACKAGE} failed: {done.stderr.strip()[:200]}")
    archive = workdir / done.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extract(MEMBER, workdir, filter="data")
    return workdir / MEMBER


def build(topojson: Path) -> dict:
    """The neighbours as a GeoJSON FeatureCollection (dict), sorted by ISO code."""
    countries = gpd.read_file(topojson, layer="countries")
    view = box(*VIEW)
    features = []
    for code, geom in zip(countries["id"], countries.geometry, strict=True):
        code = str(code).zfill(3)
        if code == MALI or geom is None or not geom.intersects(view):
            continue
        if code not in COUNTRIES:
            raise BuildError(f"country {code} reaches the view but has no names in COUNTRIES")
        iso3, name_fr, name_en = COUNTRIES[code]
        clipped = shapely.make_valid(geom.intersection(view))
        clipped = clipped.simplify(TOLERANCE, preserve_topology=True)
        clipped = shapely.set_precision(clipped, 10 ** -DECIMALS)
        polygons = [g for g in getattr(clipped, "geoms", [clipped])
                    if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
        if not polygons:
            continue
        shape = shapely.unary_union(polygons)
        largest = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
        label = largest.representative_point()
        features.append({
            "type": "Feature",
            "properties": {"iso3": iso3, "name_fr": name_fr, "name_en": name_en,
                           "label_lon": round(label.x, DECIMALS),
                           "label_lat": round(label.y, DECIMALS)},
            "geometry": mapping(shape),
        })
    if len(features) < 7:
        raise BuildError(f"only {len(features)} neighbours found; expected Mali's 7 at least")
    features.sort(key=lambda f: f["properties"]["iso3"])
    return {"type": "FeatureCollection", "features": features}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="countries-50m.json (default: npm pack)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = args.topojson or fetch(Path(tmp))
            collection = build(source)
    except BuildError as exc:
        print(f"build_neighbours: {exc}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} countries, {len(text)} bytes to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
