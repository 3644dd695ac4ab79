"""Tests for ``mali_map._read._io.read_records``: every loader path and every error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from mali_map._core._errors import (
    InputError,
    InputFileNotFound,
    MissingColumns,
    UnreadableFile,
)
from mali_map._read._io import field_for_header, field_for_hxl, read_records

FRENCH_HEADER = ("Organisation;Secteur;Activité;Région;Cercle;Localité;Latitude;Longitude;"
                 "Date début;Statut;Bénéficiaires")


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def values(df, *columns):
    return df[list(columns)].values.tolist()


# ------------------------------------------------------------------------- CSV


def test_utf8_comma_csv(tmp_path):
    path = write(tmp_path, "3w.csv",
                 "Organisation,Sector,Region,Latitude,Longitude\n"
                 "UNICEF,Health,Mopti,14.49,-4.19\n"
                 "HI,Education,Gao,,\n")
    df = read_records(path)
    assert list(df.columns) == ["row", "organisation", "sector", "adm1_name",
                                "latitude", "longitude"]
    assert values(df, "row", "organisation", "adm1_name", "latitude", "longitude") == [
        [2, "UNICEF", "Mopti", "14.49", "-4.19"],
        [3, "HI", "Gao", None, None],
    ]
    assert df.attrs["source"] == str(path)
    assert df.attrs["columns"]["adm1_name"] == "Region"
    assert df.attrs["columns"]["organisation"] == "Organisation"


def test_path_as_string_kept_in_attrs(tmp_path):
    path = write(tmp_path, "3w.csv", "Région\nKayes\n")
    df = read_records(str(path))
    assert df.attrs["source"] == str(path)
    assert df["adm1_name"].tolist() == ["Kayes"]


def test_utf8_bom_header_recognised(tmp_path):
    path = write(tmp_path, "bom.csv", "\ufeffRégion,Secteur\nSégou,Santé\n")
    df = read_records(path)
    assert values(df, "adm1_name", "sector") == [["Ségou", "Santé"]]
    assert df.attrs["columns"]["adm1_name"] == "Région"


def test_cp1252_french_excel_export(tmp_path):
    text = (FRENCH_HEADER + "\r\n"
            "Humanité & Inclusion;Santé;Réadaptation physique;Ségou;Ségou;Pélengana;"
            "13,4317;-6,2157;01/03/2016;En cours;1 200\r\n"
            "UNICEF;Éducation;Écoles;Mopti;Djenné;Kombaka;14,0;-4,5;2016;Terminé;350\r\n")
    data = text.encode("cp1252")
    assert b"\xe9" in data  # é as a single cp1252 byte, not UTF-8
    path = write(tmp_path, "export.csv", data)
    df = read_records(path)
    assert values(df, "row", "organisation", "sector", "adm1_name", "adm2_name", "place") == [
        [2, "Humanité & Inclusion", "Santé", "Ségou", "Ségou", "Pélengana"],
        [3, "UNICEF", "Éducation", "Mopti", "Djenné", "Kombaka"],
    ]
    # decimal commas are kept as text here (validate parses them)
    assert values(df, "latitude", "longitude", "reached") == [
        ["13,4317", "-6,2157", "1 200"], ["14,0", "-4,5", "350"]]
    assert values(df, "start_date", "status", "activity")[0] == [
        "01/03/2016", "En cours", "Réadaptation physique"]
    assert df.attrs["columns"]["reached"] == "Bénéficiaires"


def test_cp1252_euro_sign_and_quotes(tmp_path):
    # 0x80 (€) and 0x92 (’) are cp1252 characters, not latin-1 control codes
    path = write(tmp_path, "x.csv", "Région;Description\nKayes;Budget 5 000 €, l’école\n",
                 encoding="cp1252")
    df = read_records(path)
    assert df["description"].tolist() == ["Budget 5 000 €, l’école"]


def test_latin1_fallback_for_bytes_undefined_in_cp1252(tmp_path):
    # 0x81 is undefined in cp1252, so only latin-1 decodes this file
    path = write(tmp_path, "x.csv", b"R\xe9gion,Note\nS\xe9gou,a\x81b\n")
    df = read_records(path)
    assert df["adm1_name"].tolist() == ["Ségou"]
    assert df["extra:Note"].tolist() == ["a\x81b"]


@pytest.mark.parametrize("name", ["3w.tsv", "3w.txt", "3w.csv"])
def test_tab_separated(tmp_path, name):
    path = write(tmp_path, name,
                 "Partner\tCluster\tAdmin1\tLat\tLon\n"
                 "HI\tProtection, GBV\tKidal\t18.44\t1.41\n")
    df = read_records(path)
    assert values(df, "organisation", "sector", "adm1_name", "latitude", "longitude") == [
        ["HI", "Protection, GBV", "Kidal", "18.44", "1.41"]]


def test_semicolon_header_with_commas_in_names(tmp_path):
    path = write(tmp_path, "x.csv",
                 "Région;Remarque (hommes, femmes);Lat;Long\nGao;12,5;16,27;-0,04\n")
    df = read_records(path)
    assert values(df, "adm1_name", "extra:Remarque (hommes, femmes)", "latitude",
                  "longitude") == [["Gao", "12,5", "16,27", "-0,04"]]


def test_blank_lines_skipped_but_counted(tmp_path):
    path = write(tmp_path, "x.csv",
                 "\n"
                 "Région;Secteur\n"
                 "\n"
                 "Kayes;Santé\n"
                 ";\n"
                 "   \n"
                 "\n"
                 "Gao;EHA\n"
                 "\n")
    df = read_records(path)
    assert values(df, "row", "adm1_name") == [[4, "Kayes"], [8, "Gao"]]


def test_crlf_and_blank_lines(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Secteur\r\n\r\nKayes,Santé\r\nGao,EHA\r\n")
    df = read_records(path)
    assert values(df, "row", "adm1_name", "sector") == [[3, "Kayes", "Santé"],
                                                        [4, "Gao", "EHA"]]


def test_quoted_fields_with_separators_and_newlines(tmp_path):
    path = write(tmp_path, "x.csv",
                 'Région,Activité,Description\n'
                 'Mopti,"Santé, nutrition","ligne un\nligne deux\nligne trois"\n'
                 'Gao,"Dit ""bonjour""",simple\n'
                 '\n'
                 'Kidal,x,y\n')
    df = read_records(path)
    assert values(df, "row", "adm1_name", "activity") == [
        [2, "Mopti", "Santé, nutrition"], [5, "Gao", 'Dit "bonjour"'], [7, "Kidal", "x"]]
    assert df["description"].iloc[0] == "ligne un\nligne deux\nligne trois"


