"""Issue 9: join rules on real-world 3W files (country, contradictions, reforms,
national and multi-unit rows, organisations, the join report)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mali_map import Place, aggregate, join, load_boundaries, summarise, unit_totals
from mali_map._aggregate import country_totals, record_cube
from mali_map._cli import main
from mali_map._gazetteer import reforms
from mali_map._metrics import reduce_cube


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
    assert _report(embedded, place=["Sofara"]).loc[0, "status"] == "unmatched"
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
