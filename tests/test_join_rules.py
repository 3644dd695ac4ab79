"""Issue 9: join rules on real-world 3W files (country, contradictions, reforms,
national and multi-unit rows, organisations, the join report)."""

from __future__ import annotations

import math
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mali_map import (
    Place,
    aggregate,
    join,
    load_boundaries,
    load_records,
    summarise,
    unit_totals,
)
from mali_map._build._pipeline import join_files, read_report, write_report
from mali_map._cli._main import main
from mali_map._join._model import STATUSES, Boundaries
from mali_map._measure._aggregate import country_totals, record_cube
from mali_map._measure._metrics import reduce_cube
from mali_map._reference._gazetteer import reforms


def _records(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"row": range(2, n + 2), **columns})


def _report(embedded, **columns) -> pd.DataFrame:
    return join(_records(**columns), embedded).report


# --- 1. Country -----------------------------------------------------------------------

def test_rows_of_another_country_are_reported_and_never_placed(embedded):
    report = _report(embedded, country=["Senegal", "Mali", "MLI", None],
                     adm1_name=["Kayes", "Kayes", "Kayes", "Kayes"],
                     latitude=[14.45, None, None, None], longitude=[-11.4, None, None, None])
    assert report["status"].tolist() == ["unmatched", "matched", "matched", "matched"]
    assert pd.isna(report.loc[0, "pcode"])
    assert report.loc[0, "message"].startswith("country 'Senegal': outside Mali")


def test_congo_point_read_swapped_never_lands_in_gao(embedded):
    # A multi-country file: latitude -0.31, longitude 15.99 is in Congo; read swapped it
    # would fall in Gao. The country (or an unknown unit name) contradicts the swap.
    report = _report(embedded, country=["Congo", None, None],
                     adm1_name=[None, "Likouala", "Kayes"],
                     latitude=[-0.31] * 3, longitude=[15.99] * 3)
    assert report["pcode"].tolist()[:2] == [pd.NA, pd.NA]
    assert report["status"].tolist() == ["unmatched", "unmatched", "warning"]
    assert report.loc[2, "pcode"] == "ML01"  # the named unit, not Gao
    for message in report["message"]:
        assert "read swapped (15.99, -0.31) they would fall in 'Gao'" in message
        assert "fixed" not in message
    assert "the row's country is 'Congo'" in report.loc[0, "message"]
    assert "Likouala" in report.loc[1, "message"]
    assert "the row names 'Kayes'" in report.loc[2, "message"]


def test_swap_is_repaired_only_inside_a_unit_polygon(embedded):
    # Read swapped, (24.0 N, 4.0 E) is inside Mali's bounding box but in Algeria.
    row = _report(embedded, latitude=[4.0], longitude=[24.0]).iloc[0]
    assert row.status == "unmatched" and "swapped; fixed" not in row.message
    fixed = _report(embedded, latitude=[-3.0094], longitude=[16.7758],
                    adm1_name=["Tombouctou"]).iloc[0]
    assert (fixed.status, fixed.pcode) == ("warning", "ML06")
    assert "swapped; fixed" in fixed.message


def test_a_country_column_is_read_from_the_file(tmp_path):
    # Headers "Pays"/"Country" and the HXL tag #country become the records' country.
    path = tmp_path / "3w.csv"
    path.write_text("Organisation,Pays,Région,Latitude,Longitude\n"
                    "A,Sénégal,,14.45,-11.4\nB,ML,Kayes,,\nC,Niger,Tillabéri,,\n",
                    encoding="utf-8")
    report = join_files(path).report
    assert report["status"].tolist() == ["unmatched", "matched", "unmatched"]
    assert report.loc[0, "message"] == "country 'Sénégal': outside Mali"
    assert pd.isna(report.loc[0, "pcode"])  # (14.45, -11.4) is in Kayes: never placed
    tagged = tmp_path / "hxl.csv"
    tagged.write_text("Org,Country name,Region\n#org,#country+name,#adm1+name\n"
                      "A,Burkina Faso,Gao\nB,Mali,Gao\n", encoding="utf-8")
    assert join_files(tagged).report["status"].tolist() == ["unmatched", "matched"]


