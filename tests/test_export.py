"""Static PNG/PDF/SVG maps: paper sizes, text, scale bar, classes, labels, determinism."""

from __future__ import annotations

import inspect
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import numpy as np
import pypdf
import pytest
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image
from pyproj import Geod, Transformer

from mali_map._build._pipeline import join_files
from mali_map._core._errors import OutputError
from mali_map._core._i18n import label
from mali_map._measure._aggregate import metric_classes
from mali_map._measure._classify import NO_DATA_COLOUR
from mali_map._render._pages import page_selection
from mali_map._render.static._export import (
    PAPER_MM,
    PROJECTION,
    export_map,
    export_static,
    legend_entries,
    save_figure,
    scale_factors,
    static_map,
)

ROWS = """\
id,organisation,sector,activity,adm1_name,latitude,longitude,start_date,end_date,status,reached
1,HI,Health,Clinic support,Kayes,14.45,-11.44,2015,2017,ongoing,1200
2,UNICEF,WASH,Wells,Kayes,,,2016,,completed,300
3,HI,Education,Schools,Gao,16.27,-0.04,2014,,ongoing,
4,UNICEF,Health,Vaccination,Mopti,14.49,-4.19,2017,2018,ongoing,5000
5,ONG A,Health,Nutrition post,Mopti,,,2018,,planned,
6,ONG B,Astrology $x^2$,Stars,Sikasso,11.32,-5.67,2019,,ongoing,
7,HI,Mine action,Clearance,Tombouctou,16.77,-3.0,2013,,ongoing,
8,HI,Mine action,Risk education,Kidal,18.44,1.41,2013,,ongoing,
9,UNICEF,Education,Schools,Bamako,12.64,-8.0,2016,,ongoing,800
10,UNICEF,Health,Clinic,Ségou,13.43,-6.26,2016,,ongoing,
11,ONG C,Health,Clinic,Koulikoro,12.86,-7.56,2016,,ongoing,
12,ONG C,Health,Clinic,Koulikoro,,,2016,,ongoing,
13,HI,Health,Clinic,Gao,,,2016,,ongoing,
14,HI,Protection,Other,Nowhere land,,,2016,,ongoing,
"""

GEOD = Geod(ellps="WGS84")
FROM_MAP = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)


@pytest.fixture(scope="module")
def records_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("records") / "donor-3w.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(records_csv: Path):
    return join_files(records_csv)


