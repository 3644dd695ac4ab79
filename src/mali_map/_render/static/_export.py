"""Static print maps (PNG, PDF, SVG) with full map furniture.

Each map is a :class:`matplotlib.figure.Figure` built directly (no pyplot state)
on a sheet of A4 or A3 paper: title and subtitle (sector, metric, period), the
choropleth legend with the shared classes and colours of the interactive maps
(:func:`mali_map._measure._aggregate.metric_classes`), a scale bar (matplotlib-scalebar),
a north arrow (drawn here, turned to true north), admin labels that do not overlap, the
neighbouring countries in grey with their names, a locator inset (Mali in West Africa,
the shown region highlighted), sources and attribution, the standard disclaimer, the
production date and an optional map ID. With a map ID, :func:`export_static` names its
files OCHA-style (:func:`ocha_file_name`).

Projection: Lambert azimuthal equal-area centred on 17°N 4°W (:data:`PROJECTION`).
Equal-area, so region sizes compare fairly on a choropleth; azimuthal about the
middle of Mali, so distortion grows only with distance from the country's centre.
All of Mali lies within about 11° of arc of that centre, where the point scale of
this projection stays within 0.5 % of true in every direction (radially
``cos(c/2)``, tangentially ``1/cos(c/2)``). The scale bar goes one step further:
its ``dx`` is the geodesic length (``pyproj.Geod``) of one projected metre along
the map's x axis at the centre of each map, so the bar is exact at the centre.

Output is deterministic: fixed font (DejaVu Sans, shipped with matplotlib), no
timestamps but the printed production date (the day of ``$SOURCE_DATE_EPOCH`` when set,
see :func:`mali_map._build._options.production_date`), fixed SVG hash salt and fixed
PNG/PDF/SVG metadata. SVG keeps real
text (``svg.fonttype = "none"``), PDF embeds TrueType fonts (``pdf.fonttype = 42``)
so its text can be extracted and searched.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod, Transformer
from shapely.geometry import Point
from shapely.geometry import box as rectangle
from shapely.ops import polylabel

from ..._core import MissingExtra

try:  # the optional mali-map[static] dependencies
    import matplotlib
    import matplotlib_scalebar  # noqa: F401 (checked here, used when drawing)
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox
except ImportError:
    raise MissingExtra("static maps (PNG, PDF, SVG)", "static") from None

from ..._core import (
    ORIENTATIONS,
    STATIC_FORMATS,
    OutputError,
    attribution,
    check_dpi,
    check_language,
    digits,
    inside,
    label,
    pair,
    production_date,
    writing,
)
from ..._join import JoinResult
from ..._measure import METRICS, NO_DATA_COLOUR, UNIT, Classes, check_classes, placed_records
from ..._reference import NEIGHBOURS_ATTRIBUTION, load_neighbours, sector_label, unit_name
from .._pages import find_region, find_sector, page_selection, sector_order
from .._style import sector_styles

#: Map projection: Lambert azimuthal equal-area centred on Mali (see module docstring).
PROJECTION = "+proj=laea +lat_0=17 +lon_0=-4 +datum=WGS84 +units=m +no_defs"
#: Paper sizes in millimetres, portrait (width, height).
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
FORMATS: tuple[str, ...] = STATIC_FORMATS
DEFAULT_DPI = 300
#: Colour of record locations on region maps (orange; contrasts with YlGnBu).
POINT_COLOUR = "#d95f02"
#: Fill of the neighbouring countries, and of the unit highlighted in the locator inset.
NEIGHBOUR_COLOUR = "#d9d9d9"
LOCATOR_FOCUS_COLOUR = "#d7301f"
_LABEL_PAD = 0.15  # label box padding, in font sizes
_SOFTWARE = "mali-map"
_GEOD = Geod(ellps="WGS84")
_TO_MAP = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
_FROM_MAP = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)

#: Settings in force while a map is built and saved (never changed globally).
RC: dict[str, object] = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "mali-map",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "text.parse_math": False,
    "text.usetex": False,
    "path.simplify": False,
}

def _word(key: str, lang: str) -> str:
    return label(key, lang)


def _pair(name: str, value: object, lang: str) -> str:
    """``name: value`` with French spacing before the colon."""
    return pair(name, value, lang)


# --------------------------------------------------------------------------- paper


def paper_size(paper: str = "A4", orientation: str = "landscape") -> tuple[float, float]:
    """Width and height in inches of ``paper`` in ``orientation``.

    >>> [round(v, 3) for v in paper_size("A4", "landscape")]
    [11.693, 8.268]
    """
    key = str(paper).upper()
    if key not in PAPER_MM:
        raise ValueError(f"unknown paper size {paper!r}; choose one of: {', '.join(PAPER_MM)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; choose one of: "
                         f"{', '.join(ORIENTATIONS)}")
    w, h = (v / 25.4 for v in PAPER_MM[key])
    return (h, w) if orientation == "landscape" else (w, h)


# --------------------------------------------------------------------------- selection


def _unit_row(result: JoinResult, pcode: str) -> pd.Series:
    adm1 = result.boundaries.adm1
    return adm1[adm1["pcode"] == pcode].iloc[0]


def _years(values: Iterable[object]) -> list[int]:
    out = []
    for value in values:
        text = str(value).strip() if value is not None and value == value else ""
        if len(text) >= 4 and text[:4].isdigit():
            out.append(int(text[:4]))
    return out


def _period(records: pd.DataFrame, lang: str) -> str:
    years = []
    for column in ("start_date", "end_date"):
        if column in records:
            years += _years(records[column].tolist())
    if not years:
        return _word("no_period", lang)
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}–{high}"


# --------------------------------------------------------------------------- geometry


def _polygon_path(geom: object) -> MplPath | None:
    """A compound matplotlib path of a (multi)polygon, holes included."""
    polys = getattr(geom, "geoms", [geom])
    verts, codes = [], []
    for poly in polys:
        if getattr(poly, "geom_type", "") != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2)
                         + [MplPath.CLOSEPOLY])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes).astype(np.uint8))


def _draw_units(ax: object, frame: gpd.GeoDataFrame, facecolours: Sequence[str], *,
                edgecolour: str = "#4d4d4d", linewidth: float = 0.5, zorder: float = 1,
                gid: str = "units") -> None:
    patches, colours = [], []
    for geom, colour in zip(frame.geometry, facecolours, strict=True):
        path = _polygon_path(geom)
        if path is not None:
            patches.append(PathPatch(path))
            colours.append(colour)
    if patches:
        coll = PatchCollection(patches, facecolors=colours, edgecolors=edgecolour,
                               linewidths=linewidth, zorder=zorder)
        coll.set_gid(gid)
        ax.add_collection(coll, autolim=False)


@cache
def _neighbours() -> gpd.GeoDataFrame:
    """The neighbouring countries in :data:`PROJECTION`, with their label points."""
    frame = load_neighbours()
    x, y = _TO_MAP.transform(frame["label_lon"].to_numpy(float),
                             frame["label_lat"].to_numpy(float))
    return frame.to_crs(PROJECTION).assign(label_x=x, label_y=y)


def ocha_file_name(map_id: str, page: str, paper: str, produced: date | str | None,
                   fmt: str) -> str:
    """An OCHA-style file name: ``<map ID>_3W_<page>_<paper>_<YYYYMMDD>.<format>``.

    Characters outside letters, digits and ``-`` become ``-`` in the map ID and page.

    >>> ocha_file_name("MLI001", "overview", "A4", "2024-05-31", "pdf")
    'MLI001_3W_overview_A4_20240531.pdf'
    """
    def clean(text: str) -> str:
        return "-".join("".join(c if c.isalnum() else " " for c in text).split())

    day = production_date(produced).strftime("%Y%m%d")
    return f"{clean(map_id)}_3W_{clean(page)}_{str(paper).upper()}_{day}.{fmt}"


def _fit_limits(bounds: Sequence[float], box_w: float, box_h: float,
                pad: float = 0.04) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis limits around ``bounds`` with equal scale in x and y for a box of that shape."""
    x0, y0, x1, y1 = bounds
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    w, h = w * (1 + 2 * pad), h * (1 + 2 * pad)
    if w / h < box_w / box_h:
        w = h * box_w / box_h
    else:
        h = w * box_h / box_w
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - w / 2, cx + w / 2), (cy - h / 2, cy + h / 2)


