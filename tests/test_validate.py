"""Tests for ``mali_map._read._validate``: value parsing, normalisation, issues, validity."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from mali_map._join._model import RECORD_FIELDS
from mali_map._read._validate import load_records, validate_records

SEED = Path(__file__).resolve().parents[1] / "data" / "interventions.csv"


def one(headers: dict[str, str] | None = None, **cells: str | None) -> pd.Series:
    """Validate a single raw row given as canonical field -> text."""
    cells.setdefault("adm1_name", "Mopti")
    raw = pd.DataFrame({"row": [7], **{k: pd.Series([v], dtype=object)
                                       for k, v in cells.items()}})
    if headers:
        raw.attrs["columns"] = headers
    out = validate_records(raw)
    return out.iloc[0]


# ----------------------------------------------------------------- coordinates


@pytest.mark.parametrize(("lat", "lon", "expected"), [
    ("14.5", "-4.2", (14.5, -4.2)),
    ("14,5", "-4,2", (14.5, -4.2)),
    ("  14.5 ", " -4.2  ", (14.5, -4.2)),
    ("14.5° N", "4.2° W", (14.5, -4.2)),
    ("14.5N", "4.2W", (14.5, -4.2)),
    ("N 14.5", "W 4.2", (14.5, -4.2)),
    ("14,5 n", "4,2 o", (14.5, -4.2)),          # French "ouest"
    ("14.5°", "3.2 E", (14.5, 3.2)),
    ("-14.5 S", "-3.2 W", (-14.5, -3.2)),      # sign and hemisphere agree
    ("12°30'N", "4°15'30\"W", (12.5, -(4 + 15 / 60 + 30 / 3600))),
    ("1 4.5", "-4.2", (14.5, -4.2)),            # stray space inside the number
    ("90", "180", (90.0, 180.0)),
])
def test_coordinate_formats(lat, lon, expected):
    row = one(latitude=lat, longitude=lon)
    assert row["latitude"] == pytest.approx(expected[0])
    assert row["longitude"] == pytest.approx(expected[1])
    assert row["issues"] == ()
    assert row["precision"] == "point"


@pytest.mark.parametrize(("lat", "lon", "column", "bad", "words"), [
    ("14,5x", "-4.2", "latitude", "14,5x", "is not a number"),
    ("abc", "-4.2", "latitude", "abc", "is not a number"),
    ("95", "-4.2", "latitude", "95", "out of range"),
    ("14.5", "-181", "longitude", "-181", "out of range"),
    ("14.5 E", "-4.2", "latitude", "14.5 E", "hemisphere"),
    ("14.5", "4.2 N", "longitude", "4.2 N", "hemisphere"),
    ("12°75'N", "-4.2", "latitude", "12°75'N", "60"),
])
def test_bad_coordinates_give_issue_and_nan(lat, lon, column, bad, words):
    row = one(latitude=lat, longitude=lon)
    assert math.isnan(row["latitude"]) and math.isnan(row["longitude"])
    first = row["issues"][0]
    assert first.startswith(f"column '{column}': {bad!r} ")
    assert words in first and first.endswith("ignored")
    assert row["invalid"] is None  # the region still locates the row
    assert row["precision"] == "admin1"


def test_issue_message_matches_documented_form():
    row = one(latitude="14,5x", longitude="3")
    assert row["issues"][0] == "column 'latitude': '14,5x' is not a number; ignored"


def test_issue_names_the_original_header():
    row = one(headers={"latitude": "Lat (WGS84)"}, latitude="north", longitude="3")
    assert row["issues"][0].startswith("column 'Lat (WGS84)': 'north'")


@pytest.mark.parametrize(("lat", "lon", "named"), [
    ("14.5", None, "latitude"), (None, "-4.2", "longitude"), ("14.5", "west", "longitude")])
def test_one_coordinate_without_the_other(lat, lon, named):
    row = one(latitude=lat, longitude=lon)
    assert math.isnan(row["latitude"]) and math.isnan(row["longitude"])
    assert any(f"column '{named}'" in issue for issue in row["issues"])
    assert any("coordinates ignored" in issue for issue in row["issues"])
    assert row["precision"] == "admin1"


def test_swapped_coordinates_are_not_fixed_here():
    row = one(latitude="-3.0094", longitude="16.7758")
    assert (row["latitude"], row["longitude"]) == (-3.0094, 16.7758)
    assert row["issues"] == ()


def test_zero_zero_is_a_placeholder():
    row = one(latitude="0", longitude="0,0")
    assert math.isnan(row["latitude"]) and "placeholder" in row["issues"][0]


# ---------------------------------------------------------------------- counts


@pytest.mark.parametrize(("text", "expected"), [
    ("1200", 1200), ("1 200", 1200), ("1\u00a0200", 1200), ("1\u202f200", 1200),
    ("1.200", 1200), ("1.200.000", 1_200_000), ("1,200", 1200), ("12,345,678", 12_345_678),
    ("1.5", 1.5), ("2,5", 2.5), ("1.200,5", 1200.5), ("1,200.5", 1200.5), ("0", 0),
    ("1200.0", 1200), ("12.00", 12), ("1'200", 1200),
])
def test_counts(text, expected):
    row = one(reached=text, targeted=text)
    assert row["reached"] == expected and row["targeted"] == expected
    assert row["issues"] == ()


@pytest.mark.parametrize(("text", "words"), [
    ("-5", "is negative"), ("beaucoup", "is not a number"),
    ("1 200 personnes", "is not a number"), ("~300", "is not a number"),
    ("1.2.3", "is not a number"),
])
def test_bad_counts(text, words):
    row = one(reached=text)
    assert math.isnan(row["reached"])
    assert row["issues"] == (f"column 'reached': '{text}' {words}; ignored",)


# ----------------------------------------------------------------------- dates


@pytest.mark.parametrize(("text", "expected"), [
    ("2016", "2016"), ("2016-03", "2016-03"), ("2016-3", "2016-03"),
    ("2016-03-01", "2016-03-01"), ("2016/03/01", "2016-03-01"),
    ("01/03/2016", "2016-03-01"), ("1/3/2016", "2016-03-01"), ("31.12.2016", "2016-12-31"),
    ("01/03/16", "2016-03-01"), ("03/2016", "2016-03"),
    ("2016-03-01 00:00:00", "2016-03-01"), ("2016-03-01T08:30:00", "2016-03-01"),
    ("mars 2016", "2016-03"), ("1er mars 2016", "2016-03-01"), ("15 août 2017", "2017-08-15"),
    ("March 2016", "2016-03"), ("March 5, 2016", "2016-03-05"), ("5 Sept. 2019", "2019-09-05"),
    ("janv. 2020", "2020-01"), ("42430", "2016-03-01"),
])
def test_dates(text, expected):
    row = one(start_date=text, end_date=text)
    assert row["start_date"] == expected and row["end_date"] == expected
    assert row["issues"] == ()


@pytest.mark.parametrize("text", [
    "31/02/2016", "13/13/2016", "bientôt", "2016-13", "1850", "mars", "12345", "Q5 2016"])
def test_bad_dates(text):
    row = one(start_date=text)
    assert row["start_date"] is None
    assert len(row["issues"]) == 1
    assert row["issues"][0].startswith(f"column 'start_date': '{text}' ")
    assert row["issues"][0].endswith("ignored")


@pytest.mark.parametrize(("start", "end", "problem"), [
    ("2016", "2015", True), ("2016-03-01", "2016-02-28", True), ("01/03/2016", "2016", False),
    ("2016-03", "2016-03-15", False), ("2016", "2017-01", False), ("2016-05", "2016-04-30", True),
])
def test_end_before_start(start, end, problem):
    row = one(start_date=start, end_date=end)
    issues = [i for i in row["issues"] if "before the start date" in i]
    assert bool(issues) is problem
    if problem:
        assert issues[0].startswith(f"column 'end_date': '{end}'")
        assert row["end_date"] is not None  # kept


# ------------------------------------------------------------ vocabularies


@pytest.mark.parametrize(("text", "key"), [
    ("Santé", "health"), ("SANTE", "health"), ("Health", "health"), ("EHA", "wash"),
    ("WASH", "wash"), ("Éducation", "education"), ("Protection de l'enfant",
                                                  "child_protection"),
    ("Sécurité alimentaire", "food_security"), ("Mine action", "mine_action"),
    ("Early recovery & social cohesion", "early_recovery"),
])
def test_known_sectors(text, key):
    row = one(sector=text)
    assert row["sector"] == key and row["issues"] == ()


def test_unknown_sector_kept_with_issue():
    row = one(sector="  Astrologie ")
    assert row["sector"] == "Astrologie"
    assert row["issues"] == (
        "column 'sector': 'Astrologie' is not a known sector; kept as written",)
    assert row["invalid"] is None


def test_sector_aliases():
    raw = pd.DataFrame({"row": [2, 3, 4], "adm1_name": ["Gao"] * 3,
                        "sector": ["Médical", "Soins", "Astrologie"]})
    out = validate_records(raw, sector_aliases={"medical": "health", "SOINS": "Santé"})
    assert out["sector"].tolist() == ["health", "health", "Astrologie"]
    assert [len(i) for i in out["issues"]] == [0, 0, 1]


@pytest.mark.parametrize(("text", "expected"), [
    ("HI", "Humanity & Inclusion"), ("Handicap International", "Humanity & Inclusion"),
    ("  handicap   international ", "Humanity & Inclusion"), ("Unicef", "UNICEF"),
    ("ONG  Tassaght", "ONG Tassaght"),
])
def test_organisations(text, expected):
    assert one(organisation=text)["organisation"] == expected


def test_organisation_aliases_argument():
    raw = pd.DataFrame({"row": [2, 3], "adm1_name": ["Gao", "Gao"],
                        "organisation": ["MSF-F", "HI"]})
    out = validate_records(raw, organisation_aliases={"msf f": "Médecins Sans Frontières"})
    assert out["organisation"].tolist() == ["Médecins Sans Frontières",
                                            "Humanity & Inclusion"]


@pytest.mark.parametrize(("text", "expected"), [
    ("En cours", "ongoing"), ("actif", "ongoing"), ("Active", "ongoing"),
    ("in progress", "ongoing"), ("Terminé", "completed"), ("achevé", "completed"),
    ("Fini", "completed"), ("Closed", "completed"), ("done", "completed"),
    ("Planifié", "planned"), ("prévu", "planned"), ("Pipeline", "planned"),
    ("Suspendu", "suspended"), ("SUSPENDED", "suspended"),
])
def test_statuses(text, expected):
    row = one(status=text)
    assert row["status"] == expected and row["issues"] == ()


def test_unknown_status_kept_with_issue():
    row = one(status="Bloqué")
    assert row["status"] == "Bloqué"
    assert row["issues"][0].startswith("column 'status': 'Bloqué' is not a known status")


# ------------------------------------------------------------------- precision


@pytest.mark.parametrize(("cells", "expected"), [
    ({"latitude": "14.5", "longitude": "-4.2", "adm2_name": "Djenné"}, "point"),
    ({"adm2_name": "Djenné"}, "admin2"),
    ({"adm2_pcode": "ML0504", "adm1_name": None}, "admin2"),
    ({}, "admin1"),
    ({"adm1_name": None, "adm1_pcode": "ML05"}, "admin1"),
    ({"adm1_name": "National"}, "national"),
    ({"adm1_name": None, "place": "Tout le pays"}, "national"),
    ({"adm1_name": None, "place": "Mali"}, "national"),
    ({"place": "Mali"}, "admin1"),          # a real region wins over a vague place
    ({"adm1_name": None, "place": "Kombaka"}, None),
    ({"latitude": "bad", "longitude": "-4.2"}, "admin1"),
])
def test_precision_inferred(cells, expected):
    assert one(**cells)["precision"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cercle", "admin2"), ("région", "admin1"), ("National", "national"), ("admin2", "admin2"),
    ("ADM1", "admin1"),
])
def test_precision_stated(text, expected):
    row = one(precision=text)
    assert row["precision"] == expected and row["issues"] == ()


def test_stated_point_without_coordinates_falls_back():
    row = one(precision="point", adm2_name="Djenné")
    assert row["precision"] == "admin2"
    assert row["issues"][0].startswith("column 'precision': 'point' needs valid coordinates")


def test_unknown_precision_gives_issue():
    row = one(precision="à peu près")
    assert row["precision"] == "admin1"
    assert row["issues"][0].startswith("column 'precision': 'à peu près' is not a known")


# --------------------------------------------------------------- validity, text


@pytest.mark.parametrize("cells", [
    {"adm1_name": None, "organisation": "HI", "sector": "Santé"},
    {"adm1_name": "  ", "place": "\t"},
    {"adm1_name": None, "latitude": "95", "longitude": "-4"},
    {"adm1_name": None, "latitude": "14", "longitude": None},
])
def test_rows_without_location_are_invalid(cells):
    row = one(**cells)
    assert row["invalid"] is not None
    assert row["invalid"].startswith("no location")
    assert "\n" not in row["invalid"]


@pytest.mark.parametrize("cells", [
    {"adm1_name": None, "place": "Kombaka"},
    {"adm1_name": None, "adm2_pcode": "ML0504"},
    {"adm1_name": None, "latitude": "14", "longitude": "-4"},
    {"adm1_name": None, "precision": "national"},
])
def test_rows_with_some_location_are_valid(cells):
    assert one(**cells)["invalid"] is None


def test_text_cleaning_keeps_markup_but_drops_controls():
    row = one(activity="  Écoles\x00 <script>alert(1)</script>\n\n  &amp; \u200bpuits ",
              description="a\tb\r\nc")
    assert row["activity"] == "Écoles <script>alert(1)</script> &amp; puits"
    assert row["description"] == "a b c"


def test_output_columns_types_and_attrs():
    raw = pd.DataFrame({"row": [2, 5], "adm1_name": ["Gao", None],
                        "extra:Budget": ["1", None], "latitude": [None, None]})
    raw.attrs = {"source": "x.csv", "columns": {"adm1_name": "Région"}}
    out = validate_records(raw)
    assert list(out.columns) == ["row", *RECORD_FIELDS, "issues", "invalid", "extra:Budget"]
    assert out["row"].tolist() == [2, 5]
    for field in ("latitude", "longitude", "reached", "targeted"):
        assert out[field].dtype == "float64"
    assert out["organisation"].isna().all()
    assert out["extra:Budget"].tolist() == ["1", None]
    assert out.attrs == raw.attrs and out.attrs is not raw.attrs
    assert [type(i) for i in out["issues"]] == [tuple, tuple]
    assert out["invalid"].tolist() == [None, out["invalid"].iloc[1]]
    assert out["invalid"].iloc[1] is not None


def test_empty_input():
    out = validate_records(pd.DataFrame({"row": pd.Series([], dtype="int64")}))
    assert len(out) == 0 and "issues" in out.columns and "invalid" in out.columns


# ---------------------------------------------------------------- end to end


def test_load_records_french_cp1252_export(tmp_path):
    text = ("Organisation;Secteur;Activité;Région;Cercle;Localité;Latitude;Longitude;"
            "Date début;Statut;Bénéficiaires\r\n"
            "Handicap International;Santé;Réadaptation;Ségou;Ségou;Pélengana;13,4317;"
            "-6,2157;01/03/2016;En cours;1 200\r\n"
            "\r\n"
            "HI;Réadaptation;Kiné;Mopti;;;14,5x;;mars 2017;Terminé;1.200\r\n"
            ";;;;;;;;;;\r\n"
            "UNICEF;EHA;Puits;;;;;;2016;Prévu;\r\n")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    out = load_records(path)
    assert out["row"].tolist() == [2, 4, 6]
    assert out["organisation"].tolist() == ["Humanity & Inclusion"] * 2 + ["UNICEF"]
    assert out["sector"].tolist() == ["health", "rehabilitation", "wash"]
    assert out["latitude"].iloc[0] == 13.4317 and out["longitude"].iloc[0] == -6.2157
    assert out["reached"].iloc[:2].tolist() == [1200.0, 1200.0]
    assert out["start_date"].tolist() == ["2016-03-01", "2017-03", "2016"]
    assert out["status"].tolist() == ["ongoing", "completed", "planned"]
    assert out["precision"].tolist()[:2] == ["point", "admin1"]
    assert out["issues"].iloc[1][0] == "column 'Latitude': '14,5x' is not a number; ignored"
    assert out["invalid"].tolist()[:2] == [None, None]
    assert out["invalid"].iloc[2].startswith("no location")
    assert out.attrs["source"] == str(path)


def test_load_records_xlsx_sheet(tmp_path):
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["ignored"])
    sheet = workbook.create_sheet("Données")
    sheet.append(["Partenaire", "Cercle", "Date de fin", "Lat", "Lon"])
    sheet.append(["HI", "Djenné", dt.datetime(2018, 6, 30), 13.9, -4.55])
    workbook.save(tmp_path / "w.xlsx")
    out = load_records(tmp_path / "w.xlsx", sheet="Données",
                       organisation_aliases={"HI": "HI Mali"})
    assert out[["organisation", "adm2_name", "end_date", "latitude", "longitude",
                "precision"]].values.tolist() == [
        ["HI Mali", "Djenné", "2018-06-30", 13.9, -4.55, "point"]]


@pytest.mark.skipif(not SEED.exists(), reason="seed dataset not written yet")
def test_seed_dataset_loads_cleanly():
    out = load_records(SEED)
    assert len(out) > 0
    assert out["invalid"].isna().all()
    assert all(issues == () for issues in out["issues"])
    from mali_map._reference._vocabulary import SECTOR_BY_KEY

    assert set(out["sector"]) <= set(SECTOR_BY_KEY)
    assert out["row"].tolist() == list(range(2, len(out) + 2))
    assert set(out["precision"]) <= {"point", "admin2", "admin1", "national"}
