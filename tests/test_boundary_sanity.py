"""Boundary sanity (issue 12 item 3): hostile or broken boundary files give one clear line."""

from __future__ import annotations

import json
import os
import warnings
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon, box

import mali_map
from mali_map import UnreadableFile, load_boundaries
from mali_map._cli._main import main

MOPTI = box(-4.5, 14.0, -3.5, 15.0)  # a square inside the Mopti region
SEGOU = box(-6.5, 13.0, -5.5, 14.0)  # a square inside the Ségou region


def _write(tmp_path, name, geometries, codes=None, crs="EPSG:4326", **kwargs):
    codes = codes or [f"ML0{i + 1}" for i in range(len(geometries))]
    frame = gpd.GeoDataFrame({"ADM1_PCODE": codes, "ADM1_FR": codes},
                             geometry=geometries, crs=crs)
    path = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns when a file is written with no CRS
        frame.to_file(path, **kwargs)
    return path


def _one_line(exc: pytest.ExceptionInfo, *fragments: str) -> str:
    text = str(exc.value)
    assert "\n" not in text
    for fragment in fragments:
        assert fragment in text, text
    return text


@pytest.mark.parametrize("shape", [Point(-4, 14.5), LineString([(-4, 14), (-3.8, 14.2)])],
                         ids=["point", "line"])
def test_points_and_lines_are_refused_naming_the_feature(tmp_path, shape):
    path = _write(tmp_path, "mixed.geojson", [MOPTI, shape])
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "mixed.geojson", f"feature 2 is a {shape.geom_type}", "must be polygons")


def test_null_and_empty_geometries_are_skipped_with_a_note(tmp_path):
    path = _write(tmp_path, "holes.geojson", [None, MOPTI, Polygon()],
                  codes=["ML01", "ML05", "ML07"])
    loaded = load_boundaries(path)
    assert list(loaded.adm1["pcode"]) == ["ML05"]
    assert loaded.adm1.geometry.notna().all() and not loaded.adm1.is_empty.any()
    assert any("skipped 2 features with no geometry (feature 1, 3)" in w
               for w in loaded.warnings)
    # Downstream no longer meets a missing geometry: aggregation over the units works.
    table = mali_map.load_records(mali_map.seed_records_path())
    totals = mali_map.unit_totals(mali_map.join(table, loaded))
    assert list(totals["pcode"]) == ["ML05"]