def ground_metres_per_unit(xlim: Sequence[float], ylim: Sequence[float]) -> float:
    """Geodesic metres per projected metre along the x axis at the centre of the view."""
    cx, cy = (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2
    half = (xlim[1] - xlim[0]) / 10
    lon, lat = _FROM_MAP.transform([cx - half, cx + half], [cy, cy])
    _, _, dist = _GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    return float(dist / (2 * half))


def north_angle(xlim: Sequence[float], ylim: Sequence[float]) -> float:
    """Angle in degrees, anticlockwise from the map's y axis, of true north at the view centre.

    >>> abs(round(north_angle((-1e5, 1e5), (-1e5, 1e5)), 6))  # projection centre: north is up
    0.0
    """
    cx, cy = (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2
    lon, lat = _FROM_MAP.transform(cx, cy)
    x1, y1 = _TO_MAP.transform(lon, min(lat + 0.1, 89.9))
    return float(np.degrees(np.arctan2(-(x1 - cx), y1 - cy)))


def north_arrow(angle: float, s: float = 1.0) -> object:
    """A small north arrow (half dark, half white, "N" above) rotated by ``angle`` degrees,
    anchored in the upper right corner of the map frame."""
    from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea
    from matplotlib.patches import Polygon

    size = 34.0 * s  # points
    half_w, half_h = 6.0 * s, 11.0 * s
    turn = np.radians(angle)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    centre = np.array([size / 2, size / 2 - 4.0 * s])

    def place(points: list[tuple[float, float]]) -> np.ndarray:
        return np.asarray(points) @ rot.T + centre

    area = DrawingArea(size, size, clip=False)
    tip, notch = (0.0, half_h), (0.0, -half_h * 0.45)
    for side, colour in ((-half_w, "#222222"), (half_w, "white")):
        area.add_artist(Polygon(place([tip, (side, -half_h), notch]),
                                closed=True, facecolor=colour, edgecolor="#222222",
                                linewidth=0.6 * s))
    label_at = place([(0.0, half_h + 6.5 * s)])[0]
    area.add_artist(matplotlib.text.Text(label_at[0], label_at[1], "N", ha="center",
                                         va="center", fontsize=8 * s, fontweight="bold",
                                         color="#222222", parse_math=False))
    box = AnchoredOffsetbox(loc="upper right", child=area, pad=0.1, borderpad=0.8,
                            frameon=False)
    box.set_gid("north-arrow")
    return box


def legend_labels(classes: Classes, lang: str) -> list[str]:
    """Class labels as the interactive legend shows them (French number punctuation)."""
    return [digits(lbl, lang) for lbl in classes.labels()]


def draw_choropleth(ax: object, totals: gpd.GeoDataFrame, metric: str, classes: Classes,
                    box_w: float, box_h: float, *, linewidth: float = 0.5) -> None:
    """Draw ``totals`` (e.g. from ``unit_totals``) coloured by ``metric`` on a bare ``ax``.

    The units are drawn in :data:`PROJECTION`, with the limits fitted to a box of
    ``box_w`` x ``box_h`` and no ticks: the map body of small multiples.
    """
    units = totals.to_crs(PROJECTION)
    _draw_units(ax, units, [classes.colour_for(v) for v in units[metric].astype(float)],
                linewidth=linewidth, gid="units-adm1")
    xlim, ylim = _fit_limits(units.total_bounds, box_w, box_h)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


# --------------------------------------------------------------------------- labels


def _overlaps(box: Bbox, others: Iterable[Bbox]) -> bool:
    return any(box.overlaps(o) for o in others)


def _place_labels(fig: Figure, ax: object, items: Sequence[tuple[float, float, str, dict]],
                  reserved: Sequence[Bbox]) -> list[object]:
    """Draw each ``(x, y, text, style)`` unless its box would overlap a placed one.

    A label that collides at its anchor is tried just above and just below it;
    one that still collides, or leaves the map frame, is skipped.
    """
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = list(reserved)
    drawn = []
    for x, y, text, given in items:
        style = dict(given)
        gid = style.pop("gid", "admin-label")
        # A translucent box rather than a stroke halo: path effects would turn the
        # label into outlines in SVG/PDF, and labels must stay real, searchable text.
        artist = ax.text(x, y, text, ha="center", va="center", gid=gid,
                         parse_math=False, zorder=5,
                         bbox={"boxstyle": f"round,pad={_LABEL_PAD}", "facecolor": "white",
                               "edgecolor": "none", "alpha": 0.7},
                         **style)
        pad = (_LABEL_PAD + 0.05) * artist.get_fontsize() * fig.dpi / 72
        ok = False
        for shift in (0.0, 1.05, -1.05):
            artist.set_position((x, y))
            box = artist.get_window_extent(renderer)
            if shift:
                offset = shift * (box.height + 2 * pad)
                disp = ax.transData.transform((x, y)) + np.array([0.0, offset])
                artist.set_position(tuple(ax.transData.inverted().transform(disp)))
                box = artist.get_window_extent(renderer)
            box = box.padded(pad)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1
                      and box.y0 >= frame.y0 and box.y1 <= frame.y1)
            if inside and not _overlaps(box, placed):
                ok = True
                break
        if ok:
            placed.append(box)
            drawn.append(artist)
        else:
            artist.remove()
    return drawn


# --------------------------------------------------------------------------- the map


def static_map(
    result: JoinResult,
    *,
    region: str | None = None,
    sector: str | None = None,
    metric: str = "activities",
    lang: str = "en",
    scheme: str = "quantiles",
    k: int = 5,
    paper: str = "A4",
    orientation: str = "landscape",
    title: str | None = None,
    map_id: str | None = None,
    produced: str | date | bool | None = None,
) -> Figure:
    """A print map of the overview, one region (P-code or name) or one sector.

    The choropleth uses ``metric_classes(result, metric, scheme, k)``, the same
    classes and colours as the interactive maps. ``produced`` is the production date
    printed in the footer (``YYYY-MM-DD`` or a date); ``None`` prints today, or the day
    of ``$SOURCE_DATE_EPOCH`` when set, so builds stay reproducible; ``False`` prints
    none. Save with :func:`save_figure` to keep real text and fixed metadata.

    >>> from mali_map._build._pipeline import join_files
    >>> fig = static_map(join_files(), sector="health", paper="A4", orientation="portrait")
    >>> [round(float(v), 2) for v in fig.get_size_inches()]
    [8.27, 11.69]
    """
    from ..._measure import metric_classes, unit_totals

    lang = check_language(lang)
    k = check_classes(k, "k")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    width, height = paper_size(paper, orientation)
    sector_key = find_sector(result, sector) if sector is not None else None
    focus = _unit_row(result, find_region(result, region)) if region is not None else None
    classes = metric_classes(result, metric, scheme, k)
    totals = unit_totals(result, sector=sector_key)
    sub = None
    adm2 = result.boundaries.adm2
    if (focus is not None and adm2 is not None and "parent_pcode" in adm2
            and (adm2["parent_pcode"] == focus["pcode"]).any()):
        # Same rule as the interactive region pages: ADM2 classes over the whole country.
        classes = metric_classes(result, metric, scheme, k, level="adm2")
        sub = unit_totals(result, level="adm2", sector=sector_key)
        sub = sub[sub["parent_pcode"] == focus["pcode"]]

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), dpi=100, facecolor="white")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        _Sheet(fig, result, totals, classes, metric=metric, lang=lang, sector=sector_key,
               focus=focus, sub=sub, title=title, map_id=map_id, produced=produced).draw()
    return fig


