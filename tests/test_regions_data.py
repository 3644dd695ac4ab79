"""Checks on the embedded Mali first-level boundaries and on the script that builds them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box, shape

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "regions" / "mali_adm1.geojson"
SHARED = Path(__file__).resolve().parents[2] / "shared"
GEOBOUNDARIES = (
    SHARED / "data" / "geoboundaries-mli" / "geoBoundaries-MLI-ADM1_simplified.geojson"
)
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
        "build_regions", REPO / "scripts" / "build_regions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_regions", module)
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


def test_natural_earth_ids_keep_the_koulikoro_bamako_clash(regions):
    ids = dict(zip(regions["adm1_pcode"], regions["ne_id"], strict=True))
    assert ids["ML02"] == ids["ML09"] == "ML.KK"
    assert ids["ML06"] == "ML.TB"


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


# --------------------------------------------------------------------------- vs geoBoundaries

needs_shared = pytest.mark.skipif(
    not GEOBOUNDARIES.exists(),
    reason=f"geoBoundaries reference not available (no {GEOBOUNDARIES})",
)

BAMAKO_GAP = "Natural Earth's Bamako is a coarse 18-vertex outline: IoU ~0.57 with geoBoundaries"


@pytest.fixture(scope="module")
def iou() -> dict[str, float]:
    ours = gpd.read_file(DATA).to_crs(EQUAL_AREA).set_index("iso_3166_2").geometry
    ref = gpd.read_file(GEOBOUNDARIES).to_crs(EQUAL_AREA).set_index("shapeISO").geometry
    return {
        iso: ours[iso].intersection(ref[iso]).area / ours[iso].union(ref[iso]).area
        for iso in ours.index
    }


@needs_shared
@pytest.mark.parametrize(
    "iso",
    [*(iso for iso, _ in EXPECTED.values() if iso != "ML-BKO"),
     pytest.param("ML-BKO", marks=pytest.mark.xfail(strict=True, reason=BAMAKO_GAP))],
)
def test_iou_with_geoboundaries(iou, iso):
    assert iou[iso] >= 0.8


@needs_shared
def test_bamako_iou_floor(iou):
    # Guards against regressions while the 0.8 target above is known to fail for Bamako.
    assert iou["ML-BKO"] >= 0.5


# --------------------------------------------------------------------------- build script

# Two unit squares sharing the edge x=11; quantised with scale (0.5, 0.25), translate (10, 20).
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "arcs": [
        [[2, 0], [0, 4]],                    # shared edge (11,20) -> (11,21)
        [[2, 4], [-2, 0], [0, -4], [2, 0]],  # west square, rest of its ring
        [[2, 0], [2, 0], [0, 4], [-2, 0]],   # east square, rest of its ring
    ],
    "objects": {"x": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "W", "properties": {"name": "West"}, "arcs": [[0, 1]]},
        {"type": "MultiPolygon", "id": "E", "properties": {"name": "East"}, "arcs": [[[-1, 2]]]},
    ]}},
}


def test_decoder_on_hand_made_topology():
    west, east = build.decode_topology(TINY)
    assert west["id"] == "W" and west["properties"] == {"name": "West"}
    assert west["geometry"] == {"type": "Polygon", "coordinates": [
        [(11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]]}
    assert east["geometry"] == {"type": "MultiPolygon", "coordinates": [[
        [(11.0, 21.0), (11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0)]]]}
    both = shapely.union_all([shape(west["geometry"]), shape(east["geometry"])])
    assert both.equals(box(10, 20, 12, 21))


def test_decoder_rejects_open_ring():
    broken = json.loads(json.dumps(TINY))
    broken["objects"]["x"]["geometries"][0]["arcs"] = [[1]]
    with pytest.raises(build.BuildError, match="closed ring"):
        build.decode_topology(broken)


def _fake_mali(names: list[tuple[str, str]]) -> dict:
    """A topology with one small square per (Natural Earth id, name), not quantised."""
    arcs, geometries = [], []
    for i, (ne_id, name) in enumerate(names):
        x = float(i)
        arcs.append([[x, 15.0], [x, 15.5], [x + 0.5, 15.5], [x + 0.5, 15.0], [x, 15.0]])
        geometries.append(
            {"type": "Polygon", "id": ne_id, "properties": {"name": name}, "arcs": [[i]]}
        )
    return {"type": "Topology", "arcs": arcs,
            "objects": {"mli": {"type": "GeometryCollection", "geometries": geometries}}}


def test_mapping_tells_bamako_from_koulikoro_by_name():
    features = build.build_features(_fake_mali(list(build.NE_TO_PCODE)))
    props = [f["properties"] for f in features]
    assert [p["adm1_pcode"] for p in props] == sorted(EXPECTED)
    by_pcode = {p["adm1_pcode"]: p for p in props}
    assert by_pcode["ML09"]["name_fr"] == "Bamako" and by_pcode["ML09"]["ne_id"] == "ML.KK"
    assert by_pcode["ML02"]["name_fr"] == "Koulikoro" and by_pcode["ML02"]["ne_id"] == "ML.KK"
    text = build.to_geojson_text(features)
    assert text == build.to_geojson_text(build.build_features(_fake_mali(list(build.NE_TO_PCODE))))
    assert json.loads(text)["features"][8]["properties"]["iso_3166_2"] == "ML-BKO"


@pytest.mark.parametrize(
    "change",
    [
        lambda units: units[:-1],                              # a unit missing
        lambda units: [*units[:-1], ("ML.KK", "Koulikoro")],   # Koulikoro twice, no Bamako
        lambda units: [*units, ("ML.ME", "Ménaka")],           # an unknown unit
    ],
    ids=["missing", "duplicate", "unknown"],
)
def test_mapping_fails_loudly_unless_exactly_nine(change):
    with pytest.raises(build.BuildError):
        build.build_features(_fake_mali(change(list(build.NE_TO_PCODE))))
