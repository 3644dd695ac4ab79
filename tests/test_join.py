"""Joining records to admin units: every method, the report, and its invariant."""

from __future__ import annotations

import pandas as pd
import pytest

from mali_map import Boundaries, join, load_boundaries, load_records, summarise
from mali_map._join._model import REPORT_COLUMNS, STATUSES


def _records(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"row": range(2, n + 2), **columns})


def _one(embedded, **fields) -> pd.Series:
    result = join(_records(**{k: [v] for k, v in fields.items()}), embedded)
    return result.report.iloc[0]


@pytest.mark.parametrize(("code", "pcode"), [
    ("ML07", "ML07"), ("MLI07", "ML07"), (" ml 06 ", "ML06"), ("ML0502", "ML05"),
    ("mli050201", "ML05"),
])
def test_pcode_match_normalises_case_spaces_and_prefix(embedded, code, pcode):
    row = _one(embedded, adm1_pcode=code)
    assert (row.status, row.pcode, row.method, row.score) == ("matched", pcode, "pcode", 100.0)


@pytest.mark.parametrize(("code", "pcode", "status"), [
    ("ML-BKO", "ML09", "matched"), ("ML-6", "ML06", "matched"), ("ml-4", "ML04", "matched"),
    ("ML-9", "ML07", "warning"),  # Ménaka, created 2016, lies in pre-2016 Gao
])
def test_iso_code_match(embedded, code, pcode, status):
    row = _one(embedded, adm1_pcode=code)
    assert (row.status, row.pcode, row.method) == (status, pcode, "iso")
    if status == "warning":
        assert "Ménaka" in row.message


@pytest.mark.parametrize(("name", "pcode"), [
    ("Ségou", "ML04"), ("SEGOU", "ML04"), ("Région de Ségou", "ML04"),
    ("District de Bamako", "ML09"), ("Timbuktu", "ML06"), ("tombouctou region", "ML06"),
])
def test_exact_normalised_name_match(embedded, name, pcode):
    row = _one(embedded, adm1_name=name)
    assert (row.status, row.pcode) == ("matched", pcode)
    assert row.method in {"name", "alias"}


def test_names_match_by_name_method_not_alias(embedded):
    assert _one(embedded, adm1_name="Région de Mopti").method == "name"


@pytest.mark.parametrize(("name", "pcode"), [("Koulikouro", "ML02"), ("Tomboctou", "ML06")])
def test_alias_table_match(embedded, name, pcode):
    row = _one(embedded, adm1_name=name)
    assert (row.status, row.pcode, row.method) == ("matched", pcode, "alias")


def test_user_alias_fixes_an_unmatched_name(embedded):
    records = _records(adm1_name=["Bélédougou"])
    assert join(records, embedded).report.iloc[0].status == "unmatched"
    fixed = join(records, embedded, region_aliases={"Bélédougou": "Koulikoro"}).report.iloc[0]
    assert (fixed.status, fixed.pcode, fixed.method) == ("matched", "ML02", "alias")
    by_code = join(records, embedded, region_aliases={"beledougou": "ML02"}).report.iloc[0]
    assert by_code.pcode == "ML02"


def test_fuzzy_match_reports_its_score_and_respects_the_threshold(embedded):
    row = _one(embedded, adm1_name="Tombouctu")
    assert (row.status, row.pcode, row.method) == ("warning", "ML06", "fuzzy")
    assert 85 <= row.score < 100
    assert "Tombouctu" in row.message and "fuzzy" in row.message
    strict = join(_records(adm1_name=["Tombouctu"]), embedded, fuzzy_threshold=99)
    assert strict.report.iloc[0].status == "unmatched"


def test_coordinates_match_by_point_in_polygon(embedded):
    row = _one(embedded, latitude=16.7758, longitude=-3.0094)  # Timbuktu town
    assert (row.status, row.pcode, row.method) == ("matched", "ML06", "coordinates")