class _Sheet:
    """Lays out one map sheet; all sizes in inches so A4 and A3 look alike."""

    def __init__(self, fig: Figure, result: JoinResult, totals: gpd.GeoDataFrame,
                 classes: Classes, *, metric: str, lang: str, sector: str | None,
                 focus: pd.Series | None, sub: gpd.GeoDataFrame | None, title: str | None,
                 map_id: str | None, produced: str | date | bool | None) -> None:
        self.fig, self.result, self.totals, self.classes = fig, result, totals, classes
        self.sub = sub
        self.metric, self.lang, self.sector, self.focus = metric, lang, sector, focus
        self.title, self.map_id = title, map_id
        self.produced = None if produced is False else production_date(produced)
        self.width, self.height = fig.get_size_inches()
        self.s = 1.0 if self.width * self.height < 120 else 1.2  # A3 gets larger type
        self.margin = 0.4

    # -- data in view
    def _placed_rows(self, focus_only: bool = True) -> set:
        """Input rows placed in a unit on this map (a multi-unit record in each of its
        units, as the totals count it), of the map's sector."""
        placed = placed_records(self.result)
        if self.sector is not None:
            placed = placed[placed["sector"] == self.sector]
        if focus_only and self.focus is not None:
            placed = placed[placed[UNIT] == self.focus["pcode"]]
        return set(placed["row"])

    def _records(self) -> pd.DataFrame:
        """The records this map counts (with their points, where given)."""
        rec = self.result.records
        return rec[rec["row"].isin(self._placed_rows())]

    def _inch(self, x: float, y: float) -> tuple[float, float]:
        return x / self.width, y / self.height

    def draw(self) -> None:
        s, m = self.s, self.margin
        fig = self.fig
        # Header.
        head_h = 0.95 * s
        titles = self._titles()
        fig.text(*self._inch(m, self.height - m), titles[0], ha="left", va="top",
                 fontsize=16 * s, fontweight="bold", gid="map-title", parse_math=False)
        fig.text(*self._inch(m, self.height - m - 0.36 * s), titles[1], ha="left", va="top",
                 fontsize=9.5 * s, color="#333333", gid="map-subtitle", parse_math=False)
        # Footer.
        footer = self._footer_lines(self.width - 2 * m, 6.5 * s)
        line_h = 6.5 * s * 1.35 / 72
        foot_h = line_h * len(footer)
        fig.text(*self._inch(m, m), "\n".join(footer), ha="left", va="bottom",
                 fontsize=6.5 * s, color="#333333", linespacing=1.35, gid="map-footer",
                 parse_math=False)
        # Map frame and side panel.
        gap = 0.2
        bottom = m + foot_h + gap
        top = self.height - m - head_h
        if self.width > self.height:
            side_w = 2.7 * s
            map_box = (m, bottom, self.width - 2 * m - side_w - gap, top - bottom)
            side_box = (self.width - m - side_w, bottom, side_w, top - bottom)
        else:
            side_h = 2.1 * s
            map_box = (m, bottom + side_h + gap, self.width - 2 * m, top - bottom - side_h - gap)
            side_box = (m, bottom, self.width - 2 * m, side_h)
        ax = fig.add_axes([map_box[0] / self.width, map_box[1] / self.height,
                           map_box[2] / self.width, map_box[3] / self.height], gid="map-frame")
        side = fig.add_axes([side_box[0] / self.width, side_box[1] / self.height,
                             side_box[2] / self.width, side_box[3] / self.height],
                            gid="map-side")
        side.set_axis_off()
        self._draw_map(ax, map_box[2], map_box[3])
        self._draw_side(side, side_box[2], side_box[3])

    # -- texts
    def _titles(self) -> tuple[str, str]:
        lang = self.lang
        metric_name = label(self.metric, lang)
        sector_name = (label("all_sectors", lang) if self.sector is None
                       else sector_label(self.sector, lang))
        if self.title is not None:
            title = self.title
        elif self.focus is not None:
            title = _pair(self._unit_name(self.focus), metric_name, lang)
        elif self.sector is not None:
            title = _pair(sector_name, f"{metric_name} {_word('per_region', lang)}", lang)
        else:
            title = label(f"metric_title.{self.metric}", lang)
        if "mali" not in title.casefold():  # the country is named on every map
            title = f"Mali – {title}"
        parts = [_pair(label("sector", lang), sector_name, lang),
                 _pair(_word("metric", lang), metric_name, lang),
                 _pair(_word("period", lang), _period(self._records(), lang), lang)]
        if self.focus is not None:
            parts.insert(0, _pair(label("region", lang), self._unit_name(self.focus), lang))
        return title, "  ·  ".join(parts)

    def _unit_name(self, unit: pd.Series) -> str:
        return unit_name(unit, self.lang)

    def _footer_lines(self, width_in: float, size: float) -> list[str]:
        lang = self.lang
        chars = max(40, int(width_in * 72 / (size * 0.55)))
        source = Path(str(self.result.source)).name if self.result.source else "—"
        boundaries = "; ".join(attribution(a, lang) for a in
                               [*self.result.boundaries.attribution, NEIGHBOURS_ATTRIBUTION])
        sources = (f"{label('sources', lang)} — {_pair(label('data', lang), source, lang)}. "
                   f"{_pair(label('boundaries', lang), boundaries, lang)}.")
        last = [_word("projection", lang)]
        if self.produced is not None:
            last.append(f"{label('produced_on', lang, date=self.produced.isoformat())}.")
        if self.map_id:
            last.append(f"{_pair(_word('map_id', lang), self.map_id, lang)}.")
        lines: list[str] = []
        for paragraph in (sources, label("disclaimer", lang), " ".join(last)):
            lines += textwrap.wrap(paragraph, chars, break_on_hyphens=False)
        return lines

    # -- the map itself
    def _draw_map(self, ax: object, box_w: float, box_h: float) -> None:
        adm1 = self.totals.to_crs(PROJECTION)
        neighbours = _neighbours()
        _draw_units(ax, neighbours, [NEIGHBOUR_COLOUR] * len(neighbours), edgecolour="white",
                    linewidth=0.8, zorder=0.5, gid="neighbours")
        border = gpd.GeoSeries([adm1.union_all()], crs=PROJECTION)
        self.adm1_projected, self.border = adm1, border
        _draw_units(ax, border, ["none"], edgecolour="#3d3d3d", linewidth=1.0, zorder=2.5,
                    gid="country-border")
        colours = [self.classes.colour_for(v) for v in adm1[self.metric].astype(float)]
        sub = None
        if self.focus is None:
            bounds = adm1.total_bounds
            _draw_units(ax, adm1, colours, zorder=1, gid="units-adm1")
        else:
            mine = (adm1["pcode"] == self.focus["pcode"]).to_numpy()
            bounds = adm1[mine].total_bounds
            if self.sub is not None:
                sub = self.sub.to_crs(PROJECTION)
                _draw_units(ax, adm1, ["#ececec"] * len(adm1), edgecolour="#9a9a9a",
                            linewidth=0.5, zorder=1, gid="units-adm1")
                _draw_units(ax, sub, [self.classes.colour_for(v)
                                      for v in sub[self.metric].astype(float)],
                            edgecolour="#555555", linewidth=0.4, zorder=2, gid="units-adm2")
                outline = gpd.GeoSeries([sub.union_all()], crs=PROJECTION)
                _draw_units(ax, outline, ["none"], edgecolour="#222222", linewidth=1.3,
                            zorder=3, gid="focus-unit")
            else:
                context = ["#ececec" if not own else c
                           for own, c in zip(mine, colours, strict=True)]
                _draw_units(ax, adm1, context, edgecolour="#9a9a9a", linewidth=0.5, zorder=1,
                            gid="units-adm1")
                _draw_units(ax, adm1[mine], [colours[i] for i in np.flatnonzero(mine)],
                            edgecolour="#222222", linewidth=1.3, zorder=3, gid="focus-unit")
        xlim, ylim = _fit_limits(bounds, box_w, box_h)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#fbfbfb")
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_color("#666666")
        self.n_points = 0
        if self.focus is not None:
            self._draw_points(ax)
        reserved = self._draw_furniture(ax, xlim, ylim)
        self._draw_labels(ax, adm1, sub, reserved, rectangle(xlim[0], ylim[0], xlim[1], ylim[1]))

    def _draw_points(self, ax: object) -> None:
        """Record locations, each sector in its colour and marker (``_render._style``)."""
        rec = self._records()
        rec = rec[[g is not None and not g.is_empty for g in rec.geometry]]
        self.point_styles = []
        if rec.empty:
            return
        styles = sector_styles(sector_order(self.result.records["sector"]))
        keys = [k if isinstance(k, str) else "" for k in rec["sector"]]
        pts = gpd.GeoSeries(list(rec.geometry), crs="EPSG:4326").to_crs(PROJECTION)
        for key in [*sector_order(keys), *([""] if "" in keys else [])]:
            mine = np.array([k == key for k in keys])
            colour, marker = ((styles[key].colour, styles[key].marker) if key
                              else (POINT_COLOUR, "o"))
            ax.scatter(pts.x.to_numpy()[mine], pts.y.to_numpy()[mine], s=18 * self.s,
                       c=colour, marker=marker, edgecolors="#222222", linewidths=0.5,
                       zorder=4, gid="record-points")
            self.point_styles.append((key, colour, marker, int(mine.sum())))
        self.n_points = len(rec)

    def _draw_furniture(self, ax: object, xlim: Sequence[float],
                        ylim: Sequence[float]) -> list[Bbox]:
        from matplotlib_scalebar.scalebar import ScaleBar

        bar = ScaleBar(ground_metres_per_unit(xlim, ylim), units="m", dimension="si-length",
                       location="lower right", length_fraction=0.22, width_fraction=0.008,
                       box_alpha=0.85, border_pad=0.6, font_properties={"size": 7.5 * self.s},
                       scale_loc="bottom")
        bar.set_gid("scalebar")
        ax.add_artist(bar)
        arrow = north_arrow(north_angle(xlim, ylim), self.s)
        ax.add_artist(arrow)
        renderer = self.fig.canvas.get_renderer()
        self.fig.draw(renderer)
        return [bar.info.window_extent.padded(2.0), arrow.get_window_extent(renderer).padded(2.0)]

    def _draw_labels(self, ax: object, adm1: gpd.GeoDataFrame, sub: gpd.GeoDataFrame | None,
                     reserved: list[Bbox], view: object) -> None:
        s = self.s
        items: list[tuple[float, float, str, dict]] = []
        own = {"fontsize": 8.5 * s, "fontweight": "bold", "color": "#1a1a1a"}
        other = {"fontsize": 7.5 * s, "color": "#6b6b6b"}
        small = {"fontsize": 6.5 * s, "color": "#262626"}
        order = adm1.assign(_area=adm1.geometry.area).sort_values("_area", ascending=False)
        if sub is not None and len(sub):
            sub_order = sub.assign(_area=sub.geometry.area).sort_values("_area", ascending=False)
            for _, unit in sub_order.iterrows():
                p = unit.geometry.representative_point()
                items.append((p.x, p.y, self._unit_name(unit), small))
        for _, unit in order.iterrows():
            is_focus = self.focus is not None and unit["pcode"] == self.focus["pcode"]
            if is_focus and sub is not None and len(sub):
                continue
            style = own if (self.focus is None or is_focus) else other
            # Neighbours are labelled inside the part of them that shows on the map.
            shown = unit.geometry.intersection(view)
            if shown.is_empty:
                continue
            p = shown.representative_point()
            name = self._unit_name(self._boundary_row(unit["pcode"]))
            entry = (p.x, p.y, name, style)
            if is_focus:
                items.insert(0, entry)
            else:
                items.append(entry)
        country = {"fontsize": 8 * s, "color": "#707070", "fontstyle": "italic",
                   "gid": "neighbour-label"}
        x0, y0, x1, y1 = view.bounds
        inner = view.buffer(-0.06 * min(x1 - x0, y1 - y0))  # labels stay off the frame
        for _, land in _neighbours().iterrows():
            point = Point(land["label_x"], land["label_y"])
            if not inner.contains(point):  # the part of the country in view, if any
                shown = land.geometry.intersection(inner)
                if shown.is_empty or shown.area < view.area * 0.01:
                    continue
                largest = max(getattr(shown, "geoms", [shown]), key=lambda g: g.area)
                point = polylabel(largest, tolerance=largest.length / 200)
            name = land[f"name_{self.lang}"]
            items.append((point.x, point.y, str(name), country))
        _place_labels(self.fig, ax, items, reserved)

    def _boundary_row(self, pcode: str) -> pd.Series:
        adm1 = self.result.boundaries.adm1
        return adm1[adm1["pcode"] == pcode].iloc[0]

    # -- legend and notes
    def _draw_side(self, side: object, w: float, h: float) -> None:
        lang, s = self.lang, self.s
        handles = [Patch(facecolor=c, edgecolor="#4d4d4d", linewidth=0.5)
                   for c in self.classes.colours]
        texts = legend_labels(self.classes, lang)
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#4d4d4d", linewidth=0.5))
        texts.append(label("no_data", lang))
        if self.n_points:
            from matplotlib.lines import Line2D

            for key, colour, marker, n in self.point_styles:
                handles.append(Line2D([], [], marker=marker, linestyle="none", markersize=5,
                                      markerfacecolor=colour, markeredgecolor="#222222",
                                      markeredgewidth=0.5))
                name = sector_label(key, lang) if key else _word("points", lang)
                texts.append(f"{name} ({n})")
        per = _word("per_cercle" if self.sub is not None else "per_region", lang)
        title = f"{label(self.metric, lang)} {per}"
        if self.sector is not None:
            title += f"\n{sector_label(self.sector, lang)}"
        rows = 16 if self.width > self.height else 9  # entries one column holds
        legend = side.legend(handles, texts, loc="upper left", title=title, frameon=False,
                             ncols=1 if len(handles) <= rows else 2,
                             fontsize=8 * s, title_fontsize=9 * s, alignment="left",
                             handlelength=1.8, handleheight=1.1, borderaxespad=0.0)
        legend.set_gid("legend")
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_parse_math(False)
        shown = len(self._records())
        notes = [_word("records_shown_1" if shown == 1 else "records_shown", lang)
                 .format(n=shown)]
        if self.sub is not None and "adm2" in self.result.records:
            loose = int(self._records()["adm2"].isna().sum())
            if loose:
                notes[-1] += " " + _word("no_cercle", lang).format(n=loose)
        if self.focus is None:  # records placed nowhere belong to no region page
            every = self.result.records
            if self.sector is not None:
                every = every[every["sector"] == self.sector]
            missing = every[~every["row"].isin(self._placed_rows(focus_only=False))]
            if len(missing):
                key = "not_shown_1" if len(missing) == 1 else "not_shown"
                notes.append(_word(key, lang).format(n=len(missing), total=len(every)))
        size = 7 * s
        landscape = self.width > self.height
        chars = max(20, int((w if landscape else w * 0.3) * 72 / (size * 0.55)))
        wrapped = "\n".join(line for note in notes
                            for line in textwrap.wrap(note, chars, break_on_hyphens=False))
        corner = side.get_position()
        x0, y0 = corner.x0 * self.width, corner.y0 * self.height
        if landscape:  # legend on top, notes at the bottom, the locator in between
            side.text(0.0, 0.0, wrapped, transform=side.transAxes, ha="left", va="bottom",
                      fontsize=size, color="#333333", gid="map-notes", parse_math=False)
            renderer = self.fig.canvas.get_renderer()
            legend_h = legend.get_window_extent(renderer).height / self.fig.dpi
            notes_h = (wrapped.count("\n") + 1) * size * 1.2 / 72
            top, bottom = h - legend_h - 0.25 * s, notes_h + 0.25 * s
            box_h = min(top - bottom, 2.3 * s)
            if box_h >= 0.6 * s:
                self._draw_locator((x0, y0 + top - box_h, w, box_h))
        else:  # legend, notes and the locator side by side
            side.text(0.40, 1.0, wrapped, transform=side.transAxes, ha="left", va="top",
                      fontsize=size, color="#333333", gid="map-notes", parse_math=False)
            box_w = w * 0.27
            self._draw_locator((x0 + w - box_w, y0, box_w, h))

    def _draw_locator(self, box: tuple[float, float, float, float]) -> None:
        """Mali among its neighbours, the shown region (or all Mali) highlighted."""
        x, y, w, h = box
        ax = self.fig.add_axes([x / self.width, y / self.height, w / self.width,
                                h / self.height], gid="locator-inset")
        neighbours = _neighbours()
        _draw_units(ax, neighbours, [NEIGHBOUR_COLOUR] * len(neighbours), edgecolour="white",
                    linewidth=0.3, gid="locator-neighbours")
        adm1 = self.adm1_projected
        if self.focus is None:
            _draw_units(ax, self.border, [LOCATOR_FOCUS_COLOUR], edgecolour="#3d3d3d",
                        linewidth=0.4, zorder=2, gid="locator-focus")
        else:
            _draw_units(ax, adm1, ["#a6a6a6"] * len(adm1), edgecolour="white", linewidth=0.2,
                        gid="locator-mali")
            mine = adm1[adm1["pcode"] == self.focus["pcode"]]
            _draw_units(ax, mine, [LOCATOR_FOCUS_COLOUR] * len(mine), edgecolour="#3d3d3d",
                        linewidth=0.4, zorder=2, gid="locator-focus")
        xlim, ylim = _fit_limits(neighbours.total_bounds, w, h, pad=0.0)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("white")
        for spine in ax.spines.values():
            spine.set_linewidth(0.5)
            spine.set_color("#888888")