def test_a_foreign_row_with_no_other_location_is_outside_mali_not_invalid(tmp_path,
                                                                          capsys):
    # Loader and join agree: the country decides before "no location".
    path = tmp_path / "3w.csv"
    path.write_text("Organisation,Pays,Région\nA,Niger,\nB,Niger,Tillabéri\nC,Mali,\n"
                    "D,,\n", encoding="utf-8")
    records = load_records(path)
    assert records["invalid"].isna().tolist() == [True, True, False, False]
    report = join_files(path).report
    assert report["status"].tolist() == ["unmatched", "unmatched", "invalid", "invalid"]
    assert report["message"].tolist()[:2] == ["country 'Niger': outside Mali"] * 2
    assert report.loc[2, "message"].startswith("no location")
    assert report.loc[0, "suggestion"] == \
        "none if the row is outside Mali; otherwise correct its country"
    french = join_files(path, lang="fr").report
    assert french.loc[0, "message"] == "pays 'Niger'\u00a0: hors du Mali"
    assert main(["validate", "--records", str(path), "--strict"]) == 1
    assert "row 2: unmatched: country 'Niger': outside Mali" in capsys.readouterr().out


@pytest.mark.parametrize("country", ["Mali", "MALI", "ml", "MLI", "République du Mali",
                                     "Republic of Mali"])
def test_every_way_of_writing_mali_is_mali(embedded, country):
    assert _report(embedded, country=[country], adm1_name=["Gao"]).loc[0, "status"] \
        == "matched"


# --- 2. Contradictions ----------------------------------------------------------------

def test_code_and_name_pointing_at_different_units_is_a_named_conflict(embedded):
    result = join(_records(adm1_pcode=["ML05", "ML05", "ML09"],
                           adm1_name=["Gao", "Mopti", "Taoudénit"]), embedded)
    report = result.report
    assert report["status"].tolist() == ["warning", "matched", "warning"]
    assert report["pcode"].tolist() == ["ML07", "ML05", "ML06"]
    assert "conflict: code 'ML05' is 'Mopti' but name 'Gao' is 'Gao'; used 'Gao'" \
        in report.loc[0, "message"]
    assert "'Bamako'" in report.loc[2, "message"] and "Taoudénit" in report.loc[2, "message"]
    assert summarise(result)["conflicts"] == 2


def test_a_fuzzy_name_does_not_outrank_a_code(embedded):
    row = _report(embedded, adm1_pcode=["ML01"], adm1_name=["Tombouctu"]).iloc[0]
    assert (row.status, row.pcode) == ("warning", "ML01")
    assert "matched only approximately" in row.message


def test_code_disagreeing_with_coordinates_is_a_conflict(embedded):
    result = join(_records(adm1_pcode=["ML01"], latitude=[16.7758], longitude=[-3.0094]),
                  embedded)
    row = result.report.iloc[0]
    assert (row.status, row.pcode) == ("warning", "ML01")
    assert "as the code says" in row.message and "Tombouctou" in row.message
    assert summarise(result)["conflicts"] == 1


def test_strict_fails_on_conflicts_and_passes_on_the_seed(tmp_path, capsys, repo_root):
    path = tmp_path / "3w.csv"
    path.write_text("Organisation,P-code région,Région\nHI,ML05,Gao\n", encoding="utf-8")
    assert main(["validate", "--records", str(path)]) == 0
    assert main(["validate", "--records", str(path), "--strict"]) == 1
    assert "1 conflicting" in capsys.readouterr().err
    seed = repo_root / "data" / "interventions.csv"
    assert main(["validate", "--records", str(seed), "--strict"]) == 0
    assert "national" in capsys.readouterr().out


