"""The gazetteer of Mali's places (data/places/mali_places.csv) and its look-up."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from mali_map import Place, find_place, load_boundaries
from mali_map._reference._data import embedded_extra_places_path, embedded_places_path
from mali_map._reference._places import all_places

REPO = Path(__file__).resolve().parents[1]
PLACES = REPO / "data" / "places" / "mali_places.csv"
EXTRA = REPO / "data" / "places" / "mali_places_extra.csv"


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_places",
                                                  REPO / "scripts" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_places", module)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_path_and_columns(rows):
    assert embedded_places_path() == PLACES or embedded_places_path().name == PLACES.name
    assert list(rows[0]) == list(build.COLUMNS)
    assert len(rows) == len({r["geonameid"] for r in rows}) > 90


@pytest.mark.parametrize("name, adm1, adm2", [
    ("Bamako", "ML09", "ML0901"), ("Kati", "ML02", "ML0204"), ("Koutiala", "ML03", "ML0304"),
    ("Bandiagara", "ML05", "ML0501"), ("Timbuktu", "ML06", "ML0605"),
    ("Tombouctou", "ML06", "ML0605"), ("Ménaka", "ML07", "ML0704"), ("Kidal", "ML08", "ML0802"),
    ("Djenné", "ML05", "ML0503"),
])
def test_required_places_are_found_in_their_units(name, adm1, adm2):
    matches = find_place(name)
    assert matches, name
    assert (matches[0].adm1_pcode, matches[0].adm2_pcode) == (adm1, adm2)
    assert isinstance(matches[0], Place)


def test_sofara_comes_from_the_sourced_supplement_at_cercle_level(rows):
    # GeoNames' cities500 has no Sofara; the supplement has it, without coordinates.
    assert "Sofara" not in {r["name"] for r in rows}
    [sofara] = find_place("Sofara")
    assert (sofara.adm1_pcode, sofara.adm2_pcode) == ("ML05", "ML0503")
    assert sofara.latitude is None and sofara.longitude is None
    assert sofara.attribution == "Wikipedia (CC BY-SA 4.0)"
    assert find_place("SEVARE")[0].adm2_pcode == "ML0506"  # the folding rule applies
    assert find_place("Diabali")[0].name == "Diabaly"  # an alternate spelling
    assert find_place("Kombaka") == []  # no source found: not invented


@pytest.fixture(scope="module")
def extra_rows() -> list[dict[str, str]]:
    with EXTRA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_supplement_rows_are_sourced_and_lie_in_their_stated_cercle(extra_rows):
    assert embedded_extra_places_path().name == EXTRA.name
    units = load_boundaries()  # the embedded cercles
    cercles = units.adm2.set_index("pcode")
    names = [r["name"] for r in extra_rows]
    assert names == sorted(names, key=build._fold)  # sorted, accents aside
    for r in extra_rows:
        assert r["source"] and r["licence"] and r["publisher"], r["name"]
        assert r["adm2_pcode"] in cercles.index, r["name"]
        assert cercles.loc[r["adm2_pcode"], "parent_pcode"] == r["adm1_pcode"], r["name"]
        if not r["latitude"]:
            assert not r["longitude"] and "cercle level" in r["note"], r["name"]
            continue
        point = shapely.Point(float(r["longitude"]), float(r["latitude"]))
        assert cercles.geometry[r["adm2_pcode"]].contains(point), r["name"]
    assert {r["name"] for r in extra_rows} >= {"Sofara", "Sévaré", "Konna"}


def test_supplement_does_not_repeat_a_geonames_place(rows, extra_rows):
    geonames = {build._fold(n) for r in rows
                for n in (r["name"], *filter(None, r["alternate_names"].split(";")))}
    assert not [r["name"] for r in extra_rows if build._fold(r["name"]) in geonames]


def test_lookup_uses_the_project_folding_rule():
    assert find_place("DJENNE") == find_place("djenné") == find_place("Djenne")
    assert find_place("Commune de Kati") == find_place("Kati")
    assert find_place("") == find_place(None) == []


def test_ambiguous_names_return_every_place(tmp_path, monkeypatch):
    text = PLACES.read_text(encoding="utf-8").splitlines()
    header = text[0]
    extra = [header,
             "Koro,Koro,,14.06,-3.08,62000,populated place,ML05,ML0505,,1",
             "Koro,Koro,Koro Bozo,13.70,-6.00,900,populated place,ML04,ML0402,,2",
             "Bla,Bla,Koro,12.95,-5.76,60000,populated place,ML04,ML0402,,3"]
    path = tmp_path / "places.csv"
    path.write_text("\n".join(extra) + "\n", encoding="utf-8")
    monkeypatch.setattr("mali_map._reference._places.embedded_places_path", lambda: path)
    from mali_map._reference import _places

    _places._rows.cache_clear()
    _places._index.cache_clear()
    try:
        found = find_place("koro")
        assert [(p.geonameid, p.adm2_pcode) for p in found] == [
            (1, "ML0505"), (3, "ML0402"), (2, "ML0402")]  # all three, largest first
        assert [p.geonameid for p in find_place("Koro Bozo")] == [2]
    finally:
        _places._rows.cache_clear()
        _places._index.cache_clear()


def test_every_place_lies_in_the_units_it_names(rows):
    units = load_boundaries()
    adm1 = units.adm1.set_index("pcode").geometry
    adm2 = units.adm2.set_index("pcode").geometry
    for r in rows:
        point = shapely.Point(float(r["longitude"]), float(r["latitude"]))
        if r["adm_note"]:
            assert r["adm_note"].startswith("nearest unit")
            assert adm1[r["adm1_pcode"]].distance(point) < build.NEAREST_DEGREES
            continue
        assert adm1[r["adm1_pcode"]].contains(point), r["name"]
        assert adm2[r["adm2_pcode"]].contains(point), r["name"]
        assert r["adm2_pcode"].startswith(r["adm1_pcode"])


def test_alternate_names_are_latin_spellings(rows):
    for r in rows:
        for alt in filter(None, r["alternate_names"].split(";")):
            assert build._latin(alt) and not alt.islower(), alt


def _cities(*entries):
    return {str(i): {"geonameid": i, "countrycode": cc, "name": name, "latitude": lat,
                     "longitude": lon, "population": pop, "alternatenames": alts}
            for i, (cc, name, lat, lon, pop, alts) in enumerate(entries, start=1)}


def test_build_keeps_mali_only_and_cleans_names():
    cities = _cities(("ML", "Ségou", 13.43, -6.26, 130690, ["SZU", "Segou", "Segu", "sai gu",
                                                            "Сегу", "Ségou"]),
                     ("SN", "Dakar", 14.69, -17.44, 2476400, ["Dakar"]))
    places = build.mali_places(cities)
    assert [p["name"] for p in places] == ["Ségou"]
    assert places[0]["alternate_names"] == "Segu"  # Segou folds like the name; codes dropped
    assert places[0]["ascii_name"] == "Segou"


def test_build_is_deterministic_and_locates_places(tmp_path):
    cities = _cities(*[("ML", n, lat, lon, 1000, []) for n, lat, lon in [
        ("Bamako", 12.60915, -7.97522), ("Kati", 12.74409, -8.07257),
        ("Koutiala", 12.39173, -5.46421), ("Bandiagara", 14.35005, -3.61038),
        ("Timbuktu", 16.77348, -3.00742), ("Ménaka", 15.91985, 2.39609),
        ("Kidal", 18.44345, 1.40921)]])
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(cities), encoding="utf-8")
    text = build.build(path)
    assert text == build.build(path)
    table = list(csv.DictReader(text.splitlines()))
    assert {r["name"]: r["adm2_pcode"] for r in table}["Koutiala"] == "ML0304"


def test_build_fails_without_a_required_place(tmp_path):
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(_cities(("ML", "Kati", 12.74, -8.07, 1, []))), encoding="utf-8")
    with pytest.raises(build.BuildError, match="source lacks Bamako"):
        build.build(path)


def test_build_refuses_a_place_far_outside_mali(tmp_path):
    entries = [("ML", n, 12.6, -8.0, 1, []) for n in build.REQUIRED]
    entries.append(("ML", "Paris", 48.85, 2.35, 1, []))
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(_cities(*entries)), encoding="utf-8")
    with pytest.raises(build.BuildError, match="Paris lies outside"):
        build.build(path)


def test_points_of_places_are_inside_mali():
    located = [p for p in all_places() if p.latitude is not None]
    assert len(located) >= len(all_places()) - 1  # only Sofara has no sourced point
    points = gpd.points_from_xy([p.longitude for p in located],
                                [p.latitude for p in located])
    mali = shapely.union_all(load_boundaries().adm1.geometry.values).buffer(0.05)
    assert all(mali.contains(p) for p in points)
