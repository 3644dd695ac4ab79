"""Admin levels as data (issue 9 item 6): one level registry, one unit look-up, one folding
rule and one alias list for the join, ``--region`` and boundary loading."""

from __future__ import annotations

import dataclasses
import warnings

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import mali_map
from mali_map import UnreadableFile, join, join_files, load_boundaries
from mali_map._cli._main import main
from mali_map._geo._boundaries import _embedded_frames
from mali_map._geo._lookup import UnitIndex
from mali_map._reference._gazetteer import ADM1, name_key
from mali_map._reference._levels import LEVELS, detect_level, level
from mali_map._render._pages import find_region

SEGOU_TEXTS = ["Région de Ségou", "segou", "SÉGOU", "ML04", "ML-4", "ml 04", "ML0406", "Segu",
               "Ségou Region"]
BAMAKO_TEXTS = ["District de Bamako", "Bamako", "ML09", "ML-BKO", "Bamako District"]


@pytest.fixture(scope="module")
def seed():
    return join_files()


# --------------------------------------------------------------------------- --region


@pytest.mark.parametrize(("texts", "pcode"), [(SEGOU_TEXTS, "ML04"), (BAMAKO_TEXTS, "ML09")])
def test_every_spelling_selects_the_same_region_in_the_api(seed, texts, pcode):
    assert {find_region(seed, t) for t in texts} == {pcode}
    pages = {mali_map.interactive_map(seed, region=t).html for t in texts[:3]}
    assert len(pages) == 1  # the very same page