# --- 3. Codes and names across reforms --------------------------------------------------

@pytest.mark.parametrize(("code", "pcode", "name"), [
    ("ML10", "ML07", "Ménaka"), ("ML1001", "ML07", "Ménaka"), ("ML-9", "ML07", "Ménaka"),
    ("ML-10", "ML06", "Taoudénit"),
])
def test_codes_from_later_reforms_resolve_to_the_containing_unit(embedded, code, pcode, name):
    row = _report(embedded, adm1_pcode=[code]).iloc[0]
    assert (row.status, row.pcode) == ("warning", pcode)
    assert name in row.message and "pre-2016" in row.message


@pytest.mark.parametrize(("name", "pcode"), [
    ("Ménaka", "ML07"), ("Taoudénit", "ML06"), ("Nioro", "ML01"), ("Kita", "ML01"),
    ("Dioïla", "ML02"), ("Nara", "ML02"), ("Bougouni", "ML03"), ("Koutiala", "ML03"),
    ("San", "ML04"), ("Douentza", "ML05"), ("Bandiagara", "ML05"),
    ("Région de Koutiala", "ML03"),
])
def test_regions_created_later_resolve_with_a_warning(embedded, name, pcode):
    row = _report(embedded, adm1_name=[name]).iloc[0]
    assert (row.status, row.pcode, row.method) == ("warning", pcode, "reform")
    assert "lies in the pre-2016 region" in row.message


def test_reform_table_is_data_with_sources():
    table = reforms()
    assert {"code", "iso", "name", "area"} <= set(table)
    for kind in table.values():
        for entry in kind.values():
            assert entry.source.strip() and entry.within


# --- 4. National and multi-unit records -------------------------------------------------

@pytest.mark.parametrize("cell", ["Gao, Kidal", "Gao; Kidal", "Gao / Kidal", "Gao + Kidal",
                                  "Gao et Kidal", "Gao and Kidal", "Kidal & Gao"])
def test_cells_naming_several_units_place_the_record_in_each(embedded, cell):
    row = _report(embedded, adm1_name=[cell]).iloc[0]
    assert row.status == "multi" and pd.isna(row.pcode)
    assert sorted(row.units.split(";")) == ["ML07", "ML08"]


@pytest.mark.parametrize("cell", ["Nord du Mali", "northern Mali", "Régions du Nord"])
def test_northern_mali_is_tombouctou_gao_and_kidal(embedded, cell):
    row = _report(embedded, adm1_name=[cell]).iloc[0]
    assert (row.status, row.units, row.method) == ("multi", "ML06;ML07;ML08", "area")
    assert "source: OCHA" in row.message


def test_a_cell_with_an_unknown_part_is_not_placed(embedded):
    row = _report(embedded, adm1_name=["Gao, Atlantis"]).iloc[0]
    assert row.status == "unmatched" and "'Atlantis'" in row.message


def test_multi_unit_records_never_double_count_people_reached(embedded):
    result = join(_records(adm1_name=["Gao, Kidal", "Gao", "Nord du Mali"],
                           sector=["health"] * 3, organisation=["HI", "MSF", "HI"],
                           reached=[1000, 10, 500], precision=[None, None, None]), embedded)
    totals = unit_totals(result).set_index("pcode")
    assert totals.loc["ML07", "activities"] == 3      # an activity in each unit it names
    assert totals.loc["ML08", "activities"] == 2
    assert totals.loc["ML06", "activities"] == 1
    assert totals.loc["ML07", "organisations"] == 2
    assert totals.loc["ML07", "reached"] == 10        # multi-unit reached is not per unit
    assert math.isnan(totals.loc["ML08", "reached"])
    assert country_totals(result)["reached"] == 1510  # ...but counted once nationally
    assert country_totals(result)["activities"] == 3
    table = aggregate(result).set_index("pcode")
    assert table["reached"].sum() == 10
    by_unit = reduce_cube(record_cube(result), ["unit"]).set_index("unit")
    assert by_unit.loc["ML07", "activities"] == 3