def test_swapped_coordinates_are_fixed_with_a_warning(embedded):
    result = join(_records(latitude=[-3.0094], longitude=[16.7758]), embedded)
    row = result.report.iloc[0]
    assert (row.status, row.pcode) == ("warning", "ML06")
    assert "swapped" in row.message
    point = result.records.geometry.iloc[0]
    assert (round(point.x, 4), round(point.y, 4)) == (-3.0094, 16.7758)


def test_point_outside_mali_is_reported(embedded):
    row = _one(embedded, latitude=48.85, longitude=2.35)  # Paris
    assert row.status == "unmatched"
    assert "outside Mali" in row.message


def test_name_disagreeing_with_coordinates_is_a_warning(embedded):
    row = _one(embedded, adm1_name="Kayes", latitude=16.7758, longitude=-3.0094)
    assert (row.status, row.pcode) == ("warning", "ML01")
    assert "Tombouctou" in row.message and "Kayes" in row.message


def test_national_and_empty_rows_are_reported_with_a_reason(embedded):
    # Issue 9: national-level rows have a status of their own, not "unmatched".
    result = join(_records(precision=["national", None], place=["Mali", None]), embedded)
    messages = result.report["message"].tolist()
    assert result.report["status"].tolist() == ["national", "unmatched"]
    assert "national-level" in messages[0]
    assert "no region" in messages[1]


def test_unknown_code_and_unknown_name_are_explained(embedded):
    report = join(_records(adm1_pcode=["ML99", None], adm1_name=[None, "Atlantis"]),
                  embedded).report
    assert report["status"].tolist() == ["unmatched", "unmatched"]
    assert "'ML99'" in report.iloc[0].message
    assert "'Atlantis'" in report.iloc[1].message