@pytest.fixture(scope="module")
def result_adm2(records_csv: Path, geoboundaries: Path):
    return join_files(records_csv, adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")


def _norm(text: str) -> str:
    return " ".join(text.split())


def svg_text(path: Path) -> str:
    """All text of an SVG's ``<text>`` elements, whitespace-normalised."""
    root = ET.parse(path).getroot()
    parts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text")]
    return _norm(" ".join(parts))


def pdf_text(path: Path) -> str:
    return _norm(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def _map_axes(fig: Figure):
    return next(ax for ax in fig.axes if ax.get_gid() == "map-frame")


# --------------------------------------------------------------------------- paper


@pytest.mark.parametrize(("paper", "orientation"),
                         list(itertools.product(("A4", "A3"), ("landscape", "portrait"))))
def test_png_pixel_size_and_dpi(result, tmp_path: Path, paper: str, orientation: str) -> None:
    out = export_map(result, tmp_path / "map.png", paper=paper, orientation=orientation, dpi=50)
    short, long_ = (mm / 25.4 * 50 for mm in PAPER_MM[paper])
    expected = (round(long_), round(short)) if orientation == "landscape" else (
        round(short), round(long_))
    with Image.open(out) as img:
        assert img.size == expected
        # pHYs stores whole dots per metre, so 50 dpi reads back as 50.01.
        assert img.info["dpi"] == pytest.approx((50, 50), rel=1e-3)


def test_default_resolution_is_300_dpi(tmp_path: Path) -> None:
    for function in (export_map, export_static, save_figure):
        assert inspect.signature(function).parameters["dpi"].default == 300
    out = save_figure(Figure(figsize=(0.5, 0.25)), tmp_path / "tiny.png")
    with Image.open(out) as img:
        assert img.size == (150, 75)
        assert img.info["dpi"] == pytest.approx((300, 300), rel=1e-3)


@pytest.mark.parametrize(("paper", "orientation"), [("A4", "landscape"), ("A3", "portrait")])
def test_pdf_page_size(result, tmp_path: Path, paper: str, orientation: str) -> None:
    out = export_map(result, tmp_path / "map.pdf", paper=paper, orientation=orientation)
    box = pypdf.PdfReader(out).pages[0].mediabox
    short, long_ = (mm / 25.4 * 72 for mm in PAPER_MM[paper])
    size = (long_, short) if orientation == "landscape" else (short, long_)
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.05)


def test_unknown_paper_and_extension(result, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="A5"):
        static_map(result, paper="A5")
    with pytest.raises(OutputError, match=r"\.jpg"):
        export_map(result, tmp_path / "map.jpg")
    with pytest.raises(OutputError, match="tiff"):
        export_static(result, tmp_path, formats=("tiff",))


def test_unwritable_destination_is_one_line_error(result, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write") as info:
        export_map(result, blocker / "map.png", dpi=20)
    assert "\n" not in str(info.value)


def test_unknown_region_and_sector_name_the_choices(result) -> None:
    with pytest.raises(ValueError, match="Kayes"):
        static_map(result, region="Atlantis")
    with pytest.raises(ValueError, match="health"):
        static_map(result, sector="astronomy")


# --------------------------------------------------------------------------- text


def test_svg_and_pdf_keep_the_texts(result, tmp_path: Path) -> None:
    classes = metric_classes(result)
    wanted = [
        label("metric_title.activities", "en"),
        label("disclaimer", "en"),
        "geoBoundaries (CC BY 4.0), from OCHA/DNCT data",  # embedded boundaries (issue 9)
        "donor-3w.csv",
        "Produced: 2024-05-01",
        "MLI-3W-007 v2",
        label("no_data", "en"),
        *classes.labels(),
    ]
    svg = svg_text(export_map(result, tmp_path / "map.svg", produced="2024-05-01",
                              map_id="MLI-3W-007 v2"))
    pdf = pdf_text(export_map(result, tmp_path / "map.pdf", produced="2024-05-01",
                              map_id="MLI-3W-007 v2"))
    for text in wanted:
        assert _norm(text) in svg
        assert _norm(text) in pdf


def test_production_date_by_default_reproducible_with_source_date_epoch(
        result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21 UTC
    first = export_map(result, tmp_path / "a.svg")
    assert "Produced: 2026-09-21." in svg_text(first)
    assert first.read_bytes() == export_map(result, tmp_path / "b.svg").read_bytes()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert f"Produced: {date.today().isoformat()}." in svg_text(
        export_map(result, tmp_path / "c.svg"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert "Produced: 2024-05-01." in svg_text(  # an explicit date wins
        export_map(result, tmp_path / "d.svg", produced="2024-05-01"))
    svg = svg_text(export_map(result, tmp_path / "e.svg", produced=False))
    assert "Produced" not in svg and not re.search(r"20\d\d-\d\d-\d\d", svg)


def test_french_labels(result, tmp_path: Path) -> None:
    svg = svg_text(export_map(result, tmp_path / "carte.svg", lang="fr", produced="2024-05-01"))
    for text in ("Activités par région", label("disclaimer", "fr"), "Aucune activité",
                 "Réalisé le 2024-05-01", "Tombouctou", "Secteur"):
        assert _norm(text) in svg
    assert "Timbuktu" not in svg


def test_subtitle_names_sector_metric_and_period(result) -> None:
    fig = static_map(result, sector="Santé", metric="organisations")
    texts = {t.get_gid(): t.get_text() for t in fig.texts}
    assert texts["map-title"] == "Mali – Health: Organisations per region"
    assert "Sector: Health" in texts["map-subtitle"]
    assert "Metric: Organisations" in texts["map-subtitle"]
    assert "Period: 2015–2018" in texts["map-subtitle"]  # health rows span 2015 to 2018


def test_text_from_the_file_is_not_mathtext(result, tmp_path: Path) -> None:
    svg = svg_text(export_map(result, tmp_path / "map.svg", sector="Astrology $x^2$"))
    assert "Astrology $x^2$" in svg


# --------------------------------------------------------------------------- geometry


def _drawn_scalebar(fig: Figure):
    fig.canvas.draw()
    ax = _map_axes(fig)
    bar = next(a for a in ax.artists if a.get_gid() == "scalebar")
    return ax, bar.info


@pytest.mark.parametrize("region", [None, "Kayes", "Kidal"])
def test_scale_bar_length_matches_geodesic_distance(result, region: str | None) -> None:
    fig = static_map(result, region=region)
    ax, info = _drawn_scalebar(fig)
    assert info.units == "km"
    assert info.scale_text == f"{info.value:g} km"
    # The bar's length in projected metres, laid out along the x axis at the map centre.
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, info.length_px / 2
    lon, lat = FROM_MAP.transform([cx - half, cx + half], [cy, cy])
    ground_km = GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000
    assert ground_km == pytest.approx(info.value, rel=0.01)  # the requirement
    # Stronger: exact at the centre (dx corrects the projection's local scale, which
    # alone would be ~0.1 % off at Kayes).
    assert ground_km == pytest.approx(info.value, rel=2e-4)
    # Plausible bar: between a tenth and a half of the map width.
    assert 0.1 < info.length_px / (x1 - x0) < 0.5


def test_projection_scale_is_within_half_a_percent_over_mali(result) -> None:
    """Equal-area, and the local scale factors (pyproj) stay near 1 over all of Mali."""
    lon_lat = np.vstack([np.asarray(g.exterior.coords) if g.geom_type == "Polygon" else
                         np.vstack([np.asarray(p.exterior.coords) for p in g.geoms])
                         for g in result.boundaries.adm1.geometry])
    for lon, lat in lon_lat[::25]:
        h, k, area = scale_factors(lon, lat)
        assert area == pytest.approx(1.0, abs=1e-9)
        assert abs(h - 1) < 0.005 and abs(k - 1) < 0.005


def _nonwhite_share(png: Path, fig: Figure) -> float:
    ax = _map_axes(fig)
    with Image.open(png) as img:
        pixels = np.asarray(img.convert("RGB"), dtype=int)
    h, w = pixels.shape[:2]
    x0, y0, x1, y1 = ax.get_position().extents
    crop = pixels[round((1 - y1) * h) + 2:round((1 - y0) * h) - 2,
                  round(x0 * w) + 2:round(x1 * w) - 2]
    return float((crop.sum(axis=2) < 3 * 240).mean())


def test_map_area_is_not_blank(result, tmp_path: Path) -> None:
    fig = static_map(result)
    png = save_figure(fig, tmp_path / "map.png", dpi=40)
    assert _nonwhite_share(png, fig) > 0.25
    blank = Figure(figsize=fig.get_size_inches())
    blank.add_axes(_map_axes(fig).get_position().bounds, gid="map-frame").set_axis_off()
    assert _nonwhite_share(save_figure(blank, tmp_path / "blank.png", dpi=40), blank) < 0.01


# --------------------------------------------------------------------------- classes


def test_legend_classes_equal_the_interactive_maps(result) -> None:
    for metric in ("activities", "reached"):
        classes = metric_classes(result, metric=metric)
        for fig in (static_map(result, metric=metric),
                    static_map(result, metric=metric, sector="health")):
            entries = legend_entries(fig)
            assert entries == [*zip(classes.labels(), classes.colours, strict=True),
                               (label("no_data", "en"), NO_DATA_COLOUR)]
    from mali_map._render.html import _cube as payload
    html = payload.overview_classes(result, "quantiles", 5)["activities"]
    ours = metric_classes(result)
    assert (html.bounds, html.colours) == (ours.bounds, ours.colours)


def test_region_page_uses_the_html_adm2_classes(result_adm2) -> None:
    from mali_map._render.html import _cube as payload
    html = payload.level_classes(result_adm2, "adm2", "quantiles", 5)["activities"]
    fig = static_map(result_adm2, region="Mopti")
    assert legend_entries(fig)[:-1] == list(zip(html.labels(), html.colours, strict=True))


def test_french_legend_uses_french_number_punctuation(result) -> None:
    fig = static_map(result, metric="reached", lang="fr", scheme="equal_interval", k=3)
    labels = [text for text, _ in legend_entries(fig)]
    english = metric_classes(result, "reached", "equal_interval", 3).labels()
    assert any("," in text for text in english)  # thousands: 5,000
    assert [t.replace("\u202f", ",") for t in labels[:-1]] == english


# --------------------------------------------------------------------------- labels


def _label_boxes(fig: Figure):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = _map_axes(fig)
    texts = [t for t in ax.texts if t.get_gid() == "admin-label"]
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in texts]
    return ax.get_window_extent(renderer), boxes, texts


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_admin_labels_do_not_overlap(result, orientation: str) -> None:
    frame, boxes, texts = _label_boxes(static_map(result, orientation=orientation))
    names = {t.get_text() for t in texts}
    assert {"Kayes", "Gao", "Kidal", "Timbuktu"} <= names
    assert len(names) >= 7
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1


def test_colliding_labels_are_shifted_or_skipped() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mali_map._render.static._export import _place_labels

    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    reserved = [ax.transData.transform_bbox(Bbox.from_extents(0, 0, 10, 0.5))]
    items = [(5, 5, name, {"fontsize": 10}) for name in ("Alpha", "Beta", "Gamma", "Delta")]
    items += [(9.9, 5, "Edge", {"fontsize": 10}), (5, 0.4, "Reserved", {"fontsize": 10})]
    drawn = _place_labels(fig, ax, items, reserved)
    # First at its anchor, the next just above, the third just below; no room for the
    # fourth, "Edge" would leave the frame, "Reserved" sits on the reserved strip
    # (where the scale bar goes) and is lifted out of it.
    assert [t.get_text() for t in drawn] == ["Alpha", "Beta", "Gamma", "Reserved"]
    ys = [t.get_position()[1] for t in drawn]
    assert ys[1] > ys[0] == 5 > ys[2]
    assert ys[3] > 0.4
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in drawn]
    for a, b in itertools.combinations([*boxes, *reserved], 2):
        assert not a.overlaps(b)


def test_region_map_labels_its_subdivisions_without_overlap(result_adm2) -> None:
    fig = static_map(result_adm2, region="ML05")  # Mopti: 8 cercles, some small
    _, boxes, texts = _label_boxes(fig)
    names = {t.get_text() for t in texts}
    assert {"Bandiagara", "Douentza"} <= names
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    gids = {c.get_gid() for c in _map_axes(fig).collections}
    assert {"units-adm2", "focus-unit", "record-points"} <= gids


# --------------------------------------------------------------------------- files


def test_export_static_writes_every_page(result, tmp_path: Path) -> None:
    files = export_static(result, tmp_path, formats=("png", "svg"), dpi=20)
    names = {p.relative_to(tmp_path / "static").as_posix() for p in files}
    regions = {"kayes", "gao", "mopti", "sikasso", "tombouctou", "kidal", "bamako", "segou",
               "koulikoro"}
    sectors = {"health", "wash", "education", "mine-action", "protection", "astrology-x-2"}
    stems = {"overview"} | {f"regions/{r}" for r in regions} | {f"sectors/{s}" for s in sectors}
    assert names == {f"{s}.{ext}" for s in stems for ext in ("png", "svg")}
    assert all(p.is_file() and p.stat().st_size > 1000 for p in files)


def test_static_files_mirror_the_html_pages(result, tmp_path: Path) -> None:
    from mali_map._render import html as html
    html.render_site(result, tmp_path / "site")
    pages = {p.relative_to(tmp_path / "site").with_suffix("").as_posix()
             for p in (tmp_path / "site").rglob("*.html")}
    regions, sectors = page_selection(result)  # what export_static writes (test above)
    static = {f"regions/{slug}" for _, slug in regions} | {f"sectors/{s}" for _, s in sectors}
    assert static == pages - {"index"}


def test_two_runs_give_identical_files(result, tmp_path: Path) -> None:
    for fmt in ("png", "pdf", "svg"):
        first = export_map(result, tmp_path / "a" / f"map.{fmt}", region="Mopti", dpi=40,
                           map_id="X1")
        second = export_map(result, tmp_path / "b" / f"map.{fmt}", region="Mopti", dpi=40,
                            map_id="X1")
        assert first.read_bytes() == second.read_bytes(), fmt


def test_notes_count_the_records_left_off(result) -> None:
    def notes(**selection: str) -> str:
        fig = static_map(result, **selection)
        side = next(ax for ax in fig.axes if ax.get_gid() == "map-side")
        return _norm(next(t.get_text() for t in side.texts if t.get_gid() == "map-notes"))

    assert notes() == ("13 records in this view. 1 of 14 records is not on this map "
                       "(national level, unmatched or invalid).")
    assert notes(sector="health") == "7 records in this view."
    assert notes(sector="protection").startswith("0 records in this view. 1 of 1 records")
    assert notes(region="Sikasso") == "1 record in this view."


def test_region_notes_count_records_without_a_cercle(result_adm2) -> None:
    fig = static_map(result_adm2, region="Kayes")  # row 2 names Kayes but no place
    side = next(ax for ax in fig.axes if ax.get_gid() == "map-side")
    note = _norm(next(t.get_text() for t in side.texts if t.get_gid() == "map-notes"))
    assert note == ("2 records in this view. 1 of them not placed in a cercle, "
                    "so not in the cercle colours.")