def test_national_rows_have_their_own_status_and_are_counted_nationally(embedded):
    result = join(_records(precision=["national", "national"], place=["Mali", None],
                           reached=[5, 7]), embedded)
    assert result.report["status"].tolist() == ["national", "national"]
    assert summarise(result)["national"] == 2 and summarise(result)["unmatched"] == 0
    assert country_totals(result)["reached"] == 12


# --- 5. Places --------------------------------------------------------------------------

def test_a_place_column_places_the_row_at_the_right_level(embedded):
    # Issue 9: towns in a place/city column, from the shipped gazetteer (GeoNames).
    result = join(_records(place=["Bamako", "Kati", "Koutiala", "Bandiagara", "Atlantide"]),
                  embedded)
    report = result.report
    assert report["status"].tolist() == ["warning"] * 4 + ["unmatched"]
    assert report["method"].tolist()[:4] == ["place"] * 4
    assert report["pcode"].tolist()[:4] == ["ML09", "ML02", "ML03", "ML05"]
    # A region name is the region (no point); a town gives its cercle and its point.
    assert pd.isna(report.loc[0, "adm2_pcode"]) and result.records.geometry[0] is None
    assert report["adm2_pcode"].tolist()[1:4] == ["ML0204", "ML0304", "ML0501"]
    assert "the unit of that name" in report.loc[0, "message"]
    assert "the town Kati (GeoNames (CC BY 4.0))" in report.loc[1, "message"]
    assert "point at the town's coordinates" in report.loc[1, "message"]
    point = result.records.geometry[1]
    assert (round(point.y, 2), round(point.x, 2)) == (12.74, -8.07)
    assert "'Atlantide' is not a known unit, area or town" in report.loc[4, "message"]


def test_sofara_places_a_row_in_djenne_cercle_without_inventing_a_point(embedded):
    # Sofara is not in GeoNames' cities500: the sourced supplement knows its cercle only.
    result = join(_records(place=["Sofara", "Sévaré", "Sofara"],
                           adm1_name=[None, None, "Mopti"]), embedded)
    report = result.report
    assert report.loc[0, ["status", "pcode", "adm2_pcode", "adm2_name"]].tolist() == \
        ["warning", "ML05", "ML0503", "Djenné"]
    assert report.loc[0, "message"] == (
        "placed by its place 'Sofara': the town Sofara (Wikipedia (CC BY-SA 4.0)) in "
        "Djenné, Mopti; no point: the gazetteer has no sourced coordinates for it "
        "(cercle level)")
    assert result.records.geometry[0] is None  # no coordinate is invented
    # Sévaré has a sourced point, in the cercle of Mopti.
    assert report.loc[1, ["pcode", "adm2_pcode"]].tolist() == ["ML05", "ML0506"]
    point = result.records.geometry[1]
    assert (round(point.y, 3), round(point.x, 3)) == (14.533, -4.1)
    # A row placed in Mopti region gets Sofara's cercle.
    assert report.loc[2, ["status", "adm2_pcode"]].tolist() == ["matched", "ML0503"]
    french = join(_records(place=["Sofara"]), embedded, lang="fr").report
    assert "pas de point\u00a0: le répertoire n'a pas de coordonnées sourcées" in \
        french.loc[0, "message"]


def test_a_town_refines_the_cercle_of_a_row_placed_in_its_region(embedded):
    report = _report(embedded, adm1_name=["Koulikoro", "Mopti"], place=["Kati", "Kati"])
    assert report["adm2_pcode"].tolist()[0] == "ML0204"
    assert pd.isna(report.loc[1, "adm2_pcode"])  # Kati is not in Mopti: not used
    assert report["status"].tolist() == ["matched", "matched"]


