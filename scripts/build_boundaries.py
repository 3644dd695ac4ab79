#!/usr/bin/env python
"""Build the embedded Mali boundaries from geoBoundaries ADM1/ADM2 (gbOpen, CC BY 4.0).

Writes ``data/regions/mali_adm2.geojson`` (49 cercles + the District of Bamako, with
their OCHA COD-AB P-codes and parent regions) and ``data/regions/mali_adm1.geojson``
(the 9 pre-2016 first-level units, dissolved from the cercles so both levels share
every edge). Cercles get their P-code from ``data/regions/cercle_pcodes.csv`` by
name; their parent region comes from spatial containment in the geoBoundaries ADM1
and must agree with the table. The cercles are simplified together
(``shapely.coverage_simplify``, so no gaps or overlaps appear), rounded to 5
decimals and oriented per RFC 7946; one feature per line in a fixed key order, so
every run gives the same bytes.

Usage, from the repository root::

    .venv/bin/python scripts/build_boundaries.py [--source DIR] [--out DIR]

Exit status 1 with one line on stderr when the source does not look as expected.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "geoboundaries-mli"
DEFAULT_OUT = REPO / "data" / "regions"
ADM1_FILE = "geoBoundaries-MLI-ADM1_simplified.geojson"
ADM2_FILE = "geoBoundaries-MLI-ADM2_simplified.geojson"
PCODE_TABLE = REPO / "data" / "regions" / "cercle_pcodes.csv"
DECIMALS = 5
#: coverage_simplify tolerance (degrees): 11,846 -> ~8,350 vertices, Bamako IoU 0.99.
TOLERANCE = 0.005
EQUAL_AREA_CRS = "EPSG:6933"

sys.path.insert(0, str(REPO / "src"))
from mali_map._reference._gazetteer import ADM1  # noqa: E402  (the one list of region names and aliases)

#: (pcode, iso_3166_2, name_fr, name_en, extra alias spellings), from the gazetteer.
REGIONS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = tuple(
    (u.pcode, u.iso, u.name_fr, u.name_en, u.aliases) for u in ADM1)


class BuildError(RuntimeError):
    """The source does not look as expected."""


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only (for matching source names)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _aliases(*names: str) -> str:
    return ";".join(dict.fromkeys(n for n in names if n))


def read_pcode_table(path: Path = PCODE_TABLE) -> list[dict[str, str]]:
    """The cercle P-code table, checked: unique codes, parents ML01..ML09, prefix = parent."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [r["adm2_pcode"] for r in rows]
    if len(set(codes)) != len(codes):
        raise BuildError(f"{path}: duplicate P-codes")
    parents = {r[0] for r in REGIONS}
    for r in rows:
        if r["adm1_pcode"] not in parents or not r["adm2_pcode"].startswith(r["adm1_pcode"]):
            raise BuildError(f"{path}: {r['adm2_pcode']} has parent {r['adm1_pcode']}")
    return rows