def test_values_are_stripped_and_empty_is_none(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Secteur,Cercle\n  Kayes  ,   ,\n")
    df = read_records(path)
    assert values(df, "adm1_name", "sector", "adm2_name") == [["Kayes", None, None]]


def test_ragged_rows_padded_and_extra_cells_kept(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Secteur\nKayes\nGao,EHA,surplus\n")
    df = read_records(path)
    assert values(df, "adm1_name", "sector") == [["Kayes", None], ["Gao", "EHA"]]
    assert df["extra:column 3"].tolist() == [None, "surplus"]


def test_english_headers(tmp_path):
    path = write(tmp_path, "en.csv",
                 "Implementing partner,Activity,admin1Pcode,admin1Name,admin2Pcode,"
                 "admin2Name,Location,Lng,Latitude,Start date,End date,Status,"
                 "Beneficiaries,Target,Precision,Source,Source text,Ref\n"
                 "HI,Rehab,ML06,Tombouctou,ML0601,Tombouctou,Timbuktu,-3.0,16.7,2016,2017,"
                 "Ongoing,10,20,point,web,quote,A-1\n")
    df = read_records(path)
    expected = {
        "organisation": "HI", "activity": "Rehab", "adm1_pcode": "ML06",
        "adm1_name": "Tombouctou", "adm2_pcode": "ML0601", "adm2_name": "Tombouctou",
        "place": "Timbuktu", "longitude": "-3.0", "latitude": "16.7", "start_date": "2016",
        "end_date": "2017", "status": "Ongoing", "reached": "10", "targeted": "20",
        "precision": "point", "source": "web", "source_text": "quote", "id": "A-1",
    }
    assert {k: df[k].iloc[0] for k in expected} == expected
    assert not [c for c in df.columns if c.startswith("extra:")]


def test_canonical_names_and_column_order(tmp_path):
    path = write(tmp_path, "x.csv", "source_text,adm1_pcode,Budget,id\nq,ML01,5,7\n")
    df = read_records(path)
    assert list(df.columns) == ["row", "id", "adm1_pcode", "source_text", "extra:Budget"]


def test_duplicate_field_keeps_first_and_second_as_extra(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Region,Budget,Budget\nKayes,Gao,1,2\n")
    df = read_records(path)
    assert values(df, "adm1_name", "extra:Region", "extra:Budget", "extra:Budget (2)") == [
        ["Kayes", "Gao", "1", "2"]]


def test_title_rows_above_header(tmp_path):
    path = write(tmp_path, "x.csv",
                 "3W Mali - mars 2016;;\n\nOrganisation;Région;Secteur\nHI;Gao;Santé\n")
    df = read_records(path)
    assert values(df, "row", "organisation", "adm1_name") == [[4, "HI", "Gao"]]


def test_header_only_gives_empty_frame(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Secteur\n")
    df = read_records(path)
    assert len(df) == 0
    assert list(df.columns) == ["row", "sector", "adm1_name"]


def test_utf16_excel_unicode_text(tmp_path):
    path = write(tmp_path, "x.txt", "Région\tSecteur\r\nSégou\tSanté\r\n", encoding="utf-16")
    df = read_records(path)
    assert values(df, "adm1_name", "sector") == [["Ségou", "Santé"]]


def test_unknown_text_extension_read_as_csv(tmp_path):
    path = write(tmp_path, "3w.dat", "Région;Secteur\nKayes;Santé\n")
    assert read_records(path)["adm1_name"].tolist() == ["Kayes"]


# ------------------------------------------------------------------------- HXL


def test_hxl_row_takes_precedence_over_headers(tmp_path):
    path = write(tmp_path, "hxl.csv",
                 "Région,Localité,Partenaire,Budget,Lat,Lon\n"
                 "#adm2 +name,#adm1+name+fr,#x_budget,#org +impl,#Geo +Lon,#geo+LAT\n"
                 "Djenné,Mopti,500,UNICEF,-4.5,13.9\n")
    df = read_records(path)
    # tags win: the "Région" column is really the cercle, "Lat" holds longitudes
    assert values(df, "row", "adm2_name", "adm1_name", "organisation", "longitude",
                  "latitude") == [[3, "Djenné", "Mopti", "UNICEF", "-4.5", "13.9"]]
    # unknown tag: the header "Partenaire" would say organisation, but that field is
    # taken by the #org tag, so the column is kept as an extra under its header
    assert df["extra:Partenaire"].tolist() == ["500"]
    assert df.attrs["columns"]["adm2_name"] == "Région"


def test_hxl_unknown_or_empty_tags_fall_back_to_headers(tmp_path):
    path = write(tmp_path, "hxl.csv",
                 "Organisation,Secteur,Région,P-code région\n"
                 "#x_partner,,#adm1 +name,#ADM1 + CODE\n"
                 "HI,Santé,Gao,ML07\n")
    df = read_records(path)
    assert values(df, "row", "organisation", "sector", "adm1_name", "adm1_pcode") == [
        [3, "HI", "Santé", "Gao", "ML07"]]


def test_hxl_row_without_header_and_row_numbers(tmp_path):
    path = write(tmp_path, "hxl.csv",
                 "#org,#sector,#adm1+code,#date+start,#affected+reached,#targeted,"
                 "#meta+id,#meta+source,#status,#description,#activity\n"
                 "\n"
                 "HI,Health,ML06,2016,12,40,A1,web,ongoing,desc,act\n")
    df = read_records(path)
    expected = {"row": 3, "organisation": "HI", "sector": "Health", "adm1_pcode": "ML06",
                "start_date": "2016", "reached": "12", "targeted": "40", "id": "A1",
                "source": "web", "status": "ongoing", "description": "desc",
                "activity": "act"}
    assert {k: df[k].iloc[0] for k in expected} == expected


def test_excel_error_values_are_not_an_hxl_row(tmp_path):
    path = write(tmp_path, "x.csv", "Région,Cercle,Budget\n#N/A,#REF!,#VALUE!\nGao,Gao,1\n")
    df = read_records(path)
    assert values(df, "row", "adm1_name") == [[2, "#N/A"], [3, "Gao"]]


@pytest.mark.parametrize(("tag", "field"), [
    ("#org", "organisation"), ("#org+impl+name", "organisation"), ("#cluster", "sector"),
    ("#sector +cluster", "sector"), ("#activity", "activity"), ("#activity+id", "id"),
    ("#adm1 +name", "adm1_name"), ("#adm1+name+fr", "adm1_name"),
    ("#ADM1+CODE", "adm1_pcode"), ("#adm1 +code +v_pcode", "adm1_pcode"),
    ("#adm2+name", "adm2_name"), ("#adm2+code", "adm2_pcode"), ("#loc+name", "place"),
    ("#geo +lat", "latitude"), ("#geo+lon", "longitude"), ("#date+start", "start_date"),
    ("#date +end", "end_date"), ("#status", "status"), ("#reached", "reached"),
    ("#affected+reached", "reached"), ("#beneficiary", "reached"),
    ("#targeted", "targeted"), ("#description", "description"), ("#meta+id", "id"),
    ("#meta+source", "source"),
])
def test_hxl_tag_mapping(tag, field):
    assert field_for_hxl(tag) == field


@pytest.mark.parametrize("tag", ["#meta", "#geo", "#date+reported", "#x_budget", "org", "#N/A", ""])
def test_hxl_tags_without_field(tag):
    assert field_for_hxl(tag) is None


@pytest.mark.parametrize(("header", "field"), [
    ("Partenaire de mise en œuvre", "organisation"), ("ACTEUR", "organisation"),
    ("Domaine", "sector"), ("Projet", "activity"), ("ADM1_FR", "adm1_name"),
    ("admin1Name", "adm1_name"), ("Province", "adm1_name"), ("Pcode", "adm1_pcode"),
    ("Admin1 Pcode", "adm1_pcode"), ("District", "adm2_name"), ("P-code cercle", "adm2_pcode"),
    ("Village", "place"), ("Commune", "place"), ("Y", "latitude"), ("X", "longitude"),
    ("long", "longitude"), ("Date de début", "start_date"), ("Fin", "end_date"),
    ("État", "status"), ("Nombre de bénéficiaires", "reached"),
    ("Personnes atteintes", "reached"), ("Cible", "targeted"), ("Précision", "precision"),
    ("Code", "id"), ("source_text", "source_text"), ("adm2_pcode", "adm2_pcode"),
    ("Latitude (WGS84)", "latitude"), ("  date   début ", "start_date"),
])
def test_header_synonyms(header, field):
    assert field_for_header(header) == field


@pytest.mark.parametrize("header", ["Budget", "Nom", "", None, "Commentaire"])
def test_headers_without_field(header):
    assert field_for_header(header) is None


# ------------------------------------------------------------------------ XLSX


def make_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "3W"
    first.append(["Organisation", "Région", "Latitude", "Date début", "Bénéficiaires",
                  "Budget"])
    first.append(["HI", "Ségou", 13.4317, dt.datetime(2016, 3, 1), 1200, 5.5])
    first.append([None, None, None, None, None, None])
    first.append(["UNICEF", "Mopti", None, dt.date(2017, 1, 2), 12.0, None])
    second = workbook.create_sheet("Cercles")
    second.append(["Titre du tableau"])
    second.append(["Partenaire", "Cercle", "#ignored"])
    second.append(["#org", "#adm2+name", "#meta+id"])
    second.append(["HI", "Djenné", 7])
    workbook.save(path)
    return path


def test_xlsx_first_sheet(tmp_path):
    path = make_workbook(tmp_path / "3w.xlsx")
    df = read_records(path)
    assert values(df, "row", "organisation", "adm1_name", "latitude", "start_date",
                  "reached", "extra:Budget") == [
        [2, "HI", "Ségou", "13.4317", "2016-03-01", "1200", "5.5"],
        [4, "UNICEF", "Mopti", None, "2017-01-02", "12", None],
    ]
    assert df.attrs["columns"]["reached"] == "Bénéficiaires"


@pytest.mark.parametrize("sheet", ["Cercles", "cercles", 1, -1])
def test_xlsx_named_or_indexed_sheet_with_hxl(tmp_path, sheet):
    path = make_workbook(tmp_path / "3w.xlsx")
    df = read_records(path, sheet=sheet)
    assert values(df, "row", "organisation", "adm2_name", "id") == [[4, "HI", "Djenné", "7"]]


def test_xlsx_datetime_with_time_kept(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Région", "Date fin"])
    workbook.active.append(["Gao", dt.datetime(2016, 3, 1, 14, 30)])
    workbook.save(tmp_path / "t.xlsx")
    df = read_records(tmp_path / "t.xlsx")
    assert df["end_date"].tolist() == ["2016-03-01 14:30:00"]


def test_xlsx_with_csv_extension_is_read_as_workbook(tmp_path):
    path = make_workbook(tmp_path / "3w.xlsx")
    renamed = path.rename(tmp_path / "3w.csv")
    assert read_records(renamed)["adm1_name"].tolist() == ["Ségou", "Mopti"]


@pytest.mark.parametrize("sheet", ["Absent", 5])
def test_xlsx_missing_sheet(tmp_path, sheet):
    path = make_workbook(tmp_path / "3w.xlsx")
    with pytest.raises(UnreadableFile) as info:
        read_records(path, sheet=sheet)
    message = str(info.value)
    assert "3w.xlsx" in message and "'3W'" in message and "'Cercles'" in message
    assert str(sheet) in message and "\n" not in message


# ---------------------------------------------------------------------- errors


def assert_one_line(exc: InputError, *parts: str) -> str:
    message = str(exc)
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message
    for part in parts:
        assert part in message, (part, message)
    return message


def test_missing_file(tmp_path):
    with pytest.raises(InputFileNotFound) as info:
        read_records(tmp_path / "absent.csv")
    assert_one_line(info.value, "absent.csv", "not found")


@pytest.mark.parametrize("name", ["absent.xlsx", "absent.xls"])
def test_missing_file_any_extension(tmp_path, name):
    with pytest.raises(InputFileNotFound) as info:
        read_records(tmp_path / name)
    assert_one_line(info.value, name)


def test_directory(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UnreadableFile) as info:
        read_records(folder)
    assert_one_line(info.value, "folder.csv", "directory")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n \n", b"\xef\xbb\xbf", b";;;\n;;;\n"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, "empty.csv", content)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "empty.csv")


def test_damaged_xls_rejected(tmp_path):
    pytest.importorskip("python_calamine", reason="reading .xls needs mali-map[xls]")
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "old.xls", ".xls or .ods workbook")


def test_ole_workbook_with_csv_extension_rejected(tmp_path):
    pytest.importorskip("python_calamine", reason="reading .xls needs mali-map[xls]")
    path = write(tmp_path, "old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "old.csv", ".xls")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken", b""])
def test_broken_xlsx(tmp_path, content):
    path = write(tmp_path, "broken.xlsx", content)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "broken.xlsx", "XLSX")


def test_binary_content_with_unknown_extension(tmp_path):
    path = write(tmp_path, "blob.bin", bytes(range(256)) * 4)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "blob.bin", "binary")


def test_mostly_control_bytes_rejected(tmp_path):
    path = write(tmp_path, "x.csv", bytes(range(1, 32)) * 20)
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, "x.csv")