def test_a_gazetteer_can_be_plugged_in_and_shared_town_names_are_reported(embedded):
    def towns(text: str) -> list[Place]:
        sofara = Place("Sofara", 14.0, -4.25, "ML05", "ML0503", "town", None, 1)
        twins = [Place("Diafarabé", 14.2, -5.0, "ML05", "ML0503", "town", None, 2),
                 Place("Diafarabé", 13.0, -6.0, "ML04", "ML0406", "town", None, 3)]
        return {"Sofara": [sofara], "Diafarabé": twins}.get(text, [])

    records = _records(place=["Sofara", "Diafarabé"])
    assert _report(embedded, place=["Diafarabé"]).loc[0, "status"] == "unmatched"
    report = join(records, embedded, places=towns).report
    assert report.loc[0, ["status", "pcode", "adm2_pcode"]].tolist() == \
        ["warning", "ML05", "ML0503"]
    assert report.loc[1, "status"] == "unmatched" and pd.isna(report.loc[1, "pcode"])
    assert "names 2 towns in different units" in report.loc[1, "message"]


# --- 8. Organisations -------------------------------------------------------------------

def test_likely_duplicate_organisations_are_flagged_never_merged(embedded):
    orgs = ["ADB", "Asso. Démo Baobab", "Association Démo Baobab", "UNICEF"]
    result = join(_records(adm1_name=["Gao"] * 4, organisation=orgs), embedded)
    notes = [w for w in result.warnings if "look like one organisation" in w]
    assert len(notes) == 1
    assert '--org-alias "ADB=Association Démo Baobab"' in notes[0]
    assert '--org-alias "Asso. Démo Baobab=Association Démo Baobab"' in notes[0]
    suggestions = result.report["suggestion"].tolist()
    assert suggestions[0] == '--org-alias "ADB=Association Démo Baobab"'
    assert pd.isna(suggestions[2]) and pd.isna(suggestions[3])
    assert unit_totals(result).set_index("pcode").loc["ML07", "organisations"] == 4


# --- 9. The join report -----------------------------------------------------------------