def test_overview_export_with_one_null_geometry(tmp_path, capsys):
    """Issue 12: exporting the overview with a null geometry in the boundaries crashed."""
    pytest.importorskip("matplotlib")
    regions = mali_map.load_boundaries().adm1[["pcode", "name", "geometry"]].copy()
    regions.loc[regions["pcode"] == "ML08", "geometry"] = None
    path = tmp_path / "regions.geojson"
    regions.rename(columns={"pcode": "ADM1_PCODE", "name": "ADM1_FR"}).to_file(path)
    out = tmp_path / "overview.png"
    assert main(["export", "--boundaries", str(path), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "skipped 1 feature with no geometry (feature 8)" in captured.out + captured.err
    assert out.read_bytes().startswith(b"\x89PNG")
    page = mali_map.interactive_map(mali_map.join_files(boundaries=path)).html
    assert "Kidal" not in page and "Gao" in page


def test_a_feature_with_neither_name_nor_code_is_refused(tmp_path):
    frame = gpd.GeoDataFrame({"admin1Pcode": ["ML05", None], "admin1Name": ["Mopti", " "]},
                             geometry=[MOPTI, SEGOU], crs="EPSG:4326")
    frame.to_file(tmp_path / "anon.geojson")
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(tmp_path / "anon.geojson")
    _one_line(info, "anon.geojson", "feature 2 has neither a name nor a code")


def test_a_polygon_without_area_is_refused(tmp_path):
    flat = Polygon([(-4, 14), (-3, 14), (-2, 14), (-4, 14)])  # collapses to a line when repaired
    path = _write(tmp_path, "flat.geojson", [MOPTI, flat], codes=["ML05", "ML04"])
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "flat.geojson", "feature 2 has no area")


def test_metres_without_a_crs_are_refused(tmp_path):
    utm = gpd.GeoSeries([MOPTI], crs="EPSG:4326").to_crs("EPSG:32630").iloc[0]
    path = _write(tmp_path, "utm.geojson", [utm], crs=None)
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    # GeoJSON without a CRS member is read as longitude/latitude: the numbers tell otherwise.
    _one_line(info, "utm.geojson", "says longitude/latitude", "not degrees")
    shp = _write(tmp_path, "utm.shp", [utm], crs=None)
    (tmp_path / "utm.prj").unlink(missing_ok=True)
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(shp)
    _one_line(info, "utm.shp", "has no CRS", "not degrees")


def test_degrees_without_a_crs_are_assumed_wgs84(tmp_path):
    path = _write(tmp_path, "nocrs.shp", [MOPTI], crs=None)
    (tmp_path / "nocrs.prj").unlink(missing_ok=True)
    loaded = load_boundaries(path)
    assert loaded.adm1.crs.to_epsg() == 4326
    assert any("no CRS given; assumed EPSG:4326" in w for w in loaded.warnings)


@pytest.mark.parametrize("where", [box(2.2, 48.7, 2.5, 49.0),         # Paris
                                   box(-17.6, 14.6, -17.3, 14.9),     # Dakar
                                   box(14.0, -5.0, 15.0, -4.0)],      # Congo
                         ids=["paris", "dakar", "swapped-into-congo"])
def test_boundaries_located_outside_mali_are_refused(tmp_path, where):
    # A Bamako drawn elsewhere would turn points in Paris or Dakar into "matched Bamako".
    path = _write(tmp_path, "elsewhere.geojson", [MOPTI, where], codes=["ML05", "ML09"])
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "elsewhere.geojson", "feature 2 ('ML09') lies outside Mali")


def test_latitude_longitude_swapped_file_is_refused(tmp_path):
    swapped = Polygon([(y, x) for x, y in MOPTI.exterior.coords])
    path = _write(tmp_path, "swapped.geojson", [swapped], codes=["ML05"])
    with pytest.raises(UnreadableFile, match="lies outside Mali"):
        load_boundaries(path)


def test_a_file_covering_part_of_mali_is_accepted(tmp_path):
    path = _write(tmp_path, "two.geojson", [MOPTI, SEGOU], codes=["ML05", "ML04"])
    assert sorted(load_boundaries(path).adm1["pcode"]) == ["ML04", "ML05"]


def test_duplicate_codes_are_refused_naming_both_features(tmp_path):
    path = _write(tmp_path, "dup.geojson", [MOPTI, SEGOU], codes=["ML05", "ml05"])
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "dup.geojson", "'ML05' appears on features 1 and 2")


def test_duplicate_names_are_reported(tmp_path):
    frame = gpd.GeoDataFrame({"admin2Pcode": ["ML0505", "ML0402"],
                              "admin2Name": ["Koro", "KORO"]},
                             geometry=[MOPTI, SEGOU], crs="EPSG:4326")
    frame.to_file(tmp_path / "names.geojson")
    loaded = load_boundaries(adm2=tmp_path / "names.geojson")
    assert len(loaded.adm2) == 2
    assert any("'Koro' is used by 2 units (ML0505, ML0402)" in w for w in loaded.warnings)


def test_multi_layer_geopackage_needs_a_layer(tmp_path):
    path = tmp_path / "mli.gpkg"
    for layer, geom, code in (("regions", MOPTI, "ML05"), ("other", SEGOU, "ML04")):
        gpd.GeoDataFrame({"admin1Pcode": [code]}, geometry=[geom],
                         crs="EPSG:4326").to_file(path, layer=layer)
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "mli.gpkg", "has 2 layers (regions, other)", "--layer")
    assert list(load_boundaries(path, layer="other").adm1["pcode"]) == ["ML04"]
    with pytest.raises(UnreadableFile, match="no layer 'nope'; its layers are regions, other"):
        load_boundaries(path, layer="nope")