@pytest.mark.parametrize("name", ["3w.json", "3w.parquet", "3w.geojson"])
def test_unsupported_formats(tmp_path, name):
    path = write(tmp_path, name, "{}")
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    assert_one_line(info.value, name, "CSV")


def test_missing_location_columns(tmp_path):
    path = write(tmp_path, "noloc.csv", "Organisation;Secteur;Budget;Latitude\nHI;Santé;1;14\n")
    with pytest.raises(MissingColumns) as info:
        read_records(path)
    message = assert_one_line(info.value, "noloc.csv", "'Organisation'", "'Budget'",
                              "'Latitude'", "Région", "ADM1_PCODE", "#adm1+name")
    assert message.startswith(str(path))


def test_missing_columns_message_is_one_line_even_with_multiline_headers(tmp_path):
    path = write(tmp_path, "x.csv", '"Nom du\npartenaire",Budget\nHI,1\n')
    with pytest.raises(MissingColumns) as info:
        read_records(path)
    assert_one_line(info.value, "x.csv", "Nom du partenaire")


def test_latitude_and_longitude_alone_are_a_location(tmp_path):
    path = write(tmp_path, "x.csv", "Lat,Lon\n14,-4\n")
    assert values(read_records(path), "latitude", "longitude") == [["14", "-4"]]


@pytest.mark.parametrize("content", [
    b"\xff\xfe\x00",                      # truncated UTF-16
    b'"unterminated,\x00quote\n',         # NUL byte
    b"PK\x03\x04" + b"\x00" * 50,         # zip header, no archive
    "Région\n".encode() + b"a" * 200_000,  # a field longer than csv's default limit
])
def test_garbage_never_escapes_as_another_exception(tmp_path, content):
    path = write(tmp_path, "garbage.csv", content)
    try:
        read_records(path)
    except InputError as exc:
        assert_one_line(exc, "garbage.csv")