def test_report_gives_the_cercle_the_row_as_written_and_a_fix(embedded, geoboundaries):
    bounds = load_boundaries(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    records = _records(adm1_name=["Mopti", "Tombo", None], adm2_name=["Djenné", None, None],
                       organisation=["HI", "UNICEF", "HI"], sector=["health", "wash", None],
                       activity=["Clinique", "Forage", None],
                       latitude=[None, None, 16.7758], longitude=[None, None, -3.0094])
    report = join(records, bounds).report
    assert report.loc[0, "adm2_name"] == "Djenne" and report.loc[0, "adm2_pcode"]
    assert report["organisation"].tolist() == ["HI", "UNICEF", "HI"]
    assert report.loc[0, "activity"] == "Clinique" and report.loc[1, "sector"] == "wash"
    assert report.loc[0, "location"] == "Mopti / Djenné"
    assert report.loc[2, "location"] == "16.7758, -3.0094"
    assert report.loc[1, "suggestion"] == '--alias "Tombo=Tombouctou" if that is meant'
    # The embedded cercles give the cercle with no extra file.
    cercle = _report(embedded, adm2_name=["Djenné"]).iloc[0]
    assert (cercle.status, cercle.pcode, cercle.adm2_pcode) == ("matched", "ML05", "ML0503")
    assert cercle.adm2_name.startswith("Djenn")


# --- Contradictions and points (more) ----------------------------------------------------

def test_ml09_with_taoudenit_is_resolved_per_the_reform_table(embedded):
    result = join(_records(adm1_pcode=["ML09"], adm1_name=["Taoudénit"]), embedded)
    row = result.report.iloc[0]
    assert (row.status, row.pcode) == ("warning", "ML06")
    assert "the reform table: ML09 is Taoudénit in data numbered after the 2012 law" \
        in row.message
    assert summarise(result)["conflicts"] == 1
    assert reforms()["recode"]["ML09"].source.strip()


def test_a_cercle_in_another_region_than_the_row_names_is_a_conflict(embedded):
    result = join(_records(adm1_name=["Gao", "Mopti"], adm2_name=["Djenné", "Djenné"]),
                  embedded)
    report = result.report
    assert report["pcode"].tolist() == ["ML05", "ML05"]
    assert report["status"].tolist() == ["warning", "matched"]
    assert "cercle 'Djenné' lies in 'Mopti'" in report.loc[0, "message"]
    assert summarise(result)["conflicts"] == 1


def test_an_unknown_name_placed_by_its_point_keeps_its_message(embedded):
    row = _report(embedded, adm1_name=["Atlantis"], latitude=[14.49],
                  longitude=[-4.19]).iloc[0]
    assert (row.status, row.pcode, row.method) == ("warning", "ML05", "coordinates")
    assert row.message == "name 'Atlantis' matches no ADM1 unit; placed by its coordinates"


# --- Issue 12: hostile boundaries in the join ---------------------------------------------

def _renamed(embedded, **names) -> Boundaries:
    """The embedded regions with other codes (``R1``..) or other names."""
    adm1 = embedded.adm1.copy()
    for pcode, name in names.items():
        for column in ("name", "name_fr", "name_en"):
            adm1.loc[adm1["pcode"] == pcode, column] = name
    return Boundaries(adm1=adm1, adm2=None, source="test")


def test_boundaries_without_p_codes_take_iso_codes_and_later_units_by_name(embedded):
    bounds = _renamed(embedded)
    bounds.adm1["pcode"] = [f"R{i}" for i in range(1, len(bounds.adm1) + 1)]
    gao = bounds.adm1.loc[bounds.adm1["name"] == "Gao", "pcode"].item()
    # Once "KeyError: 'ML07'": an ISO code or a later unit, with coordinates elsewhere.
    report = join(_records(adm1_pcode=["ML-9", None, "ML-7"], adm1_name=[None, "Ménaka", None],
                           latitude=[14.45] * 3, longitude=[-11.4] * 3), bounds).report
    assert report["pcode"].tolist() == [gao] * 3
    assert report["status"].tolist() == ["warning"] * 3
    assert all("fall in 'Kayes', not in 'Gao'" in m for m in report["message"])


def test_an_iso_code_of_a_unit_absent_from_the_boundaries_is_not_matched(embedded):
    bounds = Boundaries(adm1=embedded.adm1[embedded.adm1["pcode"] != "ML07"].reset_index(
        drop=True), adm2=None, source="test")
    report = join(_records(adm1_pcode=["ML-7", "ML-9", "ML-5"]), bounds).report
    assert report["status"].tolist() == ["unmatched", "unmatched", "matched"]
    assert report.loc[0, "message"] == ("code 'ML-7' is 'Gao', which is not a unit of the "
                                        "loaded boundaries")


def test_two_units_with_one_name_are_reported_not_resolved_to_the_first(embedded):
    bounds = _renamed(embedded, ML08="Gao")
    report = join(_records(adm1_name=["Gao", "Gaoo", "Mopti"], adm1_pcode=[None, None, None]),
                  bounds).report
    assert report["status"].tolist() == ["unmatched", "unmatched", "matched"]
    assert "name 'Gao' is shared by 2 units of these boundaries (Gao (ML07), Gao (ML08))" \
        in report.loc[0, "message"]
    assert join(_records(adm1_pcode=["ML08"], adm1_name=["Gao"]), bounds).report.loc[
        0, "pcode"] == "ML08"
    with pytest.raises(ValueError, match="several units share"):
        join(_records(adm1_name=["x"]), bounds, region_aliases={"Gao-Nord": "Gao"})


def test_two_cercles_with_one_name_are_told_apart_by_their_region(embedded):
    adm2 = embedded.adm2.copy()
    adm2.loc[adm2["pcode"] == "ML0101", "name"] = "Kati"  # a second Kati, in Kayes
    bounds = Boundaries(adm1=embedded.adm1, adm2=adm2, source="test")
    report = join(_records(adm1_name=["Koulikoro", "Kayes", None],
                           adm2_name=["Kati", "Kati", "Kati"]), bounds).report
    assert report["adm2_pcode"].tolist()[:2] == ["ML0204", "ML0101"]
    assert report.loc[2, "status"] == "unmatched"
    assert "shared by 2 units" in report.loc[2, "message"]


# --- 8. French messages -------------------------------------------------------------------

def test_join_messages_are_french_under_lang_fr(embedded):
    records = _records(
        country=["Sénégal", None, None, None, None, None, None],
        adm1_name=[None, "Tombouctu", "Atlantis", "Gao, Kidal", None, "Ménaka", "Gao"],
        adm1_pcode=[None, None, None, None, None, None, "ML05"],
        precision=[None, None, None, None, "national", None, None],
        latitude=[None] * 7, longitude=[None] * 7)
    english = join(records, embedded).report["message"].tolist()
    french = join(records, embedded, lang="fr").report["message"].tolist()
    assert french[0] == "pays 'Sénégal'\u00a0: hors du Mali"  # French typography (issue 10)
    assert french[1].startswith("le nom 'Tombouctu' a été rapproché de 'Tombouctou'")
    assert french[2] == "le nom 'Atlantis' ne correspond à aucune unité ADM1"
    assert "désigne 2 unités (Gao, Kidal)" in french[3]
    assert french[4] == ("activité de niveau national\u00a0: rattachée à aucune unité "
                         "administrative")
    assert "se trouve dans la région d'avant 2016 Gao" in french[5]
    assert french[6].startswith("conflit\u00a0: le code 'ML05' désigne 'Mopti'")
    assert all(f != e for f, e in zip(french, english, strict=True))
    with pytest.raises(ValueError, match="lang: expected one of en, fr"):
        join(records, embedded, lang="de")


def test_the_join_report_is_french_when_the_build_is(tmp_path, capsys):
    path = tmp_path / "3w.csv"
    path.write_text("Organisation,Région,Latitude,Longitude\nA,Atlantis,,\n"
                    "B,,-3.0094,16.7758\nADB,Gao,,\nAsso. Démo Baobab,Gao,,\n",
                    encoding="utf-8")
    report_path = tmp_path / "report.csv"
    assert main(["validate", "--records", str(path), "--report", str(report_path),
                 "--lang", "fr"]) == 0
    messages = read_report(report_path)["message"].tolist()
    assert messages[0] == "le nom 'Atlantis' ne correspond à aucune unité ADM1"
    # The console flags the likely duplicate organisations, in French too.
    assert ("remarque\u00a0: les organisations 'ADB', 'Asso. Démo Baobab' semblent n'en "
            "faire qu'une\u00a0; pour les fusionner\u00a0: --org-alias "
            "\"ADB=Asso. Démo Baobab\"") \
        in capsys.readouterr().out
    assert messages[1] == ("latitude -3.0094 et longitude 16.7758 étaient inversées\u00a0; "
                           "corrigé")
    assert main(["validate", "--records", str(path), "--report", str(report_path)]) == 0
    assert read_report(report_path)["message"].tolist()[0] == \
        "name 'Atlantis' matches no ADM1 unit"


def test_the_snapshot_lists_multi_unit_records_as_programmes_not_as_problems(seed_result):
    from mali_map._snapshot._facts import build_facts

    facts = build_facts(seed_result)
    multi = [p for p in facts.programmes if p.scope == "multi_region" and p.rows == (2,)]
    assert len(multi) == 1 and multi[0].regions == ("ML06", "ML07", "ML08")
    assert 2 not in facts.attention["row"].tolist()


def test_several_units_in_the_place_column_and_with_a_code(embedded):
    report = _report(embedded, place=["Gao, Kidal", "Gao, Atlantide"],
                     adm1_pcode=[None, None])
    assert report["status"].tolist() == ["multi", "unmatched"]
    assert report.loc[0, "units"] == "ML07;ML08"
    # A code that is one of the listed units does not reduce the record to that unit.
    row = _report(embedded, adm1_pcode=["ML07"], adm1_name=["Gao, Kidal"]).iloc[0]
    assert (row.status, row.units) == ("multi", "ML07;ML08")


def test_a_cercle_p_code_in_the_region_column_gives_the_cercle(embedded):
    row = _report(embedded, adm1_pcode=["ML0503"]).iloc[0]
    assert (row.status, row.pcode, row.adm2_pcode) == ("matched", "ML05", "ML0503")


# --- Property: every row is accounted for, people are never counted twice -----------------

_CELLS = [None, "", "Gao", "Kidal", "Gao, Kidal", "Gao et Atlantide", "Nord du Mali", "ML05",
          "ML09", "ML-9", "ML1001", "Taoudénit", "Koutiala", "Kati", "Mali", "Sénégal", "MLI",
          "national", "Djenné", "ML0503", "Tombouctu", "+", " / "]
_EXAMPLES = 2_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 30


@settings(max_examples=_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*[st.sampled_from(_CELLS)] * 5,
                          st.sampled_from([None, 14.49, -3.0094, 16.7758, 99.0]),
                          st.sampled_from([None, -4.19, 16.7758, -3.0094, 0.0]),
                          st.sampled_from([None, 0.0, 7.0, 100.0])),
                min_size=1, max_size=12),
       st.sampled_from(["en", "fr"]))
