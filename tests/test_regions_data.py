"""Checks on the embedded Mali boundaries (regions and cercles) and on their build script."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "regions" / "mali_adm1.geojson"
CERCLES = REPO / "data" / "regions" / "mali_adm2.geojson"
PCODE_TABLE = REPO / "data" / "regions" / "cercle_pcodes.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
GB_DIR = SHARED / "data" / "geoboundaries-mli"
GEOBOUNDARIES = GB_DIR / "geoBoundaries-MLI-ADM1_simplified.geojson"
GEOBOUNDARIES_ADM2 = GB_DIR / "geoBoundaries-MLI-ADM2_simplified.geojson"
EQUAL_AREA = "EPSG:6933"

EXPECTED = {  # P-code -> (ISO 3166-2, French name), from OCHA COD-AB and ISO 3166-2:ML
    "ML01": ("ML-1", "Kayes"),
    "ML02": ("ML-2", "Koulikoro"),
    "ML03": ("ML-3", "Sikasso"),
    "ML04": ("ML-4", "Ségou"),
    "ML05": ("ML-5", "Mopti"),
    "ML06": ("ML-6", "Tombouctou"),
    "ML07": ("ML-7", "Gao"),
    "ML08": ("ML-8", "Kidal"),
    "ML09": ("ML-BKO", "Bamako"),
}


def _load_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", REPO / "scripts" / "build_boundaries.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_boundaries", module)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()


@pytest.fixture(scope="module")
def regions() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA)


@pytest.fixture(scope="module")
def areas(regions) -> dict[str, float]:
    """Area of each unit in km², keyed by P-code."""
    projected = regions.to_crs(EQUAL_AREA)
    return dict(zip(projected["adm1_pcode"], projected.area / 1e6, strict=True))


# --------------------------------------------------------------------------- the data file


def test_nine_units_in_wgs84(regions):
    assert len(regions) == 9
    assert regions.crs.to_epsg() == 4326


def test_codes_and_names(regions):
    assert list(regions["adm1_pcode"]) == sorted(EXPECTED)  # sorted by P-code
    got = {r.adm1_pcode: (r.iso_3166_2, r.name_fr) for r in regions.itertuples()}
    assert got == EXPECTED
    assert regions["iso_3166_2"].is_unique
    names_en = dict(zip(regions["adm1_pcode"], regions["name_en"], strict=True))
    assert names_en["ML06"] == "Timbuktu"
    assert names_en["ML04"] == "Segou"


def test_aliases_cover_common_spellings(regions):
    aliases = {r.adm1_pcode: r.aliases.split(";") for r in regions.itertuples()}
    for pcode, (_, name_fr) in EXPECTED.items():
        assert name_fr in aliases[pcode]
    assert "Koulikouro" in aliases["ML02"]  # geoBoundaries spelling
    assert {"Segou", "Ségou"} <= set(aliases["ML04"])
    assert {"Timbuktu", "Tombouctou", "Tomboctou"} <= set(aliases["ML06"])
    assert {"District de Bamako", "Bamako District"} <= set(aliases["ML09"])
    every = [a for names in aliases.values() for a in names]
    assert len(every) == len(set(every)), "an alias points at two units"


def test_geometries_valid_nonempty_and_rfc7946_oriented(regions):
    assert regions.is_valid.all()
    assert not regions.is_empty.any()
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    for geom in regions.geometry:
        for poly in getattr(geom, "geoms", [geom]):
            assert shapely.is_ccw(poly.exterior)  # RFC 7946: exterior rings anticlockwise
            assert not any(shapely.is_ccw(hole) for hole in poly.interiors)


def test_within_mali_bounding_box(regions):
    mali = box(-12.3, 10.1, 4.3, 25.0)
    assert regions.within(mali).all()


def test_coordinates_have_at_most_five_decimals():
    text = DATA.read_text(encoding="utf-8")
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"][0]
    assert all(round(v, 5) == v for point in coords for v in point)
    assert DATA.stat().st_size < 150_000


def test_total_area_is_mali(areas):
    total = sum(areas.values())
    assert abs(total / 1_240_000 - 1) < 0.05, total


def test_units_do_not_overlap(regions):
    projected = regions.to_crs(EQUAL_AREA)
    union_area = shapely.union_all(projected.geometry.values).area
    assert union_area == pytest.approx(projected.area.sum(), rel=1e-6)


def test_smallest_and_largest(areas):
    assert min(areas, key=areas.get) == "ML09"  # Bamako
    assert max(areas, key=areas.get) == "ML06"  # Tombouctou


def test_bamako_sits_inside_koulikoro(regions):
    geoms = dict(zip(regions["adm1_pcode"], regions.geometry, strict=True))
    bamako, koulikoro = geoms["ML09"], geoms["ML02"]
    assert bamako.within(koulikoro.envelope)
    assert bamako.within(Polygon(koulikoro.exterior))  # in the hole of Koulikoro's outline
    assert bamako.intersection(koulikoro).area < 1e-9


# --------------------------------------------------------------------------- the cercles


@pytest.fixture(scope="module")
def cercles() -> gpd.GeoDataFrame:
    return gpd.read_file(CERCLES)


@pytest.fixture(scope="module")
def table() -> list[dict[str, str]]:
    with PCODE_TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_pcode_table_has_49_cercles_and_bamako(table):
    codes = [r["adm2_pcode"] for r in table]
    assert len(codes) == 50 == len(set(codes))
    assert sum(r["adm1_pcode"] == "ML09" for r in table) == 1  # Bamako district, no cercle
    assert all(r["adm2_pcode"].startswith(r["adm1_pcode"]) for r in table)
    per_region = {p: sum(r["adm1_pcode"] == p for r in table) for p in EXPECTED}
    assert per_region == {"ML01": 7, "ML02": 7, "ML03": 7, "ML04": 7, "ML05": 8, "ML06": 5,
                          "ML07": 4, "ML08": 4, "ML09": 1}
    by_code = {r["adm2_pcode"]: r["name_fr"] for r in table}
    # OCHA numbers cercles alphabetically within a region (not capital first).
    assert (by_code["ML0101"], by_code["ML0103"], by_code["ML0503"]) == (
        "Bafoulabé", "Kayes", "Djenné")
    assert by_code["ML0901"] == "Bamako"


def test_cercles_file_matches_the_table(cercles, table):
    assert cercles.crs.to_epsg() == 4326
    assert list(cercles["adm2_pcode"]) == sorted(r["adm2_pcode"] for r in table)
    rows = {r["adm2_pcode"]: r for r in table}
    for c in cercles.itertuples():
        assert (c.adm1_pcode, c.name_fr, c.name_en) == (
            rows[c.adm2_pcode]["adm1_pcode"], rows[c.adm2_pcode]["name_fr"],
            rows[c.adm2_pcode]["name_en"])
        assert c.name_fr in c.aliases.split(";")


def test_cercle_geometries_valid_oriented_and_a_coverage(cercles):
    assert cercles.is_valid.all() and not cercles.is_empty.any()
    assert set(cercles.geom_type) <= {"Polygon", "MultiPolygon"}
    assert shapely.coverage_is_valid(cercles.geometry.values)
    for geom in cercles.geometry:
        for poly in getattr(geom, "geoms", [geom]):
            assert shapely.is_ccw(poly.exterior)


def test_parents_by_containment_agree_with_the_table(cercles, regions):
    points = gpd.GeoDataFrame(geometry=cercles.representative_point(), crs=cercles.crs)
    hits = gpd.sjoin(points, regions[["adm1_pcode", "geometry"]], predicate="within")
    assert len(hits) == 50
    assert (hits["adm1_pcode"].values == cercles.loc[hits.index, "adm1_pcode"].values).all()


def test_regions_are_the_union_of_their_cercles(cercles, regions):
    # Both levels share every edge: the regions are dissolved from the cercles.
    for region in regions.itertuples():
        parts = cercles.loc[cercles["adm1_pcode"] == region.adm1_pcode].geometry.values
        union = shapely.coverage_union_all(parts)
        assert union.symmetric_difference(region.geometry).area < 1e-9


def test_data_files_are_small():
    assert DATA.stat().st_size < 150_000
    assert CERCLES.stat().st_size < 250_000


def test_regions_union_covers_mali(regions):
    mali = shapely.union_all(regions.geometry.values)
    for lon, lat, where in [(-8.0, 12.65, "Bamako"), (-3.0, 16.77, "Tombouctou"),
                            (1.41, 18.44, "Kidal"), (2.40, 15.92, "Ménaka"),
                            (-11.44, 14.45, "Kayes"), (-4.5, 23.0, "Taoudénit area")]:
        assert mali.contains(shapely.Point(lon, lat)), where
    for lon, lat in [(2.35, 48.85), (-17.45, 14.69), (-1.52, 12.37)]:  # Paris, Dakar, Ouagadougou
        assert not mali.contains(shapely.Point(lon, lat))


# --------------------------------------------------------------------------- vs geoBoundaries

needs_shared = pytest.mark.skipif(
    not GEOBOUNDARIES.exists(),
    reason=f"geoBoundaries reference not available (no {GEOBOUNDARIES})",
)


@pytest.fixture(scope="module")
def iou() -> dict[str, float]:
    ours = gpd.read_file(DATA).to_crs(EQUAL_AREA).set_index("iso_3166_2").geometry
    ref = gpd.read_file(GEOBOUNDARIES).to_crs(EQUAL_AREA).set_index("shapeISO").geometry
    return {
        iso: ours[iso].intersection(ref[iso]).area / ours[iso].union(ref[iso]).area
        for iso in ours.index
    }


@needs_shared
@pytest.mark.parametrize("iso", [iso for iso, _ in EXPECTED.values()])
def test_iou_with_geoboundaries(iou, iso):
    assert iou[iso] >= 0.95


@needs_shared
def test_bamako_is_the_official_outline(iou):
    # Issue 9: the old Natural Earth oval had IoU 0.57; a point in southern Bamako fell in
    # Koulikoro.
    assert iou["ML-BKO"] > 0.9
    bamako = gpd.read_file(DATA).set_index("adm1_pcode").geometry["ML09"]
    assert bamako.contains(shapely.Point(-7.95, 12.56))  # south bank, Kalaban Coura area


@needs_shared
def test_every_cercle_close_to_geoboundaries(cercles):
    ref = gpd.read_file(GEOBOUNDARIES_ADM2).to_crs(EQUAL_AREA).set_index("shapeID").geometry
    ours = cercles.to_crs(EQUAL_AREA).set_index("gb_shape_id").geometry
    assert sorted(ours.index) == sorted(ref.index)
    worst = min(ours[i].intersection(ref[i]).area / ours[i].union(ref[i]).area
                for i in ours.index)
    assert worst > 0.9


# --------------------------------------------------------------------------- build script


@needs_shared
def test_build_is_byte_identical_to_the_shipped_files(tmp_path):
    assert build.main(["--source", str(GB_DIR), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "mali_adm1.geojson").read_bytes() == DATA.read_bytes()
    assert (tmp_path / "mali_adm2.geojson").read_bytes() == CERCLES.read_bytes()


def _fake_source(tmp_path: Path, adm2_names: list[str], adm1_iso: str = "ML-5") -> Path:
    """One region square and cercles side by side inside it."""
    n = len(adm2_names)
    adm1 = gpd.GeoDataFrame({"shapeName": ["R"], "shapeISO": [adm1_iso]},
                            geometry=[box(-5, 14, -5 + n, 15)], crs="EPSG:4326")
    adm2 = gpd.GeoDataFrame({"shapeName": adm2_names, "shapeID": [f"id{i}" for i in range(n)]},
                            geometry=[box(-5 + i, 14, -4 + i, 15) for i in range(n)],
                            crs="EPSG:4326")
    adm1.to_file(tmp_path / build.ADM1_FILE)
    adm2.to_file(tmp_path / build.ADM2_FILE)
    return tmp_path


def test_assign_codes_refuses_an_unknown_cercle(tmp_path):
    src = _fake_source(tmp_path, ["Djenne", "Atlantis"])
    with pytest.raises(build.BuildError, match="Atlantis"):
        build.assign_codes(gpd.read_file(src / build.ADM2_FILE),
                           gpd.read_file(src / build.ADM1_FILE), build.read_pcode_table())


def test_assign_codes_refuses_a_cercle_in_the_wrong_region(tmp_path):
    rows = [r for r in build.read_pcode_table() if r["adm2_pcode"] in {"ML0503", "ML0101"}]
    src = _fake_source(tmp_path, ["Djenne", "Bafoulabe"])  # Bafoulabé is in Kayes, not Mopti
    with pytest.raises(build.BuildError, match="Bafoulabé lies in"):
        build.assign_codes(gpd.read_file(src / build.ADM2_FILE),
                           gpd.read_file(src / build.ADM1_FILE), rows)


def test_assign_codes_matches_names_without_accents(tmp_path):
    rows = [r for r in build.read_pcode_table() if r["adm1_pcode"] == "ML05"]
    names = ["Bandiagara", "Bankass", "Djenne", "Douentza", "Koro", "Mopti", "Tenenkou",
             "Youwarou"]
    src = _fake_source(tmp_path, names)
    got = build.assign_codes(gpd.read_file(src / build.ADM2_FILE),
                             gpd.read_file(src / build.ADM1_FILE), rows)
    assert [r["adm2_pcode"] for r in got] == [f"ML050{i}" for i in range(1, 9)]


def test_geojson_text_is_deterministic_and_short():
    feature = {"properties": {"b": "é", "a": 1},
               "geometry": {"type": "Point", "coordinates": (1.0, 2.123456789)}}
    text = build.to_geojson_text([feature])
    assert '"properties":{"b":"é","a":1}' in text
    assert '"coordinates":[1,2.12346]' in text
    assert text == build.to_geojson_text([feature])