def test_cli_export_region_accepts_what_the_join_accepts(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    written = {}
    for number, text in enumerate(["Région de Ségou", "segou", "ML04", "ML-4", "Ségou",
                                   "District de Bamako", "ML09"]):
        out = tmp_path / f"{number}.svg"
        code = main(["export", "--region", text, "--output", str(out)])
        err = capsys.readouterr().err
        assert code == 0, err
        written[text] = out.read_bytes()
    segou = {written[t] for t in ("Région de Ségou", "segou", "ML04", "ML-4", "Ségou")}
    assert len(segou) == 1 and "Ségou".encode() in segou.pop()
    assert written["District de Bamako"] == written["ML09"] != written["ML04"]


def test_unknown_region_is_one_line_naming_the_choices(seed, capsys):
    with pytest.raises(ValueError, match=r"unknown region 'Atlantis'.*ML04 \(Ségou\)"):
        find_region(seed, "Atlantis")
    assert main(["export", "--region", "Atlantis", "--output", "x.png"]) == 2
    err = capsys.readouterr().err
    assert "unknown region 'Atlantis'" in err and "Traceback" not in err


def test_join_and_region_fold_names_alike(seed, embedded):
    """Whatever text places a record by name selects the same region, and vice versa."""
    names = ["Région de Ségou", "REGION DE MOPTI", "Cercle de Kayes", "Tombouktou", "Timbuktu",
             "District of Bamako", "Koulikoro Region", "Ménaka", "Segouu", "Atlantis", "Kidal"]
    report = join(pd.DataFrame({"adm1_name": names}), embedded).report
    for text, pcode in zip(names, report["pcode"], strict=True):
        if pd.isna(pcode):
            with pytest.raises(ValueError, match="unknown region"):
                find_region(seed, text)
        else:
            assert find_region(seed, text) == pcode, text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ÉéèSsegouaMOPTIKyr -'de", max_size=20))
def test_region_lookup_never_disagrees_with_the_join(seed, text):
    report = join(pd.DataFrame({"adm1_name": [text]}), seed.boundaries).report
    try:
        found = find_region(seed, text)
    except ValueError:
        found = None
    if report["method"][0] in {"name", "alias", "fuzzy"}:
        assert found == report["pcode"][0]


# --------------------------------------------------------------------------- aliases


def test_an_alias_given_once_serves_the_join_and_the_region(tmp_path, capsys):
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Secteur,Région\nHI,Santé,Bélédougou\n", encoding="utf-8")
    result = join_files(records, region_aliases={"Bélédougou": "Koulikoro"})
    assert result.report["pcode"].tolist() == ["ML02"]
    assert find_region(result, "Région du Bélédougou") == "ML02"
    pytest.importorskip("matplotlib")
    out = tmp_path / "b.svg"
    assert main(["export", "--records", str(records), "--alias", "Bélédougou=ML02",
                 "--region", "Bélédougou", "--output", str(out)]) == 0, capsys.readouterr().err
    assert b"Koulikoro" in out.read_bytes()


def test_cercle_aliases_given_once(embedded):
    boundaries = embedded.with_aliases(adm2={"Ké Macina centre": "ML0403"})
    assert boundaries.index("adm2").find("Ké-Macina Centre").pcode == "ML0403"
    assert embedded.aliases == {}  # the original is not changed


def test_an_alias_to_no_unit_is_refused_naming_the_choices(embedded):
    with pytest.raises(ValueError, match=r"alias 'Adagh' points at 'Kidall'.*ML08 \(Kidal\)"):
        embedded.with_aliases(adm1={"Adagh": "Kidall"})


def test_one_alias_list_for_regions():
    """The embedded regions file carries the gazetteer's spellings (the build script reads
    them from there), and a user's ADM1 file gets them too."""
    regions = _embedded_frames()[0]
    for unit in ADM1:
        shipped = set(regions.set_index("pcode").loc[unit.pcode, "aliases"].split(";"))
        assert {unit.name_fr, unit.name_en, *unit.aliases} <= shipped
    bare = regions[["pcode", "name", "geometry"]]
    index = UnitIndex.from_units(bare, "adm1")
    assert index.find("Timbuctoo").pcode == "ML06" and index.find("Koulikoru").pcode == "ML02"


# --------------------------------------------------------------------------- the index


def test_index_is_built_once_per_boundaries(embedded):
    assert embedded.index("adm1") is embedded.index(1)
    assert embedded.index("adm2") is embedded.index("ADM2")
    with pytest.raises(ValueError, match="no adm2 boundaries"):
        mali_map.Boundaries(adm1=embedded.adm1).index("adm2")


def test_index_methods_scores_and_notes(embedded):
    adm1 = embedded.index("adm1")
    assert adm1.find("ML04") == adm1.find("ml-4").__class__("ML04", "pcode")
    assert adm1.find("ML-4").method == "iso"
    assert adm1.find("Tombouktou").method == "alias"
    menaka = adm1.find("Ménaka")
    assert (menaka.pcode, menaka.method) == ("ML07", "reform") and "2016" in menaka.note
    later = adm1.find("ML1001", lang="fr")
    assert (later.pcode, later.method) == ("ML07", "reform") and "créée en 2016" in later.note
    fuzzy = adm1.find("Koulikorro")
    assert (fuzzy.pcode, fuzzy.method) == ("ML02", "fuzzy") and 85 <= fuzzy.score < 100
    assert adm1.find("Koulikorro", threshold=None) is None
    cercles = embedded.index("adm2")
    assert cercles.find("ML040101").pcode == "ML0401"  # a commune's code gives its cercle
    assert cercles.find("Djenne").pcode == "ML0503" and cercles.parent["ML0503"] == "ML05"


def test_index_refuses_codes_of_units_not_loaded(embedded):
    """An ISO or successor code is only a match when the unit is in the loaded boundaries."""
    without_bamako = embedded.adm1[embedded.adm1["pcode"] != "ML09"]
    index = UnitIndex.from_units(without_bamako, "adm1")
    assert index.find("ML-BKO") is None and index.find("ML09") is None
    assert index.find("Bamako", threshold=None) is None
    without_gao = embedded.adm1[embedded.adm1["pcode"] != "ML07"]
    assert UnitIndex.from_units(without_gao, "adm1").find("ML-9") is None


def test_ambiguous_names_are_flagged(embedded):
    twice = embedded.adm1.copy()
    twice.loc[twice["pcode"] == "ML08", ["name", "name_fr", "name_en"]] = "Gao"
    found = UnitIndex.from_units(twice, "adm1").find("Gao")
    assert found.others  # two units are called Gao
    result = dataclasses.replace(join_files(), boundaries=mali_map.Boundaries(adm1=twice))
    with pytest.raises(ValueError, match=r"names 2 regions"):
        find_region(result, "Gao")


def test_boundaries_without_pcodes_are_found_by_reference_codes():
    """Units with a file's own codes still answer to P-codes and ISO codes, by name."""
    units = pd.DataFrame({"pcode": ["R1", "R2"], "name": ["Ségou", "Région de Mopti"],
                          "code": ["R1", "R2"]})
    index = UnitIndex.from_units(units, "adm1")
    assert [index.find(t).pcode for t in ("ML04", "ML-4", "ML0401", "ML-5", "r2")] == \
        ["R1", "R1", "R1", "R2", "R2"]
    assert index.find("ML03") is None


def test_files_own_codes_are_looked_up(embedded):
    units = embedded.adm1.assign(code=[f"R{i}" for i in range(len(embedded.adm1))])
    assert UnitIndex.from_units(units, "adm1").find("r3").pcode == units["pcode"].iloc[3]


def test_one_folding_rule():
    assert name_key("Région de Ségou") == name_key("SEGOU") == name_key("ségou région")


# --------------------------------------------------------------------------- the registry


def test_registry_levels():
    assert [lv.key for lv in LEVELS] == ["adm1", "adm2", "adm3"]
    assert [lv.pcode_digits for lv in LEVELS] == [2, 4, 6]
    assert LEVELS[2].pcode_pattern.match("ML040101") and not LEVELS[2].pcode_pattern.match("ML04")
    assert LEVELS[2].parent is LEVELS[1] and LEVELS[0].parent is None
    assert level("adm3").label("fr") == "Commune" and level(2).label("en") == "Cercle"
    with pytest.raises(ValueError, match="unknown admin level"):
        level("adm9")


def _square_file(tmp_path, columns: dict, count: int, name: str):
    squares = [box(-8 + 0.3 * i, 13.0, -7.8 + 0.3 * i, 13.2) for i in range(count)]
    path = tmp_path / name
    gpd.GeoDataFrame(columns, geometry=squares, crs="EPSG:4326").to_file(path)
    return path


@pytest.mark.parametrize("number", [1, 2])
def test_every_registered_column_is_detected(tmp_path, number):
    lv = LEVELS[number - 1]
    values = [f"X{number}{k}" for k in range(3)]
    for i, column in enumerate(lv.code_columns + lv.name_columns):
        path = _square_file(tmp_path, {column.upper() if i % 2 else column: values}, 3,
                            f"f{i}.gpkg")
        units = (load_boundaries(path) if number == 1 else load_boundaries(adm2=path)).units(
            number)
        assert units["name"].tolist() == values and units["code"].tolist() == values, column
    path = _square_file(tmp_path, {lv.code_columns[0]: values, lv.name_columns[0]: list("ABC")},
                        3, "both.gpkg")
    units = (load_boundaries(path) if number == 1 else load_boundaries(adm2=path)).units(number)
    assert units["name"].tolist() == list("ABC") and units["code"].tolist() == values


def test_a_column_added_to_the_registry_is_detected(tmp_path, monkeypatch):
    path = _square_file(tmp_path, {"cercle_code": ["C1", "C2"], "cercle_nom": ["A", "B"]}, 2,
                        "cercles.gpkg")
    with pytest.raises(mali_map.MissingColumns):
        load_boundaries(adm2=path)
    import mali_map._geo._boundaries as boundaries_module
    import mali_map._reference._levels as levels_module

    wider = dataclasses.replace(LEVELS[1], code_columns=("cercle_code",),
                                name_columns=("cercle_nom",))
    registry = (LEVELS[0], wider, LEVELS[2])
    monkeypatch.setattr(levels_module, "LEVELS", registry)
    monkeypatch.setattr(boundaries_module, "LEVELS", registry)
    assert load_boundaries(adm2=path).adm2["code"].tolist() == ["C1", "C2"]


def test_level_detection():
    assert detect_level(["ADM1_FR", "ADM1_PCODE"], 9).key == "adm1"
    assert detect_level(["admin1Pcode", "admin2Pcode", "admin2Name_fr"], 50).key == "adm2"
    assert detect_level(["ADM3_FR", "ADM3_PCODE", "ADM2_PCODE"], 703).key == "adm3"
    assert detect_level(["shapeName", "shapeType"], 50, ["ADM2"]).key == "adm2"
    assert detect_level(["name", "adm1_pcode"], 50).key == "adm2"  # a parent column only
    assert detect_level(["name"], 9).key == "adm1"


@pytest.mark.parametrize("option", ["boundaries", "adm2"])
def test_communes_are_refused_with_one_line(tmp_path, capsys, option):
    path = _square_file(tmp_path, {"ADM3_PCODE": [f"ML0401{k:02d}" for k in range(1, 4)],
                                   "ADM3_FR": ["A", "B", "C"], "ADM2_PCODE": ["ML0401"] * 3},
                        3, "communes.gpkg")
    with pytest.raises(UnreadableFile, match=r"communes .ADM3.*cercles .ADM2. here; communes "
                                             r"load with load_boundaries.adm3"):
        load_boundaries(**{"path" if option == "boundaries" else "adm2": path})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["validate", "--records", str(mali_map.seed_records_path()),
                     f"--{option}", str(path)]) == 2
    err = capsys.readouterr().err
    assert "communes.gpkg" in err and "Traceback" not in err and err.count("\n") == 1


