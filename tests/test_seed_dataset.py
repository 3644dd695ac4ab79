"""Checks on the hand-built seed dataset ``data/interventions.csv``.

Read with the standard library and pandas only, independently of mali_map's loader.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from mali_map._reference._vocabulary import find_sector

ROOT = Path(__file__).resolve().parents[1]
CSV_PATH = ROOT / "data" / "interventions.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"

HEADER = [
    "id", "organisation", "sector", "activity", "adm1_pcode", "adm1_name", "adm2_name",
    "place", "latitude", "longitude", "start_date", "end_date", "status", "reached",
    "precision", "source", "source_text",
]
# OCHA Mali first-level P-codes (facts from the OCHA common operational dataset).
ADM1 = {
    "ML01": "Kayes", "ML02": "Koulikoro", "ML03": "Sikasso", "ML04": "Ségou",
    "ML05": "Mopti", "ML06": "Tombouctou", "ML07": "Gao", "ML08": "Kidal", "ML09": "Bamako",
}
ID_PREFIX = {"Humanity & Inclusion": "HI", "UNICEF": "UNICEF"}
STATUSES = {"", "ongoing", "completed"}
PRECISIONS = {"point", "admin2", "admin1", "national"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
COORD = re.compile(r"^-?\d{1,2}\.\d{4}$")


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_header_and_shape() -> None:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    assert records[0] == HEADER
    assert len(records) > 1
    bad = [i for i, rec in enumerate(records[1:], start=2) if len(rec) != len(HEADER)]
    assert not bad, f"rows with a wrong number of fields (line numbers): {bad}"
    frame = pd.read_csv(CSV_PATH, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns) == HEADER
    assert len(frame) == len(records) - 1


def test_ids_unique_and_prefixed(rows: list[dict[str, str]]) -> None:
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["organisation"] in ID_PREFIX, r["id"]
        assert re.fullmatch(rf"{ID_PREFIX[r['organisation']]}-\d{{3}}", r["id"]), r["id"]


def test_required_text_fields_filled(rows: list[dict[str, str]]) -> None:
    for r in rows:
        for col in ("activity", "sector", "precision", "source", "source_text"):
            assert r[col].strip(), f"{r['id']}: empty {col}"
            assert r[col] == r[col].strip(), f"{r['id']}: untrimmed {col}"


def test_sectors_are_canonical_labels(rows: list[dict[str, str]]) -> None:
    for r in rows:
        sector = find_sector(r["sector"])
        assert sector is not None, f"{r['id']}: unknown sector {r['sector']!r}"
        assert sector.en == r["sector"], f"{r['id']}: {r['sector']!r} is not the label"


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"seed pages not available: {SHARED} absent")
def test_source_text_is_verbatim(rows: list[dict[str, str]]) -> None:
    texts: dict[str, str] = {}
    for r in rows:
        path = SEEDS / r["source"]
        assert path.is_file(), f"{r['id']}: missing source {path}"
        if r["source"] not in texts:
            texts[r["source"]] = _norm(path.read_text(encoding="utf-8"))
        assert _norm(r["source_text"]) in texts[r["source"]], f"{r['id']}: not verbatim"


def test_coordinates_only_for_points_and_inside_mali(rows: list[dict[str, str]]) -> None:
    for r in rows:
        lat, lon = r["latitude"], r["longitude"]
        if r["precision"] != "point":
            assert lat == lon == "", f"{r['id']}: coordinates on a {r['precision']} row"
            continue
        assert COORD.match(lat) and COORD.match(lon), f"{r['id']}: {lat}, {lon}"
        assert 10.1 <= float(lat) <= 25.0, f"{r['id']}: latitude {lat}"
        assert -12.3 <= float(lon) <= 4.3, f"{r['id']}: longitude {lon}"
        assert r["place"], f"{r['id']}: point without a place name"


def test_admin_codes_and_precision(rows: list[dict[str, str]]) -> None:
    for r in rows:
        code, name, adm2 = r["adm1_pcode"], r["adm1_name"], r["adm2_name"]
        assert r["precision"] in PRECISIONS, r["id"]
        if code or name:
            assert ADM1.get(code) == name, f"{r['id']}: {code!r} / {name!r}"
        if r["precision"] == "national":
            assert not (code or name or adm2), f"{r['id']}: national row with admin units"
        elif r["precision"] == "admin1":
            assert code and not adm2, f"{r['id']}: admin1 row needs adm1 only"
        else:  # admin2 and point
            assert code and adm2, f"{r['id']}: {r['precision']} row needs adm1 and adm2"


def test_dates_status_and_reached(rows: list[dict[str, str]]) -> None:
    for r in rows:
        start, end = r["start_date"], r["end_date"]
        for value in (start, end):
            if value:
                assert DATE.match(value), f"{r['id']}: date {value!r}"
                # Dates are only recorded where the supporting text states them.
                assert value[:4] in r["source_text"], f"{r['id']}: {value} not in source"
        if start and end:
            assert start <= end, r["id"]
        assert r["status"] in STATUSES, f"{r['id']}: status {r['status']!r}"
        reached = r["reached"]
        if reached:
            assert reached.isdigit(), f"{r['id']}: reached {reached!r}"
            figures = {f.replace(",", "") for f in re.findall(r"\d[\d,]*", r["source_text"])}
            assert reached in figures, f"{r['id']}: {reached} not stated in source_text"
