"""The embedded context layer: Mali's neighbours, named in French and English."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import shapely

from mali_map._reference._context import load_neighbours

LAND_NEIGHBOURS = {"DZA", "NER", "BFA", "CIV", "GIN", "SEN", "MRT"}


def test_every_land_neighbour_is_there_and_touches_mali(embedded):
    neighbours = load_neighbours()
    assert set(neighbours["iso3"]) >= LAND_NEIGHBOURS
    mali = shapely.unary_union(embedded.adm1.geometry.values)
    for row in neighbours[neighbours["iso3"].isin(LAND_NEIGHBOURS)].itertuples():
        assert row.geometry.distance(mali) < 0.1, row.iso3


def test_neighbours_do_not_cover_mali(embedded):
    mali = shapely.unary_union(embedded.adm1.geometry.values)
    overlap = shapely.unary_union(load_neighbours().geometry.values).intersection(mali)
    assert overlap.area < 0.01 * mali.area


def test_names_in_both_languages_and_label_points_inside():
    neighbours = load_neighbours()
    assert neighbours.crs.to_epsg() == 4326
    assert neighbours["name_fr"].str.len().gt(0).all()
    assert neighbours["name_en"].str.len().gt(0).all()
    row = neighbours.set_index("iso3").loc["DZA"]
    assert (row["name_fr"], row["name_en"]) == ("Algérie", "Algeria")
    for row in neighbours.itertuples():
        point = shapely.Point(row.label_lon, row.label_lat)
        assert row.geometry.buffer(1e-3).contains(point), row.iso3


def test_rebuild_is_deterministic(tmp_path, repo_root):
    """The script rebuilds the shipped file byte for byte (needs npm and the registry)."""
    source = tmp_path / "countries-50m.json"
    packed = subprocess.run(["npm", "pack", "world-atlas@2.0.2", "--silent"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    if packed.returncode != 0:
        pytest.skip(f"npm pack world-atlas@2.0.2 unavailable: {packed.stderr.strip()[:120]}")
    subprocess.run(["tar", "xzf", packed.stdout.strip().splitlines()[-1], "--strip-components=1",
                    "package/countries-50m.json"], cwd=tmp_path, check=True)
    out = tmp_path / "neighbours.geojson"
    subprocess.run([sys.executable, str(repo_root / "scripts" / "build_neighbours.py"),
                    "--topojson", str(source), "--output", str(out)], check=True,
                   capture_output=True)
    shipped = repo_root / "data" / "context" / "neighbours.geojson"
    assert out.read_bytes() == shipped.read_bytes()
    assert json.loads(out.read_text("utf-8"))["type"] == "FeatureCollection"
