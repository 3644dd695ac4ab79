"""The benchmark's synthetic 3W files (benchmarks/synthetic.py) and its CDN look-up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCHMARKS))

import _explore_env  # noqa: E402
import synthetic  # noqa: E402

import mali_map  # noqa: E402


@pytest.mark.parametrize("rows", [1000, 997, 20])
def test_location_shares_are_exact(rows: int) -> None:
    frame = synthetic.generate(rows)
    coords = frame["Latitude"].notna() & frame["Longitude"].notna()
    pcode = frame["P-code région"].notna()
    name = frame["Région"].notna()
    assert len(frame) == rows
    assert (coords.astype(int) + pcode + name == 1).all()  # each row located one way
    assert coords.sum() == round(rows * 0.60)
    assert pcode.sum() == round(rows * 0.25)
    assert name.sum() == rows - coords.sum() - pcode.sum()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = synthetic.write(tmp_path / "a.csv", 500, seed=1).read_bytes()
    b = synthetic.write(tmp_path / "b.csv", 500, seed=1).read_bytes()
    c = synthetic.write(tmp_path / "c.csv", 500, seed=2).read_bytes()
    assert a == b
    assert a != c


def test_file_is_french_cp1252_with_decimal_commas(tmp_path: Path) -> None:
    data = synthetic.write(tmp_path / "t.csv", 200).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    header = text.splitlines()[0].split(";")
    assert header == list(synthetic.HEADER)
    lat = [line.split(";")[6] for line in text.splitlines()[1:] if line.split(";")[6]]
    assert lat and all("," in v and "." not in v for v in lat)


def test_mali_map_places_every_row_the_intended_way(tmp_path: Path) -> None:
    path = synthetic.write(tmp_path / "t.csv", 1000)
    result = mali_map.join_files(path)
    methods = result.records["method"].value_counts().to_dict()
    assert methods["coordinates"] == 600
    assert methods["pcode"] == 250
    # names: spelling variants, some only a fuzzy match or an alias can place
    assert methods.get("fuzzy", 0) > 0
    assert sum(methods.get(m, 0) for m in ("name", "alias", "fuzzy")) == 150
    assert set(result.records["join_status"]) <= {"matched", "warning"}
    assert result.records["organisation"].nunique() > 50
    assert result.records["status"].nunique() == 4
    assert result.records["reached"].isna().any()


def test_cdn_urls_map_to_npm_files() -> None:
    assert _explore_env.npm_source(
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css") == (
        "leaflet", "1.9.3", "dist/leaflet.css")
    assert _explore_env.npm_source(
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/x.js") == (
        "drmonty-leaflet-awesome-markers", "2.0.2", "x.js")
    assert _explore_env.npm_source("https://tile.openstreetmap.org/1/2/3.png") is None