def test_cli_layer_option_chooses_the_layer(tmp_path, capsys):
    path = tmp_path / "mli.gpkg"
    for layer in ("a", "b"):
        gpd.GeoDataFrame({"admin1Pcode": ["ML05"]}, geometry=[MOPTI],
                         crs="EPSG:4326").to_file(path, layer=layer)
    seed = str(mali_map.seed_records_path())
    code = main(["validate", "--records", seed, "--boundaries", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "has 2 layers (a, b)" in err and len(err.strip().splitlines()) == 1
    chosen = ["validate", "--records", seed, "--boundaries", str(path), "--layer", "b"]
    assert main(chosen) in (0, 1)


def _zip_shapefile(tmp_path, folder_in_zip, names=("mli_adm1",)):
    archive = tmp_path / "mli.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in names:
            shp_dir = tmp_path / f"shp_{name}"
            shp_dir.mkdir()
            _write(shp_dir, f"{name}.shp", [MOPTI], codes=["ML05"])
            for part in shp_dir.iterdir():
                zf.write(part, f"{folder_in_zip}{part.name}")
    return archive


def test_zipped_shapefile_inside_a_folder_is_read(tmp_path):
    archive = _zip_shapefile(tmp_path, "mli_adm_2019/shapefiles/")
    assert list(load_boundaries(archive).adm1["pcode"]) == ["ML05"]


def test_zip_with_two_shapefiles_asks_for_one(tmp_path):
    archive = _zip_shapefile(tmp_path, "data/", names=("adm1", "adm2"))
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(archive)
    _one_line(info, "holds 2 shapefiles (data/adm1.shp, data/adm2.shp)")
    assert list(load_boundaries(archive, layer="adm1").adm1["pcode"]) == ["ML05"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_table_given_as_boundaries_is_one_clear_line(tmp_path, capsys, suffix):
    path = tmp_path / f"regions{suffix}"
    table = pd.DataFrame({"name": ["Kayes"], "code": ["ML01"]})
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_excel(path, index=False)
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, f"regions{suffix}", "is a table", "not a boundary file")
    seed = str(mali_map.seed_records_path())
    assert main(["validate", "--records", seed, "--boundaries", str(path)]) == 2
    assert main(["validate", "--records", seed, "--adm2", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("is a table") == 2


def test_codes_that_are_not_pcodes_keep_pcode_semantics(tmp_path):
    # A file of Mali's regions with its own codes: units are recognised by outline, so a
    # record located by a successor name (Ménaka) or a P-code no longer crashes the join.
    regions = load_boundaries().adm1
    frame = regions[["geometry"]].copy()
    frame["nom"] = [f"Zone {i}" for i in range(9)]
    frame["code"] = [f"Z{i}" for i in range(9)]
    path = tmp_path / "zones.geojson"
    frame.to_file(path)
    loaded = load_boundaries(path, name_column="nom", code_column="code")
    assert list(loaded.adm1["pcode"]) == [f"ML0{i}" for i in range(1, 10)]
    assert list(loaded.adm1["code"]) == [f"Z{i}" for i in range(9)]
    assert any("recognised by outline" in w for w in loaded.warnings)
    records = tmp_path / "records.csv"
    records.write_text("organisation,sector,region,latitude,longitude,beneficiaries\n"
                       "A,Health,Ménaka,15.92,2.40,5\nB,Health,Zone 4,,,3\n", encoding="utf-8")
    result = mali_map.join_files(records, path, name_column="nom", code_column="code")
    assert list(result.report["pcode"]) == ["ML07", "ML05"]


def test_broken_topojson_arcs_are_one_clear_line(tmp_path):
    topo = {"type": "Topology", "arcs": [[[-4.5, 14.0], [-3.5, 14.0], [-3.5, 15.0],
                                          [-4.5, 15.0], [-4.5, 14.0]]],
            "objects": {"regions": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": {"admin1Pcode": "ML05"}},
                {"type": "Polygon", "arcs": [[7]], "properties": {"admin1Pcode": "ML04"}}]}}}
    path = tmp_path / "broken.topojson"
    path.write_text(json.dumps(topo))
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(path)
    _one_line(info, "broken.topojson", "object 'regions', geometry 2 refers to arc 7",
              "has 1 arc")
    topo["arcs"][0] = [[-4.5]]
    path.write_text(json.dumps(topo))
    with pytest.raises(UnreadableFile, match="arc 0 is not a list of at least two positions"):
        load_boundaries(path)


# --------------------------------------------------------------------------- fuzzing

#: Same profiles as tests/test_fuzz.py: HYPOTHESIS_PROFILE=thorough runs 10 000 examples.
FUZZ_EXAMPLES = 10_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 40
EXAMPLE_DEADLINE_MS = 5_000  # longer counts as a hang
_coord = st.floats(min_value=-2e6, max_value=2e6, allow_nan=False, allow_infinity=False)
_mali_coord = st.tuples(st.floats(-12.0, 4.0), st.floats(10.5, 24.5))


@st.composite
def _geometry(draw):
    kind = draw(st.sampled_from(["Polygon", "Point", "LineString", None, "MaliPolygon"]))
    if kind is None:
        return None
    if kind == "Point":
        return {"type": "Point", "coordinates": [draw(_coord), draw(_coord)]}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": [[draw(_coord), draw(_coord)]
                                                       for _ in range(draw(st.integers(2, 4)))]}
    if kind == "MaliPolygon":
        x, y = draw(_mali_coord)
        size = draw(st.floats(0.01, 1.0))
        ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
        return {"type": "Polygon", "coordinates": [ring]}
    ring = [[draw(_coord), draw(_coord)] for _ in range(draw(st.integers(3, 6)))]
    return {"type": "Polygon", "coordinates": [ring + ring[:1]]}