def _name_index(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for r in rows:
        for name in (r["name_fr"], r["name_en"], *r["alternates"].split(";")):
            key = fold(name)
            if key and index.setdefault(key, r) is not r:
                raise BuildError(f"name {name!r} points at two cercles")
    return index


def assign_codes(adm2: Any, adm1: Any, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The table row of each geoBoundaries cercle, checked against spatial containment."""
    import geopandas as gpd

    index = _name_index(rows)
    iso_to_pcode = {r[1]: r[0] for r in REGIONS}
    matched = []
    for name in adm2["shapeName"]:
        row = index.get(fold(str(name)))
        if row is None:
            raise BuildError(f"geoBoundaries cercle {name!r} is not in {PCODE_TABLE.name}")
        matched.append(row)
    if len({r["adm2_pcode"] for r in matched}) != len(rows) or len(matched) != len(rows):
        raise BuildError(f"expected {len(rows)} distinct cercles, got {len(matched)}")
    points = gpd.GeoDataFrame(geometry=adm2.geometry.representative_point(), crs=adm2.crs)
    hits = gpd.sjoin(points, adm1[["shapeISO", "geometry"]], predicate="within")
    for i, row in enumerate(matched):
        isos = hits.loc[hits.index == i, "shapeISO"].tolist()
        if [iso_to_pcode.get(iso) for iso in isos] != [row["adm1_pcode"]]:
            raise BuildError(f"cercle {row['name_fr']} lies in {isos}, table says "
                             f"{row['adm1_pcode']}")
    return matched


def _rfc7946(geom: Any) -> Any:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if not isinstance(geom, Polygon | MultiPolygon) or geom.is_empty or not geom.is_valid:
        raise BuildError(f"unexpected geometry {geom.geom_type} (valid={geom.is_valid})")
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    return MultiPolygon([orient(p, sign=1.0) for p in shapely.get_parts(geom)])


def build(source: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(ADM1 features, ADM2 features), sorted by P-code."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import mapping

    adm1 = gpd.read_file(source / ADM1_FILE)
    adm2 = gpd.read_file(source / ADM2_FILE)
    rows = assign_codes(adm2, adm1, read_pcode_table())
    simple = shapely.coverage_simplify(adm2.geometry.values, TOLERANCE)
    simple = shapely.transform(simple, lambda xy: xy.round(DECIMALS))
    if not shapely.is_valid(simple).all() or not shapely.coverage_is_valid(simple):
        raise BuildError("simplified cercles are not a valid coverage")
    adm2_features = []
    for row, geom, shape_id in zip(rows, simple, adm2["shapeID"], strict=True):
        adm2_features.append({
            "properties": {
                "adm2_pcode": row["adm2_pcode"],
                "adm1_pcode": row["adm1_pcode"],
                "name_fr": row["name_fr"],
                "name_en": row["name_en"],
                "aliases": _aliases(row["name_fr"], row["name_en"],
                                    *row["alternates"].split(";")),
                "gb_shape_id": str(shape_id),
            },
            "geometry": mapping(_rfc7946(geom)),
        })
    adm2_features.sort(key=lambda f: f["properties"]["adm2_pcode"])
    adm1_features = []
    for pcode, iso, name_fr, name_en, extra in REGIONS:
        parts = [g for r, g in zip(rows, simple, strict=True) if r["adm1_pcode"] == pcode]
        geom = shapely.coverage_union_all(parts)
        adm1_features.append({
            "properties": {
                "adm1_pcode": pcode,
                "iso_3166_2": iso,
                "name_fr": name_fr,
                "name_en": name_en,
                "aliases": _aliases(name_fr, name_en, *extra, fold(name_fr).capitalize()),
            },
            "geometry": mapping(_rfc7946(geom)),
        })
    return adm1_features, adm2_features


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        text = repr(round(value, DECIMALS))
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, list | tuple):
        return "[" + ",".join(_fmt(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def to_geojson_text(features: list[dict[str, Any]]) -> str:
    """Deterministic RFC 7946 text: one feature per line, fixed key order, short floats."""
    lines = []
    for f in features:
        props = ",".join(f"{json.dumps(k)}:{_fmt(v)}" for k, v in f["properties"].items())
        geom = f["geometry"]
        lines.append('{"type":"Feature","properties":{' + props + '},"geometry":{"type":'
                     + json.dumps(geom["type"]) + ',"coordinates":'
                     + _fmt(geom["coordinates"]) + "}}")
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def compare_table(adm1_path: Path, source: Path) -> str:
    """Markdown: area (km², equal-area CRS) of each embedded unit and IoU with geoBoundaries."""
    import geopandas as gpd

    ours = gpd.read_file(adm1_path).to_crs(EQUAL_AREA_CRS).set_index("iso_3166_2")
    ref = gpd.read_file(source / ADM1_FILE).to_crs(EQUAL_AREA_CRS).set_index("shapeISO")
    rows = ["| P-code | ISO | Name | Area embedded (km²) | Area geoBoundaries ADM1 (km²) "
            "| IoU |", "|---|---|---|---:|---:|---:|"]
    for iso, row in ours.sort_values("adm1_pcode").iterrows():
        a, b = row.geometry, ref.loc[iso].geometry
        iou = a.intersection(b).area / a.union(b).area
        rows.append(f"| {row['adm1_pcode']} | {iso} | {row['name_fr']} | {a.area / 1e6:,.0f} "
                    f"| {b.area / 1e6:,.0f} | {iou:.3f} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with the geoBoundaries MLI ADM1/ADM2 GeoJSON files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    try:
        adm1, adm2 = build(args.source)
    except (BuildError, OSError) as exc:
        print(f"build_boundaries: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, features in (("mali_adm1.geojson", adm1), ("mali_adm2.geojson", adm2)):
        path = args.out / name
        path.write_text(to_geojson_text(features), encoding="utf-8", newline="\n")
        print(f"wrote {path} ({path.stat().st_size:,} bytes, {len(features)} units)")
    print(compare_table(args.out / "mali_adm1.geojson", args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
