"""Static maps in context: neighbours with names, "Mali" in the title, the locator inset,
OCHA-style file names; one name per unit per language on every output."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from mali_map._build._pipeline import join_files
from mali_map._reference._context import NEIGHBOURS_ATTRIBUTION, load_neighbours
from mali_map._reference._names import unit_name
from mali_map._render.static._export import (
    PROJECTION,
    export_map,
    export_static,
    ocha_file_name,
    static_map,
)


@pytest.fixture(scope="module")
def result():
    return join_files()


def _texts(fig: Figure, gid: str) -> list[str]:
    texts = [*fig.texts, *(t for ax in fig.axes for t in ax.texts)]
    return [t.get_text() for t in texts if t.get_gid() == gid]


def _axes(fig: Figure, gid: str):
    return next(ax for ax in fig.axes if ax.get_gid() == gid)


def _collection(ax, gid: str):
    return next(c for c in ax.collections if c.get_gid() == gid)


def _extent(collection) -> np.ndarray:
    verts = np.concatenate([p.vertices for p in collection.get_paths()])
    return np.array([*verts.min(axis=0), *verts.max(axis=0)])


# --------------------------------------------------------------------------- neighbours


@pytest.mark.parametrize(("lang", "names"), [
    ("en", {"Algeria", "Mauritania", "Niger", "Burkina Faso", "Guinea"}),
    ("fr", {"Algérie", "Mauritanie", "Niger", "Burkina Faso", "Guinée"}),
])
def test_overview_draws_the_neighbours_in_grey_with_their_names(result, lang, names) -> None:
    fig = static_map(result, lang=lang)
    ax = _axes(fig, "map-frame")
    grey = _collection(ax, "neighbours")
    assert len(grey.get_paths()) == len(load_neighbours())
    assert {tuple(np.round(c, 3)) for c in grey.get_facecolors()} == {
        (0.851, 0.851, 0.851, 1.0)}
    shown = set(_texts(fig, "neighbour-label"))
    assert names <= shown
    other = {n for n in load_neighbours()["name_en" if lang == "fr" else "name_fr"]} - {
        n for n in load_neighbours()["name_fr" if lang == "fr" else "name_en"]}
    assert not shown & other  # no name from the other language
    # Country and unit labels never cover each other.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= len(names) + 9
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_region_map_names_the_neighbour_in_view(result) -> None:
    fig = static_map(result, region="Mopti", orientation="portrait")
    assert "Burkina Faso" in _texts(fig, "neighbour-label")
    assert "Algeria" not in _texts(fig, "neighbour-label")  # far out of view


def test_attribution_names_the_context_layer(result, tmp_path: Path) -> None:
    footer = _texts(static_map(result), "map-footer")[0]
    assert NEIGHBOURS_ATTRIBUTION in " ".join(footer.split())
    svg = export_map(result, tmp_path / "map.svg").read_text("utf-8")
    assert "Natural Earth (public domain)" in svg and "Algeria" in svg


# --------------------------------------------------------------------------- title


@pytest.mark.parametrize(("selection", "title"), [
    ({}, "Mali – Activities per region"),
    ({"region": "ML06"}, "Mali – Timbuktu: Activities"),
    ({"region": "ML06", "lang": "fr"}, "Mali – Tombouctou\u00a0: Activités"),
    ({"sector": "health"}, "Mali – Health: Activities per region"),
    ({"title": "3W June 2024"}, "Mali – 3W June 2024"),
    ({"title": "Mali 3W, June 2024"}, "Mali 3W, June 2024"),
])
def test_mali_is_in_every_title(result, selection, title) -> None:
    assert _texts(static_map(result, **selection), "map-title") == [title]


# --------------------------------------------------------------------------- locator


def _mali_bounds(result) -> np.ndarray:
    return np.asarray(result.boundaries.adm1.to_crs(PROJECTION).total_bounds)


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_locator_inset_shows_mali_in_west_africa(result, orientation) -> None:
    fig = static_map(result, orientation=orientation)
    inset = _axes(fig, "locator-inset")
    focus = _extent(_collection(inset, "locator-focus"))
    assert np.allclose(focus, _mali_bounds(result), rtol=0, atol=1.0)
    # The inset's view holds West Africa: Mali and all of the context layer.
    x0, x1 = inset.get_xlim()
    y0, y1 = inset.get_ylim()
    ctx = load_neighbours().to_crs(PROJECTION).total_bounds
    assert x0 <= ctx[0] + 1 and y0 <= ctx[1] + 1 and x1 >= ctx[2] - 1 and y1 >= ctx[3] - 1
    # It overlaps neither the map, nor the legend, nor the notes.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = inset.get_window_extent(renderer)
    side = _axes(fig, "map-side")
    others = [_axes(fig, "map-frame").get_window_extent(renderer),
              side.get_legend().get_window_extent(renderer),
              *[t.get_window_extent(renderer) for t in side.texts]]
    for other in others:
        assert not box.overlaps(other)
    assert box.width > 100 and box.height > 100  # more than an inch at 100 dpi


def test_locator_highlights_the_region_of_a_region_map(result) -> None:
    inset = _axes(static_map(result, region="Mopti"), "locator-inset")
    mopti = result.boundaries.adm1.to_crs(PROJECTION)
    mopti = mopti[mopti["pcode"] == "ML05"].total_bounds
    assert np.allclose(_extent(_collection(inset, "locator-focus")), mopti, atol=1.0)
    assert _extent(_collection(inset, "locator-mali")) == pytest.approx(
        _mali_bounds(result), abs=1.0)


def test_locator_is_in_the_svg(result, tmp_path: Path) -> None:
    root = ET.parse(export_map(result, tmp_path / "m.svg", region="Gao")).getroot()
    ids = {el.get("id") for el in root.iter()}
    assert {"locator-inset", "locator-focus", "neighbours", "country-border"} <= ids


# --------------------------------------------------------------------------- file names


def test_ocha_file_names() -> None:
    assert ocha_file_name("MLI001", "overview", "a3", "2024-05-31", "png") == \
        "MLI001_3W_overview_A3_20240531.png"
    assert ocha_file_name("MLI 001/v2", "sector-food_security", "A4", "2024-05-31", "pdf") == \
        "MLI-001-v2_3W_sector-food-security_A4_20240531.pdf"


def test_map_id_gives_every_static_map_an_ocha_file_name(result, tmp_path: Path,
                                                          monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")  # 2024-05-31 UTC
    files = export_static(result, tmp_path, formats=("svg",), map_id="MLI001")
    names = {f.relative_to(tmp_path).as_posix() for f in files}
    assert "static/MLI001_3W_overview_A4_20240531.svg" in names
    assert "static/regions/MLI001_3W_region-tombouctou_A4_20240531.svg" in names
    assert "static/sectors/MLI001_3W_sector-health_A4_20240531.svg" in names
    assert all(Path(n).name.startswith("MLI001_3W_") and n.endswith("_A4_20240531.svg")
               for n in names)
    assert all(f.is_file() for f in files)
    svg = (tmp_path / "static" / "MLI001_3W_overview_A4_20240531.svg").read_text("utf-8")
    assert "Produced: 2024-05-31." in svg and "MLI001" in svg
    plain = export_static(result, tmp_path / "plain", formats=("svg",))
    assert (tmp_path / "plain" / "static" / "overview.svg") in plain


# --------------------------------------------------------------------------- names


def test_one_name_rule() -> None:
    assert (unit_name("ML06", "en"), unit_name("ML06", "fr")) == ("Timbuktu", "Tombouctou")
    assert (unit_name("ML0605", "en"), unit_name("ML0605", "FR")) == ("Timbuktu", "Tombouctou")
    # An ASCII spelling is no exonym: English keeps the official French name.
    assert unit_name("ML04", "en") == unit_name("ML04", "fr") == "Ségou"
    assert unit_name("ML0503", "en") == "Djenné"
    # A known P-code takes its reference name, whatever the boundary file spells.
    assert unit_name({"pcode": "ML06", "name": "TOMBOUCTOU"}, "en") == "Timbuktu"
    # Other units keep their row's names.
    assert unit_name({"pcode": "Z1", "name": "Zone", "name_en": "Area"}, "en") == "Area"
    assert unit_name({"pcode": "Z1", "name": "Zone", "name_en": "Area"}, "fr") == "Zone"
    assert unit_name("nowhere", "en") == "nowhere"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_output_names_units_alike(result, lang, tmp_path: Path) -> None:
    from mali_map._outputs._tables import records_layer, unit_tables
    from mali_map._snapshot import SnapshotOptions, build_facts

    adm1 = result.boundaries.adm1
    adm2 = result.boundaries.adm2
    want1 = {p: unit_name(p, lang) for p in adm1["pcode"]}
    want2 = {p: unit_name(p, lang) for p in adm2["pcode"]}
    assert want1["ML06"] == {"en": "Timbuktu", "fr": "Tombouctou"}[lang]
    # Static maps: the region page's title and labels, cercles included.
    fig = static_map(result, region="ML06", lang=lang)
    assert want1["ML06"] in _texts(fig, "map-title")[0]
    labels = set(_texts(fig, "admin-label"))
    assert want2["ML0605"] in labels and labels <= {*want1.values(), *want2.values()}
    other = {"en": "Tombouctou", "fr": "Timbuktu"}[lang]
    svg = export_map(result, tmp_path / "m.svg", region="ML06", lang=lang).read_text("utf-8")
    assert other not in svg
    overview = set(_texts(static_map(result, lang=lang), "admin-label"))
    assert overview <= set(want1.values()) and want1["ML04"] in overview
    # Data outputs: the name column of the build's language.
    tables = unit_tables(result, lang)
    column = f"admin1Name_{lang}"
    assert dict(zip(tables["adm1"]["admin1Pcode"], tables["adm1"][column],
                    strict=True)) == want1
    assert dict(zip(tables["adm2"]["admin2Pcode"], tables["adm2"][f"admin2Name_{lang}"],
                    strict=True)) == want2
    records = records_layer(result, lang)
    assert all(records[column] == records["admin1Pcode"].map(want1))
    # Snapshot: the facts name units by the same rule.
    facts = build_facts(result, SnapshotOptions(lang=lang, produced="2024-05-31"))
    text = " ".join(s.text for s in facts.sectors)
    assert other not in text


def test_cli_build_with_map_id_and_source_date_epoch(tmp_path: Path, monkeypatch,
                                                     capsys) -> None:
    from mali_map._cli._main import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")  # 2024-05-31 UTC
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--static", "pdf", "--map-id", "MLI001",
                 "--lang", "FR"]) == 0
    overview = out / "static" / "MLI001_3W_overview_A4_20240531.pdf"
    assert overview.is_file()
    assert (out / "static" / "regions" / "MLI001_3W_region-tombouctou_A4_20240531.pdf"
            ).is_file()
    import pypdf

    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(overview).pages).split())
    assert "Mali" in text and "Réalisé le 2024-05-31" in text and "Algérie" in text
    capsys.readouterr()


def test_notes_count_multi_unit_records_as_the_totals_do(result) -> None:
    from mali_map._join._join import summarise
    from mali_map._measure._aggregate import unit_totals

    counts = summarise(result)
    assert counts["multi"] >= 1  # the seed has records placed in several regions
    totals = unit_totals(result).set_index("pcode")["activities"]
    for pcode in ("ML06", "ML07"):
        notes = _texts(static_map(result, region=pcode), "map-notes")[0]
        assert notes.startswith(f"{int(totals[pcode])} records in this view.")
    notes = " ".join(_texts(static_map(result), "map-notes")[0].split())
    placed = counts["rows"] - counts["national"] - counts["unmatched"] - counts["invalid"]
    assert notes.startswith(f"{placed} records in this view.")
    assert f"{counts['rows'] - placed} of {counts['rows']} records are not on this map" in notes


# --------------------------------------------------------------------------- sector symbols


def test_region_map_draws_each_sector_in_its_colour_and_shape(tmp_path: Path) -> None:
    from matplotlib.colors import to_hex

    from mali_map._reference._vocabulary import sector_label
    from mali_map._render._style import sector_styles

    rows = ["organisation,sector,activity,adm1_name,latitude,longitude"]
    points = {"health": 2, "rehabilitation": 1, "wash": 1, "Astrologie": 1}
    lat = 14.0
    for key, n in points.items():
        for _ in range(n):
            lat += 0.1
            rows.append(f"HI,{sector_label(key, 'fr')},Work,Mopti,{lat:.2f},-4.2")
    path = tmp_path / "3w.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = join_files(path)
    fig = static_map(result, region="Mopti")
    ax = _axes(fig, "map-frame")
    drawn = [c for c in ax.collections if c.get_gid() == "record-points"]
    assert sorted(len(c.get_offsets()) for c in drawn) == sorted(points.values())
    order = ["health", "wash", "rehabilitation", "Astrologie"]
    table = sector_styles(order)  # the styles of the HTML pages
    styles = [(table[k].colour, table[k].marker) for k in order]
    assert len(set(styles)) == 4
    assert [to_hex(c.get_facecolors()[0]).upper() for c in drawn] == [c for c, _ in styles]
    legend = _axes(fig, "map-side").get_legend()
    entries = {t.get_text(): (h.get_marker(), h.get_markerfacecolor().upper())
               for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
               if hasattr(h, "get_marker")}
    for key, (colour, marker) in zip(order, styles, strict=True):
        assert entries[f"{sector_label(key, 'en')} ({points[key]})"] == (marker, colour)
