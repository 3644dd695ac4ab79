"""Boundary loading: embedded default, OCHA and geoBoundaries files, any CRS and format."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

import mali_map
from mali_map import InputFileNotFound, MissingColumns, UnreadableFile, load_boundaries

PCODES = [f"ML0{i}" for i in range(1, 10)]


def test_embedded_regions_and_cercles_are_the_default(embedded):
    # Issue 9 item 5: the default now carries the cercles (ADM2) too, from geoBoundaries.
    assert sorted(embedded.adm1["pcode"]) == PCODES
    assert embedded.adm1.crs.to_epsg() == 4326
    assert len(embedded.adm2) == 50
    assert set(embedded.adm2["parent_pcode"]) == set(PCODES)
    assert embedded.attribution == ("geoBoundaries (CC BY 4.0), from OCHA/DNCT data",)
    row = embedded.adm1.set_index("pcode").loc["ML06"]
    assert (row["name_fr"], row["name_en"], row["iso"]) == ("Tombouctou", "Timbuktu", "ML-6")


def _ocha_frame(embedded, codes, name_col, code_col):
    frame = embedded.adm1[["name", "geometry"]].copy()
    frame[code_col] = codes
    return frame.rename(columns={"name": name_col})


def test_ocha_geopackage_in_a_projected_crs_is_reprojected(embedded, tmp_path):
    codes = [f"MLI0{i}" for i in range(1, 10)]  # OCHA files often carry the MLI prefix
    frame = _ocha_frame(embedded, codes, "admin1Name", "admin1Pcode").to_crs("EPSG:32630")
    path = tmp_path / "mli_adm1.gpkg"
    frame.to_file(path)
    loaded = load_boundaries(path)
    assert sorted(loaded.adm1["pcode"]) == PCODES
    assert loaded.adm1.crs.to_epsg() == 4326
    original = embedded.adm1.set_index("pcode").loc["ML05"].geometry
    back = loaded.adm1.set_index("pcode").loc["ML05"].geometry
    assert original.symmetric_difference(back).area / original.area < 1e-6
    assert loaded.attribution == ("OCHA COD-AB",)


def test_zipped_shapefile_with_adm1_fr_columns(embedded, tmp_path):
    frame = _ocha_frame(embedded, [c.lower() for c in PCODES], "ADM1_FR", "ADM1_PCODE")
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "mli_admbnda_adm1.shp")
    archive = tmp_path / "mli_adm1.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    loaded = load_boundaries(archive)
    assert sorted(loaded.adm1["pcode"]) == PCODES
    assert loaded.adm1.set_index("pcode").loc["ML04", "name_fr"] == "Ségou"


def test_topojson_file_is_read(tmp_path):
    # Two unit squares sharing an arc, quantised: a minimal but real TopoJSON topology.
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-5.0, 14.0]},
        "objects": {"regions": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"admin1Name": "Mopti",
                                                                 "admin1Pcode": "ML05"}},
            {"type": "Polygon", "arcs": [[2, -1]], "properties": {"admin1Name": "Ségou",
                                                                  "admin1Pcode": "ML04"}},
        ]}},
        "arcs": [
            [[100, 0], [0, 100]],
            [[100, 100], [-100, 0], [0, -100], [100, 0]],
            [[100, 0], [100, 0], [0, 100], [-100, 0]],
        ],
    }
    path = tmp_path / "two.topojson"
    path.write_text(json.dumps(topo))
    loaded = load_boundaries(path)
    assert sorted(loaded.adm1["pcode"]) == ["ML04", "ML05"]
    mopti = loaded.adm1.set_index("pcode").loc["ML05"].geometry
    assert mopti.bounds == pytest.approx((-5.0, 14.0, -4.0, 15.0))


def test_invalid_geometry_is_repaired_with_a_warning(tmp_path):
    bowtie = Polygon([(-4, 14), (-3, 15), (-3, 14), (-4, 15), (-4, 14)])
    frame = gpd.GeoDataFrame({"ADM1_FR": ["Mopti"], "ADM1_PCODE": ["ML05"]},
                             geometry=[bowtie], crs="EPSG:4326")
    path = tmp_path / "bowtie.geojson"
    frame.to_file(path)
    loaded = load_boundaries(path)
    assert loaded.adm1.geometry.is_valid.all()
    assert any("repaired 1 invalid geometry" in w for w in loaded.warnings)


def test_geoboundaries_adm1_codes_come_from_shape_iso(geoboundaries):
    loaded = load_boundaries(geoboundaries / "geoBoundaries-MLI-ADM1_simplified.geojson")
    assert sorted(loaded.adm1["pcode"]) == PCODES
    by_code = loaded.adm1.set_index("pcode")
    assert by_code.loc["ML02", "name"] == "Koulikouro"  # as published
    assert by_code.loc["ML02", "name_fr"] == "Koulikoro"
    assert loaded.attribution == ("geoBoundaries (CC BY 4.0)",)


def test_geoboundaries_adm2_gets_parents_spatially(geoboundaries):
    loaded = load_boundaries(geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    assert len(loaded.adm2) == 50
    assert sorted(loaded.adm1["pcode"]) == PCODES  # embedded regions serve as ADM1
    parent = loaded.adm2.set_index("name")["parent_pcode"]
    assert parent["Djenne"] == "ML05"
    assert parent["Tombouctou"] == "ML06"
    assert parent["Menaka"] == "ML07"
    assert parent["Kati"] == "ML02"
    assert parent["Bougouni"] == "ML03"
    assert set(parent) and parent.notna().all()
    assert any("derived spatially" in w for w in loaded.warnings)
    assert loaded.attribution == ("geoBoundaries (CC BY 4.0), from OCHA/DNCT data",
                                  "geoBoundaries (CC BY 4.0)")


def test_adm2_parent_column_is_used_when_present(embedded, tmp_path):
    square = Polygon([(-4.6, 13.8), (-4.4, 13.8), (-4.4, 14.0), (-4.6, 14.0)])
    frame = gpd.GeoDataFrame({"ADM2_FR": ["Djenné"], "ADM2_PCODE": ["ML0502"],
                              "ADM1_PCODE": ["ML05"]}, geometry=[square], crs="EPSG:4326")
    path = tmp_path / "adm2.geojson"
    frame.to_file(path)
    loaded = load_boundaries(adm2=path)
    assert loaded.adm2[["pcode", "name", "parent_pcode"]].values.tolist() == [
        ["ML0502", "Djenné", "ML05"]]
    assert not any("derived spatially" in w for w in loaded.warnings)


def test_explicit_columns_override_detection(embedded, tmp_path):
    frame = embedded.adm1[["geometry"]].copy()
    frame["nom"] = embedded.adm1["name"].values
    frame["code"] = embedded.adm1["pcode"].values
    path = tmp_path / "custom.geojson"
    frame.to_file(path)
    with pytest.raises(MissingColumns, match="no name or code column"):
        load_boundaries(path)
    loaded = load_boundaries(path, name_column="nom", code_column="code")
    assert sorted(loaded.adm1["pcode"]) == PCODES
    with pytest.raises(MissingColumns, match="'nmo'"):
        load_boundaries(path, name_column="nmo")


def test_missing_and_unreadable_boundary_files(tmp_path):
    with pytest.raises(InputFileNotFound, match=r"nowhere\.geojson"):
        load_boundaries(tmp_path / "nowhere.geojson")
    junk = tmp_path / "junk.geojson"
    junk.write_bytes(b"\x00\x01 this is not geojson")
    with pytest.raises(UnreadableFile) as info:
        load_boundaries(junk)
    assert "junk.geojson" in str(info.value) and "\n" not in str(info.value)


def test_embedded_path_points_at_the_shipped_file():
    assert mali_map.embedded_regions_path().name == "mali_adm1.geojson"


def test_embedded_cercles_carry_ocha_pcodes_and_parents(embedded):
    cercles = embedded.adm2.set_index("pcode")
    assert cercles.index.is_unique and len(cercles) == 50
    assert cercles.loc["ML0503", ["name", "name_fr", "parent_pcode"]].tolist() == [
        "Djenné", "Djenné", "ML05"]
    assert cercles.loc["ML0605", "name_en"] == "Timbuktu"
    assert "Djenne" in cercles.loc["ML0503", "aliases"].split(";")
    assert cercles.loc["ML0901", "parent_pcode"] == "ML09"
    assert (cercles["parent_pcode"] == [p[:4] for p in cercles.index]).all()


def test_embedded_frames_are_fresh_copies():
    first = load_boundaries()
    first.adm2.loc[0, "name"] = "changed"
    first.adm1.loc[0, "name"] = "changed"
    second = load_boundaries()
    assert "changed" not in set(second.adm2["name"]) | set(second.adm1["name"])


def test_user_adm1_file_brings_no_embedded_cercles(geoboundaries):
    # A user's ADM1 file keeps today's behaviour: cercles only with --adm2.
    loaded = load_boundaries(geoboundaries / "geoBoundaries-MLI-ADM1_simplified.geojson")
    assert loaded.adm2 is None
    both = load_boundaries(geoboundaries / "geoBoundaries-MLI-ADM1_simplified.geojson",
                           adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    assert len(both.adm2) == 50 and both.adm2["parent_pcode"].notna().all()
    assert mali_map.embedded_regions_path().is_file()