def _communes(tmp_path, embedded, with_parent: bool):
    """Four communes: each of the cercles ML0401 and ML0402 cut in two."""
    rows, names = [], iter(["Barouéli", "Sanando", "Bla", "Kemeni"])
    for cercle in ("ML0401", "ML0402"):
        shape = embedded.adm2.set_index("pcode").geometry[cercle]
        xmin, ymin, xmax, ymax = shape.bounds
        middle = (xmin + xmax) / 2
        for k, half in enumerate((box(xmin, ymin, middle, ymax), box(middle, ymin, xmax, ymax))):
            rows.append({"ADM3_PCODE": f"{cercle}0{k + 1}", "ADM3_FR": next(names),
                         "ADM2_PCODE": cercle, "geometry": shape.intersection(half)})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    if not with_parent:
        frame = frame.drop(columns="ADM2_PCODE")
    path = tmp_path / f"communes{int(with_parent)}.gpkg"
    frame.to_file(path)
    return path


@pytest.mark.parametrize("with_parent", [True, False], ids=["parent-column", "spatial"])
def test_communes_load_with_their_cercles_and_are_looked_up(tmp_path, embedded, with_parent):
    boundaries = load_boundaries(adm3=_communes(tmp_path, embedded, with_parent))
    communes = boundaries.adm3
    assert communes["pcode"].tolist() == ["ML040101", "ML040102", "ML040201", "ML040202"]
    assert communes["parent_pcode"].tolist() == ["ML0401", "ML0401", "ML0402", "ML0402"]
    assert any("parent cercles of 4 ADM3 units derived spatially" in w
               for w in boundaries.warnings) is not with_parent
    index = boundaries.index("adm3")
    assert index.find("Commune de Sanando").pcode == "ML040102"
    assert index.find("ml 0402 01").pcode == "ML040201"
    assert index.find("Baroueli").pcode == "ML040101" and index.parent["ML040102"] == "ML0401"
    assert index.find("Kemenni").method == "fuzzy"


def test_communes_without_cercles_are_refused(tmp_path, embedded):
    regions = tmp_path / "regions.gpkg"
    embedded.adm1[["pcode", "name", "geometry"]].rename(
        columns={"pcode": "ADM1_PCODE", "name": "ADM1_FR"}).to_file(regions)
    with pytest.raises(UnreadableFile, match="communes need their cercles"):
        load_boundaries(regions, adm3=_communes(tmp_path, embedded, True))


def test_api_join_aliases_serve_the_region_too(embedded):
    records = pd.DataFrame({"adm1_name": ["Bélédougou"]})
    result = join(records, embedded, region_aliases={"Bélédougou": "ML02"})
    assert result.report["pcode"].tolist() == ["ML02"]
    assert find_region(result, "Bélédougou") == "ML02"