def test_join_accounts_for_every_row_and_never_double_counts(embedded, rows, lang):
    columns = ["adm1_pcode", "adm1_name", "adm2_name", "place", "country", "latitude",
               "longitude", "reached"]
    records = _records(**{c: [r[i] for r in rows] for i, c in enumerate(columns)})
    result = join(records, embedded, lang=lang)
    counts = summarise(result)
    assert counts["rows"] == len(rows) == sum(counts[s] for s in STATUSES)
    assert counts["conflicts"] <= counts["warning"]
    counted = result.records["join_status"].isin(["matched", "warning", "multi", "national"])
    expected = result.records.loc[counted, "reached"].sum(min_count=1)
    total = country_totals(result)["reached"]
    assert (math.isnan(total) and math.isnan(expected)) or total == expected
    per_unit = unit_totals(result)["reached"].sum()
    placed = result.records["pcode"].notna()
    assert per_unit == result.records.loc[placed, "reached"].sum()


def test_text_copied_into_the_report_cannot_run_as_a_formula(embedded, tmp_path):
    result = join(_records(adm1_name=["Gao"], organisation=['=HYPERLINK("http://x")'],
                           activity=["@SUM(1)"], place=["+1+cmd"]), embedded)
    path = write_report(result, tmp_path / "report.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert ",=" not in text and ",@" not in text and ",+" not in text


def test_validate_lists_only_rows_that_need_attention(repo_root, capsys):
    # The seed's 15 national and 2 "northern Mali" rows are not problems to fix.
    seed = repo_root / "data" / "interventions.csv"
    assert main(["validate", "--records", str(seed)]) == 0
    out = capsys.readouterr().out
    assert "15 national, 2 in several units, 0 unmatched, 0 invalid" in out
    assert not any(line.startswith("row ") for line in out.splitlines())


def test_the_jupyter_card_counts_every_status_and_lists_only_problems(seed_result):
    card = seed_result._repr_html_()
    assert "national: 15" in card and "multi: 2" in card
    assert "<table>" not in card  # no row needs attention