def test_adm2_names_match_within_their_parent(geoboundaries):
    bounds = load_boundaries(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    records = _records(adm1_name=["Mopti", "Kayes", None, None],
                       adm2_name=["Djenné", "Bandiagra", "Bandiagra", "Niafunké"])
    result = join(records, bounds)
    adm2_names = bounds.adm2.set_index("pcode")["name"]
    report = result.report
    assert report.iloc[0][["status", "pcode", "method"]].tolist() == ["matched", "ML05", "name"]
    assert adm2_names[result.records["adm2"].iloc[0]] == "Djenne"
    # A misspelt cercle is fuzzy-matched only inside the region the record gives:
    # Bandiagara is in Mopti, so the Kayes record keeps its region and says why.
    assert report.iloc[1][["status", "pcode"]].tolist() == ["warning", "ML01"]
    assert pd.isna(result.records["adm2"].iloc[1])
    assert "'Bandiagra' matches no ADM2 unit" in report.iloc[1].message
    assert report.iloc[2][["status", "pcode", "method"]].tolist() == ["warning", "ML05", "fuzzy"]
    assert report.iloc[3].pcode == "ML06"


def test_cercle_without_adm2_boundaries_is_explained(embedded):
    # The default boundaries carry the cercles since issue 9: Djenné matches with no file.
    row = _one(embedded, adm2_name="Djenné")
    assert (row.status, row.pcode) == ("matched", "ML05")
    regions_only = Boundaries(adm1=embedded.adm1, attribution=embedded.attribution)
    row = _one(regions_only, adm2_name="Djenné")
    assert row.status == "unmatched"
    assert "--adm2" in row.message


def test_validation_problems_flow_into_the_report(embedded, tmp_path):
    path = tmp_path / "3w.csv"
    path.write_text("Organisation;Secteur;Région;Latitude;Longitude\n"
                    "HI;Astrologie;Mopti;;\n"
                    "HI;Santé;;abc;-3\n"
                    "UNICEF;EHA;;;\n", encoding="utf-8")
    report = join(load_records(path), embedded).report
    assert report["row"].tolist() == [2, 3, 4]
    assert report["status"].tolist() == ["warning", "invalid", "invalid"]
    assert "Astrologie" in report.iloc[0].message
    assert report.iloc[1:]["pcode"].isna().all()


def test_report_has_one_row_per_input_row_and_the_invariant_holds(embedded, seed_result):
    records = _records(
        adm1_pcode=["ML01", None, None, "ML99", None, None, "ML-9"],
        adm1_name=[None, "Segou", "Tombouctu", None, None, "Atlantis", None],
        latitude=[None, None, None, None, 14.0, None, None],
        longitude=[None, None, None, None, -4.2, None, None],
    )
    for result in (join(records, embedded), seed_result):
        report = result.report
        assert list(report.columns) == list(REPORT_COLUMNS)
        assert report["row"].is_unique
        counts = summarise(result)
        assert counts["rows"] == len(result.records) == len(report)
        assert counts["rows"] == sum(counts[s] for s in STATUSES)
        mapped = report["status"].isin(["matched", "warning"])
        assert report.loc[mapped, "pcode"].notna().all()
        assert report.loc[~mapped, "pcode"].isna().all()


def test_seed_dataset_joins_without_invalid_rows(seed_result):
    counts = summarise(seed_result)
    assert counts["invalid"] == 0
    assert counts["matched"] + counts["warning"] >= 3
    assert set(seed_result.mapped["pcode"]) >= {"ML06", "ML05"}


def test_alias_to_an_unknown_unit_is_an_error_naming_it(embedded):
    with pytest.raises(ValueError, match=r"alias 'Adagh' points at 'Kidall'"):
        join(_records(adm1_name=["Adagh"]), embedded, region_aliases={"Adagh": "Kidall"})


def test_national_marker_in_the_region_column_is_national(embedded, tmp_path):
    path = tmp_path / "3w.csv"
    path.write_text("Organisation;Région\nHI;National\nHI;Tout le pays\n", encoding="utf-8")
    report = join(load_records(path), embedded).report
    assert report["status"].tolist() == ["national", "national"]
    assert report["message"].str.startswith("national-level record").all()


def test_each_row_joins_as_it_would_alone(embedded, geoboundaries):
    """Codes and names are resolved once per distinct combination and broadcast:
    the report of a table equals the reports of its rows joined one by one."""
    bounds = load_boundaries(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    records = _records(
        adm1_pcode=["ML01", " ml01", None, "ML99", None, "ML-9", None, "ML05", None, None],
        adm1_name=[None, None, "Tombouctu", None, "Kayes", None, "Mopti", None, None, "Segou"],
        adm2_name=[None, None, None, None, None, None, "Djenné", "Bandiagra", None, None],
        latitude=[None, None, None, None, 16.7758, None, None, 48.85, -3.0094, 14.0],
        longitude=[None, None, None, None, -3.0094, None, None, 2.35, 16.7758, -4.2],
        precision=[None] * 8 + ["point", "national"],
        issues=[(), (), ("column 'x': odd",), (), (), (), (), (), (), ()],
    )
    for units in (embedded, bounds):
        together = join(records, units)
        alone = pd.concat([join(records.iloc[[i]], units).report for i in range(len(records))],
                          ignore_index=True)
        pd.testing.assert_frame_equal(together.report, alone)
    assert together.records["adm2"].notna().tolist()[5:7] == [False, True]


def test_written_report_round_trips_and_defuses_formulas(embedded, tmp_path):
    from mali_map import read_report, write_report

    records = _records(adm1_name=["-1 Mopti", 'Gao, "nord"\nsecond line', "Mopti"],
                       invalid=["=1+1 no location", None, None])
    result = join(records, embedded)
    report = read_report(write_report(result, tmp_path / "r.csv"))
    assert report["status"].tolist() == ["invalid", "unmatched", "matched"]
    assert report.loc[0, "message"] == "'=1+1 no location"
    assert report.loc[1, "message"] == result.report.loc[1, "message"]
    assert "second line" in report.loc[1, "message"]
    assert report.loc[2, "score"] == 100.0 and pd.isna(report.loc[0, "score"])
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith("\ufeffrow,status".encode())
    assert ",\n" not in raw.decode("utf-8-sig").splitlines()[0]