# --------------------------------------------------------------------------- saving


def save_figure(fig: Figure, path: str | Path, *, fmt: str | None = None,
                dpi: int = DEFAULT_DPI) -> Path:
    """Write ``fig`` as PNG, PDF or SVG with deterministic metadata and real text."""
    path = Path(path)
    dpi = check_dpi(dpi)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise OutputError(f"{path}: unknown static map format {path.suffix or fmt!r}; "
                          f"use one of: {', '.join('.' + f for f in FORMATS)}")
    metadata: dict[str, object] = {
        "png": {"Software": _SOFTWARE},
        "pdf": {"Creator": _SOFTWARE, "Producer": _SOFTWARE, "CreationDate": None,
                "ModDate": None},
        "svg": {"Creator": _SOFTWARE, "Date": None},
    }[fmt]
    size = fig.get_size_inches().copy()
    if fmt == "png":
        # Agg truncates width x dpi; nudge so the PNG has round(inches x dpi) pixels.
        fig.set_size_inches((np.round(size * dpi) + 1e-6) / dpi, forward=False)
    try:
        with writing(path, "the map"), matplotlib.rc_context(RC):
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    finally:
        fig.set_size_inches(size, forward=False)
    return path


def export_map(
    result: JoinResult,
    path: str | Path,
    *,
    region: str | None = None,
    sector: str | None = None,
    dpi: int = DEFAULT_DPI,
    paper: str = "A4",
    orientation: str = "landscape",
    lang: str = "en",
    metric: str = "activities",
    scheme: str = "quantiles",
    k: int = 5,
    title: str | None = None,
    map_id: str | None = None,
    produced: str | date | bool | None = None,
) -> Path:
    """Write one static map to ``path``; the format comes from its extension.

    >>> import tempfile, pathlib
    >>> from mali_map._build._pipeline import join_files
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mopti.svg"
    >>> export_map(join_files(), path, region="Mopti").read_text()[:5]
    '<?xml'
    """
    path = Path(path)
    dpi = check_dpi(dpi)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise OutputError(f"{path}: unknown static map format {path.suffix or '(none)'!r}; "
                          f"use one of: {', '.join('.' + f for f in FORMATS)}")
    fig = static_map(result, region=region, sector=sector, metric=metric, lang=lang,
                     scheme=scheme, k=k, paper=paper, orientation=orientation, title=title,
                     map_id=map_id, produced=produced)
    return save_figure(fig, path, fmt=fmt, dpi=dpi)