_text = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(
    ["ML01", "ML05", "ml0503", "ML-BKO", "Mopti", "Ségou", "=HYPERLINK(1)", "Z9"]))


@given(features=st.lists(st.fixed_dictionaries({
    "geometry": _geometry(), "properties": st.fixed_dictionaries({
        "admin1Pcode": _text, "admin1Name": _text})}), max_size=5),
       crs=st.sampled_from([None, "EPSG:4326", "EPSG:3857", "EPSG:32630"]))
@settings(max_examples=FUZZ_EXAMPLES, deadline=EXAMPLE_DEADLINE_MS,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_geojson_loads_or_fails_with_one_line(tmp_path, features, crs):
    collection = {"type": "FeatureCollection",
                  "features": [{"type": "Feature", **f} for f in features]}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / "fuzz.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    try:
        loaded = load_boundaries(path)
    except mali_map.MaliMapError as exc:
        assert "\n" not in str(exc) and "fuzz.geojson" in str(exc)
        return
    units = loaded.adm1
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not units.is_empty.any() and units.is_valid.all()
    assert units["pcode"].is_unique
    x_min, y_min, x_max, y_max = units.total_bounds
    assert x_min >= -13 and x_max <= 5 and y_min >= 9.5 and y_max <= 26  # located in Mali


@given(data=st.binary(max_size=300), suffix=st.sampled_from(
    [".geojson", ".json", ".topojson", ".gpkg", ".zip", ".shp"]))
@settings(max_examples=FUZZ_EXAMPLES, deadline=EXAMPLE_DEADLINE_MS,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_bytes_never_raise_anything_but_a_one_line_error(tmp_path, data, suffix):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    try:
        load_boundaries(path)
    except mali_map.MaliMapError as exc:
        assert "\n" not in str(exc)