def export_static(
    result: JoinResult,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("png",),
    dpi: int = DEFAULT_DPI,
    paper: str = "A4",
    orientation: str = "landscape",
    lang: str = "en",
    metric: str = "activities",
    scheme: str = "quantiles",
    k: int = 5,
    map_id: str | None = None,
    produced: str | date | bool | None = None,
    progress: Callable[[int, int, str], object] | None = None,
) -> list[Path]:
    """Write the overview, every region with records and every sector named by a record.

    Files: ``out_dir/static/overview.<fmt>``, ``static/regions/<slug>.<fmt>`` and
    ``static/sectors/<slug>.<fmt>`` for each format in ``formats``; with a ``map_id``
    they take OCHA-style names (:func:`ocha_file_name`), e.g.
    ``static/MLI001_3W_overview_A4_20240531.pdf`` and
    ``static/regions/MLI001_3W_region-mopti_A4_20240531.pdf``. None of them may
    lead outside ``out_dir`` through a symlink. ``progress(done, total, name)`` is
    called before each map is drawn.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> from mali_map._build._pipeline import join_files
    >>> files = export_static(join_files(), out, formats=("svg",))
    >>> (out / "static" / "regions" / "tombouctou.svg") in files
    True
    """
    fmts = [str(f).lower().lstrip(".") for f in formats]
    for fmt in fmts:
        if fmt not in FORMATS:
            raise OutputError(f"unknown static map format {fmt!r}; "
                              f"use one of: {', '.join(FORMATS)}")
    dpi = check_dpi(dpi)
    base = Path("static")
    day = None if produced is False else production_date(produced)  # one day for all maps
    common = {"metric": metric, "lang": lang, "scheme": scheme, "k": k, "paper": paper,
              "orientation": orientation, "map_id": map_id,
              "produced": False if day is None else day}
    regions, sectors = page_selection(result)
    jobs: list[tuple[Path, str, dict]] = [(base / "overview", "overview", {})]
    jobs += [(base / "regions" / slug, f"region-{slug}", {"region": pcode})
             for pcode, slug in regions]
    jobs += [(base / "sectors" / slug, f"sector-{slug}", {"sector": key})
             for key, slug in sectors]
    written = []
    for done, (stem, page, selection) in enumerate(jobs):
        if progress is not None:
            progress(done, len(jobs), stem.as_posix())
        fig = static_map(result, **selection, **common)
        for fmt in fmts:
            relative = stem.with_suffix(f".{fmt}")
            if map_id:
                relative = stem.parent / ocha_file_name(map_id, page, paper, day, fmt)
            save_figure(fig, inside(out_dir, relative), fmt=fmt, dpi=dpi)
            written.append(Path(out_dir) / relative)
    return written


def legend_entries(fig: Figure) -> list[tuple[str, str]]:
    """``(label, colour hex)`` of each class in the legend of a map from :func:`static_map`."""
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or legend.get_gid() != "legend":
            continue
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            if isinstance(handle, Patch):
                out.append((text.get_text(), matplotlib.colors.to_hex(handle.get_facecolor())))
    return out


def scale_factors(lon: float, lat: float) -> tuple[float, float, float]:
    """Meridional, parallel and areal scale of :data:`PROJECTION` at ``lon``, ``lat``."""
    from pyproj import Proj

    f = Proj(PROJECTION).get_factors(lon, lat)
    return float(f.meridional_scale), float(f.parallel_scale), float(f.areal_scale)


__all__ = ["FORMATS", "PAPER_MM", "PROJECTION", "export_map", "export_static",
           "legend_entries", "ocha_file_name", "paper_size", "save_figure", "scale_factors",
           "static_map"]

